package main

import (
	"errors"
	"fmt"

	"github.com/rollcall-go/rollcall"
)

func init() { commands["explain"] = cmdExplain }

// cmdExplain prints one ladder step's reasoning for one history as a short text a
// secretary can read to a parent.
//
//	attendance explain --policy P [--as-of D] HISTORY.json|- STEP
func cmdExplain(e *env, args []string) error {
	fs := flags("explain")
	policyArg := fs.String("policy", "", "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *policyArg == "" {
		return usagef("--policy is required")
	}
	if len(rest) != 2 {
		return usagef("want a history and a step: attendance explain --policy P [--as-of D] HISTORY.json STEP")
	}
	eng, err := openEngine(*policyArg)
	if err != nil {
		return err
	}
	h, _, err := readHistory(e, rest[0], asOf.d)
	if err != nil {
		return err
	}
	x, err := eng.Explain(h, asOf.d, rest[1])
	var herr *rollcall.HistoryError
	if x == nil {
		return err
	}
	fmt.Fprint(e.stdout, x.Text())
	if err != nil && errors.As(err, &herr) {
		fmt.Fprintln(e.stderr, err)
		return silentError{}
	}
	return err
}
