package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/policy"
)

// Hostile packs: each must end in an ordinary load error naming what is wrong, fast and
// without echoing files that are not packs. The large inputs are generated here.
func TestHostilePacks(t *testing.T) {
	base := "pack: h\ncodes: {UNX: {status: absent, excuse: unexcused}}\ncounts: {unexcused: {when: 'excuse == \"unexcused\"'}}\n"
	rule := func(when string) string {
		return base + "rules:\n  r:\n    when: '" + strings.ReplaceAll(when, "'", "''") + "'\n    then: {note: x}\n"
	}
	cases := []struct {
		name string
		pack string
		want string
	}{
		{"deep parentheses", rule(strings.Repeat("(", 100_000) + "true" + strings.Repeat(")", 100_000)), "expression is 200004 bytes long; at most 4000"},
		{"deep nesting", rule(strings.Repeat("(", 100) + "true" + strings.Repeat(")", 100)), "expression nests brackets deeper than 64"},
		{"many negations", rule(strings.Repeat("!", 1000) + "true"), "expression has more than 64 negations"},
		{"clock", rule(`now().Year() > 2000`), "unknown name"},
		{"repeat", rule(`len(repeat("x", 1000000000)) > 0`), "unknown name"},
		{"large range", rule(`len(1..100000000) > 0`), "a range must have whole-number bounds written in the expression, at most 10000 apart"},
		{"computed range", rule(`len(1..minutes) > 0`), "a range must have whole-number bounds"},
		{"nested predicates", rule(`any(1..100, any(1..100, any(1..100, # > 0)))`), "predicates are nested 3 deep; at most 2"},
		{"string building", rule(`len(reduce(1..1000, #acc + "xxxxxxxx", "")) > 0`), "a predicate cannot build strings"},
		{"pack too large", "pack: big\n# " + strings.Repeat("x", policy.MaxPackBytes) + "\n", fmt.Sprintf("the pack is %d bytes; at most %d", policy.MaxPackBytes+13, policy.MaxPackBytes)},
	}
	// an alias bomb in nested any_of: 2^40 documents once expanded
	var bomb strings.Builder
	bomb.WriteString("pack: bomb\ndocuments: {d: {name: D}}\ncodes:\n  C0: {status: absent, excuse: excused, documents: &a0 {any_of: [d, d]}}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&bomb, "  C%d: {status: absent, excuse: excused, documents: &a%d {any_of: [*a%d, *a%d]}}\n", i, i, i-1, i-1)
	}
	cases = append(cases, struct{ name, pack, want string }{"alias bomb", bomb.String(), "the pack has more than 200000 YAML nodes once its aliases are expanded"})
	// 20,000 step effects through one alias
	var effects strings.Builder
	effects.WriteString(base + "x: &e\n" + strings.Repeat("  - {when: 'true', then: {note: n}}\n", 20) + "ladder:\n")
	for i := range 1000 {
		fmt.Fprintf(&effects, "  s%d: {when: unexcused > 0, effects: *e}\n", i)
	}
	cases = append(cases, struct{ name, pack, want string }{"aliased effects", effects.String(), "unknown key \"x\""})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := policy.Load([]byte(c.pack), "h.yaml")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Less(t, len(err.Error()), 20_000, "the message stays short")
		})
	}
}

// extends never escapes the pack's directory, reads regular files only, and never echoes
// a file that is not a pack.
func TestExtendsStaysInside(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	secret := filepath.Join(t.TempDir(), "secret.yaml")
	require.NoError(t, os.WriteFile(secret, []byte("root:x:0:0:root:/root:/bin/bash this is not a pack"), 0o644))
	require.NoError(t, os.Symlink(secret, filepath.Join(dir, "link.yaml")))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644))
	notPack := write("notpack.yaml", "root:x:0:0:root:/root:/bin/bash this is not a pack")
	for name, want := range map[string]string{
		"up.yaml":      `cannot read "` + filepath.Join(filepath.Dir(dir), "secret.yaml") + `": outside the pack's directory`,
		"link.yaml":    "not a regular file",
		"zero.yaml":    "not a regular file",
		"fifo.yaml":    "not a regular file",
		"passwd":       `no embedded pack "passwd"`,
		"notpack.yaml": "a pack must be a mapping of keys, not a text of 50 characters",
	} {
		t.Run(name, func(t *testing.T) {
			ext := name
			if name == "up.yaml" {
				ext = "../secret.yaml"
			}
			p := write("child-"+name+".yaml", "pack: child\nextends: "+ext+"\n")
			_, err := policy.LoadFile(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
			assert.NotContains(t, err.Error(), "root:x:0:0")
		})
	}
	_ = notPack
	// Load on bytes reads no file at all
	_, err := policy.Load([]byte("pack: c\nextends: notpack.yaml\n"), filepath.Join(dir, "c.yaml"))
	assert.ErrorContains(t, err, "a pack loaded from bytes reads no files")
}
