package roster

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Messages about input never echo free text (a comment, a reason, a name that landed in
// the wrong column) and never let input forge a line of output: a value is shown
// quoted only when it is short and has no spaces (a code, a number, a date, an id),
// with control characters and bidirectional overrides escaped; otherwise only its
// length is given. (history keeps a twin of these rules for its own errors.)

// maxShown is the longest value, in runes, a message quotes.
const maxShown = 32

// freeText reports whether s reads as free text rather than a code or a number: longer
// than maxShown runes, or with a space in it. (A control character such as a line
// break is not a space here: a value holding one is quoted, the character escaped.)
func freeText(s string) bool {
	return utf8.RuneCountInString(s) > maxShown || strings.IndexFunc(s, isSpace) >= 0
}

func isSpace(r rune) bool { return unicode.IsSpace(r) && !unicode.IsControl(r) }

// show returns s quoted for a message (escaped by strconv.Quote), or when it is free
// text its length: "(57 characters, not shown)".
func show(s string) string {
	if freeText(s) {
		return notShown(s)
	}
	return strconv.Quote(s)
}

func notShown(s string) string {
	return "(" + strconv.Itoa(utf8.RuneCountInString(s)) + " characters, not shown)"
}

// maxID is the longest id or code, in runes, a message names (a GUID has 36).
const maxID = 64

// showID returns an id or a code for a message: as it is when it is a plain token;
// quoted when it holds quotes, control characters, bidirectional overrides or invalid
// UTF-8 (escaped by strconv.Quote); by its length when it has a space or is too long
// to be an id (a name or a comment in the wrong column).
func showID(s string) string {
	switch {
	case utf8.RuneCountInString(s) > maxID || strings.IndexFunc(s, isSpace) >= 0:
		return notShown(s)
	case s == "" || !plainToken(s):
		return strconv.Quote(s)
	}
	return s
}

// plainToken reports whether every rune of s prints as itself and none is a space, a
// quote or a backslash.
func plainToken(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '"' || r == '\\' || unicode.IsSpace(r) || !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// escape makes s one line that shows what it holds: control characters, format
// characters (bidirectional overrides, zero-width joiners), line and paragraph
// separators and invalid UTF-8 are written as Go escapes ("\n", "\u202e", "\xff").
func escape(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[0])|0x100, 16)[1:])
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

// clip makes a message from elsewhere (the engine, a decoder) safe to print: each
// Go-quoted string in it whose value is free text is replaced by its length, and the
// result is escaped to one line.
func clip(msg string) string {
	if !strings.Contains(msg, `"`) {
		return escape(msg)
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			break
		}
		b.WriteString(msg[:i])
		q, err := strconv.QuotedPrefix(msg[i:])
		if i > 0 && msg[i-1] == '\'' && strings.HasPrefix(msg[i+1:], "'") {
			err = errors.New("a quote character, as a JSON syntax error gives it: '\"'")
		}
		if err != nil {
			b.WriteByte('"')
			msg = msg[i+1:]
			continue
		}
		if v, err := strconv.Unquote(q); err == nil && freeText(v) {
			b.WriteString(notShown(v))
		} else {
			b.WriteString(q)
		}
		msg = msg[i+len(q):]
	}
	b.WriteString(msg)
	return escape(b.String())
}
