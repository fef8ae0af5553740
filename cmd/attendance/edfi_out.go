package main

import (
	"encoding/json"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/roster"
)

// --format edfi: eval, classify and report write the classified events as Ed-Fi
// StudentSchoolAttendanceEvent resources, JSON Lines (one resource a line, as bulk
// loaders such as lightbeam read them, and as --edfi reads them back); see
// roster.Entry.EdFiEvents.

// edfiResult writes one student's classified events (an evaluation's or a
// classification's) with enc, and adds the events it could not write to problems.
func edfiResult(enc *json.Encoder, eng *rollcall.Engine, r result, problems *[]roster.RowError) error {
	var events []rollcall.Classified
	switch {
	case r.cls != nil:
		events = r.cls.Events
	case r.ev != nil:
		events = r.ev.Events
	default:
		return nil
	}
	resources, ps := r.entry.EdFiEvents(eng, events)
	*problems = append(*problems, ps...)
	for _, res := range resources {
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	return nil
}

// writeEdFiHistory writes one history's classified events (out is its evaluation or
// classification, nil when none) as Ed-Fi resources, then reports the events the
// engine rejected (err) and those that cannot be written, one a line: the single
// history form of eval and classify with --format edfi.
func writeEdFiHistory(e *env, eng *rollcall.Engine, h *history.History, file string, out any, err error) error {
	entry := roster.Entry{History: h, Source: roster.Source{File: file}}
	r := result{entry: entry}
	switch v := out.(type) {
	case *rollcall.Evaluation:
		r.ev = v
	case *rollcall.Classification:
		r.cls = v
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	var problems []roster.RowError
	if werr := edfiResult(enc, eng, r, &problems); werr != nil {
		return werr
	}
	return reportProblems(e, append(entry.RowErrors(err), problems...))
}

// reportEdFi writes a student's classified events as Ed-Fi resources when report's
// --format is edfi: every student's, whether a step is due or not.
func reportEdFi(format string, enc *json.Encoder, eng *rollcall.Engine, res result, problems *[]roster.RowError) error {
	if format != "edfi" {
		return nil
	}
	return edfiResult(enc, eng, res, problems)
}
