package sweepcmd

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

func TestRanges(t *testing.T) {
	f, err := ParseFloatRange("0.25:1:0.25")
	if err != nil || !reflect.DeepEqual(f, []float64{0.25, 0.5, 0.75, 1}) {
		t.Errorf("0.25:1:0.25 = %v, %v", f, err)
	}
	f, err = ParseFloatRange("0.1:0.3:0.1") // float error must not drop 0.3
	if err != nil || !reflect.DeepEqual(f, []float64{0.1, 0.2, 0.3}) {
		t.Errorf("0.1:0.3:0.1 = %v, %v", f, err)
	}
	i, err := ParseIntRange("224:128:-32")
	if err != nil || !reflect.DeepEqual(i, []int{224, 192, 160, 128}) {
		t.Errorf("224:128:-32 = %v, %v", i, err)
	}
	i, err = ParseIntRange("96, 128,224")
	if err != nil || !reflect.DeepEqual(i, []int{96, 128, 224}) {
		t.Errorf("list = %v, %v", i, err)
	}
	for _, bad := range []string{"", "1:2", "1:2:0", "2:1:1", "a:b:c", "1:1000000:1", "x", "NaN", "0.5:1:0.1x"} {
		if _, err := ParseFloatRange(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseIntRange("96:128:0.5"); err == nil {
		t.Error("fractional resolution accepted")
	}
}

func TestSweepJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	cmd := NewCmdSweep(f, nil)
	cmd.SetArgs([]string{"--alpha", "0.5,0.35", "--res", "160", "--format", "json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var pts []Point
	if err := json.Unmarshal(out.Bytes(), &pts); err != nil {
		t.Fatal(err)
	}
	n, _ := examples.Load("mobilenet_v1")
	for i, a := range []float64{0.5, 0.35} {
		r, err := analyze.Spec(n, spec.Options{Alpha: a, Resolution: 160})
		if err != nil {
			t.Fatal(err)
		}
		if pts[i].MultAdds != r.Totals.MultAdds || pts[i].Params != r.Totals.Params {
			t.Errorf("point %d = %+v, analyze gives %d / %d", i, pts[i], r.Totals.MultAdds, r.Totals.Params)
		}
	}
	if pts[0].Top1 == nil || *pts[0].Top1 != 59.1 || pts[1].Top1 != nil {
		t.Errorf("accuracy: published for 0.5-160 only: %+v %+v", pts[0].Top1, pts[1].Top1)
	}
}

func TestSweepOtherNetsHaveNoAccuracy(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmdSweep(&cmdutil.Factory{IOStreams: ios}, nil)
	cmd.SetArgs([]string{"mobilenet_v1_shallow", "--alpha", "1", "--res", "224", "--format", "csv"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[1], ",-,-") || !strings.Contains(lines[1], "307323392") {
		t.Errorf("csv %q", out.String())
	}
}
