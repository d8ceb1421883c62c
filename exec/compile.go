package exec

import (
	"fmt"
	"runtime"
	"unsafe"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/workers"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// compiler carries state while a plan is built.
type compiler struct {
	r       *analyze.Report
	g       *spec.Graph
	o       Options
	ks      *kernels.Set
	ws      []kernels.Workspace // one per thread: the kernels' argument records
	threads int
	batch   int
	tensor  []int // node -> tensor index (analyze.Live numbering)
	types   []tensor.Type
	offs    []int // byte offset of each tensor in the arena
	arena   []byte
	elems   []int // per-image values of each tensor (stride included)
	stride  []int // values per pixel of each tensor: its channels, or more
	budget  int64
	used    int64
	slab    kernels.Slab     // packed weights, on huge pages where the OS offers them
	fused   map[int]residual // projections that compute the residual add after them
}

// Compile builds a plan for an analyzed graph.
func Compile(r *analyze.Report, o Options) (*Plan, error) {
	c := &compiler{r: r, g: r.Graph, o: o}
	var err error
	if c.ks = o.kernelSet; c.ks == nil {
		if c.ks, err = kernels.Parse(o.Kernels); err != nil {
			return nil, err
		}
	}
	c.threads = o.Threads
	if c.threads <= 0 {
		c.threads = runtime.NumCPU()
	}
	if c.threads > 256 {
		return nil, fmt.Errorf("%d threads: the limit is 256", c.threads)
	}
	c.batch = max(o.Batch, 1)
	if c.batch > 1<<16 {
		return nil, fmt.Errorf("batch %d: the limit is 65536", c.batch)
	}
	if o.Weights == nil {
		c.o.Weights = RandomWeights{Seed: 1}
	}
	c.budget = o.MaxMemory
	if c.budget <= 0 {
		c.budget = DefaultMaxMemory()
	}
	if c.g.Precision == spec.PrecisionInt8 && !int8Typed(c.g) {
		cal, err := Calibrate(r, o)
		if err != nil {
			return nil, fmt.Errorf("calibrating for int8: %w", err)
		}
		c.g, c.o.Weights = cal, Attached{}
	}
	if err := c.checkTypes(); err != nil {
		return nil, err
	}
	if err := c.checkMemory(); err != nil {
		return nil, err
	}
	c.fused = c.residuals()
	c.layout()
	c.ws = make([]kernels.Workspace, c.threads)
	p := &Plan{Report: r, Graph: c.g, Precision: c.precision(), Kernels: c.ks.String(), Threads: c.threads, Batch: c.batch, arena: c.arena}
	for i := range c.g.Nodes {
		n := &c.g.Nodes[i]
		o, err := c.op(n)
		if err != nil {
			return nil, fmt.Errorf("layer %q: %w", n.Name, err)
		}
		if o == nil {
			continue
		}
		chunks := c.chunks(n, o)
		p.jobs = append(p.jobs, workers.Job{Task: o, N: o.items(), Chunks: chunks})
		p.layers = append(p.layers, Layer{Index: i, Name: n.Name, Type: c.r.Layers[i].Type, MultAdds: o.multAdds(), Threads: min(chunks, c.threads)})
		out := c.tensor[i]
		if f, ok := c.fused[i]; ok {
			out = c.tensor[f.add]
		}
		p.outs = append(p.outs, c.view(out))
	}
	p.input = c.declaredView(len(c.g.Nodes), c.g.InputType)
	p.output = c.declaredView(c.tensor[len(c.g.Nodes)-1], c.g.Nodes[len(c.g.Nodes)-1].Type)
	if c.g.InputType.DType == tensor.Int8 {
		p.pre = flipJob(c.bytes(len(c.g.Nodes)))
	}
	if c.g.Nodes[len(c.g.Nodes)-1].Type.DType == tensor.Int8 {
		p.post = flipJob(c.bytes(c.tensor[len(c.g.Nodes)-1]))
	}
	p.weightBytes = c.used
	p.team = workers.New(c.threads)
	return p, nil
}

// op compiles one node through its op's implementation, float or
// integer; nil for pass-through layers.
func (c *compiler) op(n *spec.Node) (op, error) {
	if c.fusedInto(n.Index) {
		return nil, nil
	}
	impl, err := implOf(n)
	if err != nil {
		return nil, err
	}
	if c.precision() == spec.PrecisionInt8 {
		if impl.compileInt8 == nil {
			return nil, fmt.Errorf("%s layers have no integer form", n.Op.Kind())
		}
		return impl.compileInt8(c, n)
	}
	return impl.compile(c, n)
}

// precision is what the plan computes in: int8 for a graph typed 8-bit
// (see quant.go), float32 otherwise.
func (c *compiler) precision() spec.Precision {
	if c.g.Precision == spec.PrecisionInt8 {
		return spec.PrecisionInt8
	}
	return spec.PrecisionFloat
}

// checkTypes refuses what the kernels cannot run: a float plan's tensors
// must all be float32, an int8 plan's all 8-bit and quantized.
func (c *compiler) checkTypes() error {
	if c.precision() == spec.PrecisionInt8 {
		if _, err := qdomainOf(c.g.InputType); err != nil {
			return fmt.Errorf("the input: %w", err)
		}
		for i := range c.g.Nodes {
			if _, err := qdomainOf(c.g.Nodes[i].Type); err != nil {
				return fmt.Errorf("layer %q: its output: %w", c.g.Nodes[i].Name, err)
			}
		}
		return nil
	}
	if d := c.g.InputType.DType; d != tensor.Float32 {
		return fmt.Errorf("the input is %v in a float32 graph", d)
	}
	for i := range c.g.Nodes {
		if d := c.g.Nodes[i].Type.DType; d != tensor.Float32 {
			return fmt.Errorf("layer %q: its output is %v in a float32 graph", c.g.Nodes[i].Name, d)
		}
	}
	return nil
}

// checkMemory refuses, before allocating anything, a plan whose arena
// (at the analysis' peak), weights and scratch exceed the budget.
func (c *compiler) checkMemory() error {
	t := c.r.Totals
	need := float64(t.PeakActivationBytes)*float64(c.batch) + float64(t.WeightBytes)*1.1
	if need > float64(c.budget) {
		return fmt.Errorf("%w: needs about %s (activations %s for batch %d, weights %s), limit %s",
			ErrTooLarge, human(int64(need)), human(t.PeakActivationBytes*int64(c.batch)), c.batch,
			human(t.WeightBytes), human(c.budget))
	}
	return nil
}

func human(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}

// layout places every tensor in the arena.
func (c *compiler) layout() {
	lv := analyze.Live(c.g)
	n := len(c.g.Nodes)
	c.tensor = lv.Source
	c.types = make([]tensor.Type, n+1)
	c.types[n] = internalType(c.g.InputType)
	for k := range n {
		c.types[k] = internalType(c.g.Nodes[k].Type)
	}
	c.strides()
	c.elems = make([]int, n+1)
	sizes := make([]int, n+1)
	for k := range sizes {
		if lv.Bytes[k] > 0 {
			s := c.shapeOf(k)
			c.elems[k] = s.H * s.W * c.stride[k]
			sizes[k] = c.elems[k] * c.batch * c.types[k].DType.Size()
		}
	}
	born := make([]int, n+1)
	copy(born, lv.Born)
	for proj, f := range c.fused {
		born[c.tensor[f.add]] = born[c.tensor[proj]] // written by the projection
	}
	var total int
	c.offs, total = placement(sizes, born, lv.LastRead)
	c.arena = hugeBytes(total + arenaSlack)[:total+arenaSlack]
}

// arenaSlack is the bytes past the last tensor: the int8 GEMM reads each
// row in whole k quads (up to 3 bytes past a row's end, multiplied by zero
// weights), so a tensor's last row may reach past it.
const arenaSlack = 64

// hugeBytes returns n zeroed bytes, 64-byte aligned, on huge pages where
// the OS offers them (kernels.HugeFloats).
func hugeBytes(n int) []byte {
	f := kernels.HugeFloats((n + 3) / 4)
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), n)
}

// padStride is the pixel-stride padding, in values, of tensors whose rows
// would otherwise alias in the L1 cache (see strides).
const padStride = 16

// strides picks each tensor's pixel stride. A tensor with 512 or more
// channels and a row size that is a multiple of 2 KiB, written and read
// only by convolutions (which take any stride), gets 16 values of padding
// per pixel: with a 4 KiB multiple, the six A rows a GEMM micro-kernel
// reads at once land in one L1 set and evict each other (measured on the
// 7x7x1024 pointwise layers: 8-17% faster padded; 2-3% on 14x14x512).
func (c *compiler) strides() {
	n := len(c.g.Nodes)
	c.stride = make([]int, n+1)
	c.stride[n] = c.g.Input.C
	cons := c.g.Consumers()
	final := c.tensor[n-1]
	strided := func(k int) bool {
		switch c.g.Nodes[k].Op.Kind() {
		case spec.OpConv, spec.OpDepthwise:
			return true
		}
		return false
	}
	for k := range n {
		nd := &c.g.Nodes[k]
		c.stride[k] = nd.Out.C
		if c.tensor[k] != k || k == final || nd.Out.C < 512 || nd.Out.C*c.types[k].DType.Size()%2048 != 0 || !strided(k) {
			continue
		}
		ok := len(cons[k]) > 0
		for _, j := range cons[k] {
			ok = ok && strided(j)
		}
		if ok {
			c.stride[k] = nd.Out.C + padStride
		}
	}
}

// elemsOf is the per-image size in values (stride included) of a node
// input (a node index or spec.GraphInput).
func (c *compiler) elemsOf(i int) int {
	if i == spec.GraphInput {
		return c.elems[len(c.g.Nodes)]
	}
	return c.elems[c.tensor[i]]
}

// strideOf is the pixel stride of a node input (a node index or
// spec.GraphInput).
func (c *compiler) strideOf(i int) int {
	if i == spec.GraphInput {
		return c.stride[len(c.g.Nodes)]
	}
	return c.stride[c.tensor[i]]
}

// shapeOf is the shape of tensor k (analyze.Live numbering: node k's
// output, or the graph input for k = len(Nodes)).
func (c *compiler) shapeOf(k int) spec.Shape {
	if k == len(c.g.Nodes) {
		return c.g.Input
	}
	return c.g.Nodes[k].Out
}

// view returns tensor k (all images) as a typed view of the arena (an
// 8-bit tensor in the u8 domain, see quant.go).
func (c *compiler) view(k int) *tensor.Tensor { return c.declaredView(k, c.types[k]) }

// declaredView returns tensor k as a view of type t.
func (c *compiler) declaredView(k int, typ tensor.Type) *tensor.Tensor {
	s := c.shapeOf(k)
	size := typ.DType.Size()
	b := c.arena[c.offs[k] : c.offs[k]+c.elems[k]*c.batch*size]
	t, err := tensor.View(typ, []int{c.batch, s.H, s.W, s.C}, b)
	if err != nil {
		panic("exec: arena view: " + err.Error()) // offsets are 64-byte aligned
	}
	if c.stride[k] != s.C {
		t.Stride = c.stride[k]
	}
	return t
}

// in returns the float32 values of a node input (a node index or
// spec.GraphInput), all images.
func (c *compiler) in(i int) []float32 {
	if i == spec.GraphInput {
		return c.view(len(c.g.Nodes)).Float32()
	}
	return c.view(c.tensor[i]).Float32()
}

// out returns the float32 values of a node's output, all images.
func (c *compiler) out(n *spec.Node) []float32 { return c.view(n.Index).Float32() }

// qin returns the bytes of an 8-bit node input (a node index or
// spec.GraphInput), all images, and the arena's bytes after them (see
// arenaSlack).
func (c *compiler) qin(i int) []uint8 {
	k := len(c.g.Nodes)
	if i != spec.GraphInput {
		k = c.tensor[i]
	}
	return c.arena[c.offs[k] : c.offs[k]+c.elems[k]*c.batch+arenaSlack]
}

// qout returns the bytes of a node's 8-bit output, all images.
func (c *compiler) qout(n *spec.Node) []uint8 { return c.bytes(c.tensor[n.Index]) }

// bytes returns the bytes of 8-bit tensor k, all images.
func (c *compiler) bytes(k int) []uint8 { return c.arena[c.offs[k] : c.offs[k]+c.elems[k]*c.batch] }

// quantLayer derives a weighted int8 node's integer parameters.
func (c *compiler) quantLayer(n *spec.Node, act spec.Activation) (*qlayer, error) {
	return quantLayer(c.g, c.o.Weights, n, act)
}

// checkBudget refuses a plan whose packed weights and scratch exceed the
// memory budget.
func (c *compiler) checkBudget() error {
	if c.used > c.budget {
		return fmt.Errorf("%w: weights alone exceed %s", ErrTooLarge, human(c.budget))
	}
	return nil
}

// minParallelWork is the smallest layer (in mult-adds, or values touched for
// layers without arithmetic) split across threads: below it, handing the
// work to another thread costs more than it saves.
const minParallelWork = 1 << 17

// chunksPerThread is how finely a parallel layer is cut: several chunks
// per thread let the threads balance uneven chunks, and let the others
// take over the share of a thread the OS has descheduled.
const chunksPerThread = 4

func (c *compiler) chunks(n *spec.Node, o op) int {
	work := o.multAdds()
	if work == 0 {
		work = n.Out.Elems() * int64(c.batch) * 4
	}
	if c.threads == 1 || work < minParallelWork {
		return 1
	}
	return min(chunksPerThread*c.threads, o.items())
}

// weights fetches, checks and folds a layer's parameters: its kernel and
// bias as float32 real values, batch norm folded in.
func (c *compiler) weights(n *spec.Node) ([]float32, []float32, error) {
	lw, err := c.o.Weights.Layer(n)
	if err != nil {
		return nil, nil, err
	}
	if err := lw.Check(n); err != nil {
		return nil, nil, err
	}
	k, b, err := realValues(n, lw)
	if err != nil {
		return nil, nil, err
	}
	k, b = fold(n, k, b, lw.BN)
	c.used += int64(len(k)+len(b)) * 4
	if c.used > c.budget {
		return nil, nil, fmt.Errorf("%w: weights alone exceed %s", ErrTooLarge, human(c.budget))
	}
	return k, b, nil
}
