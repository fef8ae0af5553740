package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/roster"
)

// HTML for people to look at: eval --format html (one student's year as a calendar),
// here: eval.go calls its hook first, and every other format takes eval's own path.
// report --format html (the district's summary, with --out DIR a page per school and
// per student) is report's own pipeline: see html_report.go.

// wantsHTML reports whether args ask for --format html (before any "--").
func wantsHTML(args []string) bool {
	for i, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--format" || a == "-format":
			if i+1 < len(args) && args[i+1] == "html" {
				return true
			}
		case a == "--format=html" || a == "-format=html":
			return true
		}
	}
	return false
}

// evalHTMLHook runs eval --format html; handled is false for any other format and
// for classify.
func evalHTMLHook(e *env, name string, args []string) (handled bool, err error) {
	if name != "eval" || !wantsHTML(args) {
		return false, nil
	}
	defer recoverAs(&err, name)
	return true, evalHTML(e, args)
}

// writeFile writes a file through a buffer.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, pathErr(err))
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", path, err)
	}
	return f.Close()
}

// evalHTML writes one history's school year as an HTML page on standard output.
func evalHTML(e *env, args []string) error {
	fs := flags("eval")
	pol := fs.String("policy", "", "")
	fs.String("format", "html", "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	pos, perr := parse(fs, args)
	if perr != nil {
		return perr
	}
	if len(pos) != 1 {
		if len(pos) == 0 {
			return usagef("no history: give HISTORY.json, or - for standard input (--format html draws one student's year)")
		}
		return usagef("one history at a time (got %d arguments): --format html draws one student's year", len(pos))
	}
	eng, err := openEngine(*pol)
	if err != nil {
		return err
	}
	h, file, err := readHistory(e, pos[0], asOf.d)
	if err != nil {
		return errors.New(oneLine(err, "problems"))
	}
	ev, evErr := eng.Evaluate(h, asOf.d)
	if ev != nil {
		w := bufio.NewWriter(e.stdout)
		if err := letters.WriteStudentPage(w, letters.StudentPage{Engine: eng, History: h, Eval: ev}); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if evErr != nil {
		entry := roster.Entry{History: h, Source: roster.Source{File: file}}
		return reportProblems(e, entry.RowErrors(evErr))
	}
	return nil
}
