// Package jsonscan holds the few steps of reading JSON by hand that the quick readers of
// histories (package history's Decoder) and of JSON Lines rosters (the command's first
// pass) share. Anything they do not read plainly they hand to encoding/json.
package jsonscan

// SkipSpace returns the index of the first byte at or after i that is not JSON
// whitespace.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// PlainString reads a JSON string at b[i:] made of printable ASCII without escapes (as
// encoding/json reads it, its bytes): its contents and the index after its closing
// quote. ok is false for any other string, or when b[i] does not open one.
func PlainString(b []byte, i int) (s []byte, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x7f:
			return nil, j, false
		}
	}
	return nil, len(b), false
}
