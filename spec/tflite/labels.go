package tflite

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"mnet.dev/mnet/model"
)

// zipLabels returns the name and lines of the first .txt file in the zip
// archive that model files from TFLite's metadata tools carry after the
// flatbuffer (the archive's central directory is at the end of the file, so
// archive/zip finds it with its offsets relative to the archive's start).
//
// No archive is not an error: the labels are nil. Neither is data that does
// not parse as a zip directory, since a model's last buffer can hold the
// end-of-directory signature by chance. Once a directory is found, a broken
// or oversized label entry is an error.
func zipLabels(data []byte) (name string, labels []string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return "", nil, nil
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".txt") {
			continue
		}
		labels, err := readZipLabels(f)
		if err != nil {
			return "", nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("appended zip archive: %q: %v", f.Name, err)}
		}
		return f.Name, labels, nil
	}
	return "", nil, nil
}

func readZipLabels(f *zip.File) ([]string, error) {
	if f.UncompressedSize64 > model.MaxLabelsSize {
		return nil, fmt.Errorf("%d bytes, more than the limit of %d", f.UncompressedSize64, model.MaxLabelsSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// archive/zip stops at the declared size and checks the CRC at the end;
	// the limit guards against a lying size anyway.
	data, err := io.ReadAll(io.LimitReader(rc, model.MaxLabelsSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > model.MaxLabelsSize {
		return nil, fmt.Errorf("more than %d bytes", model.MaxLabelsSize)
	}
	return model.SplitLabels(data)
}
