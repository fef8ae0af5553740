package letters

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
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
	DateText   string // Date, as text
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
	cv.Months = make([]monthBlock, 0, 12)
	cv.Cell = cell
	fy, fm, _ := year.FirstDay.Date()
	ly, lm, _ := year.LastDay.Date()
	i := 0
	var schoolDays int
	var title []byte
	for y, m := fy, fm; y < ly || (y == ly && m <= lm); i++ {
		mb := monthBlock{X: 8 + float64(i%monthsRow)*(monthW+10), Y: 8 + float64(i/monthsRow)*monthH, Title: m.String() + " " + strconv.Itoa(y),
			Days: make([]dayCell, 0, 23)} // a month's weekdays: 23 at most
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
			c := dayCell{X: mb.X + float64(int(wd)-1)*cell, Y: mb.Y + 34 + float64(row)*cell, Date: d, DateText: d.String(), Day: dd, TextFill: "#333"}
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
			// the title: the date, then each of these after " · "
			title = append(title[:0], c.DateText...)
			if di != nil {
				for _, code := range di.codes {
					title = append(append(title, " · "...), code...)
				}
				if c.Status == "partial" {
					title = append(append(append(title, " · "...), policy.FormatNumber(round2(di.days))...), " of the day"...)
				}
			} else if c.Status == "closed" {
				title = append(title, " · no school"...)
			}
			for k, m := range byDate[d] {
				c.Marks = append(c.Marks, cellMark{CX: c.X + cell - 6 - float64(k)*9, CY: c.Y + 6, N: m.N, Kind: m.Kind})
				title = append(strconv.AppendInt(append(title, " · step "...), int64(m.N), 10), ' ')
				title = append(append(append(title, m.ID...), ' '), m.Kind...)
			}
			c.Title = string(title)
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
	page, err := StudentPageHTML(p)
	if err != nil {
		return err
	}
	_, err = w.Write(page)
	return err
}

// StudentPageHTML returns the page WriteStudentPage writes.
func StudentPageHTML(p StudentPage) ([]byte, error) {
	h, ev := p.History, p.Eval
	if h == nil || ev == nil || p.Engine == nil {
		return nil, fmt.Errorf("letters: a student's page needs the engine, the history and its evaluation")
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
	page := studentView{CSS: reportCSS + studentCSS, H: h, Ev: ev, Pack: p.Engine.Pack(), CalSVG: string(cv.svg()), Marks: marks, Facts: facts,
		Absences: absences, Back: p.Back, Caps: CapUsage(v, h, ev, DefaultNear)}
	return page.html(), nil
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

// svg writes the calendar as inline SVG. It is written by hand rather than through
// html/template, which costs a few microseconds an attribute and a year has thousands:
// the only texts from the input (codes, in the days' titles) are escaped here.
func (cv calView) svg() template.HTML {
	if len(cv.Months) == 0 {
		return ""
	}
	w := &htmlBuf{b: make([]byte, 0, 64<<10)}
	num := func(v float64) {
		if i := int64(v); float64(i) == v { // most coordinates
			w.b = strconv.AppendInt(w.b, i, 10)
			return
		}
		w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
	}
	// at writes the attribute name="v" of a number, after a space
	at := func(name string, v float64) {
		w.raw(" " + name + `="`)
		num(v)
		w.raw(`"`)
	}
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="calendar" role="img"`)
	at("width", cv.Width)
	at("height", cv.Height)
	w.raw(` viewBox="0 0 `)
	num(cv.Width)
	w.raw(" ")
	num(cv.Height)
	w.raw(`" aria-label="`)
	w.esc(cv.Desc)
	w.raw("\">\n<title>")
	w.esc(cv.Desc)
	w.raw("</title>\n")
	w.raw(`<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#f1f2f4"/><line x1="0" y1="0" x2="0" y2="5" stroke="#c9ced6" stroke-width="1.5"/></pattern></defs>` + "\n")
	for _, m := range cv.Months {
		w.raw(`<g class="month"><text class="mtitle"`)
		at("x", m.X)
		at("y", m.Y)
		w.raw(` dy="12">`)
		w.esc(m.Title)
		w.raw("</text>\n")
		for _, h := range m.Heads {
			w.raw(`<text class="wd"`)
			at("x", h.X)
			at("y", h.Y)
			w.raw(` text-anchor="middle">`)
			w.raw(h.L)
			w.raw(`</text>`)
		}
		w.raw("\n")
		for _, d := range m.Days {
			w.raw(`<g class="d"><rect class="day`)
			if d.Rejected {
				w.raw(" rejected")
			}
			w.raw(`"`)
			at("x", d.X)
			at("y", d.Y)
			at("width", cv.Cell)
			at("height", cv.Cell)
			w.raw(` fill="`)
			w.raw(d.Fill)
			w.raw(`" data-date="`)
			w.raw(d.DateText)
			w.raw(`" data-status="`)
			w.raw(d.Status)
			w.raw(`"`)
			if d.Excuse != "" {
				w.raw(` data-excuse="`)
				w.esc(d.Excuse)
				w.raw(`"`)
				at("data-days", d.Days)
			}
			w.raw("><title>")
			w.esc(d.Title)
			w.raw("</title></rect>")
			if d.PartH > 0 {
				w.raw(`<rect class="part"`)
				at("x", d.X)
				at("y", d.PartY)
				at("width", cv.Cell)
				at("height", d.PartH)
				w.raw(` fill="`)
				w.raw(excuseFill[d.Excuse])
				w.raw(`" opacity="0.85"/>`)
			}
			if d.PresentEvt {
				w.raw(`<circle class="pevt"`)
				at("cx", d.X)
				at("cy", d.Y)
				w.raw(` r="2" transform="translate(12,19)"/>`)
			}
			w.raw(`<text`)
			at("x", d.X)
			at("y", d.Y)
			w.raw(` dx="3" dy="10" fill="`)
			w.raw(d.TextFill)
			w.raw(`">`)
			w.int(d.Day)
			w.raw(`</text>`)
			for _, mk := range d.Marks {
				w.raw(`<circle class="mark mark-`)
				w.raw(mk.Kind)
				w.raw(`"`)
				at("cx", mk.CX)
				at("cy", mk.CY)
				w.raw(` r="5" data-step-n="`)
				w.int(mk.N)
				w.raw(`" data-kind="`)
				w.raw(mk.Kind)
				w.raw(`"/><text class="mark-n `)
				w.raw(mk.Kind)
				w.raw(`"`)
				at("x", mk.CX)
				at("y", mk.CY)
				w.raw(` dy="2.5" text-anchor="middle">`)
				w.int(mk.N)
				w.raw(`</text>`)
			}
			w.raw("</g>")
		}
		w.raw("\n</g>\n")
	}
	w.raw("</svg>")
	return template.HTML(w.b)
}
