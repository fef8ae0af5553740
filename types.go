package rollcall

import "github.com/rollcall-go/rollcall/history"

// The history types are defined in package history and used unchanged through the
// whole pipeline; these names are the same types, for callers of the facade.
type (
	// History is one student's attendance record; see [history.History].
	History = history.History
	// Student is who a history is about; see [history.Student].
	Student = history.Student
	// Flag is a student flag over a span of dates; see [history.Flag].
	Flag = history.Flag
	// Event is one recorded attendance event; see [history.Event].
	Event = history.Event
	// Intervention is a ladder step done on a date; see [history.Intervention].
	Intervention = history.Intervention
)

// DecodeHistory reads one history in the JSON form of the command-line contract; see
// [history.Decode].
func DecodeHistory(data []byte, name string) (*History, error) { return history.Decode(data, name) }
