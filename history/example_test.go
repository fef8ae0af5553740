package history_test

import (
	"fmt"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
)

// A student's age on many dates, the birth date read once: one more on each birthday,
// and on March 1 in a common year for a birthday on February 29.
func ExampleStudent_Ages() {
	d := calendar.MustParseDate
	s := history.Student{ID: "S1", BirthDate: d("2016-02-29")}
	ages := s.Ages()
	for _, day := range []string{"2024-02-28", "2024-02-29", "2025-02-28", "2025-03-01"} {
		fmt.Println(day, ages.On(d(day)))
	}
	fmt.Println(s.AgeOn(d("2025-03-01"))) // one date: the same answer
	// Output:
	// 2024-02-28 7
	// 2024-02-29 8
	// 2025-02-28 8
	// 2025-03-01 9
	// 9
}
