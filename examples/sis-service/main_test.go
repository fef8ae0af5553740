package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testService(t *testing.T, c config) http.Handler {
	t.Helper()
	if c.engine == nil {
		e, err := openEngine("il-roe-sop")
		require.NoError(t, err)
		c.engine = e
	}
	if c.maxBody == 0 {
		c.maxBody = 1 << 20
	}
	if c.maxBatch == 0 {
		c.maxBatch = 100
	}
	return newService(c)
}

// The self-test run by go run ./examples/sis-service passes.
func TestSelfTest(t *testing.T) {
	h := testService(t, config{maxBody: 10 << 20})
	require.NoError(t, selfTest(io.Discard, h))
}

// The pack is the configuration's: an embedded pack or a pack file.
func TestOpenEngine(t *testing.T) {
	e, err := openEngine("ccs")
	require.NoError(t, err)
	assert.Equal(t, "ccs", e.Pack().Name)
	e, err = openEngine("../custom-pack/district.yaml")
	require.NoError(t, err)
	assert.NotEqual(t, "ccs", e.Pack().Name)
	_, err = openEngine("no-such-pack")
	assert.Error(t, err)

	rec := httptest.NewRecorder()
	testService(t, config{engine: e}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), `"pack": "`+e.Pack().Name+`"`)
}

func TestLimits(t *testing.T) {
	h := testService(t, config{maxBody: 100, maxBatch: 1})
	for _, c := range []struct {
		method, target, body string
		status               int
	}{
		{http.MethodPost, "/evaluate", strings.Repeat(" ", 101), http.StatusRequestEntityTooLarge},
		{http.MethodPost, "/batch", "{}\n{}\n", http.StatusRequestEntityTooLarge},
		{http.MethodPost, "/evaluate?as_of=30/9/2024", "{}", http.StatusBadRequest},
		{http.MethodGet, "/evaluate", "", http.StatusMethodNotAllowed},
		{http.MethodPost, "/nothing", "", http.StatusNotFound},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.target, strings.NewReader(c.body)))
		assert.Equal(t, c.status, rec.Code, "%s %s", c.method, c.target)
	}
}

// On shutdown the server stops taking connections and lets a request in flight finish.
func TestGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		w.Write([]byte("done"))
	})
	srv := &http.Server{Handler: slow, ReadHeaderTimeout: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, srv, ln, 5*time.Second) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel() // SIGTERM
	time.Sleep(50 * time.Millisecond)
	close(release)
	assert.Equal(t, "done", <-got, "the request in flight finished")
	require.NoError(t, <-served)
	_, err = http.Get("http://" + ln.Addr().String() + "/")
	assert.Error(t, err, "no longer listening")
}
