package history

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// decoderSeeds are histories for FuzzDecoderAsDecode: the lines of the JSON Lines
// under testdata, and calendars given twice, null, or both ways.
func decoderSeeds(f *testing.F) {
	files, _ := filepath.Glob("../testdata/hostile/*.jsonl")
	files = append(files, "../cmd/attendance/testdata/histories.jsonl", "../cmd/attendance/testdata/district200/histories.jsonl")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 0; sc.Scan() && n < 20; n++ {
			f.Add(bytes.Clone(sc.Bytes()))
		}
	}
	for _, s := range []string{
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "calendar": {"last_day": "2025-06-13"}}`,
		`{"student": {"id": "S1"}, "calendar": null, "calendar": ` + testCal + `}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "calendar": null}`,
		`{"student": {"id": "S1"}, "calendars": [` + testCal + `], "calendars": null}`,
		`{"student": {"id": "S1"}, "calendars": null, "calendars": [` + testCal + `]}`,
		`{"student": {"id": "S1"}, "calendars": [` + testCal + `], "calendar": ` + testCal + `}`,
		`{"student": {"id": "S1"}, "Calendar": ` + testCal + `, "enrolled": "2024-09-01"}`,
		`{"student": {"id": "S1"}, "calendar": {"first_day": "2024-08-26", "last_day": "2024-08-01"}}`,
		`{"student": {"id": "S1"}, "calendars": [{"first_day": "2024-08-26", "last_day": "2025-06-01"}, {"first_day": "2025-08-26", "last_day": "2026-06-01"}]}`,
		`{"student": {"id": "S1"}, "calendar": {"first_day": "2024-08-26", "bogus": 1}}`,
		`{"student": {"id": "S1"}, "calendar": []}`,
		`{"student": {"id": "S1"}, "calendars": {}}`,
		`{"student": {"id": "S1"}, "calendars": []}`,
		`{"student": {"id": "S1"}}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": []}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": null}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{}, {"date": "", "documents": []}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "code": "UNX", "minutes": 30, "documents": ["a", "b"], "comment": "c", "reason": "r", "occurrence": "o", "documented": "2024-09-04"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "code": "UNX", "code": "ILL"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"Date": "2024-09-03", "CODE": "UNX"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "code": "UN\u0058", "minutes": -1}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "code": "UNX", "minutes": 1.5}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "code": "UNX", "minutes": 1e2}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-9-3", "code": "UNX"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": null, "code": null, "documents": null}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03"}], "events": [{"code": "X"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "minutes": 99999999999999999999}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": [{"date": "2024-09-03", "bogus": 1}]}`,
		`{"student": {"id": "S1", "birth_date": "2011-08-25", "grade": "8", "school": "School 114", "flags": [], "name": "N"}, "calendar": ` + testCal + `, "enrolled": {"from": "2024-09-03"}, "interventions": [{"step": "s", "date": "2024-09-05", "outcome": "o", "outcome_date": "2024-09-06", "actor": "a", "note": "n"}]}`,
		`{"student": {"id": "S1", "flags": [{"name": "iep"}]}, "calendar": ` + testCal + `}`,
		`{"student": {"id": "S1", "guardians": [{"name": "G"}]}, "calendar": ` + testCal + `}`,
		`{"student": null, "calendar": ` + testCal + `, "enrolled": null, "events": null, "interventions": null}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "enrolled": "2024-09-01", "interventions": []}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "enrolled": [{"from": "2024-09-01", "to": "2024-10-01"}, {"from": "2024-11-01"}]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "enrolled": 5}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "enrolled": {"from": "2024-09-01"]}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `}}`,
		`{"student": {"id": "S1"}, "calendar": ` + testCal + `} {}`,
		`{"student": {"id": "S1"}, "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": ["2024-09-02"]]}`,
		`{"student": {"id": "S1"}, "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400} , "calendars": [` + testCal + `]}`,
		"\ufeff" + `{"student": {"id": "S1"}, "calendar": ` + testCal + `}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzDecoderAsDecode checks that a Decoder decodes every input as Decode does, the
// first time and once its calendar is kept: the same history (its calendar equal), or
// the same error.
func FuzzDecoderAsDecode(f *testing.F) {
	decoderSeeds(f)
	var shared Decoder // kept across inputs: calendars of earlier inputs are found
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := Decode(data, "h.jsonl:3")
		for round, d := range []*Decoder{{}, &shared, &shared} {
			got, err := d.Decode(data, "h.jsonl:3")
			if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
				t.Fatalf("round %d: error %v, Decode: %v", round, err, werr)
			}
			if err != nil {
				if !reflect.DeepEqual(err, werr) {
					t.Fatalf("round %d: error %#v, Decode: %#v", round, err, werr)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: %+v, Decode: %+v", round, got, want)
			}
		}
	})
}

// Histories with the same calendar share it.
func TestDecoderSharesCalendars(t *testing.T) {
	var d Decoder
	doc := []byte(`{"student": {"id": "S1"}, "calendar": ` + testCal + `}`)
	h1, err1 := d.Decode(doc, "a")
	h2, err2 := d.Decode(doc, "b")
	if err1 != nil || err2 != nil || h1.Calendar != h2.Calendar {
		t.Fatalf("%v %v: calendars %p %p", err1, err2, h1.Calendar, h2.Calendar)
	}
}

// The lines of a generated district are plain: read by hand, not by encoding/json.
func TestDecoderPlainLines(t *testing.T) {
	data, err := os.ReadFile("../cmd/attendance/testdata/district200/histories.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var d Decoder
	for n, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		h, ok := d.plain(line)
		if !ok {
			t.Fatalf("line %d is not read by hand", n+1)
		}
		want, err := Decode(line, "x")
		if err != nil || !reflect.DeepEqual(h, want) {
			t.Fatalf("line %d: %+v, Decode: %+v, %v", n+1, h, want, err)
		}
	}
}
