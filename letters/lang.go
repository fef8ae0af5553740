package letters

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// What a letter writes in its language besides the pack's texts: dates and the words
// that join a list. English and Spanish are built in; a letter in another language
// writes dates as YYYY-MM-DD and joins lists with commas.
var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
}

var and = map[string]string{"en": " and ", "es": " y "}

// FormatDate writes d as people write it in lang: "October 18, 2024" in English,
// "18 de octubre de 2024" in Spanish, 2024-10-18 in other languages.
func FormatDate(d calendar.Date, lang string) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Date()
	switch lang {
	case "en":
		return fmt.Sprintf("%s %d, %d", months["en"][m-1], day, y)
	case "es":
		return fmt.Sprintf("%d de %s de %d", day, months["es"][m-1], y)
	}
	return d.String()
}

// shortDate writes d without its year: "October 18", "18 de octubre".
func shortDate(d calendar.Date, lang string) string {
	_, m, day := d.Date()
	switch lang {
	case "en":
		return fmt.Sprintf("%s %d", months["en"][m-1], day)
	case "es":
		return fmt.Sprintf("%d de %s", day, months["es"][m-1])
	}
	return d.String()
}

// joinList joins items as lang does: "a, b and c", "a, b y c".
func joinList(items []string, lang string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	last, ok := and[lang]
	if !ok {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// dateList writes dates in lang, the year once per run of dates of one year:
// "September 3, September 10 and October 1, 2024".
func dateList(ds []calendar.Date, lang string) string {
	if _, ok := months[lang]; !ok {
		out := make([]string, len(ds))
		for i, d := range ds {
			out[i] = d.String()
		}
		return joinList(out, lang)
	}
	var out []string
	for i, d := range ds {
		y, _, _ := d.Date()
		lastOfYear := i == len(ds)-1
		if !lastOfYear {
			ny, _, _ := ds[i+1].Date()
			lastOfYear = ny != y
		}
		if lastOfYear {
			out = append(out, FormatDate(d, lang))
		} else {
			out = append(out, shortDate(d, lang))
		}
	}
	return joinList(out, lang)
}

// formatValue writes a count or measure for a letter: rates as percentages ("87%"),
// other numbers as people write them (6, 12.5).
func formatValue(name string, v float64) string {
	if strings.HasSuffix(name, "_rate") {
		return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
	}
	return policy.FormatNumber(v)
}
