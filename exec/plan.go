package exec

import (
	"errors"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/workers"
	"mnet.dev/mnet/tensor"
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
	// Weights supplies the parameters (nil: RandomWeights{Seed: 1}; an
	// imported model's trained ones: Attached{}).
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
	// Kernels is the kernel set the plan runs: "avx512", "avx2" or
	// "generic".
	Kernels string
	Threads int
	Batch   int

	layers []Layer
	jobs   []workers.Job
	outs   []*tensor.Tensor // each compiled layer's output

	arena       []byte
	input       *tensor.Tensor
	output      *tensor.Tensor
	weightBytes int64
	team        *workers.Team
}

// Layers lists the compiled layers in execution order (pass-through layers
// such as dropout and flatten compile to nothing).
func (p *Plan) Layers() []Layer { return p.layers }

// Input is where the next inference reads its images: a batch x H x W x C
// tensor (NHWC) of the graph's input type, float32 (see Float32). Write
// into it before every Run: the arena reuses the input's memory for later
// layers, so a run leaves it overwritten.
func (p *Plan) Input() *tensor.Tensor { return p.input }

// Output is the last inference's result, a batch x H x W x C tensor of the
// last layer's type; it is overwritten by the next Run.
func (p *Plan) Output() *tensor.Tensor { return p.output }

// ArenaBytes is the size of the activation arena.
func (p *Plan) ArenaBytes() int64 { return int64(len(p.arena)) }

// WeightBytes is the size of the packed weights.
func (p *Plan) WeightBytes() int64 { return p.weightBytes }

// Close stops the plan's worker threads. A closed plan must not be run.
func (p *Plan) Close() {
	if p.team != nil {
		p.team.Close()
	}
}

// Run performs one inference on Input, leaving the result in Output. It
// does not allocate.
func (p *Plan) Run() {
	for i := range p.jobs {
		p.team.Run(&p.jobs[i])
	}
}

// RunEach is Run with a call after every layer, given the layer and its
// output (all images, NHWC; a pixel may be padded, see tensor.Tensor's
// Stride), valid only during the call: later layers may reuse its memory.
// For inspecting intermediate results, not for speed.
func (p *Plan) RunEach(fn func(l Layer, out *tensor.Tensor)) {
	for i := range p.jobs {
		p.team.Run(&p.jobs[i])
		fn(p.layers[i], p.outs[i])
	}
}
