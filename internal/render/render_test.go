package render

import (
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	cases := map[string]string{
		Int(568740352): "568,740,352", Int(-1234): "-1,234", Int(999): "999", Int(0): "0",
		Millions(568740352, 2): "568.74", Percent(0.94857, 2): "94.86%",
		Bytes(512): "512 B", Bytes(4816896): "4.59 MiB", Bytes(16884128): "16.10 MiB",
		Float(1.50, 3): "1.5", Float(2, 2): "2", Alpha(1): "1.0", Alpha(0.75): "0.75",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := Wrap("aaa bbb ccc ddd", 9, "  ")
	if got != "aaa bbb\n  ccc ddd" {
		t.Errorf("Wrap = %q", got)
	}
}

func TestFormats(t *testing.T) {
	tb := &Table{Title: "T", Header: []string{"a", "b"}, Align: []Align{Left, Right}, Rows: [][]string{{"x", "1"}, {"long", "22,2"}}, Notes: []string{"n"}}
	var b strings.Builder
	if err := Write(&b, tb, FormatTable, false); err != nil {
		t.Fatal(err)
	}
	if want := "T\n\na        b\n----  ----\nx        1\nlong  22,2\nn\n"; b.String() != want {
		t.Errorf("plain:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, tb, FormatCSV, false); err != nil {
		t.Fatal(err)
	}
	if want := "a,b\nx,1\nlong,\"22,2\"\n"; b.String() != want {
		t.Errorf("csv %q", b.String())
	}
	b.Reset()
	if err := Write(&b, tb, FormatMarkdown, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| a | b |\n| --- | ---: |\n| x | 1 |") {
		t.Errorf("markdown %q", b.String())
	}
	b.Reset()
	if err := Write(&b, tb, FormatTable, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "long") || !strings.Contains(b.String(), "╭") {
		t.Errorf("styled %q", b.String())
	}
	if _, err := ParseFormat("xml", FormatTable); err == nil {
		t.Error("xml accepted")
	}
}
