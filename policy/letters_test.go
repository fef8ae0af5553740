package policy_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/policy"
)

// letterPack is a small pack with one lettered step; body is the letter's templates
// block, indented under `templates:`.
func letterPack(templates string) string {
	return `pack: lettered
letterhead:
  name: Springfield District 186
  address: [1 Main St, "Springfield, IL 62701"]
counts:
  unexcused: {when: status == "absent" and excuse == "unexcused"}
codes:
  UNX: {status: absent, excuse: unexcused}
ladder:
  warning:
    actor: secretary
    when: unexcused >= 5 or month.unexcused >= 3
    because: ["{{unexcused}} unexcused", "{{month.unexcused}} this month"]
    deadline: {school_days: 5, from: trigger}
    letter:
      signer: {en: Principal, es: Director(a)}
      reason:
        en: ["{{unexcused}} unexcused absences this year", "{{month.unexcused}} unexcused absences this month"]
        es: ["{{unexcused}} ausencias injustificadas este año", "{{month.unexcused}} ausencias injustificadas este mes"]
      templates:
` + templates
}

const goodTemplates = `        en: |
          <p>Dear {{.Guardian.Name}},</p>
          <p>{{.Student.Name}} has {{.Counts.unexcused}} unexcused absences: {{.Reason}}.</p>
          {{if .Guardian.Email}}<p>{{.Guardian.Email}}</p>{{end}}
          <ul>{{range .Absences}}<li>{{.Date}} {{.Code}}</li>{{end}}</ul>
          <p>Please reply by {{.Deadline}}.</p><p>{{.Signer}}</p>
        es: |
          <p>Estimada familia {{.Guardian.Name}}:</p>
          <p>{{.Student.Name}}: {{.Reason}}.</p><p>{{.Signer}}</p>
`

func TestLetterLoads(t *testing.T) {
	p, err := policy.Load([]byte(letterPack(goodTemplates)), "lettered.yaml")
	require.NoError(t, err)
	v := p.At(p.Versions()[0].From)
	l := v.Letter("warning")
	require.NotNil(t, l)
	assert.Equal(t, []string{"en", "es"}, l.Languages)
	assert.Equal(t, "Director(a)", l.Signer["es"])
	require.NotNil(t, v.Letterhead())
	assert.Equal(t, "Springfield District 186", v.Letterhead().Name)
	en, ok := l.Page("en")
	require.True(t, ok)
	// printed outside any if or range: needed; .Guardian.Email only inside an if, and
	// .Absences is ranged over outside any condition, so needed.
	assert.Equal(t, []string{".Guardian.Name", ".Student.Name", ".Counts.unexcused", ".Reason", ".Absences", ".Deadline", ".Signer"}, en.Needs())
	assert.Contains(t, en.Uses(), ".Guardian.Email")

	lang, ok := l.Language("es-MX")
	assert.Equal(t, "es", lang)
	assert.True(t, ok)
	lang, ok = l.Language("vi")
	assert.Equal(t, "en", lang)
	assert.False(t, ok, "falls back to English")
	lang, ok = l.Language("")
	assert.Equal(t, "en", lang)
	assert.True(t, ok)

	// Missing lists the needed fields left empty; every value is escaped.
	f := &policy.LetterFields{Guardian: policy.LetterGuardian{Name: `<b>Ana</b> & "Luis"`}, Counts: policy.LetterCounts{"unexcused": "6"},
		Reason: "6 unexcused", Signer: "Principal", Deadline: "October 25, 2024"}
	assert.Equal(t, []string{".Student.Name", ".Absences"}, en.Missing(f))
	f.Student.Name = "Maya <script>alert(1)</script>"
	f.Absences = []policy.LetterAbsence{{Date: "October 1, 2024", Code: "UNX"}}
	assert.Empty(t, en.Missing(f))
	var b strings.Builder
	require.NoError(t, en.Execute(&b, f))
	assert.Contains(t, b.String(), "Dear &lt;b&gt;Ana&lt;/b&gt; &amp; &#34;Luis&#34;,")
	assert.Contains(t, b.String(), "Maya &lt;script&gt;alert(1)&lt;/script&gt;")
	assert.NotContains(t, b.String(), "<script>")
	f.Guardian.Name = " "
	assert.Equal(t, []string{".Guardian.Name"}, en.Missing(f), "blank is missing")
}

// Every problem of a letter is a load error at its line and column in the pack file.
func TestLetterErrors(t *testing.T) {
	tests := []struct {
		name      string
		templates string
		want      string
	}{{
		name: "unknown field, at the field",
		templates: `        en: |
          <p>Dear {{.Guardian.Name}},</p>
          <p>{{.Student.Nmae}} was absent.</p>
`,
		want: `lettered.yaml:23:24: step warning: letter en: unknown field ".Student.Nmae" (did you mean "Name"?)`,
	}, {
		name: "unknown top-level field",
		templates: `        en: "<p>{{.Teacher}}</p>"
`,
		want: `lettered.yaml:21:19: step warning: letter en: unknown field ".Teacher"`,
	}, {
		name: "unknown count",
		templates: `        en: |
          {{.Counts.unexcussed}}
`,
		want: `lettered.yaml:22:20: step warning: letter en: unknown count "unexcussed" in .Counts (did you mean "unexcused"?)`,
	}, {
		name: "a field the step cannot fill",
		templates: `        en: |
          <p>{{.Reason}}</p>
          <p>From {{.PeriodStart}}</p>
`,
		want: `lettered.yaml:23:21: step warning: letter en: .PeriodStart needs the letter's period (period: {school_days: N})`,
	}, {
		name: "a reason in a language the letter does not give",
		templates: `        en: ok
        fr: |
          {{.Reason}}
`,
		want: `lettered.yaml:23:13: step warning: letter fr: .Reason needs the letter's reason in fr (reason: {fr: ...})`,
	}, {
		name: "no English",
		templates: `        es: "<p>{{.Reason}}</p>"
`,
		want: `lettered.yaml:16:7: step warning: letter: templates: needs an en text (English is the language letters fall back to)`,
	}, {
		name: "a function letters do not call",
		templates: `        en: |
          {{printf "%099999d" 1}}
`,
		want: `lettered.yaml:22:13: step warning: letter en: function "printf" is not available in letters (want one of and, eq, ge, gt, index, le, len, lt, ne, not, or)`,
	}, {
		name: "a syntax error, on its line",
		templates: `        en: |
          <p>fine</p>
          <p>{{.Reason</p>
`,
		want: `lettered.yaml:23:11: step warning: letter en: bad character U+003C '<'`,
	}, {
		name: "a template include",
		templates: `        en: |
          {{define "x"}}hi{{end}}{{template "x"}}
`,
		want: `lettered.yaml:21:13: step warning: letter en: a letter cannot define templates (define, block)`,
	}, {
		name: "range over a text",
		templates: `        en: |
          {{range .Reason}}x{{end}}
`,
		want: `lettered.yaml:22:19: step warning: letter en: range over .Reason: only a list of the letter's fields can be ranged over (.Absences, .Guardian.AddressLines)`,
	}, {
		name: "html/template cannot escape it",
		templates: `        en: |
          <p>x</p>
          {{if .Reason}}<p title="{{end}}">
`,
		want: `lettered.yaml:23:16: step warning: letter en: HTML the letter cannot be made safe in: {{if}} branches end in different contexts`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Load([]byte(letterPack(tt.templates)), "lettered.yaml")
			es := loadErrors(t, err)
			assert.Equal(t, tt.want, es.Error())
		})
	}

	// A reason per clause needs one text per clause.
	src := strings.Replace(letterPack(goodTemplates), `es: ["{{unexcused}} ausencias injustificadas este año", "{{month.unexcused}} ausencias injustificadas este mes"]`, `es: ["{{unexcused}} ausencias"]`, 1)
	_, err := policy.Load([]byte(src), "lettered.yaml")
	assert.Equal(t, `lettered.yaml:19:13: step warning: letter: reason es has 1 texts but when has 2 clauses (one text per clause joined by or)`, loadErrors(t, err).Error())
	// A reason's placeholders are expressions over the facts, checked like a because.
	src = strings.Replace(letterPack(goodTemplates), `{{month.unexcused}} ausencias injustificadas este mes`, `{{month.unexcussed}} este mes`, 1)
	_, err = policy.Load([]byte(src), "lettered.yaml")
	assert.Contains(t, loadErrors(t, err).Error(), `lettered.yaml:19:13: step warning: letter: reason es: in {{month.unexcussed}}: unknown`)
}

// The shipped packs' letters load, in English and Spanish, on the steps the issue
// names.
func TestShippedLetters(t *testing.T) {
	for pack, steps := range map[string][]string{
		"il-roe-sop": {"warning-letter", "probation-letter", "medical-letter", "roe-third-letter", "truancy-hearing"},
		"ohio":       {"excessive-absence-notice", "absence-intervention-team", "intervention-plan"},
		"ccs":        {"excessive-absence-notice", "absence-intervention-team", "intervention-plan"},
	} {
		p, err := policy.Embedded(pack)
		require.NoError(t, err, pack)
		v := p.Versions()[len(p.Versions())-1]
		for _, s := range steps {
			l := v.Letter(s)
			if !assert.NotNil(t, l, "%s %s", pack, s) {
				continue
			}
			assert.Equal(t, []string{"en", "es"}, l.Languages, "%s %s", pack, s)
			assert.NotEmpty(t, l.Signer["en"])
			assert.NotEmpty(t, l.Signer["es"])
			for _, lang := range l.Languages {
				page, _ := l.Page(lang)
				for _, f := range []string{".Date", ".Guardian.Name", ".Guardian.AddressLines", ".Student.Name", ".Student.School", ".Reason", ".Signer"} {
					assert.Contains(t, page.Needs(), f, "%s %s %s", pack, s, lang)
				}
			}
		}
		assert.Nil(t, v.Letterhead(), "a district sets its own letterhead")
	}
}
