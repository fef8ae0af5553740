// Command gendistrict writes a synthetic school district for measuring rollcall (see
// package internal/district): a calendar, students, events and interventions as the
// CSV files `attendance report` reads, and the same district as JSON Lines histories.
// It is seeded and deterministic: the same flags write the same files byte for byte.
//
//	go run ./internal/gendistrict -students 330000 -pack il-roe-sop -out /tmp/district
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
)

func main() {
	students := flag.Int("students", 10000, "how many students")
	packName := flag.String("pack", "il-roe-sop", "the embedded pack whose codes the events use")
	out := flag.String("out", "district", "the directory to write into")
	seed := flag.Uint64("seed", 1, "the random seed")
	schools := flag.Int("schools", 0, "how many schools (default: one per 600 students)")
	flag.Parse()
	p, err := policy.Embedded(*packName)
	if err == nil {
		err = district.Write(*out, *students, p, *seed, *schools)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendistrict:", err)
		os.Exit(1)
	}
}
