package policy_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// FuzzLoad checks that loading any bytes never panics, and that a failed load always
// returns a policy.Errors whose every problem names a file and says what is wrong.
func FuzzLoad(f *testing.F) {
	for _, name := range policy.Names() {
		data, err := fs.ReadFile(policy.Packs, name+".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	broken, err := filepath.Glob("../testdata/packs/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range broken {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policy.Load(data, "fuzz.yaml")
		if err == nil {
			if p == nil {
				t.Fatal("Load returned neither a pack nor an error")
			}
			if len(p.Versions()) == 0 {
				t.Fatal("a loaded pack has no version")
			}
			_ = p.At(calendar.Date{})
			_ = p.At(calendar.MustParseDate("2024-09-01"))
			return
		}
		if p != nil {
			t.Fatalf("Load returned a pack and an error: %v", err)
		}
		var es policy.Errors
		if !errors.As(err, &es) {
			t.Fatalf("error is %T, want policy.Errors: %v", err, err)
		}
		if len(es) == 0 {
			t.Fatal("empty policy.Errors")
		}
		for _, e := range es {
			if e == nil {
				t.Fatal("nil *policy.Error in policy.Errors")
			}
			if e.File == "" || e.Msg == "" {
				t.Fatalf("problem without a file or a message: %#v", e)
			}
			if e.Line < 0 || e.Column < 0 {
				t.Fatalf("negative position: %s", e)
			}
		}
		_ = err.Error()
	})
}
