package telegramtest_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
)

// These tests hold the fake to Telegram's behaviour, through the real client.

func connect(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(telegramtest.Token, srv.Endpoint())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return api
}

func ids(updates []tgbotapi.Update) []int {
	out := make([]int, len(updates))
	for i, u := range updates {
		out[i] = u.UpdateID
	}
	return out
}

func TestGetUpdatesOffsets(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)
	a := srv.PushText(1, "a")
	b := srv.PushText(2, "b")
	c := srv.PushText(1, "c")

	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 3 {
		t.Fatalf("getUpdates = %v, %v; want 3 updates", ids(got), err)
	}
	// Without an offset nothing is confirmed: the same updates come again.
	if got, _ := api.GetUpdates(tgbotapi.UpdateConfig{Limit: 2}); len(got) != 2 || got[0].UpdateID != a {
		t.Errorf("getUpdates limit 2 = %v, want [%d %d]", ids(got), a, b)
	}
	// An offset confirms everything below it.
	if got, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: b}); len(got) != 2 || got[0].UpdateID != b {
		t.Errorf("getUpdates offset b = %v, want [%d %d]", ids(got), b, c)
	}
	if got, _ := api.GetUpdates(tgbotapi.UpdateConfig{}); len(got) != 2 {
		t.Errorf("after offset b: %v, want a forgotten", ids(got))
	}
	if got, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: c + 1}); len(got) != 0 {
		t.Errorf("getUpdates offset c+1 = %v, want none", ids(got))
	}
	if got := srv.Offsets(); len(got) != 5 || got[0] != 0 || got[2] != b || got[4] != c+1 {
		t.Errorf("offsets = %v", got)
	}
}

func TestGetUpdatesLongPoll(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)

	start := time.Now()
	got, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if elapsed := time.Since(start); err != nil || len(got) != 0 || elapsed < 900*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("empty long poll = %v, %v after %v; want nothing after about 1 s", ids(got), err, elapsed)
	}

	go func() {
		time.Sleep(100 * time.Millisecond)
		srv.PushText(1, "late")
	}()
	start = time.Now()
	got, err = api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
	if elapsed := time.Since(start); err != nil || len(got) != 1 || elapsed > 2*time.Second {
		t.Errorf("long poll = %v, %v after %v; want the update at once", ids(got), err, elapsed)
	}
}

func TestAllowedUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)
	edited := telegramtest.TextUpdate(1, "edited")
	edited.EditedMessage, edited.Message = edited.Message, nil
	srv.PushUpdate(edited)
	want := srv.PushText(1, "new")

	got, err := api.GetUpdates(tgbotapi.UpdateConfig{AllowedUpdates: []string{"message"}})
	if err != nil || len(got) != 1 || got[0].UpdateID != want {
		t.Errorf("getUpdates = %v, %v; want only %d", ids(got), err, want)
	}
}

func TestCommandEntity(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)
	srv.PushText(1, "/start abc")
	srv.PushText(1, "/help@"+telegramtest.BotUsername)
	srv.PushText(1, "no /command")
	srv.PushText(1, "/ नहीं")

	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 4 {
		t.Fatalf("getUpdates = %v, %v", ids(got), err)
	}
	checks := []struct{ command, args string }{{"start", "abc"}, {"help", ""}, {"", ""}, {"", ""}}
	for i, want := range checks {
		m := got[i].Message
		if m.Command() != want.command || m.CommandArguments() != want.args {
			t.Errorf("%q: command %q args %q, want %q %q", m.Text, m.Command(), m.CommandArguments(), want.command, want.args)
		}
	}
}

func TestErrors(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)

	srv.FailNext("sendMessage", http.StatusTooManyRequests, 7, 1)
	_, err := api.Send(tgbotapi.NewMessage(1, "x"))
	if e, ok := errors.AsType[*tgbotapi.Error](err); !ok || e.Code != 429 || e.RetryAfter != 7 {
		t.Errorf("429 error = %#v", err)
	}
	if _, err := api.Send(tgbotapi.NewMessage(1, "x")); err != nil || len(srv.Sent()) != 1 {
		t.Errorf("after the failure: %v, sent %d", err, len(srv.Sent()))
	}
	if srv.Calls("sendMessage") != 2 {
		t.Errorf("calls = %d, want 2", srv.Calls("sendMessage"))
	}

	tooLong := make([]rune, 2049)
	for i := range tooLong {
		tooLong[i] = '😀' // 2 UTF-16 units each
	}
	for _, text := range []string{"", " \n", string(tooLong)} {
		if _, err := api.Send(tgbotapi.NewMessage(1, text)); err == nil {
			t.Errorf("sendMessage %d bytes accepted", len(text))
		}
	}
	if _, err := api.Request(tgbotapi.NewCallback("unknown", "")); err == nil {
		t.Error("answer to an unknown callback query accepted")
	}
	if _, err := api.MakeRequest("noSuchMethod", nil); err == nil {
		t.Error("unknown method accepted")
	}

	wrong, _ := tgbotapi.NewBotAPIWithAPIEndpoint("1:wrong", srv.Endpoint())
	if wrong != nil {
		t.Error("a wrong token was accepted")
	}
}

func TestWebhookConflictsWithGetUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": "https://example.com/hook", "secret_token": "abc"}); err != nil {
		t.Fatal(err)
	}
	if srv.Webhook()["secret_token"] != "abc" {
		t.Errorf("webhook = %v", srv.Webhook())
	}
	_, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if e, ok := errors.AsType[*tgbotapi.Error](err); !ok || e.Code != http.StatusConflict {
		t.Errorf("getUpdates with a webhook = %v, want 409", err)
	}
	if _, err := api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Errorf("getUpdates after deleteWebhook: %v", err)
	}
}

func TestEditAndCallback(t *testing.T) {
	srv := telegramtest.NewServer(t)
	api := connect(t, srv)
	msg := tgbotapi.NewMessage(1, "pick")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("A", "a")))
	sent, err := api.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	srv.PushCallback(1, sent.MessageID, "a")
	got, _ := api.GetUpdates(tgbotapi.UpdateConfig{})
	q := got[0].CallbackQuery
	if q == nil || q.Message.Text != "pick" || q.Message.ReplyMarkup == nil || q.Data != "a" {
		t.Fatalf("callback query = %+v", q)
	}
	if _, err := api.Request(tgbotapi.NewCallback(q.ID, "")); err != nil {
		t.Errorf("answer: %v", err)
	}
	if _, err := api.Request(tgbotapi.NewEditMessageText(1, sent.MessageID, "pick\n\n✔ A")); err != nil {
		t.Errorf("edit: %v", err)
	}
	if _, err := api.Request(tgbotapi.NewEditMessageText(1, sent.MessageID, "pick\n\n✔ A")); err == nil {
		t.Error("an edit changing nothing was accepted")
	}
	if m, _ := srv.Message(1, sent.MessageID); m.Text != "pick\n\n✔ A" || m.ReplyMarkup != nil {
		t.Errorf("message after edit = %q %+v", m.Text, m.ReplyMarkup)
	}
}

func TestDocuments(t *testing.T) {
	srv := telegramtest.NewServer(t)
	srv.Permissive() // documents, not pacing: several sends to one chat at once
	api := connect(t, srv)
	data := []byte("name,phone\n")
	id := srv.AddFile("सूची.csv", data)

	// A user's document, downloaded as Telegram serves it.
	srv.PushDocument(7, id, "सूची.csv", "caption")
	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 1 || got[0].Message.Document == nil {
		t.Fatalf("getUpdates = %+v, %v; want the document", got, err)
	}
	if d := got[0].Message.Document; d.FileID != id || d.FileName != "सूची.csv" || d.FileSize != len(data) || got[0].Message.Caption != "caption" {
		t.Errorf("document = %+v, caption %q", d, got[0].Message.Caption)
	}
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: id})
	if err != nil || f.FileSize != len(data) || f.FilePath == "" || f.FileUniqueID == "" {
		t.Fatalf("getFile = %+v, %v", f, err)
	}
	fileURL := srv.URL() + "/file/bot%s/" + f.FilePath
	for token, want := range map[string]int{telegramtest.Token: http.StatusOK, "1:wrong": http.StatusNotFound} {
		resp, err := http.Get(fmt.Sprintf(fileURL, token))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || want == http.StatusOK && string(body) != string(data) {
			t.Errorf("GET the file with token %q = %d %q, want %d", token, resp.StatusCode, body, want)
		}
	}
	if resp, err := http.Get(srv.URL() + "/file/bot" + telegramtest.Token + "/documents/none.csv"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET a missing file = %v, %v; want 404", resp, err)
	}
	if _, err := api.GetFile(tgbotapi.FileConfig{FileID: "nope"}); err == nil {
		t.Error("getFile of an unknown file id succeeded")
	}

	// The bot's documents: uploaded, or by file id.
	doc := tgbotapi.NewDocument(7, tgbotapi.FileBytes{Name: "out.txt", Bytes: []byte("hello")})
	doc.Caption = "आपकी फ़ाइल"
	doc.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("ठीक", "ok")))
	m, err := api.Send(doc)
	if err != nil || m.Document == nil || m.Document.FileName != "out.txt" || m.Caption != "आपकी फ़ाइल" {
		t.Fatalf("sendDocument = %+v, %v", m, err)
	}
	if _, err := api.Send(tgbotapi.NewDocument(7, tgbotapi.FileID(id))); err != nil {
		t.Fatalf("sendDocument by file id: %v", err)
	}
	sent := srv.SentTo(7)
	if len(sent) != 2 || sent[0].Document != "out.txt" || string(sent[0].DocumentData) != "hello" ||
		sent[0].Text != "आपकी फ़ाइल" || len(sent[0].Keyboard) != 1 ||
		sent[1].Document != "सूची.csv" || string(sent[1].DocumentData) != string(data) {
		t.Errorf("sent = %+v", sent)
	}
	if f, err := api.GetFile(tgbotapi.FileConfig{FileID: m.Document.FileID}); err != nil || f.FileSize != 5 {
		t.Errorf("getFile of the bot's document = %+v, %v", f, err)
	}

	long := tgbotapi.NewDocument(7, tgbotapi.FileBytes{Name: "a", Bytes: []byte("a")})
	long.Caption = strings.Repeat("a", 1025)
	if _, err := api.Send(long); err == nil {
		t.Error("a caption of 1025 characters was taken")
	}
	if _, err := api.Send(tgbotapi.NewDocument(7, tgbotapi.FileBytes{Name: "empty"})); err == nil {
		t.Error("an empty file was taken")
	}
	srv.FailNext("sendDocument", http.StatusForbidden, 0, 1)
	if _, err := api.Send(tgbotapi.NewDocument(7, tgbotapi.FileBytes{Name: "a", Bytes: []byte("a")})); err == nil {
		t.Error("FailNext(sendDocument) did not fail it")
	}
	if n := len(srv.SentTo(7)); n != 2 {
		t.Errorf("%d sent after refused documents, want 2", n)
	}
}

// The server refuses, as Telegram does, a send over a limit with 429 and
// retry_after, and counts it: the overall one-second window, one a second
// to a private chat, 20 a minute to a group.
func TestLimitsAreEnforced(t *testing.T) {
	tooMany := func(t *testing.T, err error) {
		t.Helper()
		var e *tgbotapi.Error
		if !errors.As(err, &e) || e.Code != http.StatusTooManyRequests || e.RetryAfter < 1 {
			t.Fatalf("send = %v, want 429 with retry_after ≥ 1", err)
		}
	}
	t.Run("overall", func(t *testing.T) {
		srv := telegramtest.NewServer(t)
		srv.SetLimits(telegramtest.Limits{Overall: 5})
		api := connect(t, srv)
		for i := range 5 {
			if _, err := api.Send(tgbotapi.NewMessage(int64(100+i), "x")); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		_, err := api.Send(tgbotapi.NewMessage(200, "x"))
		tooMany(t, err)
		if n := srv.RateLimited(); n != 1 || len(srv.Sent()) != 5 {
			t.Errorf("%d refused, %d sent; want 1 and 5", n, len(srv.Sent()))
		}
	})
	t.Run("private chat", func(t *testing.T) {
		srv := telegramtest.NewServer(t) // the default: Telegram's limits
		api := connect(t, srv)
		if _, err := api.Send(tgbotapi.NewMessage(7, "one")); err != nil {
			t.Fatal(err)
		}
		if _, err := api.Send(tgbotapi.NewMessage(8, "other chat")); err != nil {
			t.Fatal(err)
		}
		_, err := api.Send(tgbotapi.NewMessage(7, "two"))
		tooMany(t, err)
		if gap, n := srv.MinChatGap(); n != 0 {
			t.Errorf("%d gaps (shortest %v) counted, want none: the refused send is not", n, gap)
		}
	})
	t.Run("group", func(t *testing.T) {
		srv := telegramtest.NewServer(t)
		srv.SetLimits(telegramtest.Limits{GroupPerMinute: 20})
		api := connect(t, srv)
		for i := range 20 {
			if _, err := api.Send(tgbotapi.NewMessage(-100500, "x")); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		_, err := api.Send(tgbotapi.NewMessage(-100500, "x"))
		tooMany(t, err)
		if gap, n := srv.MinChatGap(); n != 19 || gap > time.Second {
			t.Errorf("gaps: %d, shortest %v; want 19", n, gap)
		}
	})
	t.Run("sliding window", func(t *testing.T) {
		// 3 sends, 2 more 0.6 s later, then 0.5 s later: the first 3 are
		// out of the last second, the 2 are not, so 3 more go and a 4th
		// does not (a window that began anew each second would take 5).
		srv := telegramtest.NewServer(t)
		srv.SetLimits(telegramtest.Limits{Overall: 5})
		api := connect(t, srv)
		send := func(k, from int) {
			t.Helper()
			for i := range k {
				if _, err := api.Send(tgbotapi.NewMessage(int64(from+i), "x")); err != nil {
					t.Fatalf("send to %d: %v", from+i, err)
				}
			}
		}
		send(3, 100)
		time.Sleep(600 * time.Millisecond)
		send(2, 200)
		time.Sleep(500 * time.Millisecond)
		send(3, 300)
		_, err := api.Send(tgbotapi.NewMessage(400, "x"))
		tooMany(t, err)
	})
	t.Run("paid broadcast", func(t *testing.T) {
		srv := telegramtest.NewServer(t)
		srv.SetLimits(telegramtest.Limits{Overall: 2, PaidOverall: 4})
		api := connect(t, srv)
		for i := range 2 {
			if _, err := api.Send(tgbotapi.NewMessage(int64(100+i), "x")); err != nil {
				t.Fatal(err)
			}
		}
		_, err := api.Send(tgbotapi.NewMessage(110, "x"))
		tooMany(t, err) // over the free limit
		paid := func(chat int) error {
			_, err := api.MakeRequest("sendMessage", tgbotapi.Params{"chat_id": strconv.Itoa(chat), "text": "x", "allow_paid_broadcast": "true"})
			return err
		}
		for i := range 2 {
			if err := paid(200 + i); err != nil {
				t.Fatalf("paid send %d: %v", i, err)
			}
		}
		tooMany(t, paid(210)) // over the paid limit too
		if n := srv.PaidBroadcasts(); n != 3 {
			t.Errorf("%d sends with allow_paid_broadcast counted, want 3", n)
		}
	})
	t.Run("blocked", func(t *testing.T) {
		srv := telegramtest.NewServer(t)
		srv.Block(7)
		api := connect(t, srv)
		_, err := api.Send(tgbotapi.NewMessage(7, "x"))
		var e *tgbotapi.Error
		if !errors.As(err, &e) || e.Code != http.StatusForbidden || !strings.Contains(e.Message, "blocked by the user") {
			t.Fatalf("send to a chat that blocked the bot = %v, want 403 blocked by the user", err)
		}
		if _, err := api.Send(tgbotapi.NewMessage(8, "x")); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.SentTo(7)); n != 0 {
			t.Errorf("%d messages recorded for the chat that blocked the bot", n)
		}
	})
	t.Run("permissive", func(t *testing.T) {
		srv := telegramtest.NewServer(t)
		srv.Permissive()
		api := connect(t, srv)
		for i := range 40 {
			if _, err := api.Send(tgbotapi.NewMessage(7, "x")); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		if srv.RateLimited() != 0 {
			t.Error("a permissive server refused a send")
		}
	})
}
