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
