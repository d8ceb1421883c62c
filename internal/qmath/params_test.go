package qmath

import (
	"math"
	"strings"
	"testing"
)

func TestActivationRange(t *testing.T) {
	for _, c := range []struct {
		act    Activation
		scale  float32
		zp     int32
		typ    Type
		lo, hi int32
	}{
		{ActNone, 0.5, 127, Uint8, 0, 255},
		{ActRelu, 0.5, 127, Uint8, 127, 255},
		{ActRelu6, 0.5, 127, Uint8, 127, 139},
		{ActReluN1To1, 0.5, 127, Uint8, 125, 129},
		{ActRelu6, 6.0 / 255, 0, Uint8, 0, 255}, // the shared MobileNets' conv outputs
		{ActRelu6, 0.023528477, 0, Uint8, 0, 255},
		{ActRelu6, 0.01, 3, Uint8, 3, 255}, // q(6) = 603 clamps to 255
		{ActRelu, 0.1, 200, Uint8, 200, 255},
		{ActNone, 0.1, -10, Int8, -128, 127},
		{ActRelu6, 0.1, -10, Int8, -10, 50},
		{ActRelu, 1, -128, Int8, -128, 127},
		// Halves round away from zero: q(±1) with scale 2 is ±0.5 -> ±1.
		{ActReluN1To1, 2, 0, Int8, -1, 1},
		// q(6) with scale 4 is 1.5 -> 2.
		{ActRelu6, 4, 0, Int8, 0, 2},
	} {
		lo, hi, err := ActivationRange(c.act, c.scale, c.zp, c.typ)
		if err != nil || lo != c.lo || hi != c.hi {
			t.Errorf("ActivationRange(%v, %g, %d, %v) = [%d, %d], %v; want [%d, %d]", c.act, c.scale, c.zp, c.typ, lo, hi, err, c.lo, c.hi)
		}
	}
	for _, c := range []struct {
		act   Activation
		scale float32
	}{
		{ActRelu6, 1e-38}, // 6/scale overflows int32: TFLite refuses it too
		{ActTanh, 0.1}, {ActSignBit, 0.1}, {Activation(9), 0.1},
	} {
		if lo, hi, err := ActivationRange(c.act, c.scale, 0, Uint8); err == nil {
			t.Errorf("ActivationRange(%v, %g) = [%d, %d], want an error", c.act, c.scale, lo, hi)
		}
	}
}

// TestConvMultiplierProducts checks the two ways TFLite forms
// input scale x weights scale (float32 product for uint8, double for int8)
// on a case where they give different 31-bit multipliers: s_in = 1/3 and
// s_w = 0.1 as float32 (0.3333333432674408 and 0.10000000149011612), whose
// float32 product is 0.03333333507180214 and double product
// 0.03333333482344947 (exact); with s_out = 1 the multipliers are
// round(2^35 * p): 1145324672 and 1145324663 (computed from those
// decimal expansions, shift -4).
func TestConvMultiplierProducts(t *testing.T) {
	perTensor, err := PerTensorConvMultiplier(1.0/3, 0.1, 1)
	if err != nil {
		t.Fatal(err)
	}
	perChannel, err := PerChannelConvMultiplier(1.0/3, 0.1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if perTensor != (Multiplier{1145324672, -4}) || perChannel != (Multiplier{1145324663, -4}) {
		t.Errorf("per-tensor %+v, per-channel %+v; want {1145324672 -4} and {1145324663 -4}", perTensor, perChannel)
	}
	// With a power-of-two input scale (the MobileNets' 1/128) both agree.
	a, _ := PerTensorConvMultiplier(1.0/128, 0.00888241, 0.023528477)
	b, _ := PerChannelConvMultiplier(1.0/128, 0.00888241, 0.023528477)
	if a != b {
		t.Errorf("input scale 1/128: per-tensor %+v != per-channel %+v", a, b)
	}
}

func TestBiasScaleMismatch(t *testing.T) {
	// s_in * s_w = 0.01 * 0.5 = 0.005; s_out 0.1: a bias scale off by 0.002
	// is 0.02 output steps per unit, the limit.
	if d := BiasScaleMismatch(0.01, 0.5, 0.005, 0.1); d > 1e-9 {
		t.Errorf("exact bias scale: mismatch %g", d)
	}
	if d := BiasScaleMismatch(0.01, 0.5, 0.0069, 0.1); !(d < BiasScaleTolerance) {
		t.Errorf("mismatch %g, want below %g", d, BiasScaleTolerance)
	}
	if d := BiasScaleMismatch(0.01, 0.5, 0.0071, 0.1); !(d > BiasScaleTolerance) {
		t.Errorf("mismatch %g, want above %g", d, BiasScaleTolerance)
	}
}

// Expected values from quantization_util_test.cc (PreprocessSoftmaxScaling
// with 5 integer bits, CalculateInputRadius).
func TestSoftmaxScaling(t *testing.T) {
	for _, c := range []struct {
		beta, scale float32
		m           int32
		shift       int
	}{
		{2, 16, 2147483647, 31}, // beyond 2^31 - 1: capped there
		{2, 8, 1073741824, 31},
	} {
		p, err := SoftmaxScaling(c.beta, c.scale)
		if err != nil || p.InputMultiplier != c.m || p.InputLeftShift != c.shift {
			t.Errorf("SoftmaxScaling(%g, %g) = %+v, %v; want %d, %d", c.beta, c.scale, p, err, c.m, c.shift)
		}
	}
	for _, c := range []struct {
		bits, shift int
		want        int32
	}{{4, 27, 15}, {3, 27, 14}, {3, 28, 7}, {4, 2, 503316480}} {
		if got := CalculateInputRadius(c.bits, c.shift, 31); got != c.want {
			t.Errorf("CalculateInputRadius(%d, %d) = %d, want %d", c.bits, c.shift, got, c.want)
		}
	}
	// The 0.25-128 MobileNet's logits: scale 0.13083284, beta 1. real =
	// 0.13083284 * 2^26 = 8780043 -> shift 24, M = round(0.5233 * 2^31);
	// DiffMin = -floor(31 * 2^26 / 2^24) = -124.
	p, err := SoftmaxScaling(1, 0.13083284)
	if err != nil {
		t.Fatal(err)
	}
	wantM := int32(math.Round(float64(float32(0.13083284)) * (1 << 26) / (1 << 24) * (1 << 31)))
	if p.InputLeftShift != 24 || p.InputMultiplier != wantM || p.DiffMin != -124 {
		t.Errorf("SoftmaxScaling(1, 0.13083284) = %+v, want {%d 24 -124}", p, wantM)
	}
	if _, err := SoftmaxScaling(1, 1e-9); err == nil {
		t.Error("SoftmaxScaling(1, 1e-9): beta x scale x 2^26 < 1 accepted; TFLite aborts")
	}
}

func TestAddScaling(t *testing.T) {
	// Equal scales 1/128: each input multiplier is 1/2, the output one
	// (1/64) / (2^20/128) = 2^-19.
	p, err := AddScaling(1.0/128, 128, 1.0/128, 128, 1.0/128, 128, ActNone, Uint8)
	if err != nil {
		t.Fatal(err)
	}
	want := AddParams{Input1Offset: -128, Input2Offset: -128, OutputOffset: 128, LeftShift: 20,
		Input1Multiplier: Multiplier{1 << 30, 0}, Input2Multiplier: Multiplier{1 << 30, 0},
		OutputMultiplier: Multiplier{1 << 30, -18}, ActMin: 0, ActMax: 255}
	if p != want {
		t.Errorf("AddScaling = %+v, want %+v", p, want)
	}
	// Scales 0.1 and 0.4: input multipliers 1/8 and 1/2.
	p, err = AddScaling(0.1, 0, 0.4, 0, 0.5, 0, ActRelu, Int8)
	if err != nil {
		t.Fatal(err)
	}
	if p.Input2Multiplier != (Multiplier{1 << 30, 0}) || p.Input1Multiplier.Shift != -2 || p.ActMin != 0 {
		t.Errorf("AddScaling(0.1, 0.4) = %+v", p)
	}
	if _, err := AddScaling(1, 0, 1, 0, 1e-7, 0, ActNone, Uint8); err == nil || !strings.Contains(err.Error(), "output") {
		t.Errorf("an output multiplier >= 1 accepted (err %v)", err)
	}
}
