// Hand-written probes of the instructions the simulator implements, run
// both on the hardware and in the simulator (probe_amd64_test.go) to check
// the simulator's lane semantics bit for bit. Same syntax and vocabulary as
// the avo output. Needs AVX2 and FMA3 (the tests skip without them).

//go:build amd64 && !purego

#include "textflag.h"

// func probeVec(dst, a, b, c, m *float32)
// Requires: AVX, FMA3
TEXT ·probeVec(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), AX
	MOVQ         a+8(FP), BX
	MOVQ         b+16(FP), CX
	MOVQ         c+24(FP), DX
	MOVQ         m+32(FP), SI
	VMOVUPS      (BX), Y1
	VMOVUPS      (CX), Y2
	VMOVUPS      (DX), Y3
	VMOVUPS      (SI), Y4
	VMOVUPS      Y3, Y0
	VFMADD231PS  Y2, Y1, Y0
	VMOVUPS      Y0, (AX)
	VMOVUPS      Y3, Y0
	VFMADD231PS  (CX), Y1, Y0
	VMOVUPS      Y0, 32(AX)
	VMOVUPS      Y3, Y0
	VFMADD231PS  Y1, Y2, Y0
	VMOVUPS      Y0, 64(AX)
	VMAXPS       Y2, Y1, Y0
	VMOVUPS      Y0, 96(AX)
	VMINPS       Y2, Y1, Y0
	VMOVUPS      Y0, 128(AX)
	VADDPS       Y2, Y1, Y0
	VMOVUPS      Y0, 160(AX)
	VMAXPS       (CX), Y1, Y0
	VMOVUPS      Y0, 192(AX)
	VMASKMOVPS   (BX), Y4, Y0
	VMOVUPS      Y0, 224(AX)
	VMASKMOVPS   Y2, Y4, 256(AX)
	VBROADCASTSS 4(DX), Y0
	VMOVUPS      Y0, 288(AX)
	VXORPS       Y2, Y1, Y0
	VMOVUPS      Y0, 320(AX)
	VMINPS       (CX), Y1, Y0
	VMOVUPS      Y0, 352(AX)
	VADDPS       (CX), Y1, Y0
	VMOVUPS      Y0, 384(AX)
	VXORPS       Y5, Y5, Y5
	VMOVUPS      Y5, 416(AX)
	VMULPS       Y2, Y1, Y0
	VMOVUPS      Y0, 448(AX)
	VMULPS       (CX), Y1, Y0
	VMOVUPS      Y0, 480(AX)
	VZEROUPPER
	RET

// func probeFlags(x uint64, p *uint64) (r uint64)
TEXT ·probeFlags(SB), NOSPLIT, $0-24
	MOVQ  x+0(FP), AX
	MOVQ  p+8(FP), CX
	XORQ  DX, DX
	MOVQ  AX, BX
	SHRQ  $0x02, BX
	JZ    probeFlags_1
	ADDQ  $0x00000001, DX

probeFlags_1:
	MOVQ AX, BX
	ANDQ $0x03, BX
	JZ   probeFlags_2
	ADDQ $0x00000002, DX

probeFlags_2:
	MOVQ AX, BX
	DECQ BX
	JNZ  probeFlags_3
	ADDQ $0x00000004, DX

probeFlags_3:
	TESTQ AX, AX
	JZ    probeFlags_4
	ADDQ  $0x00000008, DX

probeFlags_4:
	CMPQ AX, $0x05
	JEQ  probeFlags_5
	ADDQ $0x00000010, DX

probeFlags_5:
	TESTQ $0x00000010, AX
	JNZ   probeFlags_6
	ADDQ  $0x00000020, DX

probeFlags_6:
	CMPQ (CX), $0x00
	JNE  probeFlags_7
	ADDQ $0x00000040, DX

probeFlags_7:
	MOVQ AX, BX
	ADDQ $-1, BX
	JZ   probeFlags_8
	ADDQ $0x00000080, DX

probeFlags_8:
	LEAQ 8(AX)(AX*2), BX
	MOVQ BX, (CX)
	XORQ BX, BX
	JZ   probeFlags_9
	ADDQ $0x00000100, DX

probeFlags_9:
	CMPQ AX, BX
	JNZ  probeFlags_10
	ADDQ $0x00000200, DX

probeFlags_10:
	MOVQ AX, BX
	SHRQ $0x01, BX
	MOVQ $0x7, SI
	ANDQ SI, BX
	JMP  probeFlags_11
	ADDQ $0x00000400, DX

probeFlags_11:
	SHRQ  $0x03, BX
	JNZ   probeFlags_12
	ADDQ  $0x00000800, DX

probeFlags_12:
	MOVQ DX, r+16(FP)
	RET
