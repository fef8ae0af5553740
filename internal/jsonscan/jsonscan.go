// Package jsonscan holds the steps of reading JSON by hand that the quick readers of
// histories (package history's Decoder) and of JSON Lines rosters (the command's first
// pass) share: whitespace, plain strings, and objects and lists walked member by
// member. Anything they do not read plainly they hand to encoding/json.
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

// Object reads the object at b[i:] member by member, each key a plain string
// ([PlainString]): member reads the value at b[i:] of the member named key and returns
// the index after it. Object returns the index after the closing brace; false when
// b[i:] is not such an object or member fails.
func Object(b []byte, i int, member func(key []byte, i int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return i, false
	}
	i = SkipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		key, j, ok := PlainString(b, i)
		if !ok {
			return i, false
		}
		if i = SkipSpace(b, j); i >= len(b) || b[i] != ':' {
			return i, false
		}
		if i, ok = member(key, SkipSpace(b, i+1)); !ok {
			return i, false
		}
		switch i = SkipSpace(b, i); {
		case i < len(b) && b[i] == ',':
			i = SkipSpace(b, i+1)
		case i < len(b) && b[i] == '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// List reads the list at b[i:] element by element: elem reads the element at b[i:] and
// returns the index after it. List returns the index after the closing bracket; false
// when b[i:] is not a list or elem fails.
func List(b []byte, i int, elem func(i int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '[' {
		return i, false
	}
	i = SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		var ok bool
		if i, ok = elem(i); !ok {
			return i, false
		}
		switch i = SkipSpace(b, i); {
		case i < len(b) && b[i] == ',':
			i = SkipSpace(b, i+1)
		case i < len(b) && b[i] == ']':
			return i + 1, true
		default:
			return i, false
		}
	}
}
