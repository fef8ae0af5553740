package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// The decisions log (report --decisions FILE): the steps that fell due on the run's
// date, each with its because and the digest of the pack that decided it, appended as
// JSON Lines. It records what the policy decided on which day under which text of the
// policy; rollcall never reads it back (the steps done are the interventions).

// decision is one line of the log.
type decision struct {
	Date    calendar.Date `json:"date"`
	Student string        `json:"student"`
	Step    string        `json:"step"`
	Because string        `json:"because"`
	Pack    string        `json:"pack"`
	Digest  string        `json:"sha256"`            // of the pack's YAML, as attendance version prints it
	Extends []string      `json:"extends,omitempty"` // the packs it extends: "illinois 9c1e0f2a3b4d"
}

// packIdentity is the pack a run applies, as the decisions log names it.
type packIdentity struct {
	name, digest string
	extends      []string
}

// identify returns the name and digest of the pack --policy names: an embedded pack's
// as attendance version prints them, a pack file's of its own bytes (the embedded
// packs it extends with theirs).
func identify(arg string, p *policy.Pack) (packIdentity, error) {
	id := packIdentity{name: p.Name}
	embedded := policy.Names()
	isFile := strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") // as openPack tells them
	if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
		isFile = true
	}
	for i, name := range p.Chain {
		var d string
		switch {
		case i == 0 && isFile:
			data, err := os.ReadFile(arg)
			if err != nil {
				return id, err
			}
			sum := sha256.Sum256(data)
			d = hex.EncodeToString(sum[:])[:digestLen]
		case slices.Contains(embedded, name):
			var err error
			if d, err = packDigest(policy.Packs, name); err != nil {
				return id, err
			}
		default:
			d = "(a file beside the pack)"
		}
		if i == 0 {
			id.digest = d
		} else {
			id.extends = append(id.extends, name+" "+d)
		}
	}
	return id, nil
}

// appendDecisions appends the lines of the steps of ev that fell due on its date.
func appendDecisions(buf []byte, ev *rollcall.Evaluation, id packIdentity) ([]byte, error) {
	for _, d := range ev.Due {
		if d.Since != ev.AsOf {
			continue
		}
		line, err := json.Marshal(decision{Date: ev.AsOf, Student: ev.Student, Step: d.Step, Because: d.Because,
			Pack: id.name, Digest: id.digest, Extends: id.extends})
		if err != nil {
			return buf, err
		}
		buf = append(append(buf, line...), '\n')
	}
	return buf, nil
}

// writeDecisions appends the log's new lines to the file, at once.
func writeDecisions(name string, lines []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("--decisions %s: %v", name, withoutPathErr(err))
	}
	if _, err := f.Write(lines); err != nil {
		f.Close()
		return fmt.Errorf("--decisions %s: %v", name, withoutPathErr(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--decisions %s: %v", name, withoutPathErr(err))
	}
	return nil
}

func withoutPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
