//go:build gc

#include "textflag.h"

// func getg() unsafe.Pointer
TEXT ·getg(SB),NOSPLIT,$0-8
	MOVD g, ret+0(FP)
	RET

// func ticks() int64: the virtual counter, which runs at a steady rate.
TEXT ·ticks(SB),NOSPLIT,$0-8
	MRS CNTVCT_EL0, R0
	MOVD R0, ret+0(FP)
	RET
