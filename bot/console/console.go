// Package console is the terminal channel: a conversation over stdin and
// stdout through the same engine, store and dispatcher as the real channels.
// Buttons print as numbered options ("1) आऊँगा"); the user answers with the
// number or the label.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/saathi-bot/saathi/flows"
)

// Channel is the channel name of terminal conversations.
const Channel = "console"

// Dispatcher is what the console needs of bot.Dispatcher.
type Dispatcher interface {
	Handle(ctx context.Context, in flows.Input) error
	Flush(ctx context.Context, channel, user string) error
}

// Console reads messages from in and prints replies to out.
type Console struct {
	in   io.Reader
	out  io.Writer
	user string
	// Echo prints each input line before its replies, so that a piped
	// conversation reads as a transcript.
	Echo bool
	// Prompt is printed before reading a line (for an interactive terminal).
	Prompt string
	// Lang, when set, is the language a new conversation starts in.
	Lang string
	// FileDir is where documents sent to the user are saved (default: the
	// system's temporary directory).
	FileDir string

	mu      sync.Mutex
	session string
	n       int
}

// New makes a console conversation for user.
func New(in io.Reader, out io.Writer, user string) *Console {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &Console{in: in, out: out, user: user, session: hex.EncodeToString(b)}
}

// Send prints replies: each text, then its options numbered. It implements bot.Sender.
func (c *Console) Send(_ context.Context, _ string, replies []flows.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(Render(r))
		if r.File != nil {
			path, err := c.save(r.File)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "   📎 %s\n", path)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(c.out, b.String())
	if err != nil {
		return fmt.Errorf("write to terminal: %w", err)
	}
	return nil
}

// save writes a document sent to the user into FileDir.
func (c *Console) save(f *flows.File) (string, error) {
	dir := c.FileDir
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, filepath.Base(f.Name))
	if err := os.WriteFile(path, f.Data, 0o600); err != nil {
		return "", fmt.Errorf("save document %s: %w", f.Name, err)
	}
	return path, nil
}

// Render writes a reply the way a channel without buttons shows it.
func Render(r flows.Reply) string {
	var b strings.Builder
	b.WriteString("🤖 ")
	b.WriteString(strings.ReplaceAll(r.Text, "\n", "\n   "))
	b.WriteString("\n")
	for i, o := range r.Options {
		fmt.Fprintf(&b, "   %d) %s\n", i+1, o.Label)
	}
	return b.String()
}

// Say sends one message as the user, waits for its replies to be printed,
// and returns the error of applying it.
func (c *Console) Say(ctx context.Context, d Dispatcher, text string) error {
	c.mu.Lock()
	c.n++
	id := fmt.Sprintf("%s-%d", c.session, c.n)
	c.mu.Unlock()
	in := flows.Input{Channel: Channel, User: c.user, ID: id, Text: text, Lang: c.Lang}
	if loc, ok := parseLocation(text); ok {
		in.Text, in.Location = "", loc
	}
	if err := d.Handle(ctx, in); err != nil {
		return fmt.Errorf("send %q: %w", text, err)
	}
	return d.Flush(ctx, Channel, c.user)
}

// parseLocation reads a line that shares a location, as a terminal has no
// location button: "📍 24.1685,82.8013" or "loc 24.1685, 82.8013".
func parseLocation(text string) (*flows.Location, bool) {
	t := strings.TrimSpace(text)
	rest, ok := strings.CutPrefix(t, "📍")
	if !ok {
		if rest, ok = strings.CutPrefix(strings.ToLower(t), "loc"); !ok {
			return nil, false
		}
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "ation"), ":")
	}
	latS, lonS, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, false
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(latS), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lonS), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return nil, false
	}
	return &flows.Location{Lat: lat, Lon: lon}, true
}

// Run reads one message per line until the end of input or ctx ends.
func (c *Console) Run(ctx context.Context, d Dispatcher) error {
	lines := make(chan string)
	errs := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errs <- sc.Err()
		close(lines)
	}()
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				c.endLine() // Ctrl-D: the shell's prompt starts on its own line
				if err := <-errs; err != nil {
					return fmt.Errorf("read input: %w", err)
				}
				return nil
			}
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if c.Echo {
				c.mu.Lock()
				fmt.Fprintf(c.out, "👤 %s\n", line)
				c.mu.Unlock()
			}
			if err := c.Say(ctx, d, line); err != nil {
				return err
			}
		}
	}
}

// endLine ends the prompt's line at the end of input, when there is a prompt.
func (c *Console) endLine() {
	if c.Prompt == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.out)
}

func (c *Console) prompt() {
	if c.Prompt == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.out, c.Prompt)
}
