package tflite

import (
	"fmt"
	"io"
	"os"
)

// Model is a parsed TFLite model with a single subgraph.
type Model struct {
	Version     uint32 // schema version, always SchemaVersion
	Description string
	// Name is the subgraph's name (often empty).
	Name    string
	OpCodes []OpCode
	Tensors []Tensor
	// Operators are in execution order.
	Operators []Operator
	// Inputs and Outputs are the subgraph's input and output tensor indices,
	// all valid indices into Tensors.
	Inputs, Outputs []int
	// Metadata are the model's named metadata buffers (e.g.
	// "min_runtime_version", "TFLITE_METADATA"), undecoded.
	Metadata []Metadata
	// Labels are the lines of the first .txt file of the zip archive appended
	// to the file (see "Labels" in the package documentation), nil if there
	// is none; LabelFile is that file's name in the archive.
	Labels    []string
	LabelFile string
}

// Metadata is one entry of the model's metadata table.
type Metadata struct {
	Name   string
	Buffer int
	Data   []byte // a slice of the parsed file; nil when empty
}

// MaxFileSize is the largest file ReadFile reads (2 GiB: the flatbuffer part
// of a model cannot exceed it, as its offsets are 31-bit). Larger models keep
// their weights after the flatbuffer (Buffer.offset, schema 3c); Parse reads
// them when given the whole file.
const MaxFileSize = 2 << 30

// ReadFile reads and parses the model file at path. Errors name the path.
func ReadFile(path string) (*Model, error) {
	data, err := readFileLimited(path, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("tflite: %w", err)
	}
	m, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("tflite: %s: %w", path, err)
	}
	return m, nil
}

// readFileLimited reads the file at path, refusing files larger than limit.
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: file is %d bytes, larger than the limit of %d", path, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: file is larger than the limit of %d bytes", path, limit)
	}
	return data, nil
}

// Parse parses a TFLite model from data. The model keeps references into data
// (Tensor.Data, Metadata.Data): do not modify data while the model is in use.
// Every error is a *FormatError wrapped with where in the model it occurred.
func Parse(data []byte) (*Model, error) {
	m, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("tflite: %w", err)
	}
	return m, nil
}

func parse(data []byte) (*Model, error) {
	r := newReader(data)
	root, err := r.root()
	if err != nil {
		return nil, err
	}
	m := &Model{}
	if m.Version, err = r.uint32Field(root, modelVersion, 0); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if m.Version != SchemaVersion {
		return nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("model: schema version %d not supported (want %d)", m.Version, SchemaVersion)}
	}
	if m.Description, err = r.stringField(root, modelDescription); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	buffers, err := r.parseBuffers(root)
	if err != nil {
		return nil, err
	}
	if m.OpCodes, err = r.parseOpCodes(root); err != nil {
		return nil, err
	}
	if m.Metadata, err = r.parseMetadata(root, buffers); err != nil {
		return nil, err
	}
	if err := r.parseSubgraph(root, m, buffers); err != nil {
		return nil, err
	}
	if m.LabelFile, m.Labels, err = zipLabels(data); err != nil {
		return nil, err
	}
	return m, nil
}

func (r *reader) parseBuffers(root table) ([][]byte, error) {
	v, err := r.vectorField(root, modelBuffers, 4)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if err := r.charge(costBuffer*v.n, "model: field buffers"); err != nil {
		return nil, err
	}
	buffers := make([][]byte, v.n)
	for i := range buffers {
		t, err := r.tableElem(v, int64(i))
		if err != nil {
			return nil, fmt.Errorf("buffer %d: %w", i, err)
		}
		if buffers[i], err = r.bufferData(t); err != nil {
			return nil, fmt.Errorf("buffer %d: %w", i, err)
		}
	}
	return buffers, nil
}

// bufferData returns a buffer's bytes: its data vector, or for models over
// 2 GB the [offset, offset+size) range of the file when offset > 1.
func (r *reader) bufferData(t table) ([]byte, error) {
	data, err := r.bytesField(t, bufferData)
	if err != nil {
		return nil, err
	}
	off, err := r.uint64Field(t, bufferOffset, 0)
	if err != nil {
		return nil, err
	}
	if off <= 1 {
		return data, nil
	}
	size, err := r.uint64Field(t, bufferSize, 0)
	if err != nil {
		return nil, err
	}
	if len(data) > 0 {
		return nil, fieldErr(bufferOffset, &FormatError{Offset: -1, Msg: fmt.Sprintf("both data (%d bytes) and an external offset %#x are set", len(data), off)})
	}
	if off > uint64(r.size()) || size > uint64(r.size())-off {
		return nil, fieldErr(bufferOffset, &FormatError{Offset: -1, Msg: fmt.Sprintf("external data at offset %#x (%d bytes) runs past end of file (len %#x)", off, size, r.size())})
	}
	if size == 0 {
		return nil, nil
	}
	return r.b[off : off+size : off+size], nil
}

func (r *reader) parseOpCodes(root table) ([]OpCode, error) {
	v, err := r.vectorField(root, modelOperatorCodes, 4)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if err := r.charge(costOpCode*v.n, "model: field operator_codes"); err != nil {
		return nil, err
	}
	codes := make([]OpCode, v.n)
	for i := range codes {
		t, err := r.tableElem(v, int64(i))
		if err == nil {
			codes[i], err = r.parseOpCode(t)
		}
		if err != nil {
			return nil, fmt.Errorf("operator code %d: %w", i, err)
		}
	}
	return codes, nil
}

func (r *reader) parseMetadata(root table, buffers [][]byte) ([]Metadata, error) {
	v, err := r.vectorField(root, modelMetadata, 4)
	if err != nil || v.n == 0 {
		if err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		return nil, nil
	}
	if err := r.charge(costBuffer*2*v.n, "model: field metadata"); err != nil {
		return nil, err
	}
	md := make([]Metadata, v.n)
	for i := range md {
		t, err := r.tableElem(v, int64(i))
		if err == nil {
			md[i].Name, err = r.stringField(t, metadataName)
		}
		var b uint32
		if err == nil {
			b, err = r.uint32Field(t, metadataBuffer, 0)
		}
		if err == nil && int64(b) >= int64(len(buffers)) {
			err = fieldErr(metadataBuffer, &FormatError{Offset: -1, Msg: fmt.Sprintf("buffer index %d out of range (model has %d buffers)", b, len(buffers))})
		}
		if err != nil {
			return nil, fmt.Errorf("metadata %d: %w", i, err)
		}
		md[i].Buffer, md[i].Data = int(b), buffers[b]
	}
	return md, nil
}

func (r *reader) parseSubgraph(root table, m *Model, buffers [][]byte) error {
	v, err := r.vectorField(root, modelSubgraphs, 4)
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	if v.n != 1 {
		return &FormatError{Offset: -1, Msg: fmt.Sprintf("model: has %d subgraphs; only models with exactly one subgraph are supported", v.n)}
	}
	sg, err := r.tableElem(v, 0)
	if err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}
	if m.Name, err = r.stringField(sg, subgraphName); err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}

	tv, err := r.vectorField(sg, subgraphTensors, 4)
	if err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}
	if err := r.charge(costTensor*tv.n, "subgraph 0: field tensors"); err != nil {
		return err
	}
	m.Tensors = make([]Tensor, tv.n)
	for i := range m.Tensors {
		t, err := r.tableElem(tv, int64(i))
		if err != nil {
			return fmt.Errorf("tensor %d: %w", i, err)
		}
		if m.Tensors[i], err = r.parseTensor(t, i, buffers); err != nil {
			return err
		}
	}
	n := len(m.Tensors)
	if m.Inputs, err = r.tensorIndices(sg, subgraphInputs, n, false); err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}
	if m.Outputs, err = r.tensorIndices(sg, subgraphOutputs, n, false); err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}

	ov, err := r.vectorField(sg, subgraphOperators, 4)
	if err != nil {
		return fmt.Errorf("subgraph 0: %w", err)
	}
	if err := r.charge(costOperator*ov.n, "subgraph 0: field operators"); err != nil {
		return err
	}
	m.Operators = make([]Operator, ov.n)
	for i := range m.Operators {
		t, err := r.tableElem(ov, int64(i))
		if err != nil {
			return fmt.Errorf("operator %d: %w", i, err)
		}
		if m.Operators[i], err = r.parseOperator(t, i, m.OpCodes, n); err != nil {
			return err
		}
	}
	return nil
}
