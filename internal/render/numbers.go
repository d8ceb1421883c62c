package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Int formats an integer with thousands separators: 568,740,352.
func Int(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Millions formats v/10^6 with the given decimals: 568.74.
func Millions(v int64, decimals int) string {
	return strconv.FormatFloat(float64(v)/1e6, 'f', decimals, 64)
}

// Percent formats a share in [0, 1] as a percentage: 94.86%.
func Percent(share float64, decimals int) string {
	return strconv.FormatFloat(share*100, 'f', decimals, 64) + "%"
}

// Bytes formats a byte count in binary units: 4.59 MiB.
func Bytes(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	v, exp := float64(b), 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.2f %ciB", v, "KMGT"[exp-1])
}

// Float formats with up to the given decimals, dropping trailing zeros.
func Float(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Alpha formats a width multiplier the way the paper writes it: 1.0, 0.75.
func Alpha(a float64) string {
	s := strconv.FormatFloat(a, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
