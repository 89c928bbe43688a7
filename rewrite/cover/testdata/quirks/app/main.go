// Command app is run by the tests as a built binary: it ends as its
// argument says (return, exit, panic, or wait for a signal).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"quirks/q"
)

func main() {
	mode := "return"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	fmt.Println(q.ElseIf(len(mode)))
	switch mode {
	case "exit":
		os.Exit(3)
	case "qexit":
		q.Exit(4)
	case "wait":
		fmt.Println("ready")
		time.Sleep(time.Minute)
	case "graceful":
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		fmt.Println("ready")
		<-c
		fmt.Println("shutting down")
	case "panic":
		panic("boom")
	case "fatal":
		log.Fatal("fatal")
	case "notifyctx":
		// After stop, SIGTERM ends the program again.
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		fmt.Println("ready")
		<-ctx.Done()
		stop()
		fmt.Println("ready")
		time.Sleep(time.Minute)
	}
}
