//go:build gc

#include "textflag.h"

// func getg() unsafe.Pointer
TEXT ·getg(SB),NOSPLIT,$0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET

// func ticks() int64: the time stamp counter (invariant on current x86:
// a steady rate, converted to nanoseconds by gorewrite).
TEXT ·ticks(SB),NOSPLIT,$0-8
	RDTSC
	SHLQ $32, DX
	ADDQ DX, AX
	MOVQ AX, ret+0(FP)
	RET
