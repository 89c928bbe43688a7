package xt

// IsSpace exports isSpace to package xt_test.
var IsSpace = isSpace
