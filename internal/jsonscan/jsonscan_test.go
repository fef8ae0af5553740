package jsonscan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlainString(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{`"MED"`, "MED", true},
		{`"" ,`, "", true},
		{`"a\"b"`, "", false},        // an escape: encoding/json's
		{"\"caf\u00e9\"", "", false}, // not ASCII
		{"\"a\tb\"", "", false},      // a control byte
		{`"open`, "", false},
		{`MED`, "", false},
	} {
		s, end, ok := PlainString([]byte(tc.in), 0)
		assert.Equal(t, tc.ok, ok, tc.in)
		if ok {
			assert.Equal(t, tc.want, string(s), tc.in)
			var v string
			assert.NoError(t, json.Unmarshal([]byte(tc.in[:end]), &v))
			assert.Equal(t, v, string(s), "as encoding/json reads %s", tc.in)
		}
	}
}

func TestSkipSpace(t *testing.T) {
	assert.Equal(t, 4, SkipSpace([]byte(" \t\r\nx"), 0))
	assert.Equal(t, 2, SkipSpace([]byte("ab"), 2))
	assert.Equal(t, 1, SkipSpace([]byte("a\u00a0"), 1), "a non-breaking space is not JSON whitespace")
}

func TestObjectAndList(t *testing.T) {
	b := []byte(`{"a": [1, 2] , "b":{} ,"c" :"x"} tail`)
	var keys []string
	end, ok := Object(b, 0, func(key []byte, i int) (int, bool) {
		keys = append(keys, string(key))
		switch key[0] {
		case 'a':
			n := 0
			end, ok := List(b, i, func(i int) (int, bool) { n++; return i + 1, true })
			assert.Equal(t, 2, n, "two elements")
			return end, ok
		case 'b':
			return Object(b, i, func([]byte, int) (int, bool) { return 0, false })
		}
		_, end, ok := PlainString(b, i)
		return end, ok
	})
	assert.True(t, ok)
	assert.Equal(t, []string{"a", "b", "c"}, keys)
	assert.Equal(t, " tail", string(b[end:]))
	for _, bad := range []string{`{"a" 1}`, `{"a": 1 "b": 2}`, `{"a": 1,}`, `{"a\"": 1}`, `{`, `x`} {
		_, ok := Object([]byte(bad), 0, func(_ []byte, i int) (int, bool) { return i + 1, true })
		assert.False(t, ok, bad)
	}
	for _, bad := range []string{`[1 2]`, `[1,]`, `[`, `x`} {
		_, ok := List([]byte(bad), 0, func(i int) (int, bool) { return i + 1, true })
		assert.False(t, ok, bad)
	}
	_, ok = List([]byte(`[ ]`), 0, nil)
	assert.True(t, ok, "an empty list calls nothing")
}
