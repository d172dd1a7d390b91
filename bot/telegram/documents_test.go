package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestInboundDocument(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	b := newBot(t, srv)
	startPoll(t, b, rec)

	data := []byte("%PDF-1.4 स्वयंसेवक सूची")
	id := srv.AddFile("सूची.pdf", data)
	update := srv.PushDocument(chat, id, "सूची.pdf", "यह रही सूची")
	in := rec.wait(t, 1)[0]
	want := flows.Input{Channel: "telegram", User: "1001", ID: fmt.Sprint(update), Name: "Test User",
		Media: "document", Text: "यह रही सूची", File: &flows.File{ID: id, Name: "सूची.pdf", Size: int64(len(data))}}
	if !sameInput(in, want) {
		t.Fatalf("input %+v (file %+v), want %+v (file %+v)", in, in.File, want, want.File)
	}

	got, err := b.Download(t.Context(), in.File.ID, in.File.Size)
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("downloaded %q, want %q", got, data)
	}
}

func TestDownload(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	data := bytes.Repeat([]byte("0123456789"), 100)
	id := srv.AddFile("data.csv", data)

	t.Run("within the limit", func(t *testing.T) {
		got, err := b.Download(t.Context(), id, int64(len(data)))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("Download = %d bytes, %v; want the %d bytes", len(got), err, len(data))
		}
	})
	t.Run("over the limit", func(t *testing.T) {
		before := srv.Calls("file")
		got, err := b.Download(t.Context(), id, int64(len(data))-1)
		if !errors.Is(err, telegram.ErrFileTooLarge) || got != nil {
			t.Errorf("Download = %d bytes, %v; want ErrFileTooLarge", len(got), err)
		}
		if n := srv.Calls("file") - before; n != 0 {
			t.Errorf("the file was fetched %d times; want it refused on getFile's file_size", n)
		}
	})
	t.Run("wrong file id", func(t *testing.T) {
		_, err := b.Download(t.Context(), "no-such-file", 1<<20)
		if apiErr, ok := errors.AsType[*tgbotapi.Error](err); !ok || apiErr.Code != http.StatusBadRequest {
			t.Errorf("Download = %v, want getFile's 400", err)
		}
		if err != nil && strings.Contains(err.Error(), telegramtest.Token) {
			t.Errorf("the error holds the token: %v", err)
		}
	})
	t.Run("no limit", func(t *testing.T) {
		if _, err := b.Download(t.Context(), id, 0); !errors.Is(err, telegram.ErrFileTooLarge) {
			t.Errorf("Download with max 0 = %v, want ErrFileTooLarge", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := b.Download(ctx, id, 1<<20)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Download = %v, want context.Canceled", err)
		}
		if err != nil && strings.Contains(err.Error(), telegramtest.Token) {
			t.Errorf("the error holds the token: %v", err)
		}
	})
}

// TestDownloadLimitsReading puts a proxy before the fake that leaves
// file_size out of getFile's answer (it is optional): the limit must hold
// while reading the file.
func TestDownloadLimitsReading(t *testing.T) {
	srv := telegramtest.NewServer(t)
	data := bytes.Repeat([]byte("x"), 5000)
	id := srv.AddFile("big.bin", data)

	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if strings.HasSuffix(resp.Request.URL.Path, "/getFile") {
			resp.Header.Del("Content-Length")
			resp.ContentLength = -1
			var body bytes.Buffer
			if _, err := body.ReadFrom(resp.Body); err != nil {
				return err
			}
			resp.Body.Close()
			stripped := strings.Replace(body.String(), fmt.Sprintf(`"file_size":%d,`, len(data)), "", 1)
			resp.Body = io.NopCloser(strings.NewReader(stripped))
		}
		if strings.HasPrefix(resp.Request.URL.Path, "/file/") {
			resp.Header.Del("Content-Length") // no early refusal either
			resp.ContentLength = -1
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)

	b := newBot(t, srv, func(c *telegram.Config) { c.Endpoint = front.URL + "/bot%s/%s" })
	if got, err := b.Download(t.Context(), id, int64(len(data))); err != nil || len(got) != len(data) {
		t.Fatalf("Download = %d bytes, %v; want %d", len(got), err, len(data))
	}
	before := srv.Calls("file")
	got, err := b.Download(t.Context(), id, 4096)
	if !errors.Is(err, telegram.ErrFileTooLarge) || got != nil {
		t.Errorf("Download = %d bytes, %v; want ErrFileTooLarge", len(got), err)
	}
	if n := srv.Calls("file") - before; n != 1 {
		t.Errorf("the file was fetched %d times, want 1 (refused while reading)", n)
	}
}

func TestSendDocument(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	data := []byte("name,phone\nराम,+919876543210\n")
	err := b.Send(t.Context(), "1001", []flows.Reply{
		{Text: "आपकी सूची", File: &flows.File{Name: "सूची.csv", Data: data},
			Options: []flows.Option{{Data: "ok", Label: "ठीक"}}},
		{File: &flows.File{Name: "", Data: []byte("x")}},
		{Text: "बस", File: &flows.File{Name: "empty.txt"}}, // nothing to send: the text only
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := srv.SentTo(chat)
	if len(sent) != 3 {
		t.Fatalf("sent %d messages, want 3: %+v", len(sent), sent)
	}
	doc, unnamed, text := sent[0], sent[1], sent[2]
	if doc.Document != "सूची.csv" || !bytes.Equal(doc.DocumentData, data) || doc.Text != "आपकी सूची" || doc.ParseMode != "" {
		t.Errorf("document = %+v, want सूची.csv with its bytes and the caption", doc)
	}
	if want := [][]telegramtest.Button{{{Text: "ठीक", Data: "ok"}}}; fmt.Sprint(doc.Keyboard) != fmt.Sprint(want) {
		t.Errorf("document keyboard = %v, want %v", doc.Keyboard, want)
	}
	if unnamed.Document == "" || string(unnamed.DocumentData) != "x" || unnamed.Text != "" || !unnamed.Remove {
		t.Errorf("unnamed document = %+v, want a name, no caption, keyboard removed", unnamed)
	}
	if text.Document != "" || text.Text != "बस" {
		t.Errorf("reply with an empty file = %+v, want its text as a message", text)
	}

	// A file the bot has (from a user, or sent before) goes by its id.
	id := srv.AddFile("पुराना.pdf", []byte("%PDF"))
	if err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "फिर से", File: &flows.File{ID: id}}}); err != nil {
		t.Fatalf("Send by file id: %v", err)
	}
	if got := srv.SentTo(chat)[3]; got.Document != "पुराना.pdf" || string(got.DocumentData) != "%PDF" || got.Text != "फिर से" {
		t.Errorf("document by id = %+v", got)
	}
}

func TestSendDocumentLongCaption(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)

	fits := strings.Repeat("😀", 512)     // 1024 UTF-16 units: a caption
	tooLong := strings.Repeat("क", 1025) // over the caption limit
	var lines []string
	for i := range 80 {
		lines = append(lines, fmt.Sprintf("%02d %s", i, strings.Repeat("ख", 60)))
	}
	veryLong := strings.Join(lines, "\n") // two messages' worth
	options := []flows.Option{{Data: "ok", Label: "ठीक"}}
	err := b.Send(t.Context(), "1001", []flows.Reply{
		{Text: fits, File: &flows.File{Name: "a.txt", Data: []byte("a")}},
		{Text: tooLong, File: &flows.File{Name: "b.txt", Data: []byte("b")}},
		{Text: veryLong, File: &flows.File{Name: "c.txt", Data: []byte("c")}, Options: options},
	})
	if err != nil {
		t.Fatalf("Send: %v", err) // the fake refuses captions over 1024 UTF-16 units
	}
	sent := srv.SentTo(chat)
	if len(sent) != 6 {
		t.Fatalf("sent %d messages, want 1 + 2 + 3: %+v", len(sent), sent)
	}
	if sent[0].Document != "a.txt" || sent[0].Text != fits {
		t.Errorf("message 1 = document %q caption %d chars; want a.txt with the caption that fits", sent[0].Document, len(sent[0].Text))
	}
	if sent[1].Document != "" || sent[1].Text != tooLong || sent[2].Document != "b.txt" || sent[2].Text != "" {
		t.Errorf("messages 2, 3 = %q/%d chars, %q/%q; want the text, then b.txt without a caption",
			sent[1].Document, len(sent[1].Text), sent[2].Document, sent[2].Text)
	}
	if sent[3].Document != "" || sent[4].Document != "" || sent[3].Text+"\n"+sent[4].Text != veryLong {
		t.Errorf("messages 4, 5 are not the parts of the long text")
	}
	if sent[5].Document != "c.txt" || sent[5].Text != "" {
		t.Errorf("message 6 = %q/%q, want c.txt without a caption", sent[5].Document, sent[5].Text)
	}
	if sent[3].Keyboard != nil || sent[4].Keyboard != nil || sent[5].Keyboard == nil {
		t.Errorf("keyboards %v, %v, %v: want it on the document only", sent[3].Keyboard, sent[4].Keyboard, sent[5].Keyboard)
	}
}

func TestSendDocumentRetriesAfter429(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	srv.FailNext("sendDocument", http.StatusTooManyRequests, 1, 1)

	start := time.Now()
	err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "सूची", File: &flows.File{Name: "a.csv", Data: []byte("a,b")}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("sent after %v, want ≥ 1 s (retry_after)", elapsed)
	}
	if got := srv.SentTo(chat); len(got) != 1 || got[0].Document != "a.csv" || string(got[0].DocumentData) != "a,b" {
		t.Errorf("sent %+v, want the document once, whole", got)
	}
	if n := srv.Calls("sendDocument"); n != 2 {
		t.Errorf("sendDocument called %d times, want 2", n)
	}
}

func TestSendDocumentErrors(t *testing.T) {
	cases := []struct {
		name        string
		code        int
		unreachable bool
	}{
		{"blocked", http.StatusForbidden, true},
		{"chat not found", http.StatusBadRequest, true},
		{"server error", http.StatusInternalServerError, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			b := newBot(t, srv)
			srv.FailNext("sendDocument", c.code, 0, 1)

			err := b.Send(t.Context(), "1001", []flows.Reply{
				{Text: "सूची", File: &flows.File{Name: "a.csv", Data: []byte("a")}},
				{Text: "two"},
			})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if errors.Is(err, bot.ErrUnreachable) != c.unreachable {
				t.Errorf("errors.Is(%v, ErrUnreachable) = %v, want %v", err, !c.unreachable, c.unreachable)
			}
			if apiErr, ok := errors.AsType[*tgbotapi.Error](err); !ok || apiErr.Code != c.code {
				t.Errorf("error %v does not carry the API error %d", err, c.code)
			}
			if !strings.Contains(err.Error(), "sendDocument") || strings.Contains(err.Error(), telegramtest.Token) {
				t.Errorf("error %q: want it to name sendDocument and not hold the token", err)
			}
			if n := srv.Calls("sendDocument"); n != 1 || len(srv.Sent()) != 0 {
				t.Errorf("sendDocument called %d times, %d sent; want 1 and none (no retry, stop at the first error)", n, len(srv.Sent()))
			}
		})
	}
}

// TestSendKeptFile: a kept file (one that came in on another channel) is
// uploaded by the first send and goes by the noted file_id after that; one
// no longer kept, and another channel's file id, send the text alone.
func TestSendKeptFile(t *testing.T) {
	ctx := t.Context()
	files := store.NewFiles(storetest.Redis(t, storetest.DBTelegram, nil))
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv, func(c *telegram.Config) { c.Files = files })
	pdf := []byte("%PDF-1.4 कार्यक्रम")
	id, err := files.Put(ctx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, chat := range []string{"1001", "1002", "1003"} {
		if err := b.Send(ctx, chat, []flows.Reply{{Text: "कार्यक्रम", File: &flows.File{ID: id, Name: "कार्यक्रम.pdf"}}}); err != nil {
			t.Fatalf("Send to %s: %v", chat, err)
		}
	}
	for _, m := range srv.Sent() {
		if m.Document != "कार्यक्रम.pdf" || !bytes.Equal(m.DocumentData, pdf) || m.Text != "कार्यक्रम" {
			t.Fatalf("sent %+v", m)
		}
	}
	if len(srv.Sent()) != 3 || srv.Uploads() != 1 {
		t.Fatalf("%d sent, %d uploads; want 3 and 1", len(srv.Sent()), srv.Uploads())
	}
	if native, _ := files.ChannelID(ctx, id, telegram.Channel); native == "" {
		t.Fatal("the upload's file_id was not noted")
	}

	gone := "sha256:" + strings.Repeat("0", 64)
	err = b.Send(ctx, "1001", []flows.Reply{
		{Text: "पुरानी", File: &flows.File{ID: gone, Name: "x.pdf"}},
		{Text: "व्हाट्सऐप की", File: &flows.File{ID: "wa:CgQ", Name: "y.pdf"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.SentTo(chat)
	if last := sent[len(sent)-2:]; last[0].Document != "" || last[0].Text != "पुरानी" || last[1].Document != "" || last[1].Text != "व्हाट्सऐप की" {
		t.Fatalf("sent %+v; want the texts alone", last)
	}
	// Without a store of kept files, the text alone too.
	plain := newBot(t, srv)
	if err := plain.Send(ctx, "1001", []flows.Reply{{Text: "बिना", File: &flows.File{ID: id, Name: "कार्यक्रम.pdf"}}}); err != nil {
		t.Fatal(err)
	}
	if last := srv.SentTo(chat); last[len(last)-1].Document != "" || last[len(last)-1].Text != "बिना" {
		t.Fatalf("sent %+v", last[len(last)-1])
	}
}
