// Package letters writes what people read from rollcall's decisions: the letters a
// ladder step sends to a family, in the family's language, from the templates of the
// pack (see [policy.Letter]); a CSV of their merge fields for a word processor; the
// district's report as HTML with bar charts in inline SVG; and one student's school year
// as a calendar, each day colored by status and excuse, with the steps marked.
//
// Every page is self-contained HTML (its CSS inline, no script, no network) written
// with html/template, so every value from the input is escaped. Letters and pages made
// for staff hold names, addresses and phone numbers; nothing else this package returns
// does: a [Problem] names the fields a record lacks, never their values.
//
// The package uses the standard library only.
package letters
