package escalation_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
)

// districtInputs draws n students of a generated district of the embedded pack (seed
// seed) and classifies them as of asOf: the inputs of escalation alone. With messy, a
// third of the students also went up the ladder (a step done the day after some of
// their absences, in ladder order), so that windows since a step, latches and reviews
// are exercised.
func districtInputs(t testing.TB, pack string, n int, seed uint64, asOf calendar.Date, messy bool) []escalation.Input {
	t.Helper()
	p, err := policy.Embedded(pack)
	require.NoError(t, err)
	g, err := district.New(p, seed, 1)
	require.NoError(t, err)
	out := make([]escalation.Input, 0, n)
	for i := range n {
		h := g.History(g.Next())
		if messy && i%3 == 0 && len(h.Events) >= 4 {
			steps := p.At(asOf).Steps
			k := 0
			for j, ev := range h.Events {
				if k < len(steps) && j%2 == 1 && (i+j)%5 != 0 {
					h.Interventions = append(h.Interventions, history.Intervention{Step: steps[k].ID, Date: ev.Date.AddDays(1)})
					k++
				}
			}
		}
		out = append(out, input(p, h, asOf))
	}
	return out
}

func input(p *policy.Pack, h *history.History, asOf calendar.Date) escalation.Input {
	return escalation.Input{Version: p.At(asOf), History: h, Results: classify.Classify(p, h, asOf), AsOf: asOf,
		CaseClosed: classify.CaseClosed(p, h, asOf)}
}

// BenchmarkEvaluate evaluates the ladder alone (the events classified beforehand) for
// every student of a generated district, as of a day in May; one op is the roster.
func BenchmarkEvaluate(b *testing.B) {
	asOf := d("2025-05-16")
	for _, pack := range []string{"il-roe-sop", "ccs", "pennsylvania"} {
		ins := districtInputs(b, pack, 2000, 5, asOf, pack != "il-roe-sop")
		b.Run(pack, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, in := range ins {
					escalation.Evaluate(in)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ins)), "ns/student")
		})
	}
}

// TestDump writes every evaluation and explanation of generated districts of several
// packs, as of several dates, as JSON to the file named by ESCALATION_DUMP: run before
// and after a change to the package, the two files must be the same byte for byte.
func TestDump(t *testing.T) {
	name := os.Getenv("ESCALATION_DUMP")
	if name == "" {
		t.Skip("ESCALATION_DUMP names the file to write")
	}
	f, err := os.Create(name)
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	for _, pack := range []string{"il-roe-sop", "illinois", "cps", "ccs", "pennsylvania", "washington"} {
		for _, at := range []string{"2024-09-20", "2024-12-02", "2025-02-03", "2025-05-16", "2025-06-20"} {
			for _, messy := range []bool{false, true} {
				for i, in := range districtInputs(t, pack, 400, 11, d(at), messy) {
					ev := escalation.Evaluate(in)
					errs := make([]string, len(ev.Errors))
					for k, e := range ev.Errors {
						errs[k] = e.Error()
					}
					line, err := json.Marshal(struct {
						escalation.Evaluation
						Env    policy.Facts
						Errors []string
					}{ev, ev.Facts.Env(), errs})
					require.NoError(t, err)
					fmt.Fprintf(w, "%s %s %v %d %s\n", pack, at, messy, i, line)
					if i%7 != 0 {
						continue
					}
					for _, s := range in.Version.Steps {
						ex, ok := escalation.Explain(in, s.ID)
						require.True(t, ok)
						ex.Step = nil
						line, err := json.Marshal(ex)
						require.NoError(t, err)
						fmt.Fprintf(w, "  explain %s %s\n", s.ID, line)
					}
				}
			}
		}
	}
}
