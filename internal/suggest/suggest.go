// Package suggest finds the word a typo was probably meant to be, for "did you mean"
// hints in error messages.
package suggest

import "strings"

// Closest returns the option closest to s by edit distance (case-insensitive), when it
// is close enough to be a typo and not s itself; otherwise "".
func Closest(s string, options []string) string {
	best, bestD := "", len(s)/3+2
	if len(s) <= 4 {
		bestD = 2 // short codes: one edit ("MDE" -> "MED"), so "SIK" suggests nothing unrelated
	}
	for _, o := range options {
		if d := distance(strings.ToLower(s), strings.ToLower(o)); d < bestD {
			best, bestD = o, d
		}
	}
	if best == s {
		return ""
	}
	return best
}

// DidYouMean returns ` (did you mean "x"?)` for the closest option, or "".
func DidYouMean(s string, options []string) string {
	if m := Closest(s, options); m != "" {
		return ` (did you mean "` + m + `"?)`
	}
	return ""
}

// distance is the optimal string alignment distance between a and b, in runes:
// insertions, deletions, substitutions and swaps of two neighbours cost one each.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
