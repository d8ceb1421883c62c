package exec

import (
	"errors"
	"fmt"
	"runtime"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// Options configure Compile.
type Options struct {
	// Kernels names the kernel set: "" or "auto" (the fastest this CPU
	// runs), "avx512", "avx2" or "generic". When empty, the MNET_KERNELS
	// environment variable is consulted by the commands, not here.
	Kernels string
	// Threads is the number of threads (0: runtime.NumCPU()).
	Threads int
	// Batch is the number of images per inference (0: 1).
	Batch int
	// Weights supplies the parameters (nil: RandomWeights{Seed: 1}).
	Weights WeightSource
	// MaxMemory refuses plans needing more bytes (arena, packed weights and
	// scratch); 0 means DefaultMaxMemory().
	MaxMemory int64

	// kernelSet, when set, overrides Kernels: the tests' way to compile
	// with a set whose kernels run in the instruction simulator.
	kernelSet *kernels.Set
}

// ErrTooLarge is returned (wrapped) when a plan would exceed MaxMemory.
var ErrTooLarge = errors.New("plan exceeds the memory limit")

// Layer describes one compiled layer.
type Layer struct {
	Index    int // index of the graph node
	Name     string
	Type     string // Table 2 class, as analyze reports it
	MultAdds int64  // from the kernel calls, per inference (all images)
	Threads  int    // threads the layer is split across
}

// Plan is a compiled network, ready to run.
type Plan struct {
	Report *analyze.Report
	// Kernels names the kernel set the plan runs ("avx512", "avx2",
	// "generic").
	Kernels string
	Threads int
	Batch   int

	layers []Layer
	jobs   []job
	outs   [][]float32 // each op's output view

	arena       []float32
	input       []float32
	output      []float32
	weightBytes int64
	pool        *pool
}

// Layers lists the compiled layers in execution order (pass-through layers
// such as dropout and flatten compile to nothing).
func (p *Plan) Layers() []Layer { return p.layers }

// Input is where the next inference reads its images: batch x H x W x C,
// NHWC, float32. Write into it before every Run: the arena reuses the
// input's memory for later layers, so a run leaves it overwritten.
func (p *Plan) Input() []float32 { return p.input }

// Output is the last inference's result (batch x the output shape); it is
// overwritten by the next Run.
func (p *Plan) Output() []float32 { return p.output }

// ArenaBytes is the size of the activation arena.
func (p *Plan) ArenaBytes() int64 { return int64(len(p.arena)) * 4 }

// WeightBytes is the size of the packed weights.
func (p *Plan) WeightBytes() int64 { return p.weightBytes }

// Close stops the plan's worker threads. A closed plan must not be run.
func (p *Plan) Close() {
	if p.pool != nil {
		p.pool.close()
	}
}

// Run performs one inference on Input, leaving the result in Output. It
// does not allocate.
func (p *Plan) Run() {
	for i := range p.jobs {
		p.pool.run(&p.jobs[i])
	}
}

// RunEach is Run with a call after every layer, given the layer and its
// output (all images, NHWC), valid only during the call: later layers may
// reuse its memory. For inspecting intermediate results, not for speed.
func (p *Plan) RunEach(fn func(l Layer, out []float32)) {
	for i := range p.jobs {
		p.pool.run(&p.jobs[i])
		fn(p.layers[i], p.outs[i])
	}
}

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
	offs    []int
	arena   []float32
	elems   []int // per-image values of each tensor (stride included)
	stride  []int // values per pixel of each tensor: its channels, or more
	budget  int64
	used    int64
	slab    kernels.Slab // packed weights, on huge pages where the OS offers them
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
		o.Weights = RandomWeights{Seed: 1}
		c.o.Weights = o.Weights
	}
	c.budget = o.MaxMemory
	if c.budget <= 0 {
		c.budget = DefaultMaxMemory()
	}
	if err := c.checkMemory(); err != nil {
		return nil, err
	}
	c.layout()
	c.ws = make([]kernels.Workspace, c.threads)
	p := &Plan{Report: r, Kernels: c.ks.String(), Threads: c.threads, Batch: c.batch, arena: c.arena}
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
		p.jobs = append(p.jobs, job{t: o, n: o.items(), chunks: chunks})
		p.layers = append(p.layers, Layer{Index: i, Name: n.Name, Type: c.r.Layers[i].Type, MultAdds: o.multAdds(), Threads: min(chunks, c.threads)})
		p.outs = append(p.outs, c.view(c.tensor[i]))
	}
	p.input = c.view(len(c.g.Nodes))
	last := len(c.g.Nodes) - 1
	p.output = c.view(c.tensor[last])
	p.weightBytes = c.used
	p.pool = newPool(c.threads)
	return p, nil
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
	c.strides()
	c.elems = make([]int, n+1)
	sizes := make([]int, n+1)
	for k := range sizes {
		if lv.Bytes[k] > 0 {
			s := c.shapeOfTensor(k)
			c.elems[k] = s.H * s.W * c.stride[k]
			sizes[k] = c.elems[k] * c.batch
		}
	}
	born := make([]int, n+1)
	copy(born, lv.Born)
	var total int
	c.offs, total = placement(sizes, born, lv.LastRead)
	c.arena = kernels.HugeFloats(total) // on huge pages (see kernels.HugeFloats)
}

func (c *compiler) shapeOfTensor(k int) spec.Shape {
	if k == len(c.g.Nodes) {
		return c.g.Input
	}
	return c.g.Nodes[k].Out
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
	for k := range n {
		nd := &c.g.Nodes[k]
		c.stride[k] = nd.Out.C
		if c.tensor[k] != k || k == final || nd.Out.C < 512 || nd.Out.C*4%2048 != 0 {
			continue
		}
		if nd.Op != spec.OpConv && nd.Op != spec.OpDepthwise {
			continue
		}
		ok := len(cons[k]) > 0
		for _, j := range cons[k] {
			if op := c.g.Nodes[j].Op; op != spec.OpConv && op != spec.OpDepthwise {
				ok = false
			}
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

// view returns the arena slice of tensor k (all images).
func (c *compiler) view(k int) []float32 {
	return c.arena[c.offs[k] : c.offs[k]+c.elems[k]*c.batch]
}

// in returns the view of a node input (a node index or spec.GraphInput).
func (c *compiler) in(i int) []float32 {
	if i == spec.GraphInput {
		return c.view(len(c.g.Nodes))
	}
	return c.view(c.tensor[i])
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

// weights fetches, checks and folds a layer's parameters.
func (c *compiler) weights(n *spec.Node) ([]float32, []float32, error) {
	lw, err := c.o.Weights.Layer(n)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckWeights(n, lw); err != nil {
		return nil, nil, err
	}
	k, b := fold(n, lw)
	c.used += int64(len(k)+len(b)) * 4
	if c.used > c.budget {
		return nil, nil, fmt.Errorf("%w: weights alone exceed %s", ErrTooLarge, human(c.budget))
	}
	return k, b, nil
}
