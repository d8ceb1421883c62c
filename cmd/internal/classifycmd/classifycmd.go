// Package classifycmd implements `mnet classify`: run a trained model on
// images and print the most probable classes.
package classifycmd

import (
	"fmt"
	"math"
	"strconv"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/exec/vision"
	"mnet.dev/mnet/internal/render"
	"mnet.dev/mnet/model"
	"mnet.dev/mnet/spec"
)

// Options are the classify command's inputs.
type Options struct {
	IO         *iostreams.IOStreams
	Load       func(string) (*cmdutil.Model, error)
	Getenv     func(string) string
	Model      string
	Images     []string
	Labels     string
	Top        int
	Preprocess string
	Kernels    string
	Threads    int
	Precision  string
	Format     render.Format
}

// NewCmdClassify builds the command; runF replaces the run function in tests.
func NewCmdClassify(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadModel, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "classify --model MODEL.tflite IMAGE...",
		Short: "Classify images with a trained TensorFlow Lite model",
		Long: `Run a trained model on each image and print the most probable classes.

Images (PNG, JPEG or BMP) are resized to the model's input with bilinear
interpolation (half-pixel centres, no antialiasing), as RGB, then mapped to
the model's input range. --preprocess auto uses the input quantization a
quantized model declares (TF-slim MobileNets: (x - 128)/128) and x/127.5 - 1
(range [-1, 1]) for float models; inception, unit (x/255) and raw (0-255)
force a mapping. A quantized model runs in its integer arithmetic
(TensorFlow Lite's reference kernels, exactly: the output tensor is the
bytes TFLite's reference computes); --precision float runs it dequantized on
float32 kernels instead, whose scores differ from the integer ones by a few
output steps.

Labels come from the model file's embedded label list, or --labels FILE
(one per line, line i is class i).`,
		Example: `  mnet classify --model mobilenet_v1_0.25_224_float.tflite --labels imagenet_labels_1001.txt cat.bmp
  mnet classify --model mobilenet_v1_0.75_192_quant.tflite --top 3 --format json grace_hopper.bmp`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("give at least one image (PNG, JPEG or BMP)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Images = args
			if opts.Model == "" {
				return cmdutil.FlagErrorf("--model is required")
			}
			if opts.Top < 1 || opts.Top > 1000000 {
				return cmdutil.FlagErrorf("--top %d out of range", opts.Top)
			}
			switch opts.Preprocess {
			case "auto", "inception", "unit", "raw":
			default:
				return cmdutil.FlagErrorf("--preprocess %q: want auto, inception, unit or raw", opts.Preprocess)
			}
			if err := cmdutil.CheckPrecision(opts.Precision); err != nil {
				return err
			}
			if opts.Kernels == "" && opts.Getenv != nil {
				opts.Kernels = opts.Getenv("MNET_KERNELS")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "trained model (.tflite)")
	cmd.Flags().StringVar(&opts.Labels, "labels", "", "label file, one label per line (default: the model's own)")
	cmd.Flags().IntVarP(&opts.Top, "top", "k", 5, "classes to show per image")
	cmd.Flags().StringVar(&opts.Preprocess, "preprocess", "auto", "pixel mapping: auto, inception, unit or raw")
	cmd.Flags().StringVar(&opts.Kernels, "kernels", "", "kernel set: auto, avx512, avx2 or generic (default $MNET_KERNELS, else auto)")
	cmd.Flags().IntVarP(&opts.Threads, "threads", "t", 0, "threads (0: all cores)")
	cmdutil.AddPrecisionFlag(cmd, &opts.Precision)
	cmdutil.AddFormatFlag(cmd, &opts.Format)
	return cmd
}

// Result is one image's predictions (the JSON contract: image, top[index,
// label, probability]).
type Result struct {
	Image string  `json:"image"`
	Top   []Class `json:"top"`
}

// Class is one prediction.
type Class struct {
	Index       int     `json:"index"`
	Label       string  `json:"label"`
	Probability float64 `json:"probability"`
}

// Classifier runs a model on images.
type Classifier struct {
	Plan   *exec.Plan
	Labels []string
	Pre    vision.Preprocess
	H, W   int
	probs  []float32
}

// NewClassifier compiles a trained model for classification, in its own
// precision ("") or the one given ("float", "int8").
func NewClassifier(m *cmdutil.Model, pre, kernels string, threads int, precision string) (*Classifier, error) {
	if m.Weights == nil {
		return nil, fmt.Errorf("%s has no trained weights: classify needs a trained model (.tflite)", m.Network.Name)
	}
	if precision == string(spec.PrecisionInt8) && (m.Imported == nil || m.Imported.Input.Quant() == nil) {
		return nil, cmdutil.FlagErrorf("--precision int8 classifies with a quantized model's own integer weights; %s is a float model", m.Network.Name)
	}
	r, err := analyze.Spec(m.Network, spec.Options{Precision: spec.Precision(precision)}) // as the file describes it
	if err != nil {
		return nil, err
	}
	p, err := exec.Compile(r, exec.Options{Kernels: kernels, Threads: threads, Weights: m.Weights})
	if err != nil {
		return nil, err
	}
	c := &Classifier{Plan: p, H: r.Graph.Input.H, W: r.Graph.Input.W, probs: make([]float32, p.Output().Elems())}
	if m.Imported != nil {
		c.Labels = m.Imported.Labels
	}
	if r.Graph.Input.C != 3 {
		p.Close()
		return nil, fmt.Errorf("the model takes %d input channels; classify feeds RGB (3)", r.Graph.Input.C)
	}
	switch pre {
	case "inception":
		c.Pre = vision.Inception
	case "unit":
		c.Pre = vision.Unit
	case "raw":
		c.Pre = vision.Raw
	default:
		// The mapping a quantized input declares, else [-1, 1].
		c.Pre = vision.Inception
		if m.Imported != nil {
			if q := m.Imported.Input.Quant(); q != nil {
				c.Pre = vision.Quantized(q.Scale[0], int64(q.ZeroPoint[0]))
			}
		}
	}
	return c, nil
}

// Probabilities classifies one image file; the slice is valid until the
// next call.
func (c *Classifier) Probabilities(path string) ([]float32, error) {
	img, err := vision.Load(path)
	if err != nil {
		return nil, err
	}
	rgb := vision.ResizeRGB(img, c.W, c.H)
	in := c.Plan.Input()
	if f := in.Float32(); f != nil {
		c.Pre.Apply(rgb, f)
	} else {
		lo, hi := in.Type.DType.Range()
		c.Pre.ApplyQuantized(rgb, in.Type.Quant.Scale[0], in.Type.Quant.ZeroPoint[0], int32(lo), int32(hi), in.Bytes())
	}
	c.Plan.Run()
	out := c.Plan.Output().Float32()
	if out == nil {
		deq, err := c.Plan.Output().Dequantize()
		if err != nil {
			return nil, err
		}
		copy(c.probs, deq)
		out = c.probs
	}
	// A model without a final softmax yields logits; report probabilities.
	if !endsInSoftmax(c.Plan.Graph) {
		softmax(out)
	}
	return out, nil
}

// endsInSoftmax reports whether the graph's last computing layer is a
// softmax (its output is probabilities).
func endsInSoftmax(g *spec.Graph) bool {
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		if op := g.Nodes[i].Op; !op.PassThrough() {
			return op.Kind() == spec.OpSoftmax
		}
	}
	return false
}

func softmax(v []float32) {
	m := float32(math.Inf(-1))
	for _, x := range v {
		m = max(m, x)
	}
	var s float64
	for i, x := range v {
		e := math.Exp(float64(x - m))
		v[i] = float32(e)
		s += e
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / s)
	}
}

// Run classifies every image and writes the predictions.
func Run(o *Options) error {
	m, err := o.Load(o.Model)
	if err != nil {
		return err
	}
	c, err := NewClassifier(m, o.Preprocess, o.Kernels, o.Threads, o.Precision)
	if err != nil {
		return err
	}
	defer c.Plan.Close()
	if o.Labels != "" {
		if c.Labels, err = model.ReadLabels(o.Labels); err != nil {
			return err
		}
	}
	classes := c.Plan.Output().Len()
	if c.Labels != nil && len(c.Labels) != classes {
		return fmt.Errorf("%d labels for %d classes", len(c.Labels), classes)
	}
	var results []Result
	for _, img := range o.Images {
		probs, err := c.Probabilities(img)
		if err != nil {
			return err
		}
		res := Result{Image: img}
		for _, p := range vision.TopK(probs, o.Top) {
			label := ""
			if c.Labels != nil {
				label = c.Labels[p.Index]
			}
			res.Top = append(res.Top, Class{Index: p.Index, Label: label, Probability: float64(p.Probability)})
		}
		results = append(results, res)
	}
	head := fmt.Sprintf("%s, %dx%d input, preprocessing %s, %s, kernels %s", m.Network.Name, c.W, c.H, c.Pre.Name, precisionText(c.Plan), c.Plan.Kernels)
	return cmdutil.Print(o.IO, o.Format, data(head, results))
}

// data is the predictions in every format: the JSON contract, one CSV row
// per image and class, a table per image.
func data(head string, results []Result) cmdutil.Data {
	csv := &render.Table{Header: []string{"image", "rank", "index", "label", "probability"}}
	doc := cmdutil.Doc{cmdutil.Heading{head}}
	for _, r := range results {
		t := &render.Table{Title: r.Image, Header: []string{"#", "Class", "Label", "Probability"},
			Align: []render.Align{render.Right, render.Right, render.Left, render.Right}}
		for i, p := range r.Top {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), strconv.Itoa(p.Index), p.Label, strconv.FormatFloat(p.Probability, 'f', 4, 64)})
			csv.Rows = append(csv.Rows, []string{r.Image, strconv.Itoa(i + 1), strconv.Itoa(p.Index), p.Label, strconv.FormatFloat(p.Probability, 'f', -1, 64)})
		}
		doc = append(doc, cmdutil.Table{Table: t})
	}
	return cmdutil.Data{JSON: results, CSV: csv, Doc: append(doc, cmdutil.Blank{})}
}

// precisionText says how the plan computes.
func precisionText(p *exec.Plan) string {
	if p.Precision == spec.PrecisionInt8 {
		return "int8 (TFLite integer arithmetic)"
	}
	return "float32"
}
