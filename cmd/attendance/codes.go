package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/policy"
)

// codeJSON is one code in `attendance codes --json`.
type codeJSON struct {
	Code             string   `json:"code"`
	Name             string   `json:"name"`
	Definition       string   `json:"definition,omitempty"`
	Status           string   `json:"status"`
	Excuse           string   `json:"excuse"`
	Span             string   `json:"span"`
	Documentation    string   `json:"documentation"`
	CommentRequired  bool     `json:"comment_required"`
	CommentTemplates []string `json:"comment_templates,omitempty"`
	EdFi             string   `json:"edfi,omitempty"`
	Tags             []string `json:"tags,omitempty"`
	Citation         string   `json:"citation,omitempty"`
}

// comment describes what a code asks of its comment.
func comment(c codes.Comment) string {
	switch {
	case len(c.Templates) > 0:
		q := make([]string, len(c.Templates))
		for i, t := range c.Templates {
			q[i] = strconv.Quote(t)
		}
		return "must read " + strings.Join(q, " or ")
	case c.Required:
		return "required"
	}
	return ""
}

// cmdCodes prints a pack's codes.
func cmdCodes(e *env, args []string) error {
	fs := flags("codes")
	pol := fs.String("policy", "", "")
	asJSON := fs.Bool("json", false, "")
	asMarkdown := fs.Bool("markdown", false, "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the pack with --policy)", pos[0])
	}
	if *asJSON && *asMarkdown {
		return usagef("give --json or --markdown, not both")
	}
	p, err := openPack(*pol)
	if err != nil {
		return err
	}
	vs := p.Versions()
	v := vs[len(vs)-1]
	if !asOf.d.IsZero() {
		v = p.At(asOf.d)
	}
	all := v.Codes.All()
	switch {
	case *asJSON:
		out := make([]codeJSON, len(all))
		for i, c := range all {
			out[i] = codeJSON{Code: c.ID, Name: c.Name, Definition: c.Definition, Status: c.Status.String(), Excuse: c.Excuse.String(),
				Span: c.Span.String(), Documentation: c.Documents.String(), CommentRequired: c.Comment.Required,
				CommentTemplates: c.Comment.Templates, EdFi: c.EdFi, Tags: c.Tags, Citation: c.Citation}
		}
		return writeJSON(e.stdout, out)
	case *asMarkdown:
		cell := strings.NewReplacer("|", `\|`, "\n", " ").Replace
		fmt.Fprintf(e.stdout, "# %s\n\n", cell(p.Title))
		about := fmt.Sprintf("Pack `%s`", p.Name)
		if len(p.Chain) > 1 {
			about += fmt.Sprintf(" (extends `%s`)", strings.Join(p.Chain[1:], "`, `"))
		}
		if !v.From.IsZero() {
			about += fmt.Sprintf(", in force from %s", v.From)
		}
		if p.Citation != "" {
			about = cell(p.Citation) + ". " + about
		}
		fmt.Fprint(e.stdout, about)
		fmt.Fprint(e.stdout, ".\n\n| Code | Name | Status | Excuse | Span | Documentation | Comment | Ed-Fi |\n|---|---|---|---|---|---|---|---|\n")
		for _, c := range all {
			fmt.Fprintf(e.stdout, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(c.ID), cell(c.Name), c.Status, c.Excuse, c.Span,
				cell(c.Documents.String()), cell(comment(c.Comment)), cell(c.EdFi))
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tSTATUS\tEXCUSE\tSPAN\tDOCUMENTATION\tED-FI\tCOMMENT")
	for _, c := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Status, c.Excuse, c.Span, c.Documents, dash(c.EdFi), dash(comment(c.Comment)))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cmdPacks lists the embedded packs.
func cmdPacks(e *env, args []string) error {
	fs := flags("packs")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEXTENDS\tTITLE\tCITATION")
	for _, name := range policy.Names() {
		p, err := policy.Embedded(name)
		if err != nil {
			tw.Flush()
			return fmt.Errorf("embedded pack %s: %s", name, oneLine(err, "problems"))
		}
		ext := "-"
		if len(p.Chain) > 1 {
			ext = p.Chain[1]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, ext, p.Title, dash(p.Citation))
	}
	return tw.Flush()
}

// cmdValidate loads every pack file given and prints every problem, or "FILE: ok".
func cmdValidate(e *env, args []string) error {
	fs := flags("validate")
	strict := fs.Bool("strict", false, "")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no pack files to validate")
	}
	bad := false
	for _, f := range files {
		p, err := policy.LoadFile(f)
		if err == nil {
			vs := p.Versions()
			v := vs[len(vs)-1]
			steps := 0
			if v.Steps != nil {
				steps = len(v.Steps)
			}
			warnings := policy.Lint(p)
			for _, w := range warnings {
				fmt.Fprintln(e.stderr, w.Error())
			}
			if *strict && len(warnings) > 0 {
				bad = true
				fmt.Fprintf(e.stderr, "%s: %s (--strict)\n", f, plural(len(warnings), "warning"))
				continue
			}
			fmt.Fprintf(e.stdout, "%s: ok (pack %s: %d codes, %d ladder steps, %s, %s)\n", f, p.Name, v.Codes.Len(), steps, plural(len(vs), "version"), plural(len(warnings), "warning"))
			continue
		}
		bad = true
		var pe policy.Errors
		if errors.As(err, &pe) {
			for _, x := range pe {
				fmt.Fprintln(e.stderr, x.Error())
			}
		} else {
			fmt.Fprintf(e.stderr, "%s: %v\n", f, err)
		}
	}
	if bad {
		return silentError{}
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
