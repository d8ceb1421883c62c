package kernels

// The generic (pure Go) GEMM: always built, the only path under -tags
// purego and off amd64. It reads the same packed panels as the assembly.
//
// Register block: 1 row x 4 columns. The Go compiler (amd64, 15 usable
// float registers) schedules all the loads and multiplies of an iteration
// before the adds, so larger blocks spill accumulators and every k step
// then goes through a store-to-load round trip. Measured on the Zen 3 dev
// machine, L1-resident, K = 256, best of 300 rounds, GFLOP/s: 4x4 3.5,
// 2x4 4.3, 4x2 4.3, 1x8 4.3 (all spill); 1x4 7.1, 2x2 7.1, 2x3 7.6,
// 1x6 8.1 (no spills); the scalar multiply-add peak (PeakGFLOPS(Generic))
// is about 8.6. 1x4 divides the 16-column panel and needs no row tail.
// The loop is written so the bounds checks are hoisted (one per k covers
// the four B values). Loop order: panel, row, column quad: the A row is
// reused four times from L1. Whole GEMMs reach 5-6 GFLOP/s for K >= 256 and
// 3 GFLOP/s at K = 32, where the per-quad call and store dominate.

const genericMR = 4 // row split granularity reported by RowBlock

func gemmGeneric(m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int, res []float32, ldr int) {
	k := b.K
	span := (sg.N-1)*sg.Stride + sg.Len
	var bq [panelW]float32
	for j0 := n0; j0 < n1; j0 += panelW {
		p := j0 / panelW
		panel := b.data[p*k*panelW : (p+1)*k*panelW]
		nc := min(panelW, n1-j0)
		bq = [panelW]float32{}
		if bias != nil {
			copy(bq[:nc], bias[j0:j0+nc])
		}
		for i := range m {
			var row []float32
			if span > 0 {
				row = a[i*lda : i*lda+span]
			}
			var r []float32
			if res != nil {
				r = res[i*ldr+j0 : i*ldr+j0+nc]
			}
			genRow(row, sg, panel, c[i*ldc+j0:i*ldc+j0+nc], &bq, act, r)
		}
	}
}

// genRow computes one row of C over one panel: c[j] = act(bias[j] +
// sum_k a[k] * panel[k*16+j]) for j < len(c) <= 16, four columns at a time,
// the k sum taken segment by segment (see Segs).
func genRow(a []float32, sg Segs, panel, c []float32, bias *[panelW]float32, act Act, res []float32) {
	for q := 0; q < len(c); q += 4 {
		var acc [4]float32
		for s := range sg.N {
			if sg.Len == 0 {
				break
			}
			p := gen1x4(a[s*sg.Stride:s*sg.Stride+sg.Len], panel[(sg.K0+s*sg.Len)*panelW+q:])
			if s == 0 {
				acc = p
				continue
			}
			for j := range acc {
				acc[j] += p[j]
			}
		}
		w := min(4, len(c)-q)
		if res != nil {
			// The vector kernels add R to the accumulator, which started
			// from the bias; here the bias comes last, then R.
			for j := range w {
				c[q+j] = act.apply((acc[j] + bias[q+j]) + res[q+j])
			}
			continue
		}
		genStore(c[q:q+w], acc[:w], bias[q:q+w], act)
	}
}

// genStore writes act(acc + bias) to c.
func genStore(c, acc, bias []float32, act Act) {
	acc, bias = acc[:len(c)], bias[:len(c)]
	for j := range c {
		c[j] = act.apply(acc[j] + bias[j])
	}
}

// gen1x4 returns sum_k a[k] * b[k*16+j] for j < 4. It is kept out of line
// so its loop gets the registers to itself: inlined into the callers, the k
// counter was spilled to the stack (a store-load round trip per k step,
// half the speed).
//
//go:noinline
func gen1x4(a []float32, b []float32) (out [4]float32) {
	var c0, c1, c2, c3 float32
	for kk, x := range a {
		bb := b[kk*panelW : kk*panelW+4]
		c0 += x * bb[0]
		c1 += x * bb[1]
		c2 += x * bb[2]
		c3 += x * bb[3]
	}
	return [4]float32{c0, c1, c2, c3}
}
