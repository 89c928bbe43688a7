// Command demo prints a few results of package calc.
package main

import (
	"fmt"

	"example.com/demo/calc"
)

func main() {
	fmt.Println("add(4, 5) =", calc.Add(4, 5))
	fmt.Println("clamp(12, 0, 10) =", calc.Clamp(12, 0, 10))
	fmt.Println(calc.Greet("gopher"))
}
