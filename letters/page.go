package letters

import "html/template"

// The HTML of the pages this package writes. Every page is self-contained (its CSS
// inline, no script, no network) and prints: letters one a page, reports without the
// screen's shadows.

const letterCSS = `
@page { size: letter; margin: 0.6in 0.75in; }
* { box-sizing: border-box; }
body { font: 12pt/1.45 Georgia, "Times New Roman", serif; color: #111; margin: 0; background: #e9e9e9; }
article.letter { background: #fff; max-width: 8.5in; min-height: 11in; margin: 0.4in auto; padding: 0.6in 0.75in;
  box-shadow: 0 1px 4px rgba(0,0,0,.25); break-after: page; page-break-after: always; }
article.letter:last-of-type { break-after: auto; page-break-after: auto; }
.letterhead { border-bottom: 2px solid #1f3a5f; padding-bottom: .4em; margin-bottom: 1.4em; }
.letterhead .district { font: bold 17pt/1.2 "Helvetica Neue", Arial, sans-serif; color: #1f3a5f; }
.letterhead .contact { font: 9.5pt/1.4 "Helvetica Neue", Arial, sans-serif; color: #444; }
.letterhead .contact span + span::before { content: " · "; }
.body p { margin: 0 0 .8em; }
.body .address { margin: 0 0 1.4em; }
.body .date { margin: 0 0 1.2em; }
.body table { border-collapse: collapse; margin: .2em 0 1em; }
.body td, .body th { border: 1px solid #999; padding: .15em .6em; text-align: left; font-size: 11pt; }
.body .signature { margin-top: 2.2em; }
.body .signature .line { border-top: 1px solid #111; display: inline-block; min-width: 3in; margin-top: 2.4em; padding-top: .2em; }
.body .re { font-weight: bold; }
@media print {
  body { background: none; }
  article.letter { box-shadow: none; margin: 0; padding: 0; max-width: none; min-height: 0; }
}
`

var pageTemplates = template.Must(template.New("pages").Parse(`
{{define "letters-head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
{{end}}
{{define "letter-open"}}<article class="letter" lang="{{.L.Lang}}" data-student="{{.L.Student}}" data-step="{{.L.Step}}" data-lang="{{.L.Lang}}">
{{with .Head}}<header class="letterhead"><div class="district">{{.Name}}</div><div class="contact">{{range .Address}}<span>{{.}}</span>{{end}}{{if .Phone}}<span>{{.Phone}}</span>{{end}}{{if .Email}}<span>{{.Email}}</span>{{end}}{{if .Web}}<span>{{.Web}}</span>{{end}}</div></header>
{{end}}<div class="body">
{{end}}
`))
