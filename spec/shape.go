package spec

import "fmt"

// window works out one axis of a window operation: the output length and
// the padding applied before and after, under the layer's padding and the
// network's convention. ceil selects Caffe's ceil-mode output rounding.
func window(in, k, s int, p Padding, conv PadConvention, ceil bool) (out, before, after int, err error) {
	switch p.Mode {
	case PadSame:
		switch {
		case conv == PadKeras && s > 1:
			before, after = max(k/2-1, 0), k/2
		case conv == PadSymmetric:
			before, after = (k-1)/2, (k-1)/2
		default: // TF, and Keras at stride 1
			out = (in + s - 1) / s
			total := max((out-1)*s+k-in, 0)
			return out, total / 2, total - total/2, nil
		}
	case PadValid:
	case PadExplicit:
		before, after = p.Top, p.Bottom // the caller passes the axis' pair in Top/Bottom
	}
	span := in + before + after
	if span < k {
		return 0, 0, 0, fmt.Errorf("the %d-wide window does not fit the input of %d (%d with padding)", k, in, span)
	}
	if ceil {
		out = (span-k+s-1)/s + 1
		// Caffe and PyTorch drop a last window that starts in the padding.
		if (out-1)*s >= in+before {
			out--
		}
	} else {
		out = (span-k)/s + 1
	}
	if out < 1 {
		return 0, 0, 0, fmt.Errorf("the output shrinks to zero")
	}
	if ceil {
		// Caffe's ceil mode keeps the declared padding: the last window may
		// hang past it, and its taps there are ignored (also by count_pad).
		return out, before, after, nil
	}
	// Report the padding the windows actually reach (a stride that skips
	// the tail reaches less than declared).
	after = max((out-1)*s+k-in-before, 0)
	return out, before, after, nil
}

// axisPadding returns the layer padding for one axis: vertical uses
// Top/Bottom, horizontal Left/Right, moved into Top/Bottom for window.
func axisPadding(p Padding, horizontal bool) Padding {
	if horizontal {
		p.Top, p.Bottom = p.Left, p.Right
	}
	return p
}
