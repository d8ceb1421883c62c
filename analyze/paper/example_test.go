package paper_test

import (
	"fmt"
	"log"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// A network is recognised by its architecture: here a renamed copy of the
// MobileNet v1 spec, analysed at α 0.75 and 192 pixels.
func ExampleIdentifier_Identify() {
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	n, err := spec.Parse("phone.yaml", []byte(strings.Replace(string(src), "name: MobileNet v1", "name: Phone net", 1)))
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{Alpha: 0.75, Resolution: 192})
	if err != nil {
		log.Fatal(err)
	}
	ids, err := paper.NewIdentifier()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Graph.Name, "is", ids.Identify(r))
	// Output: Phone net is MobileNet v1 0.75-192
}

// The accuracy to show for a configuration: TF-slim's checkpoint where one
// was published, else (if asked) the fit's estimate, marked.
func ExampleBook_Accuracy() {
	b, err := paper.NewBook()
	if err != nil {
		log.Fatal(err)
	}
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range []spec.Options{{Alpha: 0.5, Resolution: 160}, {Alpha: 0.6, Resolution: 200}} {
		r, err := analyze.Spec(n, o)
		if err != nil {
			log.Fatal(err)
		}
		id, acc := b.Accuracy(r, paper.Policy{Estimate: true})
		fmt.Printf("%s: top-1 %.1f%% (%s)\n", id, acc.Top1, acc.Source)
	}
	// Output:
	// MobileNet v1 0.5-160: top-1 59.1% (TF-slim checkpoint)
	// MobileNet v1 0.6-200: top-1 63.6% (estimated)
}

// The paper's tables beside mnet's exact counts: Table 7 prints 290
// million mult-adds for 1.0 MobileNet-160, the 224 count scaled by ρ².
func ExampleReproduce() {
	rep, err := paper.Reproduce()
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range rep.Tables {
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if t.ID == "7" && r.Label == "1.0 MobileNet-160" && c.Column == paper.ColMultAdds {
					fmt.Printf("printed %s, exact %d, match %v; rule %s gives %.2f, match %v\n", c.Paper.Text, c.Exact, c.Match, c.Rule, c.RuleValue, c.RuleMatch)
				}
			}
		}
	}
	// Output: printed 290, exact 290675200, match false; rule rho2 gives 290.17, match true
}
