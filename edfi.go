package rollcall

import (
	"fmt"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
)

// EdFiCode maps an Ed-Fi StudentSchoolAttendanceEvent, by its category descriptor and its
// reason text, to a code of the pack in force on date: the first of the pack's edfi
// mappings whose category matches (case-insensitively; a descriptor URI such as
// "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence" matches by its
// part after '#') and whose reason pattern, if any, matches the reason.
func (e *Engine) EdFiCode(category, reason string, date calendar.Date) (string, error) {
	if e == nil || e.pack == nil {
		return "", errNoPack
	}
	if i := strings.LastIndexByte(category, '#'); i >= 0 {
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
