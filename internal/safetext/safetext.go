// Package safetext makes messages about input safe to print: they never echo free text
// (a comment, a reason, a name that landed in the wrong column) and never let input
// forge a line of output. Packages history and roster word their errors with it.
package safetext

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A value is shown quoted only when it is short and has no spaces (a code, a number, a
// date, an id), with control characters and bidirectional overrides escaped; otherwise
// only its length is given.

// MaxShown is the longest value, in runes, a message quotes.
const MaxShown = 32

// FreeText reports whether s reads as free text rather than a code or a number: longer
// than MaxShown runes, or with a space in it. (A control character such as a line
// break is not a space here: a value holding one is quoted, the character escaped.)
func FreeText(s string) bool {
	return utf8.RuneCountInString(s) > MaxShown || strings.IndexFunc(s, isSpace) >= 0
}

func isSpace(r rune) bool { return unicode.IsSpace(r) && !unicode.IsControl(r) }

// Show returns s quoted for a message (escaped by strconv.Quote), or when it is free
// text its length: "(57 characters, not shown)".
func Show(s string) string {
	if FreeText(s) {
		return NotShown(s)
	}
	return strconv.Quote(s)
}

func NotShown(s string) string {
	return "(" + strconv.Itoa(utf8.RuneCountInString(s)) + " characters, not shown)"
}

// MaxID is the longest id or code, in runes, a message names (a GUID has 36).
const MaxID = 64

// ShowID returns an id or a code for a message: as it is when it is a plain token;
// quoted when it holds quotes, control characters, bidirectional overrides or invalid
// UTF-8 (escaped by strconv.Quote); by its length when it has a space or is too long
// to be an id (a name or a comment in the wrong column).
func ShowID(s string) string {
	switch {
	case utf8.RuneCountInString(s) > MaxID || strings.IndexFunc(s, isSpace) >= 0:
		return NotShown(s)
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

// Escape makes s one line that shows what it holds: control characters, format
// characters (bidirectional overrides, zero-width joiners), line and paragraph
// separators and invalid UTF-8 are written as Go escapes ("\n", "\u202e", "\xff").
func Escape(s string) string {
	i := strings.IndexFunc(s, Unsafe)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[0])|0x100, 16)[1:])
		case Unsafe(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// Unsafe reports whether r could forge a line or reorder what a terminal shows: a
// control or format character (a bidirectional override), a line or paragraph separator.
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

// Clip makes a message from elsewhere (the engine, a decoder) safe to print: each
// Go-quoted string in it whose value is free text is replaced by its length, and the
// result is escaped to one line.
func Clip(msg string) string { return Escape(Redact(msg)) }

// Redact replaces each Go-quoted string of msg whose value is free text by its length.
// Lines are kept (a calendar's problems are one a line); escape each when printing.
func Redact(msg string) string {
	if !strings.Contains(msg, `"`) {
		return msg
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
		if v, err := strconv.Unquote(q); err == nil && FreeText(v) {
			b.WriteString(NotShown(v))
		} else {
			b.WriteString(q)
		}
		msg = msg[i+len(q):]
	}
	b.WriteString(msg)
	return b.String()
}
