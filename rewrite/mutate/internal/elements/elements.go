// Package elements holds mutation-testing-elements, the web component that
// Stryker, Stryker.NET and PIT render their mutation reports with
// (Apache-2.0, see LICENSE), vendored from its npm package: `make
// elements` fetches the pinned version below, checks it and copies
// dist/mutation-test-elements.js here.
package elements

import _ "embed"

// Version is the npm package's version.
const Version = "3.9.0"

// Script is dist/mutation-test-elements.js: it defines the
// <mutation-test-report-app> element, which renders the report its report
// property is set to, and loads nothing from the network.
//
//go:embed mutation-test-elements.js
var Script string
