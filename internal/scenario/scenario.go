// Package scenario runs the public example cases of the command-line contract
// (testdata/scenarios, a copy of ../shared/scenarios): each names a pack, a history, an
// as-of date, the expected exit status and expectations on paths of the `attendance
// eval` output. Tests of the facade and of the program share it.
package scenario

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Case is one scenario file.
type Case struct {
	Name      string                     `json:"-"`
	Policy    string                     `json:"policy"`
	History   json.RawMessage            `json:"history"`
	AsOf      string                     `json:"as_of"`
	Exit      int                        `json:"exit"`
	StderrHas string                     `json:"stderr_has"`
	Expect    map[string]json.RawMessage `json:"expect"`
}

// Load reads every *.json case in dir, in name order.
func Load(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c Case
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		c.Name = strings.TrimSuffix(filepath.Base(f), ".json")
		out = append(out, c)
	}
	return out, nil
}

// Problems checks every expectation of c against output (the JSON the program
// printed) and returns what is wrong, one line per path.
func (c Case) Problems(output []byte) []string {
	var doc any
	if err := json.Unmarshal(output, &doc); err != nil {
		return []string{"output is not JSON: " + err.Error()}
	}
	var out []string
	paths := make([]string, 0, len(c.Expect))
	for p := range c.Expect {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, path := range paths {
		var want any
		if err := json.Unmarshal(c.Expect[path], &want); err != nil {
			out = append(out, path+": bad expectation: "+err.Error())
			continue
		}
		got, err := Lookup(doc, path)
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		if msg := Check(got, want); msg != "" {
			out = append(out, path+": "+msg)
		}
	}
	return out
}

var segment = regexp.MustCompile(`^([^\[\]]*)((?:\[(?:\d+|\*)\])*)$`)
var index = regexp.MustCompile(`\[(\d+|\*)\]`)

// Lookup returns the value at path in doc: "a.b[3].c" is one value, "due[*].step" the
// list of the values for every element (the syntax of scenarios/make.py).
func Lookup(doc any, path string) (any, error) {
	parts := strings.Split(path, ".")
	return walk(doc, parts, path)
}

func walk(v any, parts []string, path string) (any, error) {
	if len(parts) == 0 {
		return v, nil
	}
	m := segment.FindStringSubmatch(parts[0])
	if m == nil {
		return nil, fmt.Errorf("bad path segment %q", parts[0])
	}
	if m[1] != "" {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: %q is not in an object", path, m[1])
		}
		if v, ok = obj[m[1]]; !ok {
			return nil, fmt.Errorf("%s: no field %q", path, m[1])
		}
	}
	idx := index.FindAllStringSubmatch(m[2], -1)
	for k, ix := range idx {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s: not a list at %s", path, parts[0])
		}
		if ix[1] == "*" {
			rest := append([]string{}, parts[1:]...)
			if k+1 < len(idx) {
				var more strings.Builder
				for _, x := range idx[k+1:] {
					more.WriteString(x[0])
				}
				rest = append([]string{more.String()}, rest...)
			}
			out := []any{}
			for _, el := range list {
				x, err := walk(el, rest, path)
				if err != nil {
					return nil, err
				}
				out = append(out, x)
			}
			return out, nil
		}
		n, _ := strconv.Atoi(ix[1])
		if n >= len(list) {
			return nil, fmt.Errorf("%s: index %d out of range (length %d)", path, n, len(list))
		}
		v = list[n]
	}
	return walk(v, parts[1:], path)
}

// Check returns what is wrong with got against want: a value, or one of the tests
// {"not": X}, {"nonempty": true}, {"len": N}, {"contains": X}, {"excludes": X}.
func Check(got, want any) string {
	if m, ok := want.(map[string]any); ok && len(m) == 1 {
		for k, x := range m {
			switch k {
			case "not":
				if reflect.DeepEqual(got, x) {
					return fmt.Sprintf("got %v, want anything else", got)
				}
				return ""
			case "nonempty":
				if (size(got) > 0) != (x == true) {
					return fmt.Sprintf("got %v, want nonempty=%v", got, x)
				}
				return ""
			case "len":
				if float64(size(got)) != x {
					return fmt.Sprintf("got length %d (%v), want %v", size(got), got, x)
				}
				return ""
			case "contains", "excludes":
				list, _ := got.([]any)
				has := slices.ContainsFunc(list, func(y any) bool { return reflect.DeepEqual(y, x) })
				if has != (k == "contains") {
					return fmt.Sprintf("got %v, want it to %s %v", got, strings.TrimSuffix(k, "s"), x)
				}
				return ""
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	return ""
}

func size(v any) int {
	switch x := v.(type) {
	case []any:
		return len(x)
	case map[string]any:
		return len(x)
	case string:
		return len(x)
	}
	return 0
}
