package history

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rollcall-go/rollcall/calendar"
)

// ageRef is the age by its definition: the years between the dates, less one before
// this year's birthday (month and day compared).
func ageRef(birth, d calendar.Date) int {
	if birth.IsZero() || d.Before(birth) {
		return 0
	}
	by, bm, bd := birth.Date()
	y, m, dd := d.Date()
	age := y - by
	if m < bm || (m == bm && dd < bd) {
		age--
	}
	return age
}

// Ages answers as the definition on every date drawn, in any order, whatever it
// answered before: birthdays on February 29 (March 1 in common years), the day before
// and of each birthday, dates before the birth, no birth date.
func TestAgesAgreeWithTheDefinition(t *testing.T) {
	day := calendar.MustParseDate
	assert.Equal(t, 9, Student{BirthDate: day("2016-02-29")}.AgeOn(day("2025-03-01")))
	assert.Equal(t, 8, Student{BirthDate: day("2016-02-29")}.AgeOn(day("2025-02-28")))
	assert.Equal(t, 8, Student{BirthDate: day("2016-02-29")}.AgeOn(day("2024-02-29")))
	assert.Equal(t, 7, Student{BirthDate: day("2016-02-29")}.AgeOn(day("2024-02-28")))
	assert.Equal(t, 0, Student{}.AgeOn(day("2024-09-03")))
	assert.Equal(t, 0, Student{BirthDate: day("2016-05-01")}.AgeOn(day("2016-04-30")))

	r := rand.New(rand.NewPCG(7, 11))
	births := []calendar.Date{{}, day("2016-02-29"), day("2012-02-29"), day("2015-12-31"), day("2015-01-01"), day("2014-03-01"), day("2016-02-28")}
	for range 200 {
		births = append(births, day("2005-01-01").AddDays(r.IntN(6000)))
	}
	for _, b := range births {
		ages := Student{BirthDate: b}.Ages()
		for range 300 {
			var d calendar.Date
			switch r.IntN(3) {
			case 0: // around a birthday
				if b.IsZero() {
					d = day("2024-09-03")
				} else {
					_, m, dd := b.Date()
					d = calendar.NewDate(2010+r.IntN(16), m, dd).AddDays(r.IntN(3) - 1)
				}
			default:
				d = day("2003-01-01").AddDays(r.IntN(9000))
			}
			assert.Equal(t, ageRef(b, d), ages.On(d), "born %s, on %s", b, d)
		}
	}
}
