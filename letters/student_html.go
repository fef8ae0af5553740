package letters

import (
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// A student's page is written by hand rather than through html/template: the template
// cost half a millisecond a page in reflection, and report --out writes a page per
// student of a district. Every text from the input or the pack goes through esc (the
// escaping html/template gives text and quoted attributes); the page's structure is
// what the template's was.

// fact is one fact of the facts table, formatted.
type fact struct{ Name, Value string }

// studentView is what a student's page shows.
type studentView struct {
	CSS      string
	H        *history.History
	Ev       *rollcall.Evaluation
	Pack     *policy.Pack
	CalSVG   string // the calendar, already HTML
	Marks    []stepMark
	Facts    []fact
	Absences []rollcall.Classified
	Back     string
	Caps     []CapUse
}

// htmlBuf is a page being written.
type htmlBuf struct{ b []byte }

// raw appends HTML as it is.
func (w *htmlBuf) raw(s string) { w.b = append(w.b, s...) }

// esc appends a text escaped for element content and quoted attribute values.
func (w *htmlBuf) esc(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		w.b = append(w.b, s[last:i]...)
		w.b = append(w.b, rep...)
		last = i + 1
	}
	w.b = append(w.b, s[last:]...)
}

// url appends a link's address: a relative one as it is (escaped), any other (one
// with a scheme) replaced, as html/template would, by a harmless one.
func (w *htmlBuf) url(s string) {
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		w.raw("#ZgotmplZ")
		return
	}
	w.esc(s)
}

func (w *htmlBuf) num(v any) { w.esc(policy.FormatNumber(v)) }

func (w *htmlBuf) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (p *studentView) html() []byte {
	w := &htmlBuf{b: make([]byte, 0, len(p.CalSVG)+len(p.CSS)+16<<10)}
	s, ev := p.H.Student, p.Ev
	name := strings.TrimSpace(s.Name)
	w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>")
	if name != "" {
		w.esc(name)
		w.raw(" (")
		w.esc(s.ID)
		w.raw(")")
	} else {
		w.raw("Student ")
		w.esc(s.ID)
	}
	w.raw(": attendance ")
	w.esc(ev.AsOf.String())
	w.raw("</title>\n<style>")
	w.raw(p.CSS)
	w.raw("</style>\n</head>\n<body>\n")
	if p.Back != "" {
		w.raw(`<p class="meta"><a href="`)
		w.url(p.Back)
		w.raw("\">Back to the school</a></p>\n")
	}
	w.raw("<p class=\"staff\">For staff: this page names a student. Keep it within the student's records.</p>\n<h1>")
	if name != "" {
		w.esc(name)
		w.raw(" · ")
	}
	w.raw("student ")
	w.esc(s.ID)
	w.raw("</h1>\n<p class=\"meta\">")
	if s.School != "" {
		w.esc(s.School)
		w.raw(" · ")
	}
	if s.Grade != "" {
		w.raw("grade ")
		w.esc(s.Grade)
		w.raw(" · ")
	}
	w.raw("as of ")
	w.esc(ev.AsOf.String())
	w.raw(" under pack ")
	w.esc(p.Pack.Name)
	w.raw("</p>\n<table class=\"facts\"><tr>")
	for _, f := range p.Facts {
		w.raw("<th>")
		w.esc(f.Name)
		w.raw("</th>")
	}
	w.raw("</tr><tr>")
	for _, f := range p.Facts {
		w.raw(`<td data-fact="`)
		w.esc(f.Name)
		w.raw(`">`)
		w.esc(f.Value)
		w.raw("</td>")
	}
	w.raw("</tr></table>\n")
	if len(ev.Designations) > 0 {
		w.raw("<p><strong>Designations:</strong> ")
		for i, d := range ev.Designations {
			if i > 0 {
				w.raw("; ")
			}
			w.raw(`<span data-designation="`)
			w.esc(d.ID)
			w.raw(`">`)
			w.esc(cmpOr(d.Title, d.ID))
			w.raw("</span> (")
			w.esc(d.Because)
			w.raw(")")
		}
		w.raw("</p>")
	}
	w.raw("\n")
	if len(p.Caps) > 0 {
		w.raw("<p><strong>Caps:</strong> ")
		for i, c := range p.Caps {
			if i > 0 {
				w.raw("; ")
			}
			w.raw(`<span data-cap="`)
			w.esc(c.Cap)
			w.raw(`">`)
			w.esc(c.Cap)
			w.raw(": ")
			w.num(c.Used)
			w.raw(" of ")
			w.raw(strconv.Itoa(c.Limit))
			if c.At {
				w.raw(" (at the cap)")
			}
			w.raw("</span>")
		}
		w.raw("</p>")
	}
	w.raw("\n")
	w.raw(legendHTML)
	w.raw("<div class=\"year\">\n")
	w.raw(p.CalSVG)
	w.raw("\n<div class=\"steps\">\n<h2>Steps</h2>\n")
	if len(p.Marks) == 0 {
		w.raw("<p>No ladder step is due or done this school year.</p>")
	}
	w.raw("\n")
	for _, m := range p.Marks {
		w.raw(`<div class="step `)
		w.esc(m.Kind)
		w.raw(`" data-step="`)
		w.esc(m.ID)
		w.raw(`" data-kind="`)
		w.esc(m.Kind)
		w.raw("\">\n<h3><span class=\"num\">")
		w.raw(strconv.Itoa(m.N))
		w.raw("</span>")
		w.esc(cmpOr(m.Title, m.ID))
		w.raw("</h3>\n")
		if m.Kind == "due" {
			w.raw("<div>Due since ")
			w.esc(m.Date.String())
			if m.Latched {
				w.raw(" (the rule held then; due until done)")
			}
			if !m.DueBy.IsZero() {
				w.raw(", to be done by ")
				w.esc(m.DueBy.String())
			}
			if m.Overdue {
				w.raw(` <span class="over">overdue</span>`)
			}
			w.raw(".</div><div>")
			w.esc(m.Because)
			w.raw("</div>")
		} else {
			w.raw("<div>Done on ")
			w.esc(m.Date.String())
			if m.Outcome != "" {
				w.raw(": ")
				w.esc(m.Outcome)
			}
			w.raw(".</div>")
		}
		w.raw("\n<ul class=\"clauses\">")
		for _, c := range m.Clauses {
			if c.Held {
				w.raw(`<li class="held"><code>`)
			} else {
				w.raw(`<li class="not"><code>`)
			}
			w.esc(c.Clause)
			w.raw(`</code> <span class="read">`)
			for i, f := range c.Facts {
				if i > 0 {
					w.raw(", ")
				}
				w.esc(f.Fact)
				w.raw(" = ")
				w.num(f.Value)
			}
			w.raw("</span></li>")
		}
		w.raw("</ul>\n")
		if m.Citation != "" {
			w.raw(`<div class="cite">`)
			w.esc(m.Citation)
			w.raw("</div>")
		}
		w.raw("\n</div>\n")
	}
	w.raw("\n")
	if len(ev.Review) > 0 {
		w.raw("<h3>To review</h3>")
		for _, r := range ev.Review {
			w.raw("<p>")
			w.esc(r.Note)
			w.raw("</p>")
		}
	}
	w.raw("\n</div>\n</div>\n<h2>Absences and partial days</h2>\n")
	if len(p.Absences) == 0 {
		w.raw("<p>None.</p>")
	} else {
		w.raw(`<table class="absences"><tr><th>date</th><th class="name">code</th><th class="name">effective</th><th class="name">excuse</th><th>days</th><th>minutes</th><th class="name">missing documents</th></tr>` + "\n")
		for _, c := range p.Absences {
			d := c.Date.String()
			w.raw(`<tr data-date="`)
			w.esc(d)
			w.raw(`"><td>`)
			w.esc(d)
			w.raw(`</td><td class="name">`)
			w.esc(c.Code)
			w.raw(`</td><td class="name">`)
			w.esc(c.EffectiveCode)
			w.raw(`</td><td class="name">`)
			if c.Rejected != "" {
				w.raw("rejected: ")
				w.esc(c.Rejected)
			} else {
				w.esc(c.Excuse)
			}
			w.raw("</td><td>")
			w.num(c.Days)
			w.raw("</td><td>")
			if c.Minutes != 0 {
				w.raw(strconv.Itoa(c.Minutes))
			}
			w.raw(`</td><td class="name">`)
			for i, doc := range c.MissingDocuments {
				if i > 0 {
					w.raw(", ")
				}
				w.esc(doc)
			}
			w.raw("</td></tr>\n")
		}
		w.raw("</table>")
	}
	w.raw("\n</body>\n</html>\n")
	return w.b
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// legendHTML is the calendar's legend (its colors are excuseFill's).
var legendHTML = `<div class="legend">
<span><span class="sw" style="background:#fff"></span>present</span>
<span><span class="sw" style="background:` + excuseFill["excused"] + `"></span>absent, excused</span>
<span><span class="sw" style="background:` + excuseFill["unverified"] + `"></span>absent, not yet verified</span>
<span><span class="sw" style="background:` + excuseFill["unexcused"] + `"></span>absent, unexcused</span>
<span><span class="sw" style="background:linear-gradient(to top, #e5533d 40%, #fff 40%)"></span>part of the day (shaded by the part missed)</span>
<span><span class="sw" style="background:#dcdfe3"></span>no school</span>
<span><svg width="14" height="14"><circle cx="7" cy="7" r="5.5" class="mark-due" fill="#fff" stroke="#d9480f" stroke-width="1.4"/></svg> step fell due</span>
<span><svg width="14" height="14"><circle cx="7" cy="7" r="5.5" fill="#1f3a5f"/></svg> step done</span>
<span><svg width="14" height="14"><circle cx="7" cy="10" r="2" fill="#7c5cd6"/></svg> tardy or other present code</span>
</div>
`
