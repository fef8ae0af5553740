package policy

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
)

//go:embed packs/*.yaml
var embedded embed.FS

// Packs is the file system of the packs that ship with rollcall, one NAME.yaml each.
var Packs fs.FS = mustSub(embedded, "packs")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return s
}

// Names returns the names of the embedded packs, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(Packs, ".")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !strings.HasSuffix(name, "_test") {
			out = append(out, name)
		}
	}
	return out
}

// Embedded loads the embedded pack with the given name, e.g. "ccs".
func Embedded(name string) (*Pack, error) {
	l := newLoader()
	return l.finish(l.embedded(name, pos{}))
}

// Limits on what a pack may make the loader do; each exceeded limit is an ordinary
// load error.
const (
	// MaxPackBytes is the largest pack file read.
	MaxPackBytes = 4 << 20
	// MaxNodes is the most YAML nodes a pack may have once its aliases are expanded.
	MaxNodes = 200_000
)

// Load reads a pack from data; filename names it in errors. It touches no file system:
// `extends: NAME` names an embedded pack, and a pack that extends a file must be read
// with [LoadFile] or [LoadFS].
func Load(data []byte, filename string) (*Pack, error) {
	l := newLoader()
	return l.finish(l.parse(filename, l.bounded(filename, data)))
}

// LoadFile reads the pack in the named file. A relative `extends: other.yaml` is read
// inside the directory of that file (never above it, through a link or otherwise), from
// regular files of at most [MaxPackBytes].
func LoadFile(name string) (*Pack, error) {
	dir := filepath.Dir(name)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, Errors{{File: name, Msg: "cannot read the pack: " + errText(err), Err: err}}
	}
	defer root.Close()
	l := newLoader()
	l.read = func(n string) ([]byte, error) {
		rel, err := filepath.Rel(dir, n)
		if err != nil {
			return nil, err
		}
		return readBounded(rootFS{root}, filepath.ToSlash(rel))
	}
	l.join = func(base, rel string) string { return filepath.Join(filepath.Dir(base), rel) }
	data, err := l.read(name)
	if err != nil {
		return nil, Errors{{File: name, Msg: "cannot read the pack: " + errText(err), Err: err}}
	}
	return l.finish(l.parse(name, data))
}

// rootFS reads regular files inside an os.Root.
type rootFS struct{ r *os.Root }

// Open opens a regular file inside the root.
func (f rootFS) Open(name string) (fs.File, error) {
	fi, err := f.r.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
	}
	return f.r.Open(name)
}

// LoadFS reads the pack at name in fsys; a relative `extends: other.yaml` is read from
// fsys too (regular files of at most [MaxPackBytes]).
func LoadFS(fsys fs.FS, name string) (*Pack, error) {
	l := newLoader()
	l.read = func(n string) ([]byte, error) { return readBounded(fsys, n) }
	l.join = func(base, rel string) string { return path.Join(path.Dir(base), rel) }
	data, err := l.read(name)
	if err != nil {
		return nil, Errors{{File: name, Msg: "cannot read the pack: " + errText(err), Err: err}}
	}
	return l.finish(l.parse(name, data))
}

// readBounded reads a regular file of at most MaxPackBytes from fsys.
func readBounded(fsys fs.FS, name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("outside the pack's directory")}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPackBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPackBytes {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("larger than %d bytes", MaxPackBytes)}
	}
	return data, nil
}

// bounded returns data, or nil with an error when it is larger than MaxPackBytes.
func (l *loader) bounded(file string, data []byte) []byte {
	if len(data) > MaxPackBytes {
		l.d.add(&Error{File: file, Msg: fmt.Sprintf("the pack is %d bytes; at most %d", len(data), MaxPackBytes)})
		return nil
	}
	return data
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// node is a parsed pack file with the pack it extends.
type node struct {
	raw    *rawPack
	parent *node
}

type loader struct {
	d     diag
	read  func(string) ([]byte, error)
	join  func(base, rel string) string
	stack []string // files being read, for messages
	keys  []string // their identities, for finding cycles
}

func newLoader() *loader { return &loader{} }

func (l *loader) embedded(name string, at pos) *node {
	data, err := fs.ReadFile(Packs, name+".yaml")
	if strings.HasSuffix(name, "_test") || strings.ContainsAny(name, "/\\") {
		err = fs.ErrNotExist // a pack's tests, or a path: not a pack name
	}
	if err != nil {
		if at.n != nil {
			at.errorf(&l.d, "extends: no embedded pack %q%s", name, didYouMean(name, Names()))
		} else {
			l.d.add(&Error{File: "policy", Msg: "no embedded pack named " + quote(name) + didYouMean(name, Names()) + "; the embedded packs are " + strings.Join(Names(), ", ")})
		}
		return nil
	}
	return l.parseAs("packs/"+name+".yaml", data, embeddedReader, "embedded:"+name)
}

func quote(s string) string { return `"` + s + `"` }

// embeddedReader reads relative extends between embedded packs.
func embeddedReader(n string) ([]byte, error) {
	return fs.ReadFile(Packs, strings.TrimPrefix(n, "packs/"))
}

func (l *loader) parse(file string, data []byte) *node {
	if data == nil && len(l.d.errs) > 0 {
		return nil
	}
	return l.parseAs(file, data, l.read, "file:"+file)
}

// parseAs parses one file of a chain; key identifies it (embedded packs and files
// with the same path are different packs) to find cycles.
func (l *loader) parseAs(file string, data []byte, read func(string) ([]byte, error), key string) *node {
	if i := slices.Index(l.keys, key); i >= 0 {
		l.d.add(&Error{File: file, Msg: "extends makes a cycle: " + strings.Join(append(slices.Clone(l.stack[i:]), file), " -> ")})
		return nil
	}
	raw := parseFile(file, data, &l.d)
	if raw == nil {
		return nil
	}
	n := &node{raw: raw}
	if raw.extends == "" {
		return n
	}
	l.stack, l.keys = append(l.stack, file), append(l.keys, key)
	defer func() { l.stack, l.keys = l.stack[:len(l.stack)-1], l.keys[:len(l.keys)-1] }()
	ext := raw.extends
	if strings.HasSuffix(ext, ".yaml") || strings.HasSuffix(ext, ".yml") || strings.Contains(ext, "/") {
		if read == nil {
			raw.extendsAt.errorf(&l.d, "extends: cannot read %q: a pack loaded from bytes reads no files (load it with LoadFile or LoadFS, or extend an embedded pack by name)", ext)
			return n
		}
		target := path.Join(path.Dir(file), ext)
		if l.join != nil && !strings.HasPrefix(file, "packs/") {
			target = l.join(file, ext)
		}
		if !strings.HasSuffix(ext, ".yaml") && !strings.HasSuffix(ext, ".yml") {
			raw.extendsAt.errorf(&l.d, "extends: %q is not a pack file (want a name ending in .yaml or .yml, or an embedded pack's name)", ext)
			return n
		}
		data, err := read(target)
		if err != nil {
			raw.extendsAt.errorf(&l.d, "extends: cannot read %q: %s", target, errText(err))
			return n
		}
		n.parent = l.parseAs(target, data, read, "file:"+target)
		if n.parent == nil {
			n.parent = &node{} // keep going: the child's own problems still get reported
		}
		return n
	}
	n.parent = l.embedded(ext, raw.extendsAt)
	if n.parent == nil {
		n.parent = &node{}
	}
	return n
}

// finish layers the chain, compiles every version and returns the pack or all problems.
func (l *loader) finish(n *node) (*Pack, error) {
	if n == nil || n.raw == nil {
		if err := l.d.err(); err != nil {
			return nil, err
		}
		return nil, Errors{{File: "pack", Msg: "nothing to load"}}
	}
	p := &Pack{Name: n.raw.name, Title: n.raw.title, Citation: n.raw.citation, Source: n.raw.source, Effective: n.raw.effective, File: n.raw.file}
	for c := n; c != nil && c.raw != nil; c = c.parent {
		p.Chain = append(p.Chain, c.raw.name)
	}
	for _, from := range n.dates() {
		body := n.at(from)
		p.versions = append(p.versions, compileVersion(from, body, &l.d))
	}
	if err := l.d.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// dates returns the effective dates of the versions of the chain, the zero date first.
func (n *node) dates() []calendar.Date {
	set := map[calendar.Date]bool{{}: true}
	for c := n; c != nil && c.raw != nil; c = c.parent {
		for _, v := range c.raw.versions {
			set[v.effective] = true
		}
	}
	out := make([]calendar.Date, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// at returns the layered body in force on d: the parent's, then this file's base,
// then this file's versions that have started by d.
func (n *node) at(d calendar.Date) rawBody {
	if n == nil || n.raw == nil {
		return rawBody{}
	}
	body := n.parent.at(d).overlay(n.raw.body)
	for _, v := range n.raw.versions {
		if !v.effective.After(d) {
			body = body.overlay(v.body)
		}
	}
	return body
}
