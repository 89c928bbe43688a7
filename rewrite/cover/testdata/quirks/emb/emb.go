// Package emb embeds one of its own Go files.
package emb

import _ "embed"

//go:embed self.go
var Self string
