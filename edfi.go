package rollcall

import (
	"fmt"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
)

// EdFiCategoryNamespace is the namespace of Ed-Fi's own AttendanceEventCategoryDescriptor
// values: "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence".
const EdFiCategoryNamespace = "uri://ed-fi.org/AttendanceEventCategoryDescriptor"

// EdFiDescriptor returns the descriptor URI of an Ed-Fi attendance event category
// ("Excused Absence") in Ed-Fi's namespace.
func EdFiDescriptor(category string) string {
	return EdFiCategoryNamespace + "#" + category
}

// EdFiCode maps an Ed-Fi StudentSchoolAttendanceEvent, by its category descriptor and its
// reason text, to a code of the pack in force on date: the first of the pack's edfi
// mappings whose category matches (case-insensitively) and whose reason pattern, if
// any, matches the reason. The pack's categories are Ed-Fi's own: a descriptor is
// given as its category ("Excused Absence") or as its full URI in Ed-Fi's namespace
// ("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence"); a descriptor of
// another namespace (a district's own) is an error, never matched by its part after
// '#' alone: what it means is the district's to say (package roster's mappings do).
func (e *Engine) EdFiCode(category, reason string, date calendar.Date) (string, error) {
	if e == nil || e.pack == nil {
		return "", errNoPack
	}
	if i := strings.LastIndexByte(category, '#'); i >= 0 {
		if ns := strings.TrimSpace(category[:i]); !strings.EqualFold(ns, EdFiCategoryNamespace) {
			return "", fmt.Errorf("descriptor %q is not of Ed-Fi's namespace %s", category, EdFiCategoryNamespace)
		}
		category = category[i+1:]
	}
	category = strings.TrimSpace(category)
	for _, m := range e.pack.At(date).EdFi {
		if m.Matches(category, reason) {
			return m.Code, nil
		}
	}
	return "", fmt.Errorf("no edfi mapping in pack %s for category %q with reason %q", e.pack.Name, category, reason)
}
