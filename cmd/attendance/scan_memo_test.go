package main

import (
	"bytes"
	"os"
	"testing"
)

// FuzzJSONLineMemo checks that a line read after another, the value skipped last
// remembered, reads as it does alone.
func FuzzJSONLineMemo(f *testing.F) {
	cal := `"calendar": {"closed": ["2024-09-02", "2024-10-14", "2024-11-27"], "first_day": "2024-08-26", "last_day": "2025-05-16"}`
	f.Add([]byte(`{`+cal+`, "student": {"id": "S1"}}`), []byte(`{`+cal+`, "student": {"id": "S2"}}`))
	f.Add([]byte(`{`+cal+`, "student": {"id": "S1"}}`), []byte(`{`+cal+`}, "student": {"id": "S2"}}`))
	f.Add([]byte(`{`+cal+`, "student": {"id": "S1"}}`), []byte(`{"calendar": {"closed": ["2024-09-02", "2024-10-14", "2024-11-27"], "first_day": "2024-08-26"`))
	f.Add([]byte(`{"x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]}`), []byte(`{"x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]], "student": {"id": "S3"}}`))
	if data, err := os.ReadFile("testdata/district200/histories.jsonl"); err == nil {
		lines := bytes.Split(data, []byte("\n"))
		for i := 0; i+1 < len(lines) && i < 6; i++ {
			f.Add(lines[i], lines[i+1])
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var m skipMemo
		for _, line := range [][]byte{a, b, a, b} {
			id, date, ok, datesOK := jsonLineMemo(line, &m)
			wid, wdate, wok, wdatesOK := jsonLine(line)
			if string(id) != string(wid) || string(date) != string(wdate) || ok != wok || datesOK != wdatesOK {
				t.Fatalf("%q after the memo %q: %q %q %v %v, alone %q %q %v %v", line, m.last, id, date, ok, datesOK, wid, wdate, wok, wdatesOK)
			}
		}
	})
}
