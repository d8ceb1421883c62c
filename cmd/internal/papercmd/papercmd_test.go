package papercmd

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/golden"
	"mnet.dev/mnet/internal/render"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	cmd := NewCmdPaper(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(out)
	err := cmd.Execute()
	return out.String(), err
}

// TestPaperGolden pins every table of `mnet paper`, one golden file each.
func TestPaperGolden(t *testing.T) {
	for _, id := range []string{"2", "3", "4", "5", "6", "7", "8", "9", "slim", "v2-4", "v3-3", "slim-v2"} {
		out, err := run(t, "--table", id)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "table"+id+".golden", []byte(out))
	}
}

func TestPaperFlags(t *testing.T) {
	var got *Options
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdPaper(&cmdutil.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"-t", "2", "--table", "slim", "--format", "markdown"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != render.FormatMarkdown || strings.Join(got.Tables, ",") != "2,slim" {
		t.Errorf("options %+v", got)
	}
	for _, bad := range [][]string{{"--table", "10"}, {"--format", "xml"}, {"extra"}} {
		cmd := NewCmdPaper(&cmdutil.Factory{IOStreams: ios}, func(*Options) error { return nil })
		cmd.SetArgs(bad)
		cmd.SetOut(&strings.Builder{})
		cmd.SetErr(&strings.Builder{})
		if err := cmd.Execute(); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestPaperJSON(t *testing.T) {
	out, err := run(t, "--format", "json", "--table", "7")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Tables []struct {
			ID   string
			Rows []struct {
				Label string
				Cells []struct {
					Column    string
					Paper     string
					Exact     *int64
					Match     *bool
					Rule      string
					RuleMatch *bool `json:"rule_match"`
				}
			}
		}
		Checkpoints []any
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Tables) != 1 || v.Tables[0].ID != "7" || len(v.Checkpoints) != 0 {
		t.Fatalf("tables %+v", v.Tables)
	}
	c := v.Tables[0].Rows[2].Cells[1]
	if c.Column != "mult_adds" || c.Paper != "290" || *c.Exact != 290_675_200 || *c.Match || c.Rule != "rho2" || !*c.RuleMatch {
		t.Errorf("1.0-160 mult-adds cell: %+v", c)
	}
}

// TestPaperCSV: one row per cell; the 1.0-160 mult-adds cell of Table 7
// carries its exact count, its mismatch and the rule that explains it.
func TestPaperCSV(t *testing.T) {
	out, err := run(t, "--format", "csv", "--table", "7", "--table", "slim")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Table 7: 4 rows x 3 columns; slim: 16 checkpoints x 6 values.
	if len(recs) != 1+4*3+16*6 || strings.Join(recs[0], ",") != "table,model,column,published,mnet,exact,match,rule,rule_value,rule_match,note" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	var found bool
	for _, r := range recs[1:] {
		if r[0] == "7" && r[1] == "1.0 MobileNet-160" && r[2] == "mult_adds" {
			found = true
			if r[3] != "290" || r[5] != "290675200" || r[4] != "290.6752" || r[6] != "false" || r[7] != "rho2" || r[9] != "true" || r[10] == "" {
				t.Errorf("1.0-160 mult-adds: %v", r)
			}
		}
	}
	if !found {
		t.Error("no 1.0-160 mult-adds cell")
	}
}
