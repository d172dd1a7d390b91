package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"golang.org/x/term"

	"github.com/saathi-bot/saathi/locales"
)

// progress keeps one line on a terminal up to date while a long job runs
// (rows done, rows a second, time left), in the job's language. On
// anything else (a pipe, a file, a test's buffer) it prints nothing: a log
// or a script reading the output gets the summary alone.
type progress struct {
	w          io.Writer // nil: not a terminal
	cat        *locales.Catalog
	lang       string
	start, out time.Time // when the job began; when the line was last written
	now        func() time.Time
}

// progressEvery is how often the line is rewritten, at most.
const progressEvery = 250 * time.Millisecond

// newProgress writes to w when w is a terminal.
func newProgress(w io.Writer, cat *locales.Catalog, lang string) *progress {
	p := &progress{cat: cat, lang: lang, now: time.Now}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w = w
	}
	p.start = p.now()
	return p
}

// update shows done of total (total 0: unknown).
func (p *progress) update(done, total int) {
	if p.w == nil {
		return
	}
	now := p.now()
	if now.Sub(p.out) < progressEvery && done != total {
		return
	}
	p.out = now
	fmt.Fprint(p.w, "\r\033[K"+p.line(done, total, now.Sub(p.start)))
}

// line is the progress line for done of total rows after elapsed.
func (p *progress) line(done, total int, elapsed time.Duration) string {
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(done) / s
	}
	vars := map[string]string{"done": grouped(done), "rate": grouped(int(rate))}
	if total <= 0 || rate == 0 {
		return p.cat.Text(p.lang, "cli.progress", vars)
	}
	vars["total"] = grouped(total)
	left := int(float64(total-done)/rate + 0.5)
	if left >= 60 {
		vars["left"] = p.cat.Text(p.lang, "cli.minutes_seconds", map[string]string{"m": strconv.Itoa(left / 60), "s": strconv.Itoa(left % 60)})
	} else {
		vars["left"] = p.cat.Text(p.lang, "cli.seconds", map[string]string{"s": strconv.Itoa(left)})
	}
	return p.cat.Text(p.lang, "cli.progress_of", vars)
}

// grouped writes n with commas between thousands: 1,000,000.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// done ends the line, so that what is printed next starts on its own.
func (p *progress) done() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
