package kernels

import (
	"fmt"
	"strings"
)

// ISA names an instruction-set path through the kernels.
type ISA uint8

const (
	// Generic is the portable pure-Go path, always available.
	Generic ISA = iota
	// AVX2 is the AVX2+FMA assembly path (8 float32 lanes).
	AVX2
	// AVX512 is the AVX-512F assembly path (16 float32 lanes).
	AVX512
)

// String returns the name used in reports and in MNET_KERNELS.
func (i ISA) String() string {
	switch i {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("ISA(%d)", uint8(i))
}

// Supported reports whether this build and CPU can run the ISA.
func (i ISA) Supported() bool {
	switch i {
	case Generic:
		return true
	case AVX2:
		return hasAVX2
	case AVX512:
		return hasAVX512
	}
	return false
}

// Best returns the fastest ISA this build and CPU support.
func Best() ISA {
	switch {
	case hasAVX512:
		return AVX512
	case hasAVX2:
		return AVX2
	}
	return Generic
}

// Available lists the ISAs this build and CPU support, slowest first.
func Available() []ISA {
	out := []ISA{Generic}
	for _, i := range []ISA{AVX2, AVX512} {
		if i.Supported() {
			out = append(out, i)
		}
	}
	return out
}

// Parse maps a name ("auto", "", "generic", "purego", "avx2", "avx512") to an
// ISA, failing for unknown names and for ISAs this machine cannot run.
func Parse(name string) (ISA, error) {
	var i ISA
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		return Best(), nil
	case "generic", "purego", "go":
		i = Generic
	case "avx2":
		i = AVX2
	case "avx512", "avx-512":
		i = AVX512
	default:
		return Generic, fmt.Errorf("unknown kernel set %q (want auto, generic, avx2 or avx512)", name)
	}
	if !i.Supported() {
		return Generic, fmt.Errorf("kernel set %q is not supported on this machine or build (have %v)", name, Available())
	}
	return i, nil
}

// Act is the activation fused into a kernel's output step.
type Act uint8

const (
	// ActNone leaves the output linear.
	ActNone Act = iota
	// ActReLU clamps below at 0.
	ActReLU
	// ActReLU6 clamps to [0, 6].
	ActReLU6
)

// String returns the activation's name.
func (a Act) String() string {
	switch a {
	case ActNone:
		return "none"
	case ActReLU:
		return "relu"
	case ActReLU6:
		return "relu6"
	}
	return fmt.Sprintf("Act(%d)", uint8(a))
}
