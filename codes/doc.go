// Package codes describes attendance codes: what a code means (present or absent, the
// excuse it carries, the part of the day it covers), the documentation that excuses it,
// the comment it needs, and the Ed-Fi category it maps to.
//
// A [Code] is plain data; a [Catalog] holds a pack's codes in order. A [Requirement] is a
// tree of documents and student flags ("any of", "all of") that is checked against the
// [Evidence] an absence comes with:
//
//	req := codes.All(codes.Doc("release-log"), codes.Any(codes.Doc("medical-note"), codes.Doc("principal-approval")))
//	ok, missing := req.Check(codes.Evidence{Documents: []string{"release-log"}})
//	// ok == false, missing.Documents == [medical-note principal-approval]
//
// Codes are usually written in YAML policy packs (package policy), not in Go.
package codes
