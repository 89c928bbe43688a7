// Package covfmt writes coverage in the formats CI services read, from
// gorewrite's blocks and branch sites with their counts: LCOV tracefiles
// (Codecov, Coveralls, genhtml), with BRDA branch records; Cobertura XML
// (GitLab, Jenkins), with branch="true" and condition-coverage; and
// SonarQube's generic coverage XML. Statement figures are go tool cover's:
// a function's coverage is its covered statements over its statements.
package covfmt
