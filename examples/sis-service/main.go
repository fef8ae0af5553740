// Sis-service is a service a district could run beside its student-information system:
// it holds one rollcall engine, chosen by configuration, and answers over HTTP.
//
//	GET  /healthz                       the pack in use; 200 while the service runs
//	POST /classify[?as_of=D]            one history: every event classified
//	POST /classify?format=edfi          ... as Ed-Fi StudentSchoolAttendanceEvent resources (JSON Lines)
//	POST /evaluate[?as_of=D]            one history: facts, designations, steps due, the next one
//	POST /batch[?as_of=D]               JSON Lines of histories: each student's evaluation
//
// A history is the JSON of the command-line contract (see the README). An event the
// engine cannot classify never costs the answer: it comes back 200 with the result and
// a "rejected" list naming each such event; only a body that is not a history is 400
// (with its line and column), and one over the size limit 413. JSON is written without
// HTML escaping ("<", ">" and "&" as they are). A batch reports each history it cannot
// read with its line, and evaluates the others.
//
// Configuration is read here, in main, and nowhere else: the pack is -pack NAME|FILE.yaml
// or else the environment variable ROLLCALL_PACK (an embedded pack's name or a pack
// file), il-roe-sop by default; -max-body bounds a request's body. Run it as a server
// on the loopback interface:
//
//	ROLLCALL_PACK=ccs go run ./examples/sis-service -listen 127.0.0.1:8080
//	curl -s --data @history.json 'http://127.0.0.1:8080/evaluate?as_of=2024-09-30'
//
// It stops on SIGINT or SIGTERM, letting requests in flight finish (for up to ten
// seconds). Without -listen it tests itself: it calls each route in-process with
// net/http/httptest, prints what came back and exits, 1 if an answer is not the one
// expected.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
	"github.com/rollcall-go/rollcall/roster"
)

// config is what the service is built from; main fills it in from flags and the
// environment.
type config struct {
	engine   *rollcall.Engine
	maxBody  int64 // the longest request body, in bytes
	maxBatch int   // the most histories in one batch
}

// service answers the routes with one engine: an Engine is safe for concurrent use, so
// every request shares it.
type service struct {
	config
}

// newService returns the service's handler.
func newService(c config) http.Handler {
	s := &service{c}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("POST /classify", s.classify)
	mux.HandleFunc("POST /evaluate", s.evaluate)
	mux.HandleFunc("POST /batch", s.batch)
	return mux
}

func (s *service) healthz(w http.ResponseWriter, r *http.Request) {
	p := s.engine.Pack()
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "pack": p.Name, "title": p.Title, "chain": p.Chain})
}

// rejected is an event the engine could not classify: its position in the history's
// events (1-based), date, code and why.
type rejected struct {
	Event  int           `json:"event"`
	Date   calendar.Date `json:"date"`
	Code   string        `json:"code"`
	Reason string        `json:"reason"`
}

// problemsOf splits the engine's error into the events it rejected and any other
// problem (none is expected from a history that decoded).
func problemsOf(err error) (events []rejected, other []string) {
	if err == nil {
		return []rejected{}, nil
	}
	var herr *rollcall.HistoryError
	if errors.As(err, &herr) {
		for _, e := range herr.Events {
			events = append(events, rejected{Event: e.Index + 1, Date: e.Event.Date, Code: e.Event.Code, Reason: e.Msg})
		}
		return events, nil
	}
	return []rejected{}, strings.Split(err.Error(), "\n")
}

// readHistory reads the request's history and its as_of; it answers the request itself
// (400, 413) and returns false when it cannot.
func (s *service) readHistory(w http.ResponseWriter, r *http.Request) (*history.History, calendar.Date, bool) {
	asOf, ok := asOfParam(w, r)
	if !ok {
		return nil, asOf, false
	}
	body, ok := s.body(w, r)
	if !ok {
		return nil, asOf, false
	}
	h, err := rollcall.DecodeHistory(body, "request")
	if err != nil {
		// A *history.DecodeError places a syntax error at a line and column of the body.
		resp := map[string]any{"error": err.Error()}
		var de *history.DecodeError
		if errors.As(err, &de) && de.Line > 0 {
			resp["line"], resp["column"] = de.Line, de.Column
		}
		writeJSON(w, http.StatusBadRequest, resp)
		return nil, asOf, false
	}
	return h, asOf, true
}

func asOfParam(w http.ResponseWriter, r *http.Request) (calendar.Date, bool) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		return calendar.Date{}, true
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "as_of: want YYYY-MM-DD"})
		return d, false
	}
	return d, true
}

// body reads the request's body, at most maxBody bytes (413 beyond).
func (s *service) body(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf("the body is larger than %d bytes", mbe.Limit)})
		return nil, false
	case err != nil:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body cannot be read"})
		return nil, false
	}
	return body, true
}

func (s *service) classify(w http.ResponseWriter, r *http.Request) {
	h, asOf, ok := s.readHistory(w, r)
	if !ok {
		return
	}
	cls, err := s.engine.Classify(h, asOf)
	events, other := problemsOf(err)
	if cls == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": other, "rejected": events})
		return
	}
	if r.URL.Query().Get("format") == "edfi" {
		// The classifications as Ed-Fi resources, one a line, ready to post to the ODS.
		resources, ps := roster.Entry{History: h, Source: roster.Source{File: "request"}}.EdFiEvents(s.engine, cls.Events)
		if len(resources) == 0 && len(ps) > 0 {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": []string{ps[0].Msg}, "rejected": events})
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, res := range resources {
			enc.Encode(res)
		}
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"classification": cls, "rejected": events, "problems": other})
}

func (s *service) evaluate(w http.ResponseWriter, r *http.Request) {
	h, asOf, ok := s.readHistory(w, r)
	if !ok {
		return
	}
	ev, err := s.engine.Evaluate(h, asOf)
	events, other := problemsOf(err)
	if ev == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": other, "rejected": events})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"evaluation": ev, "rejected": events, "problems": other})
}

// batchResult is one student's answer in a batch.
type batchResult struct {
	Line       int                  `json:"line"`
	Student    string               `json:"student"`
	Evaluation *rollcall.Evaluation `json:"evaluation,omitempty"`
	Rejected   []rejected           `json:"rejected"`
	Problems   []string             `json:"problems,omitempty"`
}

// batchProblem is a line of the batch that could not be read.
type batchProblem struct {
	Line    int    `json:"line"`
	Student string `json:"student,omitempty"`
	Error   string `json:"error"`
}

// batch evaluates JSON Lines of histories: every history it can read, in the order of
// the students' ids, and the lines it cannot, each with its line.
func (s *service) batch(w http.ResponseWriter, r *http.Request) {
	asOf, ok := asOfParam(w, r)
	if !ok {
		return
	}
	body, ok := s.body(w, r)
	if !ok {
		return
	}
	if n := bytes.Count(body, []byte("\n")); n > s.maxBatch {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf("%d lines: a batch holds at most %d histories", n, s.maxBatch)})
		return
	}
	ro := roster.New(s.engine, nil)
	if err := ro.ReadHistories(bytes.NewReader(body), "batch"); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	results := []batchResult{}
	for _, en := range ro.Entries() {
		ev, err := s.engine.Evaluate(en.History, asOf)
		events, other := problemsOf(err)
		results = append(results, batchResult{Line: en.Source.Line, Student: en.History.Student.ID, Evaluation: ev, Rejected: events, Problems: other})
	}
	problems := []batchProblem{}
	for _, p := range ro.Problems {
		problems = append(problems, batchProblem{Line: p.Line, Student: p.Student, Error: p.Msg})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "problems": problems})
}

// writeJSON writes v as JSON, without HTML escaping.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// openEngine loads the pack the configuration names: a pack file (a name ending in
// .yaml or .yml), or an embedded pack.
func openEngine(name string) (*rollcall.Engine, error) {
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		p, err := policy.LoadFile(name)
		if err != nil {
			return nil, err
		}
		return rollcall.New(p), nil
	}
	return rollcall.Open(name)
}

// serve answers on ln until ctx is done, then shuts the server down, letting the
// requests in flight finish for up to grace.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func main() {
	listen := flag.String("listen", "", "serve on this address, e.g. 127.0.0.1:8080 (default: test the routes in-process and exit)")
	packFlag := flag.String("pack", "", "the policy pack: an embedded pack's name or a pack file (default: $ROLLCALL_PACK, else il-roe-sop)")
	maxBody := flag.Int64("max-body", 10<<20, "the largest request body, in bytes")
	flag.Parse()
	pack := *packFlag
	if pack == "" {
		pack = os.Getenv("ROLLCALL_PACK")
	}
	if pack == "" {
		pack = "il-roe-sop"
	}
	engine, err := openEngine(pack)
	if err != nil {
		log.Fatal(err)
	}
	h := newService(config{engine: engine, maxBody: *maxBody, maxBatch: 10000})
	if *listen == "" {
		if err := selfTest(os.Stdout, h); err != nil {
			log.Fatal(err)
		}
		return
	}
	if !strings.Contains(*listen, ":") {
		*listen = "127.0.0.1:" + *listen // a bare port: the loopback interface only
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("pack %s: serving /healthz, /classify, /evaluate and /batch on http://%s", engine.Pack().Name, ln.Addr())
	if err := serve(ctx, srv, ln, 10*time.Second); err != nil {
		log.Fatal(err)
	}
	log.Print("stopped")
}

const sampleHistory = `{
  "student":  {"id": "S1", "birth_date": "2014-07-02", "grade": "3", "school": "255901001"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400, "closed": ["2024-09-02"]},
  "events": [
    {"date": "2024-08-29", "code": "ECE"}, {"date": "2024-09-04", "code": "ECE"},
    {"date": "2024-09-09", "code": "ECE"}, {"date": "2024-09-12", "code": "ECE", "reason": "fever <39°C> & cough"},
    {"date": "2024-09-17", "code": "ECE"}, {"date": "2024-09-20", "code": "ECE"}
  ],
  "interventions": []
}`

// selfTest calls every route in-process and prints what came back; it returns an error
// when an answer is not the one expected.
func selfTest(out io.Writer, h http.Handler) error {
	call := func(method, target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Fprintf(out, "%s %s -> %d\n", method, target, rec.Code)
		return rec
	}
	want := func(rec *httptest.ResponseRecorder, status int) error {
		if rec.Code != status {
			return fmt.Errorf("status %d, want %d: %s", rec.Code, status, rec.Body.String())
		}
		return nil
	}
	var health struct{ Status, Pack string }
	rec := call(http.MethodGet, "/healthz", "")
	if err := want(rec, http.StatusOK); err != nil {
		return err
	}
	json.Unmarshal(rec.Body.Bytes(), &health)
	fmt.Fprintf(out, "  %s, pack %s\n", health.Status, health.Pack)

	// A good history: the evaluation and its next step.
	rec = call(http.MethodPost, "/evaluate?as_of=2024-09-30", sampleHistory)
	if err := want(rec, http.StatusOK); err != nil {
		return err
	}
	var resp struct {
		Evaluation rollcall.Evaluation
		Rejected   []rejected
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		return err
	}
	ev := resp.Evaluation
	fmt.Fprintf(out, "  student %s as of %s: %d events, %d rejected\n", ev.Student, ev.AsOf, len(ev.Events), len(resp.Rejected))
	if ev.Next == nil {
		return errors.New("no step due for the sample history")
	}
	fmt.Fprintf(out, "  next step: %s (%s): %s\n", ev.Next.Step, ev.Next.Actor, ev.Next.Because)

	// An unknown code: still 200, the event rejected and named.
	rec = call(http.MethodPost, "/classify", strings.Replace(sampleHistory, `"2024-09-20", "code": "ECE"`, `"2024-09-20", "code": "EC"`, 1))
	if err := want(rec, http.StatusOK); err != nil {
		return err
	}
	json.Unmarshal(rec.Body.Bytes(), &resp)
	if len(resp.Rejected) != 1 {
		return fmt.Errorf("want one event rejected: %s", rec.Body.String())
	}
	fmt.Fprintf(out, "  rejected: event %d (%s %s): %s\n", resp.Rejected[0].Event, resp.Rejected[0].Date, resp.Rejected[0].Code, resp.Rejected[0].Reason)

	// The classification as Ed-Fi resources.
	rec = call(http.MethodPost, "/classify?format=edfi&as_of=2024-09-30", sampleHistory)
	if err := want(rec, http.StatusOK); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %d Ed-Fi StudentSchoolAttendanceEvent resources\n", strings.Count(rec.Body.String(), "\n"))
	if !strings.Contains(rec.Body.String(), `"attendanceEventReason":"fever <39°C> & cough"`) {
		return errors.New("the JSON is HTML-escaped")
	}

	// Not JSON (a comma left out): 400, at its line and column.
	rec = call(http.MethodPost, "/evaluate", strings.Replace(sampleHistory, `"code": "ECE"}, {"date": "2024-09-04"`, `"code": "ECE"} {"date": "2024-09-04"`, 1))
	if err := want(rec, http.StatusBadRequest); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %s", rec.Body.String())

	// A batch: two histories, one line that is not one.
	one := strings.Join(strings.Fields(sampleHistory), " ")
	batch := one + "\n{not json}\n" + strings.Replace(one, `"id": "S1"`, `"id": "S2"`, 1) + "\n"
	rec = call(http.MethodPost, "/batch?as_of=2024-09-30", batch)
	if err := want(rec, http.StatusOK); err != nil {
		return err
	}
	var b struct {
		Results  []batchResult
		Problems []batchProblem
	}
	json.Unmarshal(rec.Body.Bytes(), &b)
	if len(b.Results) != 2 || len(b.Problems) != 1 {
		return fmt.Errorf("want 2 results and 1 problem: %s", rec.Body.String())
	}
	fmt.Fprintf(out, "  %d students evaluated; line %d: %s\n", len(b.Results), b.Problems[0].Line, b.Problems[0].Error)

	// Too large a body: 413.
	rec = call(http.MethodPost, "/evaluate", strings.Repeat(" ", 11<<20))
	return want(rec, http.StatusRequestEntityTooLarge)
}
