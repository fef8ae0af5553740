package roster

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// FuzzSplitAsCSV checks that a line without quotes is split into the fields
// encoding/csv reads from it, with every delimiter.
func FuzzSplitAsCSV(f *testing.F) {
	for _, s := range []string{"", "\r", "\r\r", "a,b,c", " a , b ,", "S1,2024-09-03,UNX,,,late,\r", ",,,", "x\ty|z;w", "\xff,\x00", "a\rb,c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		if bytes.ContainsAny(text, "\"\n") {
			return
		}
		for _, comma := range []byte{',', '\t', '|', ';'} {
			c := newCSVReader(strings.NewReader(""), &strCache{})
			c.comma, c.strict.Comma, c.lazy.Comma = comma, rune(comma), rune(comma)
			want, err := c.parse(text, false)
			if err != nil {
				t.Fatalf("encoding/csv: %v", err)
			}
			got := slices.Clone(c.split(text))
			if !slices.Equal(got, want) || (got == nil) != (want == nil) {
				t.Fatalf("%q split at %q: %q, encoding/csv reads %q", s, comma, got, want)
			}
		}
	})
}

// TestStrCache checks that interned strings are the values given, whatever collides.
func TestStrCache(t *testing.T) {
	var c strCache
	for round := range 3 {
		for i := range 5000 {
			b := []byte(strings.Repeat("x", i%80) + string(rune('a'+i%26)) + strings.Repeat("7", i%3))
			if got := c.get(b); got != string(b) {
				t.Fatalf("round %d: %q for %q", round, got, b)
			}
		}
	}
	if c.get(nil) != "" || c.get([]byte{}) != "" {
		t.Fatal("empty")
	}
}

// TestSlab checks that the slices a slab hands out hold what was added to them, run
// after run, interleaved or not, and that appending to one never writes into another.
func TestSlab(t *testing.T) {
	var sl slab[int]
	es := make([]Entry, 7)
	got := make([][]int, len(es))
	want := make([][]int, len(es))
	for i := range 5000 {
		k := (i / 13) % len(es) // runs of 13
		if i%97 == 0 {
			k = (k + 3) % len(es) // a row of another student in between
		}
		got[k] = sl.add(&es[k], got[k], i)
		want[k] = append(want[k], i)
		if i%501 == 0 {
			_ = append(got[(k+1)%len(es)], -1) // an append elsewhere
		}
	}
	for k := range es {
		if !slices.Equal(got[k], want[k]) {
			t.Fatalf("entry %d: %v, want %v", k, got[k], want[k])
		}
	}
}

// FuzzList checks that a roster's lists are splitList's, with no capacity beyond their
// length.
func FuzzList(f *testing.F) {
	for _, s := range []string{"", ";", " a ; b;;c ", "nurse-note", "a;" + strings.Repeat("x;", 300)} {
		f.Add(s)
	}
	r := New(nil, nil)
	f.Fuzz(func(t *testing.T, s string) {
		got, want := r.list(s), splitList(s)
		if !slices.Equal(got, want) || (got == nil) != (want == nil) || cap(got) != len(got) {
			t.Fatalf("%q: %q (capacity %d), splitList: %q", s, got, cap(got), want)
		}
	})
}
