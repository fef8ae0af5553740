package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/roster"
)

// mappingFlags are the flags of a roster read from a SIS's own export through a
// mapping (package roster's Mapping): --mapping NAME|FILE.yaml, and --codes FILE for a
// mapping that names codes by id (PowerSchool's Attendance_Code).
type mappingFlags struct {
	name, codes string
	// format is eval's and classify's --format (json or edfi), set by cmdHistory.
	format string
}

func (m *mappingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.name, "mapping", "", "")
	fs.StringVar(&m.codes, "codes", "", "")
}

// given reports whether the roster is read through a mapping.
func (m *mappingFlags) given() bool { return m.name != "" }

// checkMapped checks a roster read through a mapping; done is false when no mapping is
// given (and --codes is not either), for rosterFlags.check to go on.
func (r *rosterFlags) checkMapped() (done bool, err error) {
	if !r.m.given() {
		if r.m.codes != "" {
			return true, usagef("--codes is the codes table of a mapping: give --mapping too (e.g. --mapping powerschool)")
		}
		return false, nil
	}
	switch {
	case r.histories != "":
		return true, usagef("--mapping reads a SIS's files (--events, --edfi, --students, --interventions), not --histories")
	case r.events != "" && r.edfi != "":
		return true, usagef("give --events or --edfi, not both")
	case r.events == "" && r.edfi == "":
		return true, usagef("no events: give --events EVENTS.csv or --edfi EVENTS.json with --mapping")
	}
	return true, nil
}

// loadMapped reads a roster through a mapping: the mapping, the calendars it names and
// --calendar (one calendar, or calendars by school id), the codes table, then the
// students, the events and the interventions.
func (r *rosterFlags) loadMapped(e *env, eng *rollcall.Engine) (*roster.Roster, error) {
	m, err := roster.LoadMapping(r.m.name)
	if err != nil {
		return nil, err
	}
	cals := map[string]*calendar.Calendar{}
	files := m.Calendars()
	for _, school := range slices.Sorted(maps.Keys(files)) {
		data, err := os.ReadFile(files[school])
		if err != nil {
			return nil, fmt.Errorf("%s: calendars: school %s: cannot read %s: %v", m.File(), school, files[school], withoutPath(err))
		}
		c, err := roster.ReadCalendar(data, files[school])
		if err != nil {
			return nil, err
		}
		cals[school] = c
	}
	if r.calendar != "" {
		data, name, err := readInput(e, r.calendar)
		if err != nil {
			return nil, err
		}
		byFlag, err := roster.ReadSchoolCalendars(data, name)
		if err != nil {
			return nil, err
		}
		maps.Copy(cals, byFlag)
	}
	if len(cals) == 0 {
		return nil, usagef("no calendar: give --calendar CAL.json (one calendar, or {\"SCHOOL\": calendar, ...}), or name them in the mapping (calendars)")
	}
	ro := roster.New(eng, nil)
	if err := ro.UseMapping(m); err != nil {
		return nil, err
	}
	ro.SetSchoolCalendars(cals)
	if r.m.codes != "" {
		if !m.NeedsCodes() {
			return nil, usagef("--codes: mapping %s reads codes as they are, not by id: leave --codes out", m.Name())
		}
		if err := readFile(r.m.codes, ro.ReadCodes); err != nil {
			return nil, err
		}
	}
	if err := r.readInto(ro); err != nil {
		return nil, err
	}
	return ro, nil
}

// withoutPath is an *os.PathError's own error, without the path a message already names.
func withoutPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
