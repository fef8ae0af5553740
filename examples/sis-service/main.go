// Sis-service embeds the rollcall engine in a student-information system's HTTP
// service: POST a student's history (the JSON of the command-line contract) to
// /evaluate, optionally with ?as_of=YYYY-MM-DD, and get the evaluation back as JSON.
//
// Run it as a server on the loopback interface:
//
//	go run ./examples/sis-service -listen 127.0.0.1:8080
//	curl -s --data @history.json 'http://127.0.0.1:8080/evaluate?as_of=2024-09-30'
//
// Without -listen it tests itself: it calls the handler with net/http/httptest, prints
// the responses and exits.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
)

// handler serves POST /evaluate with one engine: an Engine is safe for concurrent use,
// so every request shares it.
func handler(engine *rollcall.Engine) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /evaluate", func(w http.ResponseWriter, r *http.Request) {
		var asOf calendar.Date
		if s := r.URL.Query().Get("as_of"); s != "" {
			d, err := calendar.ParseDate(s)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "as_of: " + err.Error()})
				return
			}
			asOf = d
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 10<<20))
		if err != nil {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": err.Error()})
			return
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
			return
		}
		ev, err := engine.Evaluate(h, asOf)
		if err != nil {
			// A *rollcall.HistoryError names every event it rejected, one a line.
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": strings.Split(err.Error(), "\n")})
			return
		}
		writeJSON(w, http.StatusOK, ev)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

const sampleHistory = `{
  "student":  {"id": "S1", "birth_date": "2014-07-02", "grade": "3"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400, "closed": ["2024-09-02"]},
  "events": [
    {"date": "2024-08-29", "code": "ECE"}, {"date": "2024-09-04", "code": "ECE"},
    {"date": "2024-09-09", "code": "ECE"}, {"date": "2024-09-12", "code": "ECE"},
    {"date": "2024-09-17", "code": "ECE"}, {"date": "2024-09-20", "code": "ECE"}
  ],
  "interventions": []
}`

func main() {
	listen := flag.String("listen", "", "serve on this address, e.g. 127.0.0.1:8080 (default: test the handler and exit)")
	flag.Parse()
	engine, err := rollcall.Open("il-roe-sop")
	if err != nil {
		log.Fatal(err)
	}
	h := handler(engine)
	if *listen != "" {
		if !strings.Contains(*listen, ":") {
			*listen = "127.0.0.1:" + *listen // a bare port: the loopback interface only
		}
		log.Printf("serving POST /evaluate on http://%s", *listen)
		srv := &http.Server{Addr: *listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
		log.Fatal(srv.ListenAndServe())
	}

	// Self-test: a good history, then one with an unknown code, then one that is not
	// JSON (a comma left out: the error names its line and column).
	for _, body := range []string{
		sampleHistory,
		strings.Replace(sampleHistory, `"2024-09-20", "code": "ECE"`, `"2024-09-20", "code": "EC"`, 1),
		strings.Replace(sampleHistory, `"code": "ECE"}, {"date": "2024-09-04"`, `"code": "ECE"} {"date": "2024-09-04"`, 1),
	} {
		req := httptest.NewRequest(http.MethodPost, "/evaluate?as_of=2024-09-30", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("POST /evaluate?as_of=2024-09-30 -> %d\n", rec.Code)
		if rec.Code != http.StatusOK {
			fmt.Println(rec.Body.String())
			continue
		}
		var ev rollcall.Evaluation
		if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
			log.Fatal(err)
		}
		var facts struct {
			Facts map[string]float64 `json:"facts"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &facts); err != nil {
			log.Fatal(err)
		}
		unverified, rate := facts.Facts["unverified"], facts.Facts["attendance_rate"]
		fmt.Printf("student %s as of %s: %d events, %.0f unverified, attendance %.1f%%\n", ev.Student, ev.AsOf, len(ev.Events), unverified, 100*rate)
		if ev.Next != nil {
			fmt.Printf("next step: %s (%s): %s\n\n", ev.Next.Step, ev.Next.Actor, ev.Next.Because)
		}
	}
}
