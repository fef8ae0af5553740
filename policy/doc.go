// Package policy reads policy packs: a district's attendance policy written as YAML.
// A pack holds the codes and what excuses them, caps on excused days, classification
// rules, the truancy ladder, and the citations behind each. Loading is strict: unknown
// keys are errors with a suggestion, every problem in a pack is reported at once with
// file:line:col ([Errors]), and every expression is compiled and type-checked at load,
// never first at run time.
//
//	p, err := policy.Embedded("ccs")             // a pack that ships with rollcall
//	p, err := policy.LoadFile("district.yaml")   // a pack of your own
//	p, err := policy.LoadFS(fsys, "district.yaml")
//	p, err := policy.Load(data, "district.yaml")
//
// A loaded [Pack] is immutable and safe for concurrent use.
//
// # The schema
//
// The top level of a pack:
//
//	pack: district          # required: the pack's name
//	title: ...              # for people
//	citation: ...           # the policy or statute the pack implements
//	source: ...             # where its facts come from
//	extends: illinois       # an embedded pack by name, or a file: other.yaml
//	effective: 2024-07-01   # informational: when the pack was adopted
//	versions: [...]         # later versions, see below
//	# and the sections below
//
// Sections, each a mapping from identifier to entry (a child pack or a later version
// replaces an entry with the same identifier whole, adds new ones at the end, and
// removes one written as `ID: ~`):
//
//	documents:              # the documents codes may require
//	  medical-note: {name: Medical note, description: ...}
//	flags:                  # student flags that must hold on a date
//	  project-connect: {name: Project Connect}
//	codes:
//	  MED:
//	    name: Medical
//	    definition: ...
//	    status: absent       # present | absent (required)
//	    excuse: excused      # excused | unexcused | unverified: the excuse once documented (absent codes only)
//	    span: full-day       # full-day | late-arrival | early-leave | class-period
//	    documents: {any_of: [medical-note, principal-approval]}
//	    comment: required    # required | optional | {required: true, text: ["[Teacher Name]: ..."]}
//	    edfi: Excused Absence  # Ed-Fi AttendanceEventCategoryDescriptor
//	    tags: [medical]      # groups a pack's counts, caps and rules may read
//	    citation: ...
//
// What a law counts is declared, never built in. Each count takes the classified events
// its condition holds for, in a unit: days (a partial day counts its missed minutes over
// the day's minutes; one school day never counts more than one), occasions (school days
// with any matching event), minutes or hours.
//
//	counts:
//	  unexcused: {when: status == "absent" and excuse == "unexcused"}
//	  no_excuse_hours:
//	    title: Hours without legitimate excuse
//	    unit: hours
//	    when: excuse in ["unexcused", "unverified"] and not ("suspension" in tags)
//	  late_over_30: {unit: occasions, when: span == "late-arrival" and minutes > 30}
//
// A documentation requirement is a document identifier, `none`, or a mapping with one
// of: any_of: [...], all_of: [...], same_as: CODE (what CODE requires), flag: NAME
// (the student flag holds on the date), document: NAME. A code whose excuse is
// "excused" but whose documentation is incomplete is classified unverified, with the
// missing documents listed.
//
//	caps:
//	  parent-authorized:
//	    codes: [PAA, PAE, PAL]  # effective codes, after rules; or tags: [...]
//	    when: ...               # optional: a further condition over [Event]
//	    unit: occasions         # occasions (default: each school day used counts one) | days | minutes
//	    limit: 9
//	    per: school-year        # school-year | term | occurrence (the event's occurrence key, else consecutive school days)
//	    counts: documented      # documented (default: days whose own documentation was complete) | all
//	    past:                   # an effect (below), applied past the limit
//	      require: {any_of: [medical-note, principal-approval]}
//	    citation: ...
//	rules:                      # classification rules, over [Event]
//	  untyped-appointment:
//	    when: excuse == "excused" and reason matches "(?i)\\bappointment\\b"
//	    then: {excuse: unverified, note: ...}
//	    citation: ...
//
//	deadlines:                  # documentation deadlines, judged on the as-of date
//	  note-due:
//	    when: excuse == "unverified"
//	    school_days: 2          # N school days after `from`
//	    from: return            # absence | return (the first school day the student attended after it)
//	    then: {excuse: unexcused, note: ...}
//	    citation: ...
//
// An effect (a rule's then, a cap's past, a deadline's then, a step's effects) may:
// recode (a code, or a mapping from code to code), set documents (what excuses it
// instead), require (what is needed in addition), set excuse, and give a note. Rules run
// after the code's own documentation until none applies any more, each at most once;
// then the caps, then the rules again when a cap applied, then the deadlines.
//
//	ladder:                     # steps, in order, over [Facts]
//	  warning-letter:
//	    title: ...
//	    actor: building-secretary
//	    action: ...
//	    cadence: weekly to monthly
//	    when: unverified >= 5 and unverified < 10
//	    because: "{{unverified}} unverified absences (5-9)"
//	    after: [other-step]     # prerequisites, done on or before the date asked
//	    latch: false            # true: due from the first day the trigger held until done
//	    scope: school-year      # school-year (default: done and since count this year) | history
//	    outcomes: [progressing, failed]   # what an intervention may record; waived (with a note) always
//	    repeats: false          # or every: N (school days between repeats)
//	    deadline: {school_days: 7, from: trigger}   # or days: N; from: trigger | a step;
//	                            # or when: month.unexcused >= 7 (due by the first day it holds)
//	    involve:                # whom to involve, by reason
//	      health: {when: medical > 0, who: Health and Wellness}
//	    effects:                # rules that apply to absences after the step's date
//	      - when: status == "absent"  # (applies: school-year: to the whole school year it was done in)
//	        then: {documents: {any_of: [medical-note, nurse-note]}}
//	    citation: ...
//	designations:               # statuses a law defines, reported with the facts
//	  chronic-absence: {title: ..., when: absence_rate >= 0.1, because: ..., citation: ...}
//	routines:                   # recurring staff tasks that are not steps for one student
//	  five-day-letters: {title: ..., actor: ..., action: ..., cadence: monthly, citation: ...}
//	actions:                    # what to do on the day of an absence, over [Event]
//	  robocall: {title: ..., actor: ..., action: ..., when: status == "absent", citation: ...}
//	signout:                    # early dismissal, over [SignOut]; the first match decides
//	  phone-request: {when: by_phone, allow: false, notify: [], note: ..., citation: ...}
//	edfi:                       # Ed-Fi events to codes; the first match applies
//	  - {category: Excused Absence, reason: "(?i)sick", code: ILL}
//	school_month: 0             # 0: calendar months; N: blocks of N school days (Ohio: 20)
//
// # Letters
//
// A ladder step may carry a letter to the family, in one or more languages (en is
// required: it is the language letters fall back to), and the pack a letterhead that
// heads every letter (a top-level key, layered like the sections: a child pack's or a
// later version's replaces it whole):
//
//	letterhead:
//	  name: Springfield School District 186
//	  address: [1900 W Monroe St, "Springfield, IL 62704"]
//	  phone: (217) 525-3000
//	  email: attendance@sps186.org
//	  web: www.sps186.org
//	ladder:
//	  warning-letter:
//	    ...
//	    letter:
//	      signer: {en: Principal, es: Director(a) de la escuela}   # or one text for every language
//	      reason:               # why, in each language: {{expression}} placeholders over [Facts]
//	        en: "{{not_verified}} absences not verified as excused"
//	        es: "{{not_verified}} ausencias sin justificar"
//	        # or, for a when of several clauses, one text per clause (those that held are joined)
//	      period: {school_days: 20}   # optional: .PeriodStart, .PeriodEnd, the school days after the letter's date
//	      templates:            # Go html/template texts over [LetterFields], by language
//	        en: |
//	          <p>Dear {{.Guardian.Name}},</p>
//	          <p>{{.Student.Name}} has {{.Counts.not_verified}} absences ({{.Reason}}).</p>
//	        es: |
//	          <p>Estimada familia {{.Guardian.Name}}:</p> ...
//
// The merge fields are those of [LetterFields] (.Student.Name, .Guardian.Address,
// .Date, .Reason, .Counts.COUNT, .Absences, .Deadline, .Signer, .PeriodStart, ...),
// every value already written in the letter's language and escaped by html/template
// where it is printed. Templates are checked at load: an unknown field or count, a
// function other than and, or, not, eq, ne, lt, le, gt, ge, len and index, define and
// template, a field the step cannot fill (.Deadline without a deadline, .PeriodStart
// without a period, .Reason or .Signer without one in the template's language, .District
// without a letterhead) and HTML the escaper cannot make safe are load errors with
// file:line:col. A field printed outside any if, with or range body is needed: a
// family whose record lacks it gets no letter (the student's problem is reported),
// never a letter with a blank. The reason's placeholders are expressions, as in a
// because; the template's are Go template actions.
//
// # Versions
//
// A pack may hold later versions; each starts on its effective date and layers on the
// version before it, the same way a child pack layers on its parent. The version in
// force on an event's date classifies it; the one in force on the as-of date runs the
// ladder.
//
//	versions:
//	  - effective: 2025-07-01
//	    codes:
//	      MED: {name: Medical, status: absent, excuse: excused, documents: medical-note}
//
// # Expressions
//
// Conditions are [expr] expressions (https://expr-lang.org), type-checked at load
// against the environment their section names: counts, rules, caps, deadlines and daily
// actions see [Event] (with year.COUNT, the school year's counts before the event);
// ladder steps, involve and designations see [Facts]; sign-out rules see [SignOut]. A
// misspelt name or a type error is a load error at the expression's position in the
// file. "because" texts hold {{expression}} placeholders over the facts.
//
// Over [Facts], a bare count name is its value for the school year to date, bounded by
// enrolment. Windows, with constant arguments:
//
//	month.X              the current school month (see school_month)
//	term.X               the current term (terms come from the history's calendar)
//	max_month.X          the largest over the school months so far this year
//	previous(N).X        the previous N enrolled school days, the date included (into the
//	                     previous school year when the history holds its calendar)
//	previous_days(N).X   the previous N calendar days
//	since("step").X      after the step was last done
//	within("step", N).X  the first N school days after the step was last done
//	enrolled.X           the whole history
//	max_window(N).X      the largest over any N consecutive school days this year
//	max_days(N).X        the largest over any N consecutive calendar days this year
//	longest_run.X        the longest run of consecutive school days with a matching event
//
// A window over a step not done (since, within) is empty: its counts are 0 and its
// attendance_rate 1. A latched step that repeats is judged again from the day after it
// was last done. A step's interventions count for its school year (scope: history for
// the whole history), and an outcome listed in resets_on closes a case: the steps done
// before it no longer count and the year's counts start the day after.
//
// Every window has the calendar's measures: school_days, calendar_days, absent_days,
// present_days, attendance_rate (1 with no days) and absence_rate. Other facts: age,
// grade, flags (those holding on the date), school_day; and the step functions
// done("step"), times_done("step"), days_since("step") and school_days_since("step")
// (-1 when not done), outcome("step") (the last recorded outcome seen on the date, or
// ""). Step names and count names are checked at load, with a suggestion. Comparisons of
// numbers are exact at their boundaries: 3 >= 0.1 * 30 holds.
//
// # The sandbox
//
// Pack expressions cannot read the clock, the environment, files or the network: the
// builtins now, date, timezone and duration are not available, nor repeat. An
// expression is at most 4000 bytes, nests brackets at most 64 deep and has at most 2000
// nodes; anything more is a load error.
package policy
