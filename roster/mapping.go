package roster

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/internal/suggest"
)

// presets are the mappings shipped with rollcall, one YAML file each.
//
//go:embed presets/*.yaml
var presets embed.FS

// Presets returns the names of the shipped mappings, sorted: "infinite-campus",
// "powerschool", ...
func Presets() []string {
	entries, _ := fs.ReadDir(presets, "presets")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// PresetYAML returns the YAML of a shipped mapping, for a district to copy.
func PresetYAML(name string) ([]byte, bool) {
	data, err := fs.ReadFile(presets, "presets/"+name+".yaml")
	return data, err == nil
}

// Mapping says how a student-information system's export becomes a roster: which
// column holds each field of rollcall's events, students and interventions, how dates
// are written, how the SIS's codes translate to the pack's, how period (class meeting)
// records roll up into a day, which calendar each school keeps, and how Ed-Fi records
// are read and written. A mapping is YAML: a shipped preset ([Presets]) or a district's
// own file, which may extend a preset and change only what differs. See
// [Roster.UseMapping], and the README for the keys.
//
// A Mapping is immutable once loaded and safe for concurrent use.
type Mapping struct {
	name, title, file string

	tables  map[string]*tableSpec // "events", "students", "interventions"
	ignore  []string              // columns never read, lower case
	formats []dateFormat          // date formats, in order

	codesFile *codesFileSpec
	caseless  bool              // codes are matched without regard to case
	codeMap   map[string]string // SIS code (lower case when caseless) -> pack code
	present   map[string]bool   // SIS codes of a day present: the row is skipped

	periods periodSpec

	calendars map[string]string // school id -> calendar file, as the mapping gives it

	edfi edfiSpec
}

// tableSpec is how one kind of CSV file is read.
type tableSpec struct {
	fields        map[string][]colRef // field -> where it is read (first non-empty wins)
	formats       []dateFormat        // this file's date formats (nil: the mapping's)
	noPeriod      map[string]bool     // events: period values that mean "no period" (a daily record)
	exitExclusive bool                // students: enrolled_to is the first day not enrolled
	skip          map[string][]string // column -> values of rows that are skipped, not problems
	native        bool                // rollcall's own column names (the mapping does not describe the file)
}

// colRef reads a field from one column, or from several joined ("Status+Excuse").
type colRef []string

// codesFileSpec is a table of the SIS's codes by id (PowerSchool's Attendance_Code),
// which the events name by their id.
type codesFileSpec struct {
	key, code, presence string
	present             map[string]bool // presence values of a day present (lower case)
}

// periodSpec is how period records roll up into a day.
type periodSpec struct {
	minutes  bool                      // minutes from the bell schedule (else the share of periods)
	halfDay  float64                   // at this share of the day or more, a half day (0: never)
	wholeDay float64                   // at this share or more, a whole day
	below    bool                      // below the half-day share, the share's minutes (else nothing)
	perDay   map[string]int            // school -> periods in a day
	bell     map[string]map[string]int // school -> period -> minutes
}

// edfiSpec is how Ed-Fi records are read and written.
type edfiSpec struct {
	namespaces  []string          // category descriptor namespaces read as Ed-Fi's own (lower case)
	descriptors map[string]string // full descriptor URI (lower case) -> an Ed-Fi category or a pack code
	trust       map[string]string // Ed-Fi category -> a code to use when the pack's is not of that excuse ("" for none)
	dayStart    map[string]int    // school ("*": any) -> minutes since midnight
	sessionName string            // template of an output session's name
	namespace   string            // the namespace of output descriptors
}

// Name returns the mapping's name ("powerschool", or the district's).
func (m *Mapping) Name() string { return m.name }

// Title returns the mapping's title for people.
func (m *Mapping) Title() string { return m.title }

// File returns the file the mapping was read from, or "preset NAME".
func (m *Mapping) File() string { return m.file }

// NeedsCodes reports whether the events name their codes by an id that a codes table
// (read with [Roster.ReadCodes]) translates, as PowerSchool's Attendance_Code.
func (m *Mapping) NeedsCodes() bool { return m.codesFile != nil }

// Calendars returns the calendar files the mapping names, by school id ("*": any
// school without its own), as paths relative to the current directory for a mapping
// read from a file.
func (m *Mapping) Calendars() map[string]string { return maps.Clone(m.calendars) }

// Columns returns the columns a file of kind ("events", "students", "interventions")
// is read from, by field, as the mapping names them ("Col" or "A+B", the first that is
// not empty wins); nil for a file read with rollcall's own column names.
func (m *Mapping) Columns(kind string) map[string][]string {
	t := m.tables[kind]
	if t == nil || t.native {
		return nil
	}
	out := map[string][]string{}
	for f, refs := range t.fields {
		for _, r := range refs {
			out[f] = append(out[f], strings.Join(r, "+"))
		}
	}
	return out
}

// The fields of each file, in rollcall's own column names; the first ones are required.
var (
	eventFields        = []string{"student_id", "date", "code", "minutes", "documents", "comment", "reason", "school", "period", "documented"}
	eventRequired      = 3
	studentFields      = studentColumns()
	studentRequired    = 1
	interventionFields = []string{"student_id", "step", "date", "outcome", "outcome_date", "actor", "note"}
	interventionReq    = 3
	tableFields        = map[string][]string{"events": eventFields, "students": studentFields, "interventions": interventionFields}
	tableRequired      = map[string]int{"events": eventRequired, "students": studentRequired, "interventions": interventionReq}
)

func studentColumns() []string {
	known := []string{"student_id", "birth_date", "grade", "school", "enrolled_from", "enrolled_to", "flags", "name"}
	for _, g := range []string{"guardian_", "guardian2_"} {
		for _, f := range []string{"name", "language", "address", "phone", "email"} {
			known = append(known, g+f)
		}
	}
	return known
}

// The YAML form of a mapping.
type rawMapping struct {
	Name          string            `yaml:"name"`
	Title         string            `yaml:"title"`
	Extends       string            `yaml:"extends"`
	DateFormats   []string          `yaml:"date_formats"`
	Ignore        []string          `yaml:"ignore"`
	Events        rawTable          `yaml:"events"`
	Students      rawTable          `yaml:"students"`
	Interventions rawTable          `yaml:"interventions"`
	CodesFile     *rawCodesFile     `yaml:"codes_file"`
	Codes         rawCodes          `yaml:"codes"`
	Periods       rawPeriods        `yaml:"periods"`
	Calendars     map[string]string `yaml:"calendars"`
	EdFi          rawEdFi           `yaml:"edfi"`
}

type rawTable struct {
	Columns           map[string]columnList `yaml:"columns"`
	DateFormats       []string              `yaml:"date_formats"`
	NoPeriod          []string              `yaml:"no_period"`
	ExitDateExclusive *bool                 `yaml:"exit_date_exclusive"`
	Skip              map[string][]string   `yaml:"skip"`
}

type rawCodesFile struct {
	Key      string   `yaml:"key"`
	Code     string   `yaml:"code"`
	Presence string   `yaml:"presence"`
	Present  []string `yaml:"present"`
}

type rawCodes struct {
	CaseInsensitive *bool             `yaml:"case_insensitive"`
	Map             map[string]string `yaml:"map"`
	Present         []string          `yaml:"present"`
}

type rawPeriods struct {
	Rule      string                    `yaml:"rule"`
	HalfDay   *float64                  `yaml:"half_day"`
	WholeDay  *float64                  `yaml:"whole_day"`
	BelowHalf string                    `yaml:"below_half"`
	PerDay    map[string]int            `yaml:"per_day"`
	Bell      map[string]map[string]int `yaml:"bell"`
}

type rawEdFi struct {
	Namespaces  []string          `yaml:"namespaces"`
	Descriptors map[string]string `yaml:"descriptors"`
	Trust       trustList         `yaml:"trust"`
	DayStart    map[string]string `yaml:"day_start"`
	SessionName string            `yaml:"session_name"`
	Namespace   string            `yaml:"namespace"`
}

// columnList is a column, or a list of columns of which the first not empty is read.
type columnList []string

func (c *columnList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*c = columnList{n.Value}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*c = list
		return nil
	}
	return fmt.Errorf("line %d: want a column name or a list of column names", n.Line)
}

// trustList is a list of Ed-Fi categories, or a map from a category to the code to use
// when the pack's own code for it is not of its excuse.
type trustList map[string]string

func (t *trustList) UnmarshalYAML(n *yaml.Node) error {
	out := trustList{}
	switch n.Kind {
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, c := range list {
			out[c] = ""
		}
	case yaml.MappingNode:
		var m map[string]string
		if err := n.Decode(&m); err != nil {
			return err
		}
		maps.Copy(out, m)
	default:
		return fmt.Errorf("line %d: want a list of Ed-Fi categories, or a map from a category to a code", n.Line)
	}
	if *t == nil {
		*t = out
	} else {
		maps.Copy(*t, out)
	}
	return nil
}

// MappingError is a mapping that cannot be loaded: the file and why, with the line
// when known.
type MappingError struct {
	File string
	Line int
	Msg  string
}

// Error formats the problem as "file:line: message".
func (e *MappingError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// maxMappingSize bounds a mapping file: it is configuration, never data.
const maxMappingSize = 1 << 20

// LoadMapping loads a mapping by preset name ("powerschool") or from a YAML file (a
// name ending in .yaml or .yml, or an existing file). A file may extend a preset, or
// another file in its own directory, with "extends:"; the calendars it names are read
// relative to its directory.
func LoadMapping(arg string) (*Mapping, error) {
	isFile := strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
	if !isFile {
		if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
			isFile = true
		}
	}
	if !isFile {
		data, ok := PresetYAML(arg)
		if !ok {
			return nil, &MappingError{File: arg, Msg: fmt.Sprintf("no such mapping: want a preset (%s) or a YAML file%s",
				strings.Join(Presets(), ", "), suggest.DidYouMean(arg, Presets()))}
		}
		return compileMapping(data, "preset "+arg, "")
	}
	data, err := readMappingFile(arg)
	if err != nil {
		return nil, err
	}
	return compileMapping(data, arg, filepath.Dir(arg))
}

// ParseMapping reads a mapping from YAML; name identifies it in errors. It may extend
// a preset, not a file, and the calendars it names are not read relative to anything.
func ParseMapping(data []byte, name string) (*Mapping, error) {
	return compileMapping(data, name, "")
}

func readMappingFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &MappingError{File: name, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxMappingSize+1)); err != nil {
		return nil, &MappingError{File: name, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	if buf.Len() > maxMappingSize {
		return nil, &MappingError{File: name, Msg: fmt.Sprintf("larger than %d bytes: a mapping is a short configuration file", maxMappingSize)}
	}
	return buf.Bytes(), nil
}

// decodeRaw decodes one mapping file onto raw (which holds what it extends): keys it
// gives replace the extended ones, maps are merged key by key.
func decodeRaw(data []byte, file string, raw *rawMapping) error {
	if len(data) > maxMappingSize {
		return &MappingError{File: file, Msg: fmt.Sprintf("larger than %d bytes: a mapping is a short configuration file", maxMappingSize)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file: nothing changed
		}
		return yamlError(file, err)
	}
	return nil
}

// yamlError turns a yaml.v3 error into a MappingError at its line.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if v, ok := digitsOf(n); ok {
				line, msg = v, tail
			}
		}
	}
	msg = strings.ReplaceAll(msg, "in type roster.", "in ")
	return &MappingError{File: file, Line: line, Msg: msg}
}

// compileMapping reads a mapping's YAML, the chain it extends first.
func compileMapping(data []byte, file, dir string) (*Mapping, error) {
	var raw rawMapping
	if err := collectRaw(data, file, dir, nil, &raw); err != nil {
		return nil, err
	}
	return raw.compile(file)
}

// collectRaw decodes a mapping onto raw after the chain it extends: keys it gives
// replace the extended ones, maps are merged key by key. The calendars each file names
// are relative to its own directory, and must lie inside it.
func collectRaw(data []byte, file, dir string, seen []string, raw *rawMapping) error {
	var head struct {
		Extends string `yaml:"extends"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil {
		return yamlError(file, err)
	}
	if head.Extends != "" {
		if slices.Contains(seen, head.Extends) || len(seen) > 8 {
			return &MappingError{File: file, Msg: fmt.Sprintf("extends %q: a cycle (%s)", head.Extends, strings.Join(append(seen, head.Extends), " -> "))}
		}
		base, baseFile, baseDir, err := resolveExtends(head.Extends, file, dir)
		if err != nil {
			return err
		}
		if err := collectRaw(base, baseFile, baseDir, append(seen, head.Extends), raw); err != nil {
			return err
		}
	}
	cals := raw.Calendars
	raw.Calendars = nil
	if err := decodeRaw(data, file, raw); err != nil {
		return err
	}
	for k, v := range raw.Calendars {
		if dir != "" && !filepath.IsAbs(v) {
			if !filepath.IsLocal(v) {
				return &MappingError{File: file, Msg: fmt.Sprintf("calendars: school %s: %q is outside the mapping's directory", k, v)}
			}
			v = filepath.Join(dir, v)
		}
		if cals == nil {
			cals = map[string]string{}
		}
		cals[k] = v
	}
	raw.Calendars = cals
	return nil
}

// resolveExtends finds what "extends: base" names: a preset, or a file in the
// extending file's directory.
func resolveExtends(base, file, dir string) (data []byte, baseFile, baseDir string, err error) {
	if data, ok := PresetYAML(base); ok && !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml") {
		return data, "preset " + base, "", nil
	}
	if dir == "" || !(strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")) {
		return nil, "", "", &MappingError{File: file, Msg: fmt.Sprintf("extends %q: no such preset (want %s%s)",
			base, strings.Join(Presets(), ", "), suggest.DidYouMean(base, Presets()))}
	}
	if !filepath.IsLocal(base) {
		return nil, "", "", &MappingError{File: file, Msg: fmt.Sprintf("extends %q: a file outside the mapping's directory", base)}
	}
	path := filepath.Join(dir, base)
	data, err = readMappingFile(path)
	if err != nil {
		return nil, "", "", err
	}
	return data, path, filepath.Dir(path), nil
}

// compile checks a mapping's raw form and builds it.
func (raw *rawMapping) compile(file string) (*Mapping, error) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	m := &Mapping{name: raw.Name, title: raw.Title, file: file, tables: map[string]*tableSpec{},
		codeMap: map[string]string{}, present: map[string]bool{}, calendars: raw.Calendars}
	if m.name == "" {
		m.name = strings.TrimSuffix(filepath.Base(strings.TrimPrefix(file, "preset ")), filepath.Ext(file))
	}
	formats := func(where string, list []string) []dateFormat {
		var out []dateFormat
		for _, f := range list {
			df, err := parseDateFormat(f)
			if err != nil {
				bad("%s: %v", where, err)
				continue
			}
			out = append(out, df)
		}
		return out
	}
	m.formats = formats("date_formats", raw.DateFormats)
	for _, c := range raw.Ignore {
		m.ignore = append(m.ignore, strings.ToLower(strings.TrimSpace(c)))
	}
	for kind, rt := range map[string]rawTable{"events": raw.Events, "students": raw.Students, "interventions": raw.Interventions} {
		ts := &tableSpec{fields: map[string][]colRef{}, formats: formats(kind+".date_formats", rt.DateFormats), skip: map[string][]string{}}
		known := tableFields[kind]
		if len(rt.Columns) == 0 {
			ts.native = true
			for _, f := range known {
				ts.fields[f] = []colRef{{f}}
			}
		}
		for f, cols := range rt.Columns {
			if !slices.Contains(known, f) {
				bad("%s.columns: unknown field %q (want %s)%s", kind, f, strings.Join(known, ", "), suggest.DidYouMean(f, known))
				continue
			}
			for _, c := range cols {
				var ref colRef
				for _, part := range strings.Split(c, "+") {
					if part = strings.TrimSpace(part); part == "" {
						bad("%s.columns.%s: an empty column name in %q", kind, f, c)
						continue
					}
					ref = append(ref, part)
				}
				if len(ref) > 0 {
					ts.fields[f] = append(ts.fields[f], ref)
				}
			}
		}
		if !ts.native {
			for _, f := range known[:tableRequired[kind]] {
				if len(ts.fields[f]) == 0 && len(rt.Columns) > 0 {
					bad("%s.columns: no column for %s (required)", kind, f)
				}
			}
		}
		if len(rt.NoPeriod) > 0 {
			if kind != "events" {
				bad("%s.no_period: only events have periods", kind)
			}
			ts.noPeriod = map[string]bool{}
			for _, v := range rt.NoPeriod {
				ts.noPeriod[strings.TrimSpace(v)] = true
			}
		}
		if rt.ExitDateExclusive != nil {
			if kind != "students" {
				bad("%s.exit_date_exclusive: only students have an exit date", kind)
			}
			ts.exitExclusive = *rt.ExitDateExclusive
		}
		for col, vals := range rt.Skip {
			ts.skip[strings.ToLower(strings.TrimSpace(col))] = vals
		}
		m.tables[kind] = ts
	}
	if cf := raw.CodesFile; cf != nil {
		if cf.Key == "" || cf.Code == "" {
			bad("codes_file: want key (the column of the id the events name) and code (the column of the code)")
		}
		m.codesFile = &codesFileSpec{key: cf.Key, code: cf.Code, presence: cf.Presence, present: map[string]bool{}}
		for _, p := range cf.Present {
			m.codesFile.present[strings.ToLower(strings.TrimSpace(p))] = true
		}
	}
	m.caseless = raw.Codes.CaseInsensitive != nil && *raw.Codes.CaseInsensitive
	for from, to := range raw.Codes.Map {
		if strings.TrimSpace(to) == "" {
			bad("codes.map: %q maps to no code (list a code of a day present under codes.present)", from)
			continue
		}
		m.codeMap[m.codeKey(from)] = strings.TrimSpace(to)
	}
	for _, p := range raw.Codes.Present {
		m.present[m.codeKey(p)] = true
	}

	p := raw.Periods
	switch p.Rule {
	case "", "share":
	case "minutes":
		m.periods.minutes = true
	default:
		bad("periods.rule: %q: want share (of the day's periods) or minutes (from the bell schedule)", p.Rule)
	}
	m.periods.wholeDay = 1
	if p.WholeDay != nil {
		m.periods.wholeDay = *p.WholeDay
	}
	if p.HalfDay != nil {
		m.periods.halfDay = *p.HalfDay
	}
	if m.periods.wholeDay <= 0 || m.periods.wholeDay > 1 || m.periods.halfDay < 0 || m.periods.halfDay >= m.periods.wholeDay && m.periods.halfDay != 0 {
		bad("periods: want 0 < half_day < whole_day <= 1 (a share of the day); half_day 0 means no half days")
	}
	switch p.BelowHalf {
	case "", "minutes":
		m.periods.below = true
	case "none":
	default:
		bad("periods.below_half: %q: want minutes (the periods' share of the day) or none", p.BelowHalf)
	}
	m.periods.perDay = p.PerDay
	for school, n := range p.PerDay {
		if n < 1 || n > 48 {
			bad("periods.per_day: school %s: %d periods: want 1 to 48", school, n)
		}
	}
	m.periods.bell = p.Bell
	for school, bell := range p.Bell {
		for period, min := range bell {
			if min < 1 || min > 1440 {
				bad("periods.bell: school %s, period %s: %d minutes: want 1 to 1440", school, period, min)
			}
		}
	}

	e := raw.EdFi
	for _, ns := range e.Namespaces {
		m.edfi.namespaces = append(m.edfi.namespaces, strings.ToLower(strings.TrimSpace(ns)))
	}
	m.edfi.descriptors = map[string]string{}
	for uri, to := range e.Descriptors {
		if strings.TrimSpace(to) == "" {
			bad("edfi.descriptors: %q maps to nothing: want an Ed-Fi category (%s) or a code of the pack", uri, strings.Join(codes.EdFiCategories, ", "))
			continue
		}
		if c, ok := edfiCategoryName(to); ok {
			to = c
		}
		m.edfi.descriptors[strings.ToLower(strings.TrimSpace(uri))] = strings.TrimSpace(to)
	}
	m.edfi.trust = map[string]string{}
	for c, code := range e.Trust {
		cat, ok := edfiCategoryName(c)
		if !ok {
			bad("edfi.trust: %q is not an Ed-Fi category (want %s)", c, strings.Join(codes.EdFiCategories, ", "))
			continue
		}
		m.edfi.trust[cat] = strings.TrimSpace(code)
	}
	m.edfi.dayStart = map[string]int{}
	for school, t := range e.DayStart {
		min, ok := clockMinutes(t)
		if !ok {
			bad("edfi.day_start: school %s: %q is not a time of day (want HH:MM)", school, t)
			continue
		}
		m.edfi.dayStart[school] = int(min)
	}
	m.edfi.sessionName = e.SessionName
	m.edfi.namespace = strings.TrimSpace(e.Namespace)
	if m.edfi.namespace != "" && (strings.Contains(m.edfi.namespace, "#") || !strings.HasPrefix(m.edfi.namespace, "uri://")) {
		bad("edfi.namespace: %q: want a descriptor namespace such as uri://ed-fi.org/AttendanceEventCategoryDescriptor", m.edfi.namespace)
	}
	for school := range raw.Calendars {
		if strings.TrimSpace(school) == "" {
			bad("calendars: an empty school id (use \"*\" for every school without its own)")
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs) // map order is not the file's: sorted, the messages are stable
		return nil, &MappingError{File: file, Msg: strings.Join(errs, "; ")}
	}
	return m, nil
}

// codeKey is how a SIS code is looked up in the translation table.
func (m *Mapping) codeKey(code string) string {
	code = strings.TrimSpace(code)
	if m.caseless {
		return strings.ToLower(code)
	}
	return code
}

// edfiCategoryName returns the Ed-Fi category c names, spelt as Ed-Fi does, compared
// without regard to case.
func edfiCategoryName(c string) (string, bool) {
	for _, cat := range codes.EdFiCategories {
		if strings.EqualFold(strings.TrimSpace(c), cat) {
			return cat, true
		}
	}
	return "", false
}
