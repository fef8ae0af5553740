package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"text/tabwriter"

	"github.com/rollcall-go/rollcall/policy"
)

// modulePath is the rollcall module, whose version `attendance version` prints.
const modulePath = "github.com/rollcall-go/rollcall"

// digestLen is how many hex digits of a pack's SHA-256 `attendance version` prints.
const digestLen = 12

// cmdVersion prints the rollcall module's version, the Go version the program was built
// with, and each embedded pack with the first hex digits of the SHA-256 of its YAML, so
// that two installations can tell whether they apply the same policy text.
func cmdVersion(e *env, args []string) error {
	fs := flags("version")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintf(e.stdout, "%s %s, built with %s\n", modulePath, moduleVersion(info), runtime.Version())
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACK\tSHA-256")
	for _, name := range policy.Names() {
		d, err := packDigest(policy.Packs, name)
		if err != nil {
			tw.Flush()
			return fmt.Errorf("embedded pack %s: %v", name, err)
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, d)
	}
	return tw.Flush()
}

// moduleVersion is the version of the rollcall module in the build: the main module's
// when the program is built inside rollcall (from a clone: "(devel)", or a pseudo-version
// when the go command stamps one from version control), the dependency's when it is built
// by `go install github.com/rollcall-go/rollcall/cmd/attendance@VERSION`.
func moduleVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "(devel)"
	}
	if info.Main.Path == modulePath && info.Main.Version != "" {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == modulePath && d.Version != "" {
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "(devel)"
}

// packDigest returns the first digestLen hex digits of the SHA-256 of NAME.yaml in fsys.
func packDigest(fsys fs.FS, name string) (string, error) {
	data, err := fs.ReadFile(fsys, name+".yaml")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:digestLen], nil
}
