package suggest

import "testing"

func TestClosest(t *testing.T) {
	opts := []string{"status", "excuse", "MED", "MIL", "warning-letter"}
	for _, tt := range []struct{ in, want, why string }{
		{"staus", "status", "one letter dropped"},
		{"MDE", "MED", "two letters swapped in a short code"},
		{"SIK", "", "three letters from anything: no guess"},
		{"MED", "", "the word itself is not a suggestion"},
		{"warning-leter", "warning-letter", "long identifiers allow more edits"},
		{"med", "MED", "case does not count"},
	} {
		if got := Closest(tt.in, opts); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.why)
		}
	}
	if got := DidYouMean("staus", opts); got != ` (did you mean "status"?)` {
		t.Errorf("DidYouMean = %q", got)
	}
}
