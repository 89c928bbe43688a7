// Command app ends the way its argument says: return, exit, panic,
// gopanic (a panic on another goroutine) or term (wait for SIGTERM).
package main

import (
	"fmt"
	"os"
	"time"

	"example.com/tr/lib"
)

func main() {
	fmt.Println(lib.Fib(8))
	how := ""
	if len(os.Args) > 1 {
		how = os.Args[1]
	}
	switch how {
	case "exit":
		exit()
	case "panic":
		crash()
	case "gopanic":
		go crash()
		time.Sleep(time.Minute)
	case "term":
		fmt.Println("ready")
		time.Sleep(time.Minute)
	}
}

func exit() {
	os.Exit(3)
}

func crash() {
	lib.Boom()
}
