package escalation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/escalation"
)

// withoutWorkings leaves out of a full evaluation's steps, designations and reviews what
// Brief does (the facts read and the clauses), and returns the next step due as it
// then is.
func withoutWorkings(due []escalation.Due, designated []escalation.Designated, review []escalation.Review) *escalation.Due {
	for i := range due {
		due[i].Facts, due[i].Clauses = nil, nil
	}
	for i := range designated {
		designated[i].Facts, designated[i].Clauses = nil, nil
	}
	for i := range review {
		review[i].Clauses = nil
	}
	if len(due) == 0 {
		return nil
	}
	return &due[0]
}

// Brief gives the evaluation without it, but for the explanations it leaves out, on
// generated districts of every pack the generator draws (with steps done, so that
// latches and reviews are reached), as of several dates.
func TestBriefEvaluatesTheSame(t *testing.T) {
	due, designated, reviews, clauses := 0, 0, 0, 0
	for _, pack := range []string{"il-roe-sop", "illinois", "cps", "ccs", "pennsylvania", "washington"} {
		for _, at := range []string{"2024-10-15", "2025-02-03", "2025-05-16"} {
			for _, messy := range []bool{false, true} {
				for _, in := range districtInputs(t, pack, 300, 3, d(at), messy) {
					full := escalation.Evaluate(in)
					brief := escalation.Evaluate(in, escalation.Brief())
					for _, d := range full.Due {
						clauses += len(d.Clauses)
					}
					full.Next = withoutWorkings(full.Due, full.Designations, full.Review)
					require.Equal(t, full, brief, "%s %s as of %s", pack, in.History.Student.ID, at)
					due += len(full.Due)
					designated += len(full.Designations)
					reviews += len(full.Review)
				}
			}
		}
	}
	require.Greater(t, due, 1000)
	require.Greater(t, designated, 1000)
	require.Greater(t, reviews, 100)
	require.Greater(t, clauses, 1000)
}

// An engine made Brief evaluates as the engine does, but for the events' notes and the
// explanations of its steps, designations and reviews.
func TestBriefEngineEvaluatesTheSame(t *testing.T) {
	for _, pack := range []string{"il-roe-sop", "ccs", "washington"} {
		e, err := rollcall.Open(pack)
		require.NoError(t, err)
		brief := e.With(rollcall.Brief())
		require.Equal(t, e.Pack(), brief.Pack())
		at := d("2025-03-03")
		for _, in := range districtInputs(t, pack, 200, 7, at, true) {
			full, ferr := e.Evaluate(in.History, at)
			short, serr := brief.Evaluate(in.History, at)
			require.Equal(t, ferr, serr)
			for i := range full.Events {
				require.Nil(t, short.Events[i].Env)
				full.Events[i].Notes, full.Events[i].Env = short.Events[i].Notes, nil
			}
			full.Next = withoutWorkings(full.Due, full.Designations, full.Review)
			require.Equal(t, full, short, "%s %s", pack, in.History.Student.ID)
			fullCls, ferr := e.Classify(in.History, at)
			cls, cerr := brief.Classify(in.History, at)
			require.Equal(t, ferr, cerr)
			for i := range fullCls.Events {
				require.Nil(t, cls.Events[i].Env)
				fullCls.Events[i].Notes, fullCls.Events[i].Env = cls.Events[i].Notes, nil
			}
			require.Equal(t, fullCls, cls)
		}
	}
}

// An evaluation does not depend on the evaluations before it (a counter's buffers and
// the verdicts it remembers are reused): students evaluated in order, in reverse, and
// on several goroutines at once, of packs mixed, come out the same.
func TestEvaluationsAreIndependent(t *testing.T) {
	var ins []escalation.Input
	for _, pack := range []string{"il-roe-sop", "ccs", "washington"} {
		ins = append(ins, districtInputs(t, pack, 150, 9, d("2025-04-01"), true)...)
	}
	want := make([]escalation.Evaluation, len(ins))
	for i, in := range ins {
		want[i] = escalation.Evaluate(in)
	}
	for i := len(ins) - 1; i >= 0; i-- {
		require.Equal(t, want[i], escalation.Evaluate(ins[i]), "in reverse: %s", ins[i].History.Student.ID)
	}
	got := make([]escalation.Evaluation, len(ins))
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := g; i < len(ins); i += 4 {
				got[i] = escalation.Evaluate(ins[i])
			}
		}()
	}
	for range 4 {
		<-done
	}
	for i := range ins {
		require.Equal(t, want[i], got[i], "concurrently: %s", ins[i].History.Student.ID)
	}
}
