package history

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/jsonscan"
)

// Decoder decodes histories as [Decode] does, and builds the calendar of histories that
// carry the same one (the same JSON, byte for byte, as every line of a JSON Lines roster
// written by one program does) once: those histories share it. A calendar is never
// changed once built, so sharing one is never seen. The zero Decoder is ready to use;
// it is not safe for concurrent use.
type Decoder struct {
	cals  map[string]cachedCal     // by the calendar's JSON: "1" then a "calendar", "n" then "calendars"
	strs  map[string]string        // the strings of events (codes, comments, documents), interned
	evs   []Event                  // the events of the history being read, before they are copied
	dates map[string]calendar.Date // the dates read, by their text
}

// cachedCal is a calendar built, with how many school years it has.
type cachedCal struct {
	cal   *calendar.Calendar
	years int
}

// maxCachedCals bounds a Decoder's calendars: past it, calendars are built per history.
const maxCachedCals = 64

// errFallback makes the quick decoding give way to Decode, which says what is wrong.
var errFallback = errors.New("history: not decoded quickly")

// Decode reads one history as [Decode] does: the same history, the same errors. name
// identifies the input in errors. Errors are [*DecodeError].
func (d *Decoder) Decode(data []byte, name string) (*History, error) {
	if h, ok := d.plain(data); ok {
		return h, nil
	}
	if h, ok := d.quick(data); ok {
		return h, nil
	}
	return Decode(data, name)
}

// quickHistory is jsonHistory with its calendars read as the JSON they are.
type quickHistory struct {
	Student       Student         `json:"student"`
	Calendar      *quickCal       `json:"calendar"`
	Calendars     quickCals       `json:"calendars"`
	Enrolled      json.RawMessage `json:"enrolled"`
	Events        quickEvents     `json:"events"`
	Interventions []Intervention  `json:"interventions"`
}

// quickCal is a "calendar" (quickCals "calendars") found in the decoder's calendars by
// its JSON, or decoded as Decode decodes it and built after the history decodes.
type quickCal struct {
	d     *Decoder
	key   string    // the cache's key, when not found there
	found cachedCal // when found
	years []calendar.Year
	done  bool // decoded once: a second "calendar" key is left to Decode
}

type quickCals struct{ quickCal }

func (c *quickCal) read(prefix string, b []byte, v any) error {
	if c.done || c.d == nil {
		return errFallback // given twice: Decode merges them
	}
	c.done = true
	if got, ok := c.d.cals[prefix+string(b)]; ok {
		c.found = got
		return nil
	}
	if err := strictUnmarshal(b, v); err != nil {
		return errFallback
	}
	c.key = prefix + string(b)
	return nil
}

// UnmarshalJSON reads a "calendar" object.
func (c *quickCal) UnmarshalJSON(b []byte) error {
	var y jsonYear
	if err := c.read("1", b, &y); err != nil || c.found.cal != nil {
		return err
	}
	c.years = []calendar.Year{y.year()}
	return nil
}

// UnmarshalJSON reads a "calendars" list.
func (c *quickCals) UnmarshalJSON(b []byte) error {
	var ys []jsonYear
	if err := c.read("n", b, &ys); err != nil || c.found.cal != nil {
		return err
	}
	c.years = make([]calendar.Year, 0, len(ys))
	for _, y := range ys {
		c.years = append(c.years, y.year())
	}
	return nil
}

// n is how many school years the calendar has.
func (c *quickCal) n() int {
	if c.found.cal != nil {
		return c.found.years
	}
	return len(c.years)
}

// build returns the calendar, built as Decode builds it, and keeps it.
func (c *quickCal) build() (*calendar.Calendar, bool) {
	if c.found.cal != nil {
		return c.found.cal, true
	}
	if len(c.years) > 1 && checkYears(c.years) != nil {
		return nil, false
	}
	cal, err := calendar.New(c.years...)
	if err != nil {
		return nil, false
	}
	if c.d.cals == nil {
		c.d.cals = map[string]cachedCal{}
	}
	if len(c.d.cals) < maxCachedCals {
		c.d.cals[c.key] = cachedCal{cal: cal, years: len(c.years)}
	}
	return cal, true
}

// quick decodes a history that Decode decodes without error, and reports false for any
// other (Decode then says what is wrong with it).
func (d *Decoder) quick(data []byte) (*History, bool) {
	// "calendar" is decoded into the quickCal given (json allocates one only after a
	// null, and that one, without a decoder, gives way to Decode).
	jh := quickHistory{Calendar: &quickCal{d: d}, Calendars: quickCals{quickCal{d: d}}, Events: quickEvents{d: d}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jh); err != nil || dec.More() || len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, false
	}
	if jh.Calendar != nil && !jh.Calendar.done {
		jh.Calendar = nil // no "calendar" key
	}
	cs := &jh.Calendars.quickCal
	var c *quickCal
	switch {
	case jh.Calendar != nil && cs.n() > 0:
		return nil, false
	case jh.Calendar != nil:
		c = jh.Calendar
	case cs.n() > 0:
		c = cs
	default:
		return nil, false
	}
	cal, ok := c.build()
	if !ok {
		return nil, false
	}
	enr, err := decodeEnrolment(jh.Enrolled)
	if err != nil {
		return nil, false
	}
	return &History{Student: jh.Student, Calendar: cal, Enrolment: enr, Events: jh.Events.evs, Interventions: jh.Interventions}, true
}

// quickEvents is "events": read by plainEvents when its JSON is plain, else as Decode
// reads it.
type quickEvents struct {
	d    *Decoder
	evs  []Event
	done bool
}

// UnmarshalJSON reads an "events" list.
func (q *quickEvents) UnmarshalJSON(b []byte) error {
	if q.done {
		return errFallback // given twice: left to Decode
	}
	q.done = true
	if evs, ok := q.d.plainEvents(b); ok {
		q.evs = evs
		return nil
	}
	if err := strictUnmarshal(b, &q.evs); err != nil {
		return errFallback
	}
	return nil
}

// plainEvents reads a list of events as encoding/json reads it into []Event, when its
// JSON is plain (see plainEventsAt), b holding that list alone.
func (d *Decoder) plainEvents(b []byte) ([]Event, bool) {
	evs, end, ok := d.plainEventsAt(b, jsonscan.SkipSpace(b, 0))
	return evs, ok && jsonscan.SkipSpace(b, end) == len(b)
}

// plainEventsAt reads the list of events at b[i:] as encoding/json reads it into
// []Event, when its JSON is plain: objects whose keys are the fields' own names (lower
// case, each once), strings of printable ASCII without escapes, dates as calendar.Date
// reads them (or empty), minutes as digits, documents as a list of strings. ok is false
// for any other JSON, valid or not, which is then decoded by encoding/json. end is the
// offset after the list.
func (d *Decoder) plainEventsAt(b []byte, i int) (evs []Event, end int, ok bool) {
	evs = d.evs[:0]
	end, ok = jsonscan.List(b, i, func(i int) (int, bool) {
		var ev Event
		end, ok := plainObject(b, i, func(key []byte, i int) (int, bool) {
			switch string(key) {
			case "date":
				return d.plainDate(b, i, &ev.Date)
			case "documented":
				return d.plainDate(b, i, &ev.Documented)
			case "code":
				return d.plainStr(b, i, &ev.Code)
			case "comment":
				return d.plainStr(b, i, &ev.Comment)
			case "reason":
				return d.plainStr(b, i, &ev.Reason)
			case "occurrence":
				return d.plainStr(b, i, &ev.Occurrence)
			case "minutes":
				return plainInt(b, i, &ev.Minutes)
			case "documents":
				docs, end, ok := d.plainStrings(b, i)
				ev.Documents = docs
				return end, ok
			}
			return i, false // another spelling (encoding/json folds case), or unknown
		})
		evs = append(evs, ev)
		return end, ok
	})
	d.evs = evs[:0]
	if !ok {
		return nil, end, false
	}
	return append(make([]Event, 0, len(evs)), evs...), end, true // an empty list too is not nil
}

// plainInterventionsAt reads a list of interventions at b[i:] as encoding/json reads it
// into []Intervention, when its JSON is plain (as plainEventsAt).
func (d *Decoder) plainInterventionsAt(b []byte, i int) (ivs []Intervention, end int, ok bool) {
	ivs = []Intervention{}
	end, ok = jsonscan.List(b, i, func(i int) (int, bool) {
		var iv Intervention
		end, ok := plainObject(b, i, func(key []byte, i int) (int, bool) {
			switch string(key) {
			case "step":
				return d.plainStr(b, i, &iv.Step)
			case "date":
				return d.plainDate(b, i, &iv.Date)
			case "outcome":
				return d.plainStr(b, i, &iv.Outcome)
			case "outcome_date":
				return d.plainDate(b, i, &iv.OutcomeDate)
			case "actor":
				return d.plainStr(b, i, &iv.Actor)
			case "note":
				return d.plainStr(b, i, &iv.Note)
			}
			return i, false
		})
		ivs = append(ivs, iv)
		return end, ok
	})
	return ivs, end, ok
}

// plainStudent reads the student object at b[i:] as encoding/json reads it into
// Student, when its JSON is plain: its strings, its birth date, and flags only when
// there are none ([]); guardians are left to encoding/json.
func (d *Decoder) plainStudent(b []byte, i int, st *Student) (int, bool) {
	return plainObject(b, i, func(key []byte, i int) (int, bool) {
		switch string(key) {
		case "id":
			return d.plainStr(b, i, &st.ID)
		case "birth_date":
			return d.plainDate(b, i, &st.BirthDate)
		case "grade":
			return d.plainStr(b, i, &st.Grade)
		case "school":
			return d.plainStr(b, i, &st.School)
		case "name":
			return d.plainStr(b, i, &st.Name)
		case "flags":
			if i < len(b) && b[i] == '[' {
				if j := jsonscan.SkipSpace(b, i+1); j < len(b) && b[j] == ']' {
					st.Flags = []Flag{}
					return j + 1, true
				}
			}
		}
		return i, false
	})
}

// plain decodes a history whose JSON is plain (as plainEventsAt says, its calendar one
// met before or any JSON encoding/json reads as Decode does), as Decode does; ok is
// false for any other input.
func (d *Decoder) plain(data []byte) (*History, bool) {
	var h History
	var cal *calendar.Calendar
	var enrolled []byte
	i := jsonscan.SkipSpace(data, 0)
	end, ok := plainObject(data, i, func(key []byte, i int) (int, bool) {
		switch string(key) {
		case "student":
			return d.plainStudent(data, i, &h.Student)
		case "calendar", "calendars":
			end, ok := skipJSON(data, i)
			if !ok || i >= len(data) || data[i] != '{' && data[i] != '[' {
				return i, false // null and other values: left to encoding/json
			}
			if cal != nil {
				return i, false // calendar and calendars: Decode says so
			}
			cal, ok = d.calendarOf(data[i:end], key[len(key)-1] == 's')
			return end, ok
		case "enrolled":
			end, ok := skipJSON(data, i)
			enrolled = data[i:end]
			return end, ok
		case "events":
			evs, end, ok := d.plainEventsAt(data, i)
			h.Events = evs
			return end, ok
		case "interventions":
			ivs, end, ok := d.plainInterventionsAt(data, i)
			h.Interventions = ivs
			return end, ok
		}
		return i, false
	})
	if !ok || jsonscan.SkipSpace(data, end) != len(data) || cal == nil {
		return nil, false
	}
	enr, err := decodeEnrolment(enrolled)
	if err != nil {
		return nil, false
	}
	h.Calendar, h.Enrolment = cal, enr
	return &h, true
}

// calendarOf returns the calendar of a "calendar" object (or a "calendars" list), kept
// from an earlier history or decoded and built as Decode does; ok is false when it is
// not one (Decode then says why).
func (d *Decoder) calendarOf(b []byte, list bool) (*calendar.Calendar, bool) {
	var c *quickCal
	var err error
	if list {
		cs := &quickCals{quickCal{d: d}}
		err, c = cs.UnmarshalJSON(b), &cs.quickCal
	} else {
		c = &quickCal{d: d}
		err = c.UnmarshalJSON(b)
	}
	if err != nil || c.n() == 0 {
		return nil, false
	}
	return c.build()
}

// plainObject reads the object at b[i:] as jsonscan.Object does, each key given once
// and at most 8 of them (encoding/json keeps the last of a key given twice, or merges).
func plainObject(b []byte, i int, field func(key []byte, i int) (int, bool)) (int, bool) {
	var seen [8][]byte // the keys read (an object of more is not plain)
	n := 0
	return jsonscan.Object(b, i, func(key []byte, i int) (int, bool) {
		if n == len(seen) {
			return i, false
		}
		for _, k := range seen[:n] {
			if string(k) == string(key) {
				return i, false
			}
		}
		seen[n], n = key, n+1
		return field(key, i)
	})
}

// plainStr reads a plain string at b[i:] into *s, interned.
func (d *Decoder) plainStr(b []byte, i int, s *string) (int, bool) {
	v, end, ok := jsonscan.PlainString(b, i)
	if ok {
		*s = d.str(v)
	}
	return end, ok
}

// plainDate reads a date at b[i:] into *dt as calendar.Date reads it from a plain
// string: "YYYY-MM-DD", or empty for the zero date.
func (d *Decoder) plainDate(b []byte, i int, dt *calendar.Date) (int, bool) {
	v, end, ok := jsonscan.PlainString(b, i)
	if !ok {
		return end, false
	}
	if len(v) == 0 {
		*dt = calendar.Date{}
		return end, true
	}
	*dt, ok = d.date(v)
	return end, ok
}

// plainInt reads a whole number of up to 9 digits at b[i:] into *n, as encoding/json
// reads it into an int; ok is false for any other number (a sign, a fraction, an
// exponent).
func plainInt(b []byte, i int, n *int) (int, bool) {
	v, j := 0, i
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
		v = v*10 + int(b[j]-'0')
	}
	if j == i || j-i > 9 || b[i] == '0' && j-i > 1 || j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return i, false
	}
	*n = v
	return j, true
}

// skipJSON finds the end of the JSON value at b[i:]: a string, an object or a list (by
// depth, strings with their escapes), or null. It does not check what it skips: the
// caller has it decoded, or compares it with JSON decoded before.
func skipJSON(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	if bytes.HasPrefix(b[i:], []byte("null")) {
		return i + 4, true
	}
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			for j++; j < len(b) && b[j] != '"'; j++ {
				if b[j] == '\\' {
					j++
				}
			}
			if j >= len(b) {
				return j, false
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return j, false
			}
		default:
			if depth == 0 {
				return j, false // a number, true or false: not a value plain reads
			}
		}
		if depth == 0 {
			return j + 1, true
		}
	}
	return len(b), false
}

// plainStrings reads a list of plain strings at b[i:] as encoding/json reads it into
// []string (an empty list is an empty slice, not nil).
func (d *Decoder) plainStrings(b []byte, i int) ([]string, int, bool) {
	if i >= len(b) || b[i] != '[' {
		return nil, i, false
	}
	out := []string{}
	i = jsonscan.SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return out, i + 1, true
	}
	for {
		v, j, ok := jsonscan.PlainString(b, i)
		if !ok {
			return nil, i, false
		}
		out = append(out, d.str(v))
		i = jsonscan.SkipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = jsonscan.SkipSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return out, i + 1, true
		}
		return nil, i, false
	}
}

// maxInterned bounds a Decoder's interned strings: past it, strings are allocated.
const maxInterned = 4096

// str returns b as a string, interned.
func (d *Decoder) str(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.strs) < maxInterned && len(b) <= 64 {
		if d.strs == nil {
			d.strs = map[string]string{}
		}
		d.strs[s] = s
	}
	return s
}

// parseDate reads a date as calendar.Date's UnmarshalText does (not empty).
func parseDate(b []byte) (calendar.Date, bool) {
	if len(b) != 10 {
		return calendar.Date{}, false
	}
	dt, err := calendar.ParseDate(string(b))
	return dt, err == nil
}

// date is parseDate, the dates read before kept.
func (d *Decoder) date(b []byte) (calendar.Date, bool) {
	if dt, ok := d.dates[string(b)]; ok {
		return dt, true
	}
	dt, ok := parseDate(b)
	if ok && len(d.dates) < maxInterned {
		if d.dates == nil {
			d.dates = map[string]calendar.Date{}
		}
		d.dates[string(b)] = dt
	}
	return dt, ok
}
