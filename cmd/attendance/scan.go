package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/jsonscan"
	"github.com/rollcall-go/rollcall/roster"
)

// The scanner splits a roster file into records exactly as package roster reads it
// (lines of any length, a CSV record spanning lines only inside a quoted field that
// closes, an open quote losing only its row, blank lines skipped), so that the records
// of a batch of students can be handed to roster on their own and read as they would
// be in the whole file. It keeps each record's byte offset and line, and reads only
// what grouping needs: the student id (and the date of an event).

// maxRecordLines is roster's limit on the lines one CSV record may span.
const maxRecordLines = 1000

// recKind says how roster reads a record.
type recKind uint8

const (
	recRow  recKind = iota // a row: the id is the student's, or empty when roster reports the row
	recOpen                // a quote never closed: roster reports the row by its first line and reads the lines after it as rows; the record is that line alone
	recLong                // a line longer than roster.MaxLine: reported by its length
)

// sline is one line of input.
type sline struct {
	off     int64  // offset of its first byte
	end     int64  // offset after its ending
	n       int32  // 1-based line number
	raw     []byte // the line with its ending; nil when it is too long
	text    []byte // raw without "\n" then one "\r"
	tooLong int64  // as roster: the line's length without its ending when longer than roster.MaxLine
}

// srec is one record.
type srec struct {
	kind  recKind
	off   int64  // offset of its first byte
	end   int64  // offset after its last line
	line  int32  // its first line
	lines int32  // how many lines it spans
	raw   []byte // its bytes, line endings included (nil for recLong); valid until the next call
	id    []byte // the student id, trimmed; empty when the row belongs to no student
	date  []byte // events: the date column, trimmed; histories: the latest event date
	// noDate: a history whose latest event date could not be read without decoding it
	noDate bool
	long   int64 // recLong: the line's length, as roster reports it
}

// scanner reads records from one file. Lines are read ahead only inside a quote; a
// line read ahead and given back is a copy.
type scanner struct {
	br      *bufio.Reader
	off     int64 // bytes read from br
	n       int32 // lines read from br
	pending []sline
	buf     []byte // a line longer than br's buffer
	rec     []byte // a record of several lines

	jsonl          bool
	fields         int // CSV: the header's number of fields; 0 while reading the header
	idCol, dateCol int // -1: none
	feed           bytes.Reader
	fbr            *bufio.Reader
	strict, lazy   *csv.Reader
	fieldsBuf      [][]byte
	joined         []byte
	memo           skipMemo // JSON Lines: the value skipped last (a history's calendar)
	jsonID         struct {
		Student struct {
			ID string `json:"id"`
		} `json:"student"`
	}
}

func newScanner(rd io.Reader, off int64, line int32, jsonl bool) *scanner {
	s := &scanner{br: bufio.NewReaderSize(rd, 1<<20), off: off, n: line - 1, jsonl: jsonl, idCol: -1, dateCol: -1}
	s.fbr = bufio.NewReader(&s.feed)
	s.strict, s.lazy = csv.NewReader(s.fbr), csv.NewReader(s.fbr)
	s.strict.FieldsPerRecord, s.lazy.FieldsPerRecord = -1, -1
	s.lazy.LazyQuotes = true
	return s
}

// line returns the next line, or io.EOF; the line's bytes are valid until the next
// call (unless it was given back).
func (s *scanner) line() (sline, error) {
	if len(s.pending) > 0 {
		l := s.pending[0]
		s.pending = s.pending[1:]
		return l, nil
	}
	start := s.off
	s.buf = s.buf[:0]
	var size int64
	var prev, last byte
	var whole []byte // the line when it fits br's buffer
	chunks := 0
	for {
		chunk, err := s.br.ReadSlice('\n')
		s.off += int64(len(chunk))
		size += int64(len(chunk))
		chunks++
		if errors.Is(err, bufio.ErrBufferFull) {
			if size <= roster.MaxLine+2 {
				s.buf = append(s.buf, chunk...)
			}
			prev, last = lastTwo(prev, last, chunk)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return sline{}, err
		}
		prev, last = lastTwo(prev, last, chunk)
		if chunks == 1 {
			whole = chunk
		} else if size <= roster.MaxLine+2 {
			s.buf = append(s.buf, chunk...)
			whole = s.buf
		}
		break
	}
	if size == 0 {
		return sline{}, io.EOF
	}
	s.n++
	l := sline{off: start, end: s.off, n: s.n}
	length := size
	if last == '\n' {
		length--
		if prev == '\r' {
			length--
		}
	}
	if length > roster.MaxLine {
		l.tooLong = length
		return l, nil
	}
	l.raw = whole
	l.text = bytes.TrimSuffix(bytes.TrimSuffix(whole, []byte("\n")), []byte("\r"))
	return l, nil
}

func lastTwo(prev, last byte, chunk []byte) (byte, byte) {
	switch len(chunk) {
	case 0:
		return prev, last
	case 1:
		return last, chunk[0]
	}
	return chunk[len(chunk)-2], chunk[len(chunk)-1]
}

func owned(l sline) sline {
	if l.raw != nil {
		raw := bytes.Clone(l.raw)
		l.text, l.raw = raw[:len(l.text)], raw
	}
	return l
}

// next returns the next record that is not blank, or io.EOF.
func (s *scanner) next() (srec, error) {
	if s.jsonl {
		return s.nextJSON()
	}
	for {
		first, err := s.line()
		if err != nil {
			return srec{}, err
		}
		if first.tooLong > 0 {
			return srec{kind: recLong, off: first.off, end: first.end, line: first.n, lines: 1, long: first.tooLong}, nil
		}
		quotes := bytes.Count(first.text, []byte{'"'})
		open := quotes%2 == 1
		if !open {
			r, ok := s.row(first.text, quotes > 0)
			if !ok {
				continue // blank
			}
			r.off, r.end, r.line, r.lines, r.raw = first.off, first.end, first.n, 1, first.raw
			return r, nil
		}
		// A quote opens: read on while it is open, as roster does.
		lines := []sline{owned(first)}
		size := len(first.text)
		for open && len(lines) < maxRecordLines && size <= roster.MaxLine {
			l, err := s.line()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return srec{}, err
			}
			if l.tooLong > 0 {
				s.unread([]sline{l})
				break
			}
			l = owned(l)
			lines = append(lines, l)
			size += 1 + len(l.text)
			open = open != (bytes.Count(l.text, []byte{'"'})%2 == 1)
		}
		f := lines[0]
		openRec := srec{kind: recOpen, off: f.off, end: f.end, line: f.n, lines: 1, raw: f.raw}
		if open {
			s.unread(lines[1:])
			return openRec, nil
		}
		s.joined = s.joined[:0]
		for i, l := range lines {
			if i > 0 {
				s.joined = append(s.joined, '\n')
			}
			s.joined = append(s.joined, l.text...)
		}
		fields, perr := s.parse(s.joined, false)
		if perr != nil || s.rowsInside(lines[1:]) {
			s.unread(lines[1:])
			return openRec, nil
		}
		if fields == nil {
			continue // blank
		}
		r, ok := s.fieldsRow(fields)
		if !ok {
			continue
		}
		s.rec = s.rec[:0]
		for _, l := range lines {
			s.rec = append(s.rec, l.raw...)
		}
		last := lines[len(lines)-1]
		r.off, r.end, r.line, r.lines, r.raw = f.off, last.end, f.n, int32(len(lines)), s.rec
		return r, nil
	}
}

func (s *scanner) unread(ls []sline) {
	if len(ls) > 0 {
		s.pending = append(append(make([]sline, 0, len(ls)+len(s.pending)), ls...), s.pending...)
	}
}

// row reads a line without an open quote: fields split at commas when it has no quote
// at all, else by encoding/csv as roster parses it. ok is false for a blank record.
func (s *scanner) row(text []byte, quoted bool) (srec, bool) {
	if quoted {
		fields, err := s.parse(text, false)
		if err != nil {
			return srec{}, true // roster reports the row
		}
		if fields == nil {
			return srec{}, false
		}
		return s.fieldsRow(fields)
	}
	if len(bytes.TrimSuffix(text, []byte("\r"))) == 0 {
		return srec{}, false // encoding/csv: no record
	}
	n := bytes.Count(text, []byte{','}) + 1
	if n == 1 && len(bytes.TrimSpace(text)) == 0 {
		return srec{}, false // a blank row
	}
	if s.fields == 0 || n != s.fields {
		return srec{}, true // roster reports the number of fields
	}
	var r srec
	if s.idCol >= 0 {
		r.id = field(text, s.idCol)
	}
	if s.dateCol >= 0 {
		r.date = field(text, s.dateCol)
	}
	return r, true
}

// field returns the col-th field of a line without quotes, trimmed.
func field(text []byte, col int) []byte {
	for range col {
		text = text[bytes.IndexByte(text, ',')+1:]
	}
	if i := bytes.IndexByte(text, ','); i >= 0 {
		text = text[:i]
	}
	return bytes.TrimSpace(text)
}

// fieldsRow is a record of fields as roster's readCSV sees it; ok is false for a blank
// row. A row roster reports (the wrong number of fields) has no id.
func (s *scanner) fieldsRow(fields [][]byte) (srec, bool) {
	if len(fields) == 1 && len(bytes.TrimSpace(fields[0])) == 0 {
		return srec{}, false
	}
	if s.fields == 0 || len(fields) != s.fields {
		return srec{}, true
	}
	var r srec
	if s.idCol >= 0 {
		r.id = bytes.TrimSpace(fields[s.idCol])
	}
	if s.dateCol >= 0 {
		r.date = bytes.TrimSpace(fields[s.dateCol])
	}
	return r, true
}

// parse reads one record from text with encoding/csv, as roster does; nil fields is a
// blank line.
func (s *scanner) parse(text []byte, lazy bool) ([][]byte, error) {
	s.feed.Reset(text)
	s.fbr.Reset(&s.feed)
	cr := s.strict
	if lazy {
		cr = s.lazy
	}
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.fieldsBuf = s.fieldsBuf[:0]
	for _, f := range rec {
		s.fieldsBuf = append(s.fieldsBuf, []byte(f))
	}
	return s.fieldsBuf, nil
}

// rowsInside is roster's test of whether a line a quoted field spans reads as a row of
// its own.
func (s *scanner) rowsInside(ls []sline) bool {
	if s.fields == 0 {
		return false
	}
	for _, l := range ls {
		if bytes.Count(l.text, []byte{','})+1 < s.fields {
			continue
		}
		if rec, _ := s.parse(l.text, true); len(rec) == s.fields {
			return true
		}
	}
	return false
}

// nextJSON returns the next line of JSON Lines that is not blank; its id is the
// history's student id when the line decodes as JSON with one.
func (s *scanner) nextJSON() (srec, error) {
	for {
		l, err := s.line()
		if err != nil {
			return srec{}, err
		}
		if l.tooLong > 0 {
			return srec{kind: recLong, off: l.off, end: l.end, line: l.n, lines: 1, long: l.tooLong}, nil
		}
		text := bytes.TrimSpace(l.text)
		if len(text) == 0 {
			continue
		}
		r := srec{off: l.off, end: l.end, line: l.n, lines: 1, raw: l.raw, noDate: true}
		if id, date, ok, datesOK := jsonLineMemo(text, &s.memo); ok {
			r.id, r.date, r.noDate = id, date, !datesOK
		} else {
			s.jsonID.Student.ID = ""
			if json.Unmarshal(text, &s.jsonID) == nil {
				r.id = []byte(s.jsonID.Student.ID)
			}
		}
		return r, nil
	}
}

// header reads a CSV file's header record: the first record that is not blank. ok is
// false when it is not a plain one-line record (roster then says what is wrong with it,
// or reads it as a record of several lines: the caller reads such a file whole).
func (s *scanner) header() (fields []string, r srec, ok bool, err error) {
	for {
		l, err := s.line()
		if err != nil {
			return nil, srec{}, false, err
		}
		if l.tooLong > 0 || bytes.Count(l.text, []byte{'"'})%2 == 1 {
			return nil, srec{}, false, nil
		}
		rec, perr := s.parse(l.text, false)
		if perr != nil {
			return nil, srec{}, false, nil
		}
		if rec == nil {
			continue
		}
		for _, f := range rec {
			fields = append(fields, strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(f), "\ufeff"))))
		}
		return fields, srec{off: l.off, end: l.end, line: l.n, lines: 1, raw: bytes.Clone(l.raw)}, true, nil
	}
}

// jsonStudentID returns a history's student id ("student": {"id": ...}) as
// encoding/json reads it, without decoding the line: ok is false when the line is not
// plain enough to tell so (a key or the id with an escape or a byte that is not ASCII,
// a value not of the expected kind), and the caller decodes it. A line that is not
// JSON at all may still give an id: roster reports it, and it makes no student.
func jsonStudentID(b []byte) (id []byte, ok bool) {
	id, _, ok, _ = jsonLine(b)
	return id, ok
}

// jsonLine is jsonStudentID, and the latest date of the history's events (datesOK is
// false when an event's date could not be read so; a date that is not one is left
// out: such a history does not decode).
func jsonLine(b []byte) (id, date []byte, ok, datesOK bool) {
	return jsonLineMemo(b, nil)
}

// jsonLineMemo is jsonLine, passing over a value the line shares with the line before
// (m; nil: none) by comparing its bytes.
func jsonLineMemo(b []byte, m *skipMemo) (id, date []byte, ok, datesOK bool) {
	datesOK = true
	_, ok = jsonscan.Object(b, jsonscan.SkipSpace(b, 0), func(key []byte, i int) (int, bool) {
		switch {
		case asciiFold(key, "student"):
			return studentID(b, i, &id)
		case asciiFold(key, "events"):
			if end, ok := latestEventDate(b, i, &date); ok {
				return end, true
			}
			datesOK = false
			return skipValue(b, i)
		}
		return m.skip(b, i)
	})
	if !ok {
		return nil, nil, false, false
	}
	return id, date, true, datesOK
}

// skipMemo remembers the last long object or list skipValue skipped, so that the same
// value on the next line (a history's calendar, which every line of a roster written
// by one program repeats) is passed over by comparing its bytes: skipValue reads an
// object or a list left to right to its matching end, so the same bytes end it at the
// same place. The zero skipMemo remembers nothing yet; a nil one never remembers.
type skipMemo struct{ last []byte }

// skip is skipValue(b, i).
func (m *skipMemo) skip(b []byte, i int) (int, bool) {
	if m == nil {
		return skipValue(b, i)
	}
	if len(m.last) > 0 && bytes.HasPrefix(b[i:], m.last) {
		return i + len(m.last), true
	}
	end, ok := skipValue(b, i)
	if ok && end-i >= 64 && (b[i] == '{' && b[end-1] == '}' || b[i] == '[' && b[end-1] == ']') {
		m.last = append(m.last[:0], b[i:end]...)
	}
	return end, ok
}

// latestEventDate reads an array of events at b[i:], keeping in *date the latest of
// their dates that is a date.
func latestEventDate(b []byte, i int, date *[]byte) (int, bool) {
	if bytes.HasPrefix(b[i:], []byte("null")) {
		return i + 4, true
	}
	return jsonscan.List(b, i, func(i int) (int, bool) {
		return jsonscan.Object(b, i, func(key []byte, i int) (int, bool) {
			if !asciiFold(key, "date") {
				return skipValue(b, i)
			}
			d, j, ok := jsonscan.PlainString(b, i)
			if !ok {
				return i, false
			}
			if len(d) == 10 && bytes.Compare(d, *date) > 0 {
				if _, err := calendar.ParseDate(string(d)); err == nil {
					*date = d
				}
			}
			return j, true
		})
	})
}

// studentID reads the student object at b[i:], setting *id to its id (the last one).
func studentID(b []byte, i int, id *[]byte) (int, bool) {
	if bytes.HasPrefix(b[i:], []byte("null")) {
		return i + 4, true
	}
	return jsonscan.Object(b, i, func(key []byte, i int) (int, bool) {
		switch {
		case !asciiFold(key, "id"):
			return skipValue(b, i)
		case bytes.HasPrefix(b[i:], []byte("null")):
			return i + 4, true
		}
		v, j, ok := jsonscan.PlainString(b, i)
		if ok {
			*id = v
		}
		return j, ok
	})
}

// asciiFold reports whether key equals name (lower-case ASCII) but for case, as
// encoding/json matches a field.
func asciiFold(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for k, c := range key {
		if c|0x20 != name[k] && c != name[k] {
			return false
		}
	}
	return true
}

// skipValue skips the JSON value at b[i:] (strings with their escapes, objects and
// arrays by depth); it does not check what it skips.
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) {
				return i, false
			}
			i++
			if depth == 0 {
				return i, true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true // the end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case ',':
			if depth == 0 {
				return i, true
			}
		}
		i++
	}
	return i, depth == 0
}
