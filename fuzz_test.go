package rollcall

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/scenario"
)

// FuzzEvaluate decodes any bytes as a history and, when they decode, classifies and
// evaluates it under every shipped pack: never a panic, every event out exactly once,
// classified or rejected with a reason, and at most one school day counted per date.
// Seeds: the shared scenarios' histories and testdata/fuzz/FuzzEvaluate.
func FuzzEvaluate(f *testing.F) {
	cases, err := scenario.Load(filepath.Join("testdata", "scenarios"))
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add([]byte(c.History), "2024-10-15")
	}
	if data, err := os.ReadFile(filepath.Join("cmd", "attendance", "testdata", "history.json")); err == nil {
		f.Add(data, "")
	}
	engines := map[string]*Engine{}
	for _, name := range shippedPacks {
		e, err := Open(name)
		if err != nil {
			f.Fatal(err)
		}
		engines[name] = e
	}
	f.Fuzz(func(t *testing.T, data []byte, asOfText string) {
		h, err := DecodeHistory(data, "fuzz.json")
		if err != nil {
			return
		}
		asOf, _ := calendar.ParseDate(asOfText)
		for name, e := range engines {
			ev, err := e.Evaluate(h, asOf)
			if ev == nil {
				if err == nil {
					t.Fatalf("%s: neither an evaluation nor an error", name)
				}
				continue
			}
			if len(ev.Events) != len(h.Events) {
				t.Fatalf("%s: %d events in, %d out", name, len(h.Events), len(ev.Events))
			}
			perDay := map[calendar.Date]float64{}
			for i, c := range ev.Events {
				if c.Rejected == "" && c.Excuse == "" {
					t.Fatalf("%s: event %d neither classified nor rejected", name, i)
				}
				perDay[c.Date] += c.Days
			}
			for d, days := range perDay {
				if days > 1+1e-9 {
					t.Fatalf("%s: %s counts %v days", name, d, days)
				}
			}
		}
	})
}
