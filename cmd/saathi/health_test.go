package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// pinger answers Ping with err.
type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// /readyz asked before the health watcher's first ping asks Redis itself:
// a serve just started says ready when Redis answers, not "redis
// unreachable" (readyz tests failed so under load), and unreachable when
// it does not.
func TestReadyzBeforeTheFirstPingAsksRedis(t *testing.T) {
	for _, tc := range []struct {
		err      error
		code     int
		contains string
	}{
		{nil, http.StatusOK, "ready"},
		{errors.New("dial tcp: connection refused"), http.StatusServiceUnavailable, "redis unreachable"},
	} {
		h := &health{store: pinger{tc.err}} // no watch running yet
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("Ping error %v: %d %q, want %d %q", tc.err, rec.Code, rec.Body.String(), tc.code, tc.contains)
		}
	}
}
