package letters

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// A student's school year at a glance: a calendar of the school year, each day colored
// by status and excuse, partial days shaded in proportion, the ladder's steps marked on
// the days they fell due and were done; beside it each step with the clauses that held.
// This is the page a truancy interventionist brings to a hearing.

// StudentPage is what a student's page shows.
type StudentPage struct {
	Engine  *rollcall.Engine
	History *history.History
	Eval    *rollcall.Evaluation
	Back    string // a link back (the school's page), or ""
}

// stepMark is a step on the calendar and in the list beside it.
type stepMark struct {
	N        int // its number on the calendar: its place in the ladder, 1-based
	ID       string
	Title    string
	Kind     string // "due" or "done"
	Date     calendar.Date
	DueBy    calendar.Date
	Overdue  bool
	Latched  bool
	Because  string
	Outcome  string
	Clauses  []escalation.ClauseResult
	Citation string
}

// dayCell is one weekday of the calendar.
type dayCell struct {
	X, Y       float64
	Date       calendar.Date
	Day        int
	Status     string // present, absent, partial, closed, future, not-enrolled, weekend
	Excuse     string
	Days       float64
	Fill       string
	PartH      float64 // height of a partial day's shade
	PartY      float64
	Title      string
	Marks      []cellMark
	Rejected   bool
	TextFill   string
	PresentEvt bool
}

type cellMark struct {
	CX, CY float64
	N      int
	Kind   string
}

type monthBlock struct {
	X, Y  float64
	Title string
	Days  []dayCell
	Heads []struct {
		X, Y float64
		L    string
	}
}

type calView struct {
	Width, Height float64
	Months        []monthBlock
	Cell          float64
	Desc          string
}

var excuseFill = map[string]string{"excused": "#7fb3e6", "unverified": "#f4c542", "unexcused": "#e5533d", "none": "#b9a6e8"}

const (
	cell      = 24.0
	monthW    = 5*cell + 18
	monthH    = 20 + 14 + 6*cell + 12
	monthsRow = 4
)

// yearCalendar lays out the school year holding ev.AsOf.
func yearCalendar(h *history.History, ev *rollcall.Evaluation, marks []stepMark) (calView, bool) {
	cal := h.Calendar
	yi, ok := cal.YearOf(ev.AsOf)
	if !ok {
		return calView{}, false
	}
	year := cal.Years()[yi]
	type dayInfo struct {
		status, excuse string
		days           float64
		codes          []string
		rejected       bool
		presentEvent   bool
	}
	info := map[calendar.Date]*dayInfo{}
	for _, c := range ev.Events {
		d := info[c.Date]
		if d == nil {
			d = &dayInfo{}
			info[c.Date] = d
		}
		code := c.Code
		if c.EffectiveCode != "" && c.EffectiveCode != c.Code {
			code += "→" + c.EffectiveCode
		}
		if c.Rejected != "" {
			d.rejected = true
			d.codes = append(d.codes, code+" (rejected)")
			continue
		}
		d.codes = append(d.codes, code+" "+c.Excuse)
		if c.Status == "absent" {
			d.days += c.Days
			if d.status == "" || excuseRank(c.Excuse) > excuseRank(d.excuse) {
				d.excuse = c.Excuse
			}
			d.status = "absent"
		} else {
			d.presentEvent = true
		}
	}
	byDate := map[calendar.Date][]stepMark{}
	for _, m := range marks {
		byDate[m.Date] = append(byDate[m.Date], m)
	}
	var cv calView
	cv.Cell = cell
	fy, fm, _ := year.FirstDay.Date()
	ly, lm, _ := year.LastDay.Date()
	i := 0
	var schoolDays int
	for y, m := fy, fm; y < ly || (y == ly && m <= lm); i++ {
		mb := monthBlock{X: 8 + float64(i%monthsRow)*(monthW+10), Y: 8 + float64(i/monthsRow)*monthH, Title: fmt.Sprintf("%s %d", m, y)}
		for k, l := range []string{"M", "T", "W", "T", "F"} {
			mb.Heads = append(mb.Heads, struct {
				X, Y float64
				L    string
			}{mb.X + float64(k)*cell + cell/2, mb.Y + 30, l})
		}
		first := calendar.NewDate(y, m, 1)
		offset := (int(first.Weekday()) + 6) % 7 // Monday first
		for d := first; ; d = d.AddDays(1) {
			yy, mm, dd := d.Date()
			if mm != m || yy != y {
				break
			}
			wd := d.Weekday()
			if wd == time.Saturday || wd == time.Sunday {
				continue
			}
			row := (dd - 1 + offset) / 7
			c := dayCell{X: mb.X + float64(int(wd)-1)*cell, Y: mb.Y + 34 + float64(row)*cell, Date: d, Day: dd, TextFill: "#333"}
			inYear := !d.Before(year.FirstDay) && !d.After(year.LastDay)
			di := info[d]
			switch {
			case !inYear:
				c.Status, c.Fill, c.TextFill = "outside", "#ffffff", "#c4c4c4"
			case !cal.IsSchoolDay(d):
				c.Status, c.Fill, c.TextFill = "closed", "#dcdfe3", "#8a8f96"
			case len(h.Enrolment) > 0 && !h.Enrolment.Contains(d):
				c.Status, c.Fill, c.TextFill = "not-enrolled", "url(#hatch)", "#8a8f96"
				schoolDays++
			case d.After(ev.AsOf):
				c.Status, c.Fill, c.TextFill = "future", "#ffffff", "#9aa0a6"
				schoolDays++
			case di != nil && di.status == "absent" && di.days >= 0.999:
				c.Status, c.Excuse, c.Days, c.Fill = "absent", di.excuse, di.days, excuseFill[di.excuse]
				schoolDays++
			case di != nil && di.status == "absent" && di.days > 0:
				c.Status, c.Excuse, c.Days, c.Fill = "partial", di.excuse, di.days, "#ffffff"
				frac := max(di.days, 0.2)
				c.PartH = round2((cell - 2) * frac)
				c.PartY = round2(c.Y + 1 + (cell-2)*(1-frac))
				schoolDays++
			default:
				c.Status, c.Fill = "present", "#ffffff"
				if di != nil && di.presentEvent {
					c.PresentEvt = true
				}
				schoolDays++
			}
			if di != nil {
				c.Rejected = di.rejected
			}
			title := []string{d.String()}
			if di != nil {
				title = append(title, di.codes...)
				if c.Status == "partial" {
					title = append(title, fmt.Sprintf("%s of the day", policy.FormatNumber(round2(di.days))))
				}
			} else if c.Status == "closed" {
				title = append(title, "no school")
			}
			for k, m := range byDate[d] {
				c.Marks = append(c.Marks, cellMark{CX: c.X + cell - 6 - float64(k)*9, CY: c.Y + 6, N: m.N, Kind: m.Kind})
				title = append(title, fmt.Sprintf("step %d %s %s", m.N, m.ID, m.Kind))
			}
			c.Title = strings.Join(title, " · ")
			mb.Days = append(mb.Days, c)
		}
		cv.Months = append(cv.Months, mb)
		if m++; m > time.December {
			m, y = time.January, y+1
		}
	}
	rows := (len(cv.Months) + monthsRow - 1) / monthsRow
	cv.Width = 8 + monthsRow*(monthW+10)
	cv.Height = 8 + float64(rows)*monthH
	cv.Desc = fmt.Sprintf("School year %s to %s: %d school days", year.FirstDay, year.LastDay, schoolDays)
	return cv, true
}

func excuseRank(e string) int {
	switch e {
	case "unexcused":
		return 3
	case "unverified":
		return 2
	case "excused":
		return 1
	}
	return 0
}

// WriteStudentPage writes a student's year at a glance as one self-contained HTML page.
func WriteStudentPage(w io.Writer, p StudentPage) error {
	h, ev := p.History, p.Eval
	if h == nil || ev == nil || p.Engine == nil {
		return fmt.Errorf("letters: a student's page needs the engine, the history and its evaluation")
	}
	v := p.Engine.Pack().At(ev.AsOf)
	order := map[string]int{}
	titles := map[string]string{}
	for i, s := range v.Steps {
		order[s.ID] = i + 1
		titles[s.ID] = s.Title
	}
	var marks []stepMark
	for _, d := range ev.Due {
		m := stepMark{N: order[d.Step], ID: d.Step, Title: d.Title, Kind: "due", Date: d.Since, DueBy: d.DueBy, Overdue: d.Overdue,
			Latched: d.Latched, Because: d.Because, Clauses: d.Clauses, Citation: d.Citation}
		if m.Date.IsZero() {
			m.Date = ev.AsOf
		}
		if len(m.Clauses) == 0 {
			m.Clauses = []escalation.ClauseResult{{Clause: d.Trigger, Held: true, Facts: d.Facts}}
		}
		marks = append(marks, m)
	}
	year := h.Calendar.YearToDate(ev.AsOf)
	for _, iv := range h.Interventions {
		if iv.Date.After(ev.AsOf) || (!year.From.IsZero() && iv.Date.Before(year.From)) {
			continue
		}
		m := stepMark{N: order[iv.Step], ID: iv.Step, Title: titles[iv.Step], Kind: "done", Date: iv.Date, Outcome: iv.OutcomeSeen(ev.AsOf)}
		if x, _ := p.Engine.Explain(h, iv.Date, iv.Step); x != nil {
			m.Clauses = x.Clauses
			m.Citation = x.Step.Citation
		}
		marks = append(marks, m)
	}
	slices.SortStableFunc(marks, func(a, b stepMark) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return a.N - b.N
	})
	cv, _ := yearCalendar(h, ev, marks)
	type fact struct{ Name, Value string }
	var facts []fact
	for i, n := range ev.Facts.Names {
		facts = append(facts, fact{n, formatValue(n, ev.Facts.Values[i])})
	}
	var absences []rollcall.Classified
	for _, c := range ev.Events {
		if c.Status == "absent" || c.Rejected != "" || c.Minutes > 0 {
			absences = append(absences, c)
		}
	}
	slices.SortStableFunc(absences, func(a, b rollcall.Classified) int { return a.Date.Compare(b.Date) })
	data := map[string]any{
		"CSS": template.CSS(reportCSS + studentCSS), "S": h.Student, "Name": strings.TrimSpace(h.Student.Name), "Ev": ev, "Pack": p.Engine.Pack(),
		"CalSVG": cv.svg(), "Marks": marks, "Facts": facts, "Absences": absences, "Back": p.Back, "Fills": excuseFill,
		"Caps": CapUsage(v, h, ev, DefaultNear),
	}
	return studentTemplate.Execute(w, data)
}

const studentCSS = `
.year { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
svg.calendar text { font: 10px "Helvetica Neue", Arial, sans-serif; }
svg.calendar .mtitle { font-size: 11px; font-weight: bold; fill: #1f3a5f; }
svg.calendar .wd { fill: #777; font-size: 9px; }
svg.calendar rect.day { stroke: #c9ced6; stroke-width: .6; }
svg.calendar rect.rejected { stroke: #111; stroke-dasharray: 2 1.5; stroke-width: 1.2; }
svg.calendar .mark-due { fill: #fff; stroke: #d9480f; stroke-width: 1.4; }
svg.calendar .mark-done { fill: #1f3a5f; }
svg.calendar .mark-n { font-size: 7px; font-weight: bold; }
svg.calendar .mark-n.due { fill: #d9480f; } svg.calendar .mark-n.done { fill: #fff; }
svg.calendar .pevt { fill: #7c5cd6; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; margin: 6px 0 12px; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; vertical-align: -2px; margin-right: 4px; }
.steps { flex: 1 1 320px; min-width: 300px; }
.step { border-left: 4px solid #1f3a5f; padding: 4px 10px; margin: 0 0 10px; background: #f6f8fa; }
.step.due { border-color: #d9480f; }
.step h3 { margin: 0 0 4px; font-size: 14px; }
.step .num { display: inline-block; width: 18px; height: 18px; border-radius: 9px; text-align: center; font-size: 11px; line-height: 18px; margin-right: 4px; }
.step.due .num { border: 1.5px solid #d9480f; color: #d9480f; } .step.done .num { background: #1f3a5f; color: #fff; }
.clauses { margin: 4px 0 0; padding: 0 0 0 4px; list-style: none; font-size: 12.5px; }
.clauses li.held::before { content: "✔ "; color: #1a7f37; } .clauses li.not::before { content: "✘ "; color: #999; }
.clauses li.not { color: #777; }
.clauses code { font-size: 12px; } .read { color: #555; }
.cite { font-size: 11.5px; color: #666; }
`

var studentTemplate = template.Must(template.New("student").Funcs(reportFuncs).Funcs(template.FuncMap{
	"fmtnum":  func(v any) string { return policy.FormatNumber(v) },
	"formatv": formatValue,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{if .Name}}{{.Name}} ({{.S.ID}}){{else}}Student {{.S.ID}}{{end}}: attendance {{.Ev.AsOf}}</title>
<style>{{.CSS}}</style>
</head>
<body>
{{if .Back}}<p class="meta"><a href="{{.Back}}">Back to the school</a></p>{{end}}
<p class="staff">For staff: this page names a student. Keep it within the student's records.</p>
<h1>{{if .Name}}{{.Name}} · {{end}}student {{.S.ID}}</h1>
<p class="meta">{{with .S.School}}{{.}} · {{end}}{{with .S.Grade}}grade {{.}} · {{end}}as of {{.Ev.AsOf}} under pack {{.Pack.Name}}</p>
<table class="facts"><tr>{{range .Facts}}<th>{{.Name}}</th>{{end}}</tr><tr>{{range .Facts}}<td data-fact="{{.Name}}">{{.Value}}</td>{{end}}</tr></table>
{{if .Ev.Designations}}<p><strong>Designations:</strong> {{range $i, $d := .Ev.Designations}}{{if $i}}; {{end}}<span data-designation="{{.ID}}">{{or .Title .ID}}</span> ({{.Because}}){{end}}</p>{{end}}
{{if .Caps}}<p><strong>Caps:</strong> {{range $i, $c := .Caps}}{{if $i}}; {{end}}<span data-cap="{{.Cap}}">{{.Cap}}: {{fmtnum .Used}} of {{.Limit}}{{if .At}} (at the cap){{end}}</span>{{end}}</p>{{end}}
<div class="legend">
<span><span class="sw" style="background:#fff"></span>present</span>
<span><span class="sw" style="background:{{index .Fills "excused"}}"></span>absent, excused</span>
<span><span class="sw" style="background:{{index .Fills "unverified"}}"></span>absent, not yet verified</span>
<span><span class="sw" style="background:{{index .Fills "unexcused"}}"></span>absent, unexcused</span>
<span><span class="sw" style="background:linear-gradient(to top, #e5533d 40%, #fff 40%)"></span>part of the day (shaded by the part missed)</span>
<span><span class="sw" style="background:#dcdfe3"></span>no school</span>
<span><svg width="14" height="14"><circle cx="7" cy="7" r="5.5" class="mark-due" fill="#fff" stroke="#d9480f" stroke-width="1.4"/></svg> step fell due</span>
<span><svg width="14" height="14"><circle cx="7" cy="7" r="5.5" fill="#1f3a5f"/></svg> step done</span>
<span><svg width="14" height="14"><circle cx="7" cy="10" r="2" fill="#7c5cd6"/></svg> tardy or other present code</span>
</div>
<div class="year">
{{.CalSVG}}
<div class="steps">
<h2>Steps</h2>
{{if not .Marks}}<p>No ladder step is due or done this school year.</p>{{end}}
{{range .Marks}}<div class="step {{.Kind}}" data-step="{{.ID}}" data-kind="{{.Kind}}">
<h3><span class="num">{{.N}}</span>{{or .Title .ID}}</h3>
{{if eq .Kind "due"}}<div>Due since {{.Date}}{{if .Latched}} (the rule held then; due until done){{end}}{{with .DueBy}}, to be done by {{.}}{{end}}{{if .Overdue}} <span class="over">overdue</span>{{end}}.</div><div>{{.Because}}</div>{{else}}<div>Done on {{.Date}}{{with .Outcome}}: {{.}}{{end}}.</div>{{end}}
<ul class="clauses">{{range .Clauses}}<li class="{{if .Held}}held{{else}}not{{end}}"><code>{{.Clause}}</code> <span class="read">{{range $i, $f := .Facts}}{{if $i}}, {{end}}{{.Fact}} = {{fmtnum .Value}}{{end}}</span></li>{{end}}</ul>
{{with .Citation}}<div class="cite">{{.}}</div>{{end}}
</div>
{{end}}
{{with .Ev.Review}}<h3>To review</h3>{{range .}}<p>{{.Note}}</p>{{end}}{{end}}
</div>
</div>
<h2>Absences and partial days</h2>
{{if .Absences}}<table class="absences"><tr><th>date</th><th class="name">code</th><th class="name">effective</th><th class="name">excuse</th><th>days</th><th>minutes</th><th class="name">missing documents</th></tr>
{{range .Absences}}<tr data-date="{{.Date}}"><td>{{.Date}}</td><td class="name">{{.Code}}</td><td class="name">{{.EffectiveCode}}</td><td class="name">{{if .Rejected}}rejected: {{.Rejected}}{{else}}{{.Excuse}}{{end}}</td><td>{{fmtnum .Days}}</td><td>{{if .Minutes}}{{.Minutes}}{{end}}</td><td class="name">{{range $i, $d := .MissingDocuments}}{{if $i}}, {{end}}{{$d}}{{end}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
</body>
</html>
`))

// svg writes the calendar as inline SVG. It is written by hand rather than through
// html/template, which costs a few microseconds an attribute and a year has thousands:
// the only texts from the input (codes, in the days' titles) are escaped here.
func (cv calView) svg() template.HTML {
	if len(cv.Months) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(48 << 10)
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="calendar" role="img" width="%s" height="%s" viewBox="0 0 %s %s" aria-label="%s">`+"\n",
		num(cv.Width), num(cv.Height), num(cv.Width), num(cv.Height), esc(cv.Desc))
	b.WriteString("<title>" + esc(cv.Desc) + "</title>\n")
	b.WriteString(`<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#f1f2f4"/><line x1="0" y1="0" x2="0" y2="5" stroke="#c9ced6" stroke-width="1.5"/></pattern></defs>` + "\n")
	c := num(cv.Cell)
	for _, m := range cv.Months {
		b.WriteString(`<g class="month"><text class="mtitle" x="` + num(m.X) + `" y="` + num(m.Y) + `" dy="12">` + esc(m.Title) + "</text>\n")
		for _, h := range m.Heads {
			b.WriteString(`<text class="wd" x="` + num(h.X) + `" y="` + num(h.Y) + `" text-anchor="middle">` + h.L + `</text>`)
		}
		b.WriteString("\n")
		for _, d := range m.Days {
			x, y := num(d.X), num(d.Y)
			b.WriteString(`<g class="d"><rect class="day`)
			if d.Rejected {
				b.WriteString(" rejected")
			}
			b.WriteString(`" x="` + x + `" y="` + y + `" width="` + c + `" height="` + c + `" fill="` + d.Fill + `" data-date="` + d.Date.String() + `" data-status="` + d.Status + `"`)
			if d.Excuse != "" {
				b.WriteString(` data-excuse="` + esc(d.Excuse) + `" data-days="` + num(d.Days) + `"`)
			}
			b.WriteString("><title>" + esc(d.Title) + "</title></rect>")
			if d.PartH > 0 {
				b.WriteString(`<rect class="part" x="` + x + `" y="` + num(d.PartY) + `" width="` + c + `" height="` + num(d.PartH) + `" fill="` + excuseFill[d.Excuse] + `" opacity="0.85"/>`)
			}
			if d.PresentEvt {
				b.WriteString(`<circle class="pevt" cx="` + x + `" cy="` + y + `" r="2" transform="translate(12,19)"/>`)
			}
			b.WriteString(`<text x="` + x + `" y="` + y + `" dx="3" dy="10" fill="` + d.TextFill + `">` + strconv.Itoa(d.Day) + `</text>`)
			for _, mk := range d.Marks {
				n := strconv.Itoa(mk.N)
				b.WriteString(`<circle class="mark mark-` + mk.Kind + `" cx="` + num(mk.CX) + `" cy="` + num(mk.CY) + `" r="5" data-step-n="` + n + `" data-kind="` + mk.Kind + `"/><text class="mark-n ` + mk.Kind + `" x="` + num(mk.CX) + `" y="` + num(mk.CY) + `" dy="2.5" text-anchor="middle">` + n + `</text>`)
			}
			b.WriteString("</g>")
		}
		b.WriteString("\n</g>\n")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
