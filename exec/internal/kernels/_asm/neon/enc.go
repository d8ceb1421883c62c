package main

import "fmt"

// The A64 encodings of the Advanced SIMD instructions the Go assembler does
// not have (or whose Go operand order is easy to get wrong), from the Arm
// Architecture Reference Manual (DDI 0487, section C7.2), each with its GNU
// spelling. TestEncodings disassembles every WORD of the generated files
// with golang.org/x/arch/arm64/arm64asm and requires that spelling; SDOT
// and UDOT (ARMv8.2 dot product), which arm64asm does not decode, are
// checked field by field against the by-element MUL that shares their
// layout, and against llvm-mc where it is installed.

// enc is one encoded instruction.
type enc struct {
	word uint32
	gnu  string
}

// arr is a vector arrangement: Q bit, element size field and GNU suffix.
type arr struct {
	q, size uint32
	name    string
}

var (
	a4S  = arr{1, 2, "4s"}
	a2S  = arr{0, 2, "2s"}
	a2D  = arr{1, 3, "2d"}
	a8H  = arr{1, 1, "8h"}
	a4H  = arr{0, 1, "4h"}
	a16B = arr{1, 0, "16b"}
	a8B  = arr{0, 0, "8b"}
)

func vn(v V, a arr) string { return fmt.Sprintf("v%d.%s", int(v), a.name) }

func rd(d, n V) uint32 { return uint32(n)<<5 | uint32(d) }

// three is an "Advanced SIMD three same" (or three different) instruction
// on registers d, n, m.
func three(base uint32, op string, a arr, d, n, m V) enc {
	return enc{base | a.q<<30 | a.size<<22 | uint32(m)<<16 | rd(d, n), fmt.Sprintf("%s %s, %s, %s", op, vn(d, a), vn(n, a), vn(m, a))}
}

// floatThree is a floating-point three-same instruction: sz (bit 22) 0 for
// single, 1 for double precision.
func floatThree(base uint32, op string, a arr, d, n, m V) enc {
	sz := uint32(0)
	if a == a2D {
		sz = 1
	}
	return enc{base | a.q<<30 | sz<<22 | uint32(m)<<16 | rd(d, n), fmt.Sprintf("%s %s, %s, %s", op, vn(d, a), vn(n, a), vn(m, a))}
}

func fadd(a arr, d, n, m V) enc  { return floatThree(0x0e20d400, "fadd", a, d, n, m) }
func fmul(a arr, d, n, m V) enc  { return floatThree(0x2e20dc00, "fmul", a, d, n, m) }
func fcmgt(a arr, d, n, m V) enc { return floatThree(0x2ea0e400, "fcmgt", a, d, n, m) }

// fcmltz is FCMLT Vd.4S, Vn.4S, #0: all ones where n < 0 (false for NaN
// and -0).
func fcmltz(d, n V) enc {
	return enc{0x4ea0e800 | rd(d, n), fmt.Sprintf("fcmlt %s, %s, #0", vn(d, a4S), vn(n, a4S))}
}

// bic is BIC Vd.16B, Vn.16B, Vm.16B: n & ^m.
func bic(d, n, m V) enc {
	return enc{0x4e601c00 | uint32(m)<<16 | rd(d, n), fmt.Sprintf("bic %s, %s, %s", vn(d, a16B), vn(n, a16B), vn(m, a16B))}
}

// bit is BIT Vd.16B, Vn.16B, Vm.16B: d = (d & ^m) | (n & m).
func bit(d, n, m V) enc {
	return enc{0x6ea01c00 | uint32(m)<<16 | rd(d, n), fmt.Sprintf("bit %s, %s, %s", vn(d, a16B), vn(n, a16B), vn(m, a16B))}
}

// fmlaElem is FMLA Vd.4S, Vn.4S, Vm.S[i]: d += n * m[i], fused.
func fmlaElem(d, n, m V, i int) enc {
	w := 0x4f801000 | uint32(i&1)<<21 | uint32(m)>>4<<20 | uint32(m&15)<<16 | uint32(i>>1)<<11 | rd(d, n)
	return enc{w, fmt.Sprintf("fmla %s, %s, v%d.s[%d]", vn(d, a4S), vn(n, a4S), int(m), i)}
}

// fmla is FMLA Vd.4S, Vn.4S, Vm.4S: d += n * m, fused.
func fmla(d, n, m V) enc { return floatThree(0x0e20cc00, "fmla", a4S, d, n, m) }

// fcvtl widens the low two (hi: the high two) singles of n to doubles.
func fcvtl(d, n V, hi bool) enc {
	if hi {
		return enc{0x4e617800 | rd(d, n), fmt.Sprintf("fcvtl2 %s, %s", vn(d, a2D), vn(n, a4S))}
	}
	return enc{0x0e617800 | rd(d, n), fmt.Sprintf("fcvtl %s, %s", vn(d, a2D), vn(n, a2S))}
}

// fcvtn narrows two doubles of n to singles in the low half of d (hi: the
// high half, keeping the low one), rounding to nearest even.
func fcvtn(d, n V, hi bool) enc {
	if hi {
		return enc{0x4e616800 | rd(d, n), fmt.Sprintf("fcvtn2 %s, %s", vn(d, a4S), vn(n, a2D))}
	}
	return enc{0x0e616800 | rd(d, n), fmt.Sprintf("fcvtn %s, %s", vn(d, a2S), vn(n, a2D))}
}

func sqrdmulh(a arr, d, n, m V) enc { return three(0x2e20b400, "sqrdmulh", a, d, n, m) }
func srshl(a arr, d, n, m V) enc    { return three(0x0e205400, "srshl", a, d, n, m) }
func sshl(a arr, d, n, m V) enc     { return three(0x0e204400, "sshl", a, d, n, m) }
func sqadd(a arr, d, n, m V) enc    { return three(0x0e200c00, "sqadd", a, d, n, m) }
func smax(a arr, d, n, m V) enc     { return three(0x0e206400, "smax", a, d, n, m) }
func smin(a arr, d, n, m V) enc     { return three(0x0e206c00, "smin", a, d, n, m) }
func addv(a arr, d, n, m V) enc     { return three(0x0e208400, "add", a, d, n, m) }
func subv(a arr, d, n, m V) enc     { return three(0x2e208400, "sub", a, d, n, m) }

// neg is NEG Vd.4S, Vn.4S.
func neg(d, n V) enc {
	return enc{0x6ea0b800 | rd(d, n), fmt.Sprintf("neg %s, %s", vn(d, a4S), vn(n, a4S))}
}

// sshr is SSHR Vd.4S, Vn.4S, #s (arithmetic, 1 <= s <= 32).
func sshr(d, n V, s int) enc {
	return enc{0x4f000400 | uint32(64-s)<<16 | rd(d, n), fmt.Sprintf("sshr %s, %s, #%d", vn(d, a4S), vn(n, a4S), s)}
}

// smlalElem is SMLAL(2) Vd.4S, Vn.4H (8H), Vm.H[i]: d += the low (hi: high)
// four int16 lanes of n times lane i of m (m in V0-V15), widened to int32.
func smlalElem(d, n, m V, i int, hi bool) enc {
	if m > 15 {
		panic("smlal by element: Vm must be V0-V15")
	}
	w := 0x0f402000 | uint32(i>>2)<<11 | uint32(i>>1&1)<<21 | uint32(i&1)<<20 | uint32(m)<<16 | rd(d, n)
	if hi {
		return enc{w | 1<<30, fmt.Sprintf("smlal2 %s, %s, v%d.h[%d]", vn(d, a4S), vn(n, a8H), int(m), i)}
	}
	return enc{w, fmt.Sprintf("smlal %s, %s, v%d.h[%d]", vn(d, a4S), vn(n, a4H), int(m), i)}
}

// smlal is SMLAL(2) Vd.4S, Vn.4H, Vm.4H (the high halves with hi).
func smlal(d, n, m V, hi bool) enc {
	w := 0x0e608000 | uint32(m)<<16 | rd(d, n)
	if hi {
		return enc{w | 1<<30, fmt.Sprintf("smlal2 %s, %s, %s", vn(d, a4S), vn(n, a8H), vn(m, a8H))}
	}
	return enc{w, fmt.Sprintf("smlal %s, %s, %s", vn(d, a4S), vn(n, a4H), vn(m, a4H))}
}

// usubl is USUBL(2) Vd.8H, Vn.8B, Vm.8B: n - m, both bytes widened
// unsigned, as 16-bit lanes (the high bytes with hi).
func usubl(d, n, m V, hi bool) enc {
	w := 0x2e202000 | uint32(m)<<16 | rd(d, n)
	if hi {
		return enc{w | 1<<30, fmt.Sprintf("usubl2 %s, %s, %s", vn(d, a8H), vn(n, a16B), vn(m, a16B))}
	}
	return enc{w, fmt.Sprintf("usubl %s, %s, %s", vn(d, a8H), vn(n, a8B), vn(m, a8B))}
}

// uxtl is UXTL Vd.8H, Vn.8B (USHLL #0): bytes widened unsigned.
func uxtl(d, n V) enc {
	return enc{0x2f08a400 | rd(d, n), fmt.Sprintf("uxtl %s, %s", vn(d, a8H), vn(n, a8B))}
}

// sqxtun narrows signed 32-bit lanes of n to unsigned saturated 16-bit ones
// in the low half of d (hi: the high half, keeping the low one).
func sqxtun(d, n V, hi bool) enc {
	if hi {
		return enc{0x6e612800 | rd(d, n), fmt.Sprintf("sqxtun2 %s, %s", vn(d, a8H), vn(n, a4S))}
	}
	return enc{0x2e612800 | rd(d, n), fmt.Sprintf("sqxtun %s, %s", vn(d, a4H), vn(n, a4S))}
}

// uqxtn narrows unsigned 16-bit lanes of n to saturated bytes in the low
// half of d (hi: the high half).
func uqxtn(d, n V, hi bool) enc {
	if hi {
		return enc{0x6e214800 | rd(d, n), fmt.Sprintf("uqxtn2 %s, %s", vn(d, a16B), vn(n, a8H))}
	}
	return enc{0x2e214800 | rd(d, n), fmt.Sprintf("uqxtn %s, %s", vn(d, a8B), vn(n, a8H))}
}

// dot is SDOT or UDOT Vd.4S, Vn.16B, Vm.4B[i]: each lane of d plus the dot
// product of its four bytes of n with the four bytes of m's lane i.
func dot(d, n, m V, i int, unsigned bool) enc {
	w := 0x4f80e000 | uint32(i&1)<<21 | uint32(m)>>4<<20 | uint32(m&15)<<16 | uint32(i>>1)<<11 | rd(d, n)
	op := "sdot"
	if unsigned {
		w |= 1 << 29
		op = "udot"
	}
	return enc{w, fmt.Sprintf("%s %s, %s, v%d.4b[%d]", op, vn(d, a4S), vn(n, a16B), int(m), i)}
}
