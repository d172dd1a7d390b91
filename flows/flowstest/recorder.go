package flowstest

import (
	"fmt"
	"slices"
	"testing"
)

// Recorder is a testing.TB that keeps what it is told to report and the
// cleanups it is given, for tests of the helpers that report at the end
// of a test.
type Recorder struct {
	testing.TB
	Errors   []string
	cleanups []func()
}

// Errorf keeps the report.
func (r *Recorder) Errorf(format string, args ...any) {
	r.Errors = append(r.Errors, fmt.Sprintf(format, args...))
}

// Cleanup keeps f for End.
func (r *Recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// End runs the cleanups, the last given first, as the end of a test does.
func (r *Recorder) End() {
	for _, f := range slices.Backward(r.cleanups) {
		f()
	}
	r.cleanups = nil
}
