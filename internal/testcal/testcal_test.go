package testcal

import (
	"testing"

	"github.com/rollcall-go/rollcall/calendar"
)

func TestYear2425(t *testing.T) {
	c, err := calendar.New(Year2425(400))
	if err != nil {
		t.Fatal(err)
	}
	// 182 school days, counted by hand month by month (see Year2425).
	if got := c.SchoolDays(c.First(), c.Last()); got != 182 {
		t.Fatalf("school days = %d, want 182", got)
	}
}
