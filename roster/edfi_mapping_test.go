package roster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
)

// edfiRec is a StudentSchoolAttendanceEvent of student E1 at school 7 in Ed-Fi's
// namespace, with extra fields.
func edfiRec(date, category, extra string) string {
	return `{"studentReference": {"studentUniqueId": "E1"}, "schoolReference": {"schoolId": 7}, ` +
		`"attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#` + category + `", "eventDate": "` + date + `"` + extra + "}"
}

func readEdFiLines(t *testing.T, r *Roster, recs ...string) {
	t.Helper()
	require.NoError(t, r.ReadEdFi(strings.NewReader(strings.Join(recs, "\n")+"\n"), "e.jsonl"))
}

// An Ed-Fi tardy with an arrival time is a partial day, never a day absent: the minutes
// from the school day's start (the mapping's) to the arrival; a departure misses the
// rest of the day; both, the time between them is present.
func TestEdFiArrivalTimes(t *testing.T) {
	_, r := newMapped(t, "ccs", "extends: edfi\nedfi: {day_start: {\"*\": \"08:00\", \"9\": \"07:30\"}}\n")
	readEdFiLines(t, r,
		edfiRec("2024-09-04", "Tardy", `, "arrivalTime": "09:10:00"`),
		edfiRec("2024-09-05T00:00:00", "Early departure", `, "departureTime": "13:40"`),
		edfiRec("2024-09-06T09:10:00-05:00", "Partial", `, "arrivalTime": "09:00:00", "departureTime": "14:00:00"`),
		edfiRec("2024-09-09", "Tardy", `, "arrivalTime": "07:55:00"`),
		edfiRec("2024-09-10", "Tardy", `, "arrivalTime": "nine"`),
		edfiRec("2024-09-11", "Tardy", ""),
		edfiRec("2024-09-12", "Tardy", `, "arrivalTime": "09:10:00", "schoolAttendanceDuration": 12`),
	)
	assert.Equal(t, []string{
		`e.jsonl:4: student E1: record 4 (2024-09-09): arrivalTime "07:55:00" is not after the school day's start 08:00: no time missed`,
		`e.jsonl:5: student E1: record 5 (2024-09-10): arrivalTime "nine" is not a time of day (want HH:MM:SS)`,
		`e.jsonl:6: student E1: record 6 (2024-09-11): a Tardy record gives no time (arrivalTime, departureTime, schoolAttendanceDuration or eventDuration): it is not read as a whole day`,
	}, problems(r))
	entries := r.Entries()
	require.Len(t, entries, 1)
	// The day is 400 minutes: 08:00 to 14:40.
	assert.Equal(t, []string{"2024-09-04 TUX 70", "2024-09-05 ELU 60", "2024-09-06 TUX 100", "2024-09-12 TUX 12"}, eventsOf(entries[0].History),
		"a time part of eventDate is dropped; a duration wins over times")
	assert.Equal(t, EventRef{School: "7", ArrivalTime: "09:10:00"}, entries[0].Ref(0))

	// Without the day's start, an arrival alone cannot be placed: a problem, not a day.
	_, r = newTestRoster(t, "ccs")
	readEdFiLines(t, r, edfiRec("2024-09-04", "Tardy", `, "arrivalTime": "09:10:00"`))
	assert.Equal(t, []string{`e.jsonl:1: student E1: record 1 (2024-09-04): a time of arrival or departure alone needs the school day's start: give it in a mapping (edfi.day_start); the record is not read as a whole day`}, problems(r))

	// A tardy the pack counts present needs no time.
	_, r = newTestRoster(t, "il-roe-sop")
	readEdFiLines(t, r, edfiRec("2024-09-04", "Tardy", ""))
	assert.Empty(t, r.Problems)
}

// Descriptors are matched by their full URI: another namespace only through the mapping.
func TestEdFiNamespaces(t *testing.T) {
	district := func(date, value string) string {
		return `{"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "uri://district.org/AttendanceEventCategoryDescriptor#` +
			value + `", "eventDate": "` + date + `"}`
	}
	_, r := newTestRoster(t, "il-roe-sop")
	readEdFiLines(t, r, district("2024-09-04", "Unexcused Absence"), edfiRec("2024-09-05", "unexcused absence", ""))
	assert.Equal(t, []string{`e.jsonl:1: student E1: record 1 (2024-09-04): descriptor (70 characters, not shown) is not of Ed-Fi's namespace uri://ed-fi.org/AttendanceEventCategoryDescriptor: map it in a mapping (edfi.descriptors, or edfi.namespaces)`}, problems(r))
	assert.Equal(t, []string{"2024-09-05 UNX"}, eventsOf(r.Entries()[0].History), "Ed-Fi's own namespace, case aside")

	_, r = newMapped(t, "il-roe-sop", `
edfi:
  namespaces: [URI://district.org/AttendanceEventCategoryDescriptor]
  descriptors:
    "uri://district.org/AttendanceEventCategoryDescriptor#Medical": MED
    "uri://district.org/AttendanceEventCategoryDescriptor#Sick": Excused Absence
`)
	readEdFiLines(t, r, district("2024-09-04", "Unexcused Absence"), district("2024-09-05", "Medical"),
		district("2024-09-06", "Sick")+"", strings.Replace(district("2024-09-09", "Sick"), `"eventDate"`, `"attendanceEventReason": "flu", "eventDate"`, 1))
	assert.Empty(t, r.Problems)
	assert.Equal(t, []string{"2024-09-04 UNX", "2024-09-05 MED", "2024-09-06 ECE", "2024-09-09 ILL"}, eventsOf(r.Entries()[0].History))

	_, err := (&rollcall.Engine{}).EdFiCode("x", "", calendar.Date{})
	assert.Error(t, err)
	e, _ := rollcall.Open("il-roe-sop")
	_, err = e.EdFiCode("uri://district.org/AttendanceEventCategoryDescriptor#Unexcused Absence", "", calendar.MustParseDate("2024-09-04"))
	assert.ErrorContains(t, err, "is not of Ed-Fi's namespace")
	code, err := e.EdFiCode(rollcall.EdFiDescriptor("Unexcused Absence"), "", calendar.MustParseDate("2024-09-04"))
	require.NoError(t, err)
	assert.Equal(t, "UNX", code)
}

// A category the SIS decided can be trusted: an excused absence is excused, with the
// documents its code asks, instead of being re-derived into "needs a medical note".
func TestEdFiTrust(t *testing.T) {
	recs := []string{
		edfiRec("2024-09-04", "Excused Absence", `, "attendanceEventReason": "sick"`),
		edfiRec("2024-09-05", "Unexcused Absence", ""),
	}
	asOf := calendar.MustParseDate("2024-09-30")
	e, r := newTestRoster(t, "ccs")
	readEdFiLines(t, r, recs...)
	cls, err := e.Classify(r.Entries()[0].History, asOf)
	require.NoError(t, err)
	assert.NotEqual(t, "excused", cls.Events[0].Excuse, "re-derived: MED needs a medical note")
	assert.NotEmpty(t, cls.Events[0].MissingDocuments)

	e, r = newMapped(t, "ccs", "edfi: {trust: [Excused Absence, Unexcused Absence]}\n")
	readEdFiLines(t, r, recs...)
	h := r.Entries()[0].History
	assert.Equal(t, []string{"medical-note"}, h.Events[0].Documents)
	cls, err = e.Classify(h, asOf)
	require.NoError(t, err)
	assert.Equal(t, "MED", cls.Events[0].EffectiveCode)
	assert.Equal(t, "excused", cls.Events[0].Excuse, "trusted")
	assert.Empty(t, cls.Events[0].MissingDocuments)
	assert.Equal(t, "unexcused", cls.Events[1].Excuse)

	// Illinois maps an excused absence without a reason to ECE, reported by the parent and
	// never excused by documents: trusting it takes the district's code.
	e, r = newMapped(t, "illinois", "edfi: {trust: {Excused Absence: FEM}}\n")
	readEdFiLines(t, r, edfiRec("2024-09-04", "Excused Absence", ""), edfiRec("2024-09-05", "Excused Absence", `, "attendanceEventReason": "dentist"`))
	h = r.Entries()[0].History
	assert.Equal(t, []string{"2024-09-04 FEM", "2024-09-05 MED"}, eventsOf(h))
	cls, err = e.Classify(h, asOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"excused", "excused"}, []string{cls.Events[0].Excuse, cls.Events[1].Excuse})
}

// Section records of a day roll up into the day, as periods do.
func TestEdFiSections(t *testing.T) {
	sec := func(date, category, section, extra string) string {
		return `{"studentReference": {"studentUniqueId": "E1"}, "sectionReference": {"localCourseCode": "ALG1", "schoolId": 7, "schoolYear": 2025, ` +
			`"sectionIdentifier": "` + section + `", "sessionName": "2024-2025 Fall Semester"}, "attendanceEventCategoryDescriptor": "` + category +
			`", "eventDate": "` + date + `"` + extra + "}"
	}
	_, r := newMapped(t, "il-roe-sop", "extends: edfi\nperiods: {per_day: {\"7\": 4}}\n")
	var recs []string
	// 2024-09-04: absent from 2 of 4 sections (the others present): a half day.
	for i, cat := range []string{"Unexcused Absence", "Unexcused Absence", "In Attendance", "In Attendance"} {
		recs = append(recs, sec("2024-09-04", cat, fmt.Sprint(i+1), ""))
	}
	// 2024-09-05: absent from the 4 sections of the day: a whole day.
	for i := range 4 {
		recs = append(recs, sec("2024-09-05", "Unexcused Absence", fmt.Sprint(i+1), ""))
	}
	// 2024-09-06: tardy to a class: present.
	recs = append(recs, sec("2024-09-06", "Tardy", "1", `, "classPeriods": [{"classPeriodReference": {"classPeriodName": "P1", "schoolId": 7}}]`))
	// 2024-09-09: one of 4: its share of the day's minutes.
	recs = append(recs, sec("2024-09-09", "Unexcused Absence", "3", `, "sectionAttendanceDuration": 55`), sec("2024-09-09", "In Attendance", "4", ""))
	require.NoError(t, r.ReadEdFi(strings.NewReader("["+strings.Join(recs, ",\n")+"]"), "sections.json"))
	assert.Empty(t, problems(r))
	en := r.Entries()[0]
	assert.Equal(t, []string{"2024-09-04 UNX 200", "2024-09-05 UNX", "2024-09-06 TDY", "2024-09-09 UNX 100"}, eventsOf(en.History))
	require.NotNil(t, en.Ref(0).Session)
	assert.Equal(t, "2024-2025 Fall Semester", en.Ref(0).Session.SessionName, "the section's session is kept")
	assert.Equal(t, "7", en.History.Student.School)

	// Under the minutes rule, a section's sectionAttendanceDuration is its minutes.
	_, r = newMapped(t, "il-roe-sop", "extends: edfi\nperiods: {rule: minutes}\n")
	require.NoError(t, r.ReadEdFi(strings.NewReader("["+recs[len(recs)-2]+","+recs[0]+"]"), "sections.json"))
	assert.Equal(t, []string{"2024-09-09 UNX 55"}, eventsOf(r.Entries()[0].History))
	assert.Equal(t, []string{`sections.json:1: student E1: 2024-09-04: period ALG1/1 of school 7 is not in the bell schedule (periods.bell): its minutes are not counted`}, problems(r))
}

// requiredEdFi is what the Ed-Fi API's OpenAPI definition of
// edFi_studentSchoolAttendanceEvent requires (ODS/API 5 to 7): the resource's identity.
var requiredEdFi = map[string][]string{
	"":                 {"attendanceEventCategoryDescriptor", "eventDate", "schoolReference", "sessionReference", "studentReference"},
	"schoolReference":  {"schoolId"},
	"sessionReference": {"schoolId", "schoolYear", "sessionName"},
	"studentReference": {"studentUniqueId"},
}

// checkEdFiJSON checks one resource as JSON against the resource's definition: its
// required fields, their JSON types and formats, and no field the resource lacks.
func checkEdFiJSON(t *testing.T, line []byte) {
	t.Helper()
	var obj map[string]any
	require.NoError(t, json.Unmarshal(line, &obj), "%s", line)
	for where, fields := range requiredEdFi {
		m := obj
		if where != "" {
			sub, ok := obj[where].(map[string]any)
			require.True(t, ok, "%s is an object: %s", where, line)
			m = sub
		}
		for _, f := range fields {
			v, ok := m[f]
			require.True(t, ok, "%s.%s required: %s", where, f, line)
			assert.NotEmpty(t, v, "%s.%s", where, f)
		}
	}
	known := map[string]bool{"studentReference": true, "schoolReference": true, "sessionReference": true, "attendanceEventCategoryDescriptor": true,
		"eventDate": true, "attendanceEventReason": true, "arrivalTime": true, "departureTime": true, "eventDuration": true,
		"schoolAttendanceDuration": true, "educationalEnvironmentDescriptor": true}
	for k := range obj {
		assert.True(t, known[k], "field %s is not a StudentSchoolAttendanceEvent's", k)
	}
	assert.IsType(t, float64(0), obj["schoolReference"].(map[string]any)["schoolId"], "schoolId is an integer")
	assert.IsType(t, float64(0), obj["sessionReference"].(map[string]any)["schoolYear"], "schoolYear is an integer")
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, obj["eventDate"])
	assert.Regexp(t, regexp.MustCompile(`^uri://[^#]+#.{1,50}$`), obj["attendanceEventCategoryDescriptor"])
	if d, ok := obj["eventDuration"]; ok {
		assert.LessOrEqual(t, d.(float64), 9.99)
	}
}

// Classifications written as Ed-Fi resources validate against the resource's required
// fields, and read back as the same days.
func TestEdFiOutput(t *testing.T) {
	e, r := newMapped(t, "ccs", "extends: edfi\nedfi: {day_start: {\"*\": \"08:00\"}}\n")
	in := []string{
		`{"studentReference": {"studentUniqueId": "E1"}, "schoolReference": {"schoolId": 255901001}, ` +
			`"sessionReference": {"schoolId": 255901001, "schoolYear": 2025, "sessionName": "2024-2025 Fall Semester"}, ` +
			`"attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence", "eventDate": "2024-09-04", "attendanceEventReason": "sick"}`,
		`{"studentReference": {"studentUniqueId": "E1"}, "schoolReference": {"schoolId": 255901001}, ` +
			`"attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy", "eventDate": "2024-09-05", "arrivalTime": "09:10:00"}`,
		`{"studentReference": {"studentUniqueId": "E1"}, "schoolReference": {"schoolId": 255901001}, ` +
			`"attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence", "eventDate": "2024-09-06"}`,
		`{"studentReference": {"studentUniqueId": "E2"}, "schoolReference": {"schoolId": "Lincoln"}, ` +
			`"attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence", "eventDate": "2024-09-06"}`,
	}
	readEdFiLines(t, r, in...)
	require.Contains(t, problems(r)[0], `e.jsonl:4: record 4: invalid number literal`)
	asOf := calendar.MustParseDate("2024-09-30")
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	for _, en := range r.Entries() {
		cls, err := e.Classify(en.History, asOf)
		require.NoError(t, err)
		res, ps := en.EdFiEvents(e, cls.Events)
		assert.Empty(t, ps)
		for _, ev := range res {
			require.NoError(t, ev.Validate())
			require.NoError(t, enc.Encode(ev))
		}
	}
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	require.Len(t, lines, 3)
	for _, l := range lines {
		checkEdFiJSON(t, l)
	}
	assert.Contains(t, string(lines[0]), `"sessionReference":{"schoolId":255901001,"schoolYear":2025,"sessionName":"2024-2025 Fall Semester"}`, "kept")
	assert.Contains(t, string(lines[0]), `#Unexcused Absence"`, "MED without its medical note is not excused: not written as excused")
	assert.Contains(t, string(lines[1]), `"eventDate":"2024-09-05","attendanceEventReason":"Tardy Unexcused (TUX)","arrivalTime":"09:10:00","eventDuration":0.18,"schoolAttendanceDuration":70`)
	assert.Contains(t, string(lines[2]), `"sessionName":"2024-2025"`, "derived from the calendar (no terms)")

	// What is written reads back as the same days.
	_, back := newMapped(t, "ccs", "extends: edfi\n")
	require.NoError(t, back.ReadEdFi(bytes.NewReader(out.Bytes()), "out.jsonl"))
	assert.Empty(t, problems(back))
	assert.Equal(t, []string{"2024-09-04 UNX", "2024-09-05 TUX 70", "2024-09-06 UNX"}, eventsOf(back.Entries()[0].History))

	// A school that is not a number cannot be written.
	en := Entry{History: r.Entries()[0].History, Source: Source{File: "h.json"}}
	en.History.Student.School = "Lincoln"
	cls, _ := e.Classify(en.History, asOf)
	en.History.Events = en.History.Events[:1]
	res, ps := en.EdFiEvents(e, cls.Events[:1])
	assert.Empty(t, res)
	require.Len(t, ps, 1)
	assert.Equal(t, `h.json: student E1: school Lincoln is not an Ed-Fi schoolId (a number): its events are not written`, ps[0].Error())

	bad := EdFiEvent{Category: "Excused Absence"}
	err := bad.Validate()
	require.Error(t, err)
	for _, want := range []string{"studentUniqueId", "schoolId", "sessionReference: required", "descriptor URI", "eventDate: required"} {
		assert.Contains(t, err.Error(), want)
	}
}
