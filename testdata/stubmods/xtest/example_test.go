package xt_test

import (
	"fmt"

	xt "example.com/xtest"
)

func ExampleParse() {
	tok, _ := xt.Parse("hello world")
	fmt.Println(tok)
	// Output: word:hello
}
