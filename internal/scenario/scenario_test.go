package scenario

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookup(t *testing.T) {
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"a": {"b": [{"c": 1}, {"c": 2}]}, "due": [{"step": "x"}, {"step": "y"}], "next": null}`), &doc))
	for path, want := range map[string]any{"a.b[1].c": 2.0, "due[*].step": []any{"x", "y"}, "next": nil} {
		got, err := Lookup(doc, path)
		require.NoError(t, err, path)
		assert.Equal(t, want, got, path)
	}
	_, err := Lookup(doc, "a.b[5].c")
	assert.Error(t, err)
	assert.Empty(t, Check([]any{"x", "y"}, map[string]any{"contains": "x"}))
	assert.NotEmpty(t, Check([]any{"x", "y"}, map[string]any{"excludes": "x"}))
	assert.Empty(t, Check("unverified", map[string]any{"not": "excused"}))
	assert.Empty(t, Check([]any{"a"}, map[string]any{"len": 1.0}))
}
