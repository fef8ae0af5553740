package history

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/rollcall-go/rollcall/calendar"
)

// Decoder decodes histories as [Decode] does, and builds the calendar of histories that
// carry the same one (the same JSON, byte for byte, as every line of a JSON Lines roster
// written by one program does) once: those histories share it. A calendar is never
// changed once built, so sharing one is never seen. The zero Decoder is ready to use;
// it is not safe for concurrent use.
type Decoder struct {
	cals map[string]cachedCal // by the calendar's JSON: "1" then a "calendar", "n" then "calendars"
	strs map[string]string    // the strings of events (codes, comments, documents), interned
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
	if err := dec.Decode(&jh); err != nil || dec.More() {
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

// The fields of an event, as plainEvents reads them.
const (
	evDate = 1 << iota
	evCode
	evMinutes
	evDocuments
	evComment
	evReason
	evOccurrence
	evDocumented
)

// plainEvents reads a list of events as encoding/json reads it into []Event, when its
// JSON is plain: objects whose keys are the fields' own names (lower case, each once),
// strings of printable ASCII without escapes, dates as calendar.Date reads them (or
// empty), minutes as digits, documents as a list of strings. ok is false for any other
// JSON (b is one JSON value: encoding/json checked it), which is then decoded by
// encoding/json.
func (d *Decoder) plainEvents(b []byte) (evs []Event, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	evs = []Event{}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return evs, skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '{' {
			return nil, false
		}
		var ev Event
		var seen int
		i = skipSpace(b, i+1)
		for first := true; ; first = false {
			if i < len(b) && b[i] == '}' && first {
				break
			}
			key, j, ok := plainString(b, i)
			if !ok {
				return nil, false
			}
			if i = skipSpace(b, j); i >= len(b) || b[i] != ':' {
				return nil, false
			}
			i = skipSpace(b, i+1)
			var f int
			switch string(key) {
			case "date":
				f = evDate
			case "code":
				f = evCode
			case "minutes":
				f = evMinutes
			case "documents":
				f = evDocuments
			case "comment":
				f = evComment
			case "reason":
				f = evReason
			case "occurrence":
				f = evOccurrence
			case "documented":
				f = evDocumented
			default:
				return nil, false // another spelling (encoding/json folds case), or unknown
			}
			if seen&f != 0 {
				return nil, false
			}
			seen |= f
			switch f {
			case evDate, evDocumented:
				v, j, ok := plainString(b, i)
				if !ok {
					return nil, false
				}
				var dt calendar.Date
				if len(v) > 0 {
					if dt, ok = parseDate(v); !ok {
						return nil, false
					}
				}
				if f == evDate {
					ev.Date = dt
				} else {
					ev.Documented = dt
				}
				i = j
			case evMinutes:
				n, j := 0, i
				for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
					n = n*10 + int(b[j]-'0')
				}
				if j == i || j-i > 9 || b[i] == '0' && j-i > 1 || j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
					return nil, false
				}
				ev.Minutes, i = n, j
			case evDocuments:
				docs, j, ok := d.plainStrings(b, i)
				if !ok {
					return nil, false
				}
				ev.Documents, i = docs, j
			default:
				v, j, ok := plainString(b, i)
				if !ok {
					return nil, false
				}
				s := d.str(v)
				switch f {
				case evCode:
					ev.Code = s
				case evComment:
					ev.Comment = s
				case evReason:
					ev.Reason = s
				case evOccurrence:
					ev.Occurrence = s
				}
				i = j
			}
			i = skipSpace(b, i)
			if i < len(b) && b[i] == ',' {
				i = skipSpace(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				break
			}
			return nil, false
		}
		evs = append(evs, ev)
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return evs, skipSpace(b, i+1) == len(b)
		}
		return nil, false
	}
}

// plainStrings reads a list of plain strings at b[i:] as encoding/json reads it into
// []string (an empty list is an empty slice, not nil).
func (d *Decoder) plainStrings(b []byte, i int) ([]string, int, bool) {
	if i >= len(b) || b[i] != '[' {
		return nil, i, false
	}
	out := []string{}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return out, i + 1, true
	}
	for {
		v, j, ok := plainString(b, i)
		if !ok {
			return nil, i, false
		}
		out = append(out, d.str(v))
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
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

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at b[i:] of printable ASCII without escapes: as
// encoding/json reads it, its bytes.
func plainString(b []byte, i int) (s []byte, end int, ok bool) {
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
