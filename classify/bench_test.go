package classify_test

import (
	"testing"

	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
)

// BenchmarkClassify classifies a generated ccs district of 2,000 students as of its
// last day, with the notes and without them (Brief); ns/student is per history.
func BenchmarkClassify(b *testing.B) {
	p, err := policy.Embedded("ccs")
	if err != nil {
		b.Fatal(err)
	}
	g, err := district.New(p, 7, 4)
	if err != nil {
		b.Fatal(err)
	}
	hs := make([]*history.History, 2000)
	for i := range hs {
		hs[i] = g.History(g.Next())
	}
	asOf := hs[0].Calendar.Last()
	for _, bc := range []struct {
		name string
		opts []classify.Option
	}{{"notes", nil}, {"brief", []classify.Option{classify.Brief()}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, h := range hs {
					classify.Classify(p, h, asOf, bc.opts...)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hs)), "ns/student")
		})
	}
}
