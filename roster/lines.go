package roster

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxLine is the longest line read from a CSV or JSON Lines file, in bytes. A longer
// line is reported as a problem ("line is longer than 16 MiB") and skipped; the lines
// after it are read.
const MaxLine = 16 << 20

// maxRecordLines is the most lines one CSV record may span (a comment with line breaks
// in a quoted field); a quote still open after that many lines is not closed.
const maxRecordLines = 1000

// line is one line of input, without its line ending.
type line struct {
	n       int    // 1-based line number
	text    []byte // nil when the line is too long; see lineReader.next for how long it is valid
	tooLong int64  // the line's length when it is longer than MaxLine, else 0
}

// owned returns the line with text of its own, to be kept past the next read.
func (l line) owned() line {
	if l.text != nil {
		l.text = bytes.Clone(l.text)
	}
	return l
}

// lineReader reads lines of any length in constant memory per line (up to MaxLine),
// and takes back lines to read again.
type lineReader struct {
	br      *bufio.Reader
	n       int    // lines read from br
	pending []line // lines given back, read before br (their text their own)
	buf     []byte // a line longer than br's buffer
}

// lineBuffer is the size of a lineReader's buffer: lines longer than that are read in
// pieces.
const lineBuffer = 64 << 10

func newLineReader(rd io.Reader) *lineReader {
	size := lineBuffer
	if l, ok := rd.(interface{ Len() int }); ok && l.Len() < size { // bytes.Reader, strings.Reader: no more than what is left
		size = l.Len() + 1
	}
	return &lineReader{br: bufio.NewReaderSize(rd, size)}
}

// next returns the next line, or io.EOF after the last; other errors are the reader's.
// The line's text is valid until the next call (a line given back with unread keeps
// its own): use line.owned to keep it longer.
func (lr *lineReader) next() (line, error) {
	if len(lr.pending) > 0 {
		l := lr.pending[0]
		lr.pending = lr.pending[1:]
		return l, nil
	}
	lr.buf = lr.buf[:0]
	var size int64
	var prev, last byte // the last two bytes read
	var whole []byte    // the line with its ending, when it is not too long
	for chunks := 1; ; chunks++ {
		chunk, err := lr.br.ReadSlice('\n')
		size += int64(len(chunk))
		full := errors.Is(err, bufio.ErrBufferFull)
		switch {
		case chunks == 1 && !full:
			whole = chunk // the line as br holds it
		case size <= MaxLine+2: // room for the line ending
			lr.buf = append(lr.buf, chunk...)
			whole = lr.buf
		}
		switch len(chunk) {
		case 0:
		case 1:
			prev, last = last, chunk[0]
		default:
			prev, last = chunk[len(chunk)-2], chunk[len(chunk)-1]
		}
		if full {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return line{}, err
		}
		if size == 0 {
			return line{}, io.EOF
		}
		lr.n++
		if last == '\n' {
			size--
			if prev == '\r' {
				size--
			}
		}
		if size > MaxLine {
			return line{n: lr.n, tooLong: size}, nil
		}
		text := bytes.TrimSuffix(bytes.TrimSuffix(whole, []byte("\n")), []byte("\r"))
		if text == nil {
			text = []byte{} // a line is never nil
		}
		return line{n: lr.n, text: text}, nil
	}
}

// unread gives lines back, to be read again in order before any other.
func (lr *lineReader) unread(ls []line) {
	if len(ls) == 0 {
		return
	}
	lr.pending = append(append(make([]line, 0, len(ls)+len(lr.pending)), ls...), lr.pending...)
}

func tooLongMsg(size int64) string {
	return fmt.Sprintf("line is longer than %d MiB (%d bytes): skipped", MaxLine>>20, size)
}

// csvReader reads CSV records (RFC 4180, as encoding/csv reads them without LazyQuotes)
// line by line, so that a quote left open never swallows the rows after it: a record
// may span lines only inside a quoted field that closes, within maxRecordLines, and
// whose later lines do not read as rows of their own. Otherwise the row where the quote
// opened is reported, and the lines after it are read as rows.
type csvReader struct {
	lr     *lineReader
	fields int  // the header's number of fields, once read
	comma  byte // the delimiter: ',' unless detected otherwise (detectComma)

	// Each record is parsed by encoding/csv from its own lines: feed holds them, and
	// the readers (strict, and with LazyQuotes) keep their buffers from one to the next.
	feed         bytes.Reader
	br           *bufio.Reader
	strict, lazy *csv.Reader

	rec  []string  // the fields of a record without quotes, reused: valid until the next
	strs *strCache // the strings of fields without quotes
}

// newCSVReader returns a reader of CSV records from rd, interning the strings of
// fields in strs.
func newCSVReader(rd io.Reader, strs *strCache) *csvReader {
	c := &csvReader{lr: newLineReader(rd), comma: ',', strs: strs}
	c.br = bufio.NewReader(&c.feed)
	c.strict, c.lazy = csv.NewReader(c.br), csv.NewReader(c.br) // both read c.br itself
	c.strict.FieldsPerRecord, c.lazy.FieldsPerRecord = -1, -1
	c.lazy.LazyQuotes = true
	return c
}

// csvProblem is a record that cannot be read: its first line and why.
type csvProblem struct {
	line int
	msg  string
	// openQuote: a quote opened on the line is not closed; the lines after it are
	// read again as records
	openQuote bool
}

// rowMsg is the problem's message for a row of data.
func (p *csvProblem) rowMsg() string {
	if !p.openQuote {
		return p.msg
	}
	msg, hint, _ := strings.Cut(p.msg, " (")
	if hint != "" {
		hint = " (" + hint
	}
	return msg + ": the row is skipped, the lines after it are read as rows" + hint
}

// next returns the next record that is not blank and the line it starts on, or a
// problem (rec nil), or io.EOF.
func (c *csvReader) next() (rec []string, n int, prob *csvProblem, err error) {
	for {
		first, err := c.lr.next()
		if err != nil {
			return nil, 0, nil, err
		}
		if first.tooLong > 0 {
			return nil, first.n, &csvProblem{line: first.n, msg: tooLongMsg(first.tooLong)}, nil
		}
		if bytes.IndexByte(first.text, '"') < 0 {
			// No quote: the record is the line, its fields split at the delimiter, as
			// encoding/csv reads it.
			if rec := c.split(first.text); rec != nil {
				return rec, first.n, nil, nil
			}
			continue // a blank line
		}
		first = first.owned()
		lines := []line{first}
		open := bytes.Count(first.text, []byte{'"'})%2 == 1
		size := len(first.text)
		for open && len(lines) < maxRecordLines && size <= MaxLine {
			l, err := c.lr.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, 0, nil, err
			}
			if l.tooLong > 0 {
				c.lr.unread([]line{l})
				break
			}
			lines = append(lines, l.owned())
			size += 1 + len(l.text)
			open = open != (bytes.Count(l.text, []byte{'"'})%2 == 1)
		}
		if open {
			c.lr.unread(lines[1:])
			return nil, first.n, &csvProblem{first.n, openQuoteMsg(first.text, c.comma), true}, nil
		}
		var text []byte
		if len(lines) == 1 {
			text = first.text
		} else {
			for i, l := range lines {
				if i > 0 {
					text = append(text, '\n')
				}
				text = append(text, l.text...)
			}
		}
		rec, perr := c.parse(text, false)
		switch {
		case perr != nil && len(lines) == 1:
			var pe *csv.ParseError
			if errors.As(perr, &pe) {
				return nil, first.n, &csvProblem{line: first.n, msg: fmt.Sprintf("column %d: %v", runeColumn(first.text, pe.Column), pe.Err)}, nil
			}
			return nil, first.n, &csvProblem{line: first.n, msg: perr.Error()}, nil
		case perr != nil || len(lines) > 1 && c.rowsInside(lines[1:]):
			// The quote swallowed rows (or is not a quoted field at all): only the row
			// where it opened is lost.
			c.lr.unread(lines[1:])
			return nil, first.n, &csvProblem{first.n, openQuoteMsg(first.text, c.comma), true}, nil
		case rec == nil:
			continue // a blank line
		}
		return rec, first.n, nil, nil
	}
}

// split returns the fields of a line without quotes as encoding/csv reads it: a
// trailing "\r" dropped (as before the end of input), no record at all (nil) when
// nothing is left, else the fields between delimiters. The slice is c.rec, valid until
// the next record; its strings are interned.
func (c *csvReader) split(text []byte) []string {
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	if len(text) == 0 {
		return nil
	}
	rec := c.rec[:0]
	for {
		i := bytes.IndexByte(text, c.comma)
		if i < 0 {
			rec = append(rec, c.strs.get(text))
			break
		}
		rec = append(rec, c.strs.get(text[:i]))
		text = text[i+1:]
	}
	c.rec = rec
	return rec
}

// strCache interns the short strings of a file's fields (ids, codes, dates, schools,
// the same few comments), so that a value read again is not allocated again: a table
// of recent strings by hash, a new string taking the place of the one it collides
// with. Strings are immutable: sharing one is never seen.
type strCache struct {
	slots []string
}

const (
	strCacheSlots = 4096 // a power of two
	strCacheMax   = 64   // longer values are not kept
)

// get returns b as a string, the one kept when it was read before.
func (c *strCache) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > strCacheMax {
		return string(b)
	}
	if c.slots == nil {
		c.slots = make([]string, strCacheSlots)
	}
	s := &c.slots[strHash(b)&(strCacheSlots-1)]
	if *s != string(b) {
		*s = string(b)
	}
	return *s
}

// strHash is a quick hash of a short value (collisions only cost a string): its first
// and last 8 bytes, or its bytes, and its length.
func strHash(b []byte) uint64 {
	var x, y uint64
	if len(b) >= 8 {
		x, y = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		for _, c := range b {
			x = x<<8 | uint64(c)
		}
	}
	h := (x ^ uint64(len(b))) * 0x9e3779b97f4a7c15
	h ^= y * 0xc2b2ae3d27d4eb4f
	return (h ^ h>>29) * 0x165667b19e3779f9 >> 32
}

// detectComma sets the delimiter from the first line that is not blank: a tab or a
// "|" when the line has more of them than commas (a tab-delimited export, as
// PowerSchool's Data Export Manager writes by default). The line is read again.
func (c *csvReader) detectComma() error {
	var seen []line
	defer func() { c.lr.unread(seen) }()
	for {
		l, err := c.lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		seen = append(seen, l.owned())
		if l.tooLong > 0 || len(bytes.TrimSpace(l.text)) == 0 {
			if l.tooLong > 0 {
				return nil
			}
			continue
		}
		best, n := byte(','), bytes.Count(l.text, []byte{','})
		for _, d := range []byte{'\t', '|', ';'} {
			if k := bytes.Count(l.text, []byte{d}); k > n {
				best, n = d, k
			}
		}
		c.comma = best
		c.strict.Comma, c.lazy.Comma = rune(best), rune(best)
		return nil
	}
}

// parse reads one record from text with encoding/csv; a nil record is a blank line.
func (c *csvReader) parse(text []byte, lazy bool) ([]string, error) {
	c.feed.Reset(text)
	c.br.Reset(&c.feed) // drops what a record in error left unread
	cr := c.strict
	if lazy {
		cr = c.lazy
	}
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	return rec, err
}

// rowsInside reports whether one of the lines a quoted field spans reads as a row of
// its own: as many fields as the header.
func (c *csvReader) rowsInside(ls []line) bool {
	if c.fields == 0 {
		return false
	}
	for _, l := range ls {
		if bytes.Count(l.text, []byte{c.comma})+1 < c.fields {
			continue
		}
		if rec, _ := c.parse(l.text, true); len(rec) == c.fields {
			return true
		}
	}
	return false
}

// openQuoteMsg says where on a line the quote that is never closed opened.
func openQuoteMsg(text []byte, comma byte) string {
	open, at, inField := false, 0, false
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] != '"':
		case open && i+1 < len(text) && text[i+1] == '"':
			i++ // a doubled quote inside a quoted field
		case open:
			open = false
		default:
			open, at, inField = true, i, i > 0 && text[i-1] != comma
		}
	}
	col := utf8.RuneCount(text[:at]) + 1
	if inField {
		return fmt.Sprintf("column %d: a quote inside a field that is not quoted is never closed (quote the field and double its quotes)", col)
	}
	return fmt.Sprintf("column %d: a quote opened here is not closed", col)
}

// runeColumn turns encoding/csv's 1-based byte column on text into a rune column.
func runeColumn(text []byte, col int) int {
	if col < 1 || col > len(text)+1 {
		return col
	}
	return utf8.RuneCount(text[:col-1]) + 1
}
