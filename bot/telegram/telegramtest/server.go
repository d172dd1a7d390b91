// Package telegramtest is a fake Telegram Bot API server for tests: an
// httptest.Server that speaks enough of the Bot API for go-telegram-bot-api
// v5 and records what the bot did.
//
// It behaves like Telegram where an adapter depends on it: getUpdates
// confirms the updates below its offset and long-polls up to its timeout,
// errors have Telegram's shape (error_code, description and, for 429,
// parameters.retry_after), texts over 4096 UTF-16 units and empty texts are
// refused, callback_data is at most 64 bytes, getUpdates conflicts with a
// webhook and with a newer getUpdates, and a /command gets its bot_command
// entity. Documents go both ways: files added with AddFile (or sent by the
// bot) are described by getFile and served from /file/bot<token>/<file_path>,
// as Telegram serves them; sendDocument takes an upload (multipart/form-data)
// or a known file id, with a caption of at most 1024 UTF-16 units. Updates
// pushed while a webhook is set stay queued: the server does
// not call webhooks; post them yourself (see NewWebhookRequest).
//
// It enforces Telegram's rate limits by default (TelegramLimits: at most 30
// sends in any one-second window, one a second to a private chat, 20 a
// minute to a group; sends with allow_paid_broadcast up to 1000 a second):
// a send over a limit gets 429 with parameters.retry_after and is counted
// (RateLimited), as is the shortest gap between two sends to one chat
// (MinChatGap). SetLimits configures other limits; Permissive lifts them,
// for a test that checks something else and sends faster on purpose.
//
// Methods that take a testing.TB must be called from the test's goroutine;
// all others are safe for concurrent use.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Token is the bot token the server accepts; other tokens get 401.
const Token = "123456789:TEST-token_for-the-fake-Bot-API"

// BotUsername is the username getMe reports.
const BotUsername = "saathi_test_bot"

// firstUpdateID is where update ids start, as on Telegram far from zero, so
// that a missing offset (which go-telegram-bot-api leaves out when 0) is
// not mistaken for one.
const firstUpdateID = 500000

// Telegram's limits the server checks.
const (
	maxTextLen      = 4096     // UTF-16 units
	maxCaptionLen   = 1024     // UTF-16 units
	maxDownloadSize = 20 << 20 // bytes getFile serves
	maxCallbackData = 64       // bytes
	maxPollLimit    = 100
)

var secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Button is one button of a recorded keyboard.
type Button struct {
	Text            string
	Data            string // callback_data of an inline button
	RequestContact  bool
	RequestLocation bool
}

// SentMessage is a message the bot sent (or, in Edits, an edit it made).
type SentMessage struct {
	ChatID    int64
	MessageID int
	Text      string // the caption of a document
	ParseMode string
	// Document is the file name of a document sent (sendDocument), and
	// DocumentData its content.
	Document     string
	DocumentData []byte
	// Keyboard is the inline keyboard, row by row.
	Keyboard [][]Button
	// ReplyKeyboard holds the buttons of a reply keyboard, all rows in one.
	ReplyKeyboard []Button
	OneTime       bool // one_time_keyboard of the reply keyboard
	Resize        bool // resize_keyboard of the reply keyboard
	// Remove is set by a ReplyKeyboardRemove markup.
	Remove bool
	// At is when the server took the message.
	At time.Time
}

// Server is a fake Bot API server. Create it with NewServer.
type Server struct {
	srv  *httptest.Server
	me   tgbotapi.User
	done chan struct{} // closed when the server shuts down

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	lastUpdate int
	pending    []tgbotapi.Update // not yet confirmed by an offset
	typed      []string          // what people put into the updates pushed (hindi.go)
	allowed    []string          // allowed_updates of the last getUpdates that set it
	pollGen    int               // counts getUpdates calls; an older poll yields to a newer one
	offsets    []int
	lastMsgID  map[int64]int
	messages   map[msgKey]*stored
	sent       []SentMessage
	edits      []SentMessage
	calls      map[string]int // by lower-case method name
	failures   map[string][]apiError
	lastQuery  int
	queries    map[string]bool // callback query ids pushed
	blocked    map[int64]bool  // chats whose user blocked the bot
	answers    []string
	webhook    map[string]string // parameters of the webhook set; nil when none
	files      map[string]*file  // by file_id
	uploads    int               // documents sent with their bytes
	filePaths  map[string]*file  // by file_path
	sentTo     map[int64][]int   // indexes in sent, by chat
	limits     Limits
	window     []time.Time           // sends taken in the last second, oldest first
	chatSends  map[int64][]time.Time // per chat: the last send (private) or the last minute's (group)
	limited    int                   // sends refused with 429 for a limit
	minGap     time.Duration         // shortest time between two sends to one chat taken
	gaps       int                   // how many such gaps there were
	paid       int                   // sends with allow_paid_broadcast
	presence   presence              // menus and descriptions (presence.go)
}

// Limits are the rate limits the server enforces on the methods that send
// (sendMessage, sendDocument …), as Telegram does: a send over a limit is
// refused with 429 and parameters.retry_after, and not counted.
type Limits struct {
	// Overall is the most sends, to all chats together, in any one-second
	// window (sliding); 0: no limit.
	Overall int
	// ChatInterval is the least time between two sends to one private
	// chat; 0: no limit.
	ChatInterval time.Duration
	// GroupPerMinute is the most sends to one group (a negative chat id)
	// in any minute; 0: no limit.
	GroupPerMinute int
	// PaidOverall replaces Overall for sends with allow_paid_broadcast.
	PaidOverall int
}

// TelegramLimits are Telegram's free-tier limits, the server's default: 30
// sends a second, one a second to a private chat, 20 a minute to a group;
// paid broadcasts up to 1000 a second.
var TelegramLimits = Limits{Overall: 30, ChatInterval: time.Second, GroupPerMinute: 20, PaidOverall: 1000}

// SetLimits replaces the limits the server enforces (TelegramLimits until
// then).
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Permissive lifts every rate limit, for a test that sends faster than
// Telegram allows on purpose and checks something else.
func (s *Server) Permissive() { s.SetLimits(Limits{}) }

// RateLimited is how many sends the server refused with 429 for going over
// a limit (FailNext's are not counted).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// MinChatGap is the shortest time between two sends to one chat the server
// took, and how many such gaps there were (0 when no chat got two).
func (s *Server) MinChatGap() (time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.minGap, s.gaps
}

// PaidBroadcasts is how many sends carried allow_paid_broadcast=true.
func (s *Server) PaidBroadcasts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paid
}

// sendMethods are the methods Telegram's limits count.
var sendMethods = map[string]bool{
	"sendmessage": true, "senddocument": true, "sendphoto": true, "sendlocation": true,
	"sendvideo": true, "sendaudio": true, "sendvoice": true, "copymessage": true, "forwardmessage": true,
}

// admit applies the limits to a send to chat at now: nil when it may go
// (and it is counted), else the 429 to answer. Call with s.mu held.
func (s *Server) admit(chat int64, paid bool, now time.Time) *apiError {
	overall := s.limits.Overall
	if paid && s.limits.PaidOverall > 0 {
		overall = s.limits.PaidOverall
	}
	cut := 0
	for cut < len(s.window) && now.Sub(s.window[cut]) >= time.Second {
		cut++
	}
	s.window = s.window[cut:]
	refuse := func(wait time.Duration) *apiError {
		s.limited++
		secs := max(1, int((wait+time.Second-1)/time.Second))
		return &apiError{code: http.StatusTooManyRequests, desc: describe(http.StatusTooManyRequests, secs), retryAfter: secs}
	}
	if overall > 0 && len(s.window) >= overall {
		return refuse(s.window[len(s.window)-overall].Add(time.Second).Sub(now))
	}
	sends := s.chatSends[chat]
	switch {
	case chat < 0 && s.limits.GroupPerMinute > 0:
		cut := 0
		for cut < len(sends) && now.Sub(sends[cut]) >= time.Minute {
			cut++
		}
		sends = sends[cut:]
		if len(sends) >= s.limits.GroupPerMinute {
			return refuse(sends[len(sends)-s.limits.GroupPerMinute].Add(time.Minute).Sub(now))
		}
	case chat > 0 && s.limits.ChatInterval > 0 && len(sends) > 0:
		if gap := now.Sub(sends[len(sends)-1]); gap < s.limits.ChatInterval {
			return refuse(s.limits.ChatInterval - gap)
		}
	}
	if len(sends) > 0 {
		gap := now.Sub(sends[len(sends)-1])
		if s.gaps == 0 || gap < s.minGap {
			s.minGap = gap
		}
		s.gaps++
	}
	if chat > 0 {
		sends = sends[:0] // only the last one counts
	}
	if s.chatSends == nil {
		s.chatSends = map[int64][]time.Time{}
	}
	s.chatSends[chat] = append(sends, now)
	s.window = append(s.window, now)
	return nil
}

// file is a file the server keeps, as users or the bot sent it.
type file struct {
	id, uniqueID, path, name string
	data                     []byte
}

type msgKey struct {
	chat int64
	id   int
}

// stored is a message in a chat, as the server keeps it for edits and
// callback queries.
type stored struct {
	msg   tgbotapi.Message
	byBot bool
}

// apiError is a Bot API error response.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

// NewServer starts a fake Bot API server and closes it when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		me:         tgbotapi.User{ID: 123456789, IsBot: true, FirstName: "Saathi Test", UserName: BotUsername},
		done:       make(chan struct{}),
		changed:    make(chan struct{}),
		lastUpdate: firstUpdateID - 1,
		lastMsgID:  make(map[int64]int),
		messages:   make(map[msgKey]*stored),
		calls:      make(map[string]int),
		failures:   make(map[string][]apiError),
		queries:    make(map[string]bool),
		files:      make(map[string]*file),
		filePaths:  make(map[string]*file),
		limits:     TelegramLimits,
		sentTo:     make(map[int64][]int),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	if _, bench := t.(*testing.B); !bench { // a benchmark measures the bot, not this scan of all it sent
		t.Cleanup(func() {
			// Every message the bot sent in Hindi, scanned for English.
			for _, e := range s.EnglishInHindi() {
				t.Errorf("English in a Hindi message: %s", e)
			}
		})
	}
	t.Cleanup(func() {
		close(s.done) // ends waiting long polls, or Close would wait for them
		s.srv.Close()
	})
	return s
}

// Endpoint is the server's API endpoint in go-telegram-bot-api format.
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Me is the bot user getMe reports.
func (s *Server) Me() tgbotapi.User { return s.me }

// PushUpdate queues u for getUpdates and returns its update_id. A zero
// update_id gets the next one, a message without message_id gets the chat's
// next one, and a callback query without id gets a fresh one.
func (s *Server) PushUpdate(u tgbotapi.Update) int {
	u = clone(u) // the caller keeps its pointers
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UpdateID == 0 {
		u.UpdateID = s.lastUpdate + 1
	}
	s.lastUpdate = max(s.lastUpdate, u.UpdateID)
	if m := u.Message; m != nil && m.Chat != nil {
		if m.MessageID == 0 {
			m.MessageID = s.nextMessageID(m.Chat.ID)
		}
		s.messages[msgKey{m.Chat.ID, m.MessageID}] = &stored{msg: clone(*m)}
	}
	if q := u.CallbackQuery; q != nil {
		if q.ID == "" {
			s.lastQuery++
			q.ID = fmt.Sprintf("cbq-%d", s.lastQuery)
		}
		s.queries[q.ID] = true
	}
	s.pending = append(s.pending, u)
	s.typed = append(s.typed, typedIn(u)...)
	s.notify()
	return u.UpdateID
}

// PushText queues a text message of the private chat chatID.
func (s *Server) PushText(chatID int64, text string) int {
	return s.PushUpdate(TextUpdate(chatID, text))
}

// PushContact queues a contact card shared in the private chat chatID.
func (s *Server) PushContact(chatID int64, phone string, contactUserID int64) int {
	return s.PushUpdate(ContactUpdate(chatID, phone, contactUserID))
}

// PushLocation queues a location shared in the private chat chatID.
func (s *Server) PushLocation(chatID int64, lat, lon float64) int {
	return s.PushUpdate(LocationUpdate(chatID, lat, lon))
}

// AddFile stores a file, as one a user sent, and returns its file_id, for
// PushDocument and getFile.
func (s *Server) AddFile(name string, data []byte) (fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addFile(name, data).id
}

// addFile stores a file under fresh ids. Call with s.mu held.
func (s *Server) addFile(name string, data []byte) *file {
	n := len(s.files) + 1
	f := &file{
		id:       fmt.Sprintf("BQACAgIAAxkBAAI%06d", n),
		uniqueID: fmt.Sprintf("AgAD%06d", n),
		path:     fmt.Sprintf("documents/file_%d%s", n, path.Ext(name)),
		name:     name,
		data:     slices.Clone(data),
	}
	s.files[f.id] = f
	s.filePaths[f.path] = f
	return f
}

// PushDocument queues a document, with caption, sent in the private chat
// chatID. A fileID from AddFile gets the file's size.
func (s *Server) PushDocument(chatID int64, fileID, name, caption string) int {
	u := DocumentUpdate(chatID, fileID, name, caption)
	s.mu.Lock()
	if f, ok := s.files[fileID]; ok {
		u.Message.Document.FileUniqueID = f.uniqueID
		u.Message.Document.FileSize = len(f.data)
	}
	s.mu.Unlock()
	return s.PushUpdate(u)
}

// PushCallback queues a press of the inline button carrying data under the
// message messageID of the chat chatID. The query carries the message as the
// server has it now (text and keyboard), as Telegram's does.
func (s *Server) PushCallback(chatID int64, messageID int, data string) int {
	s.mu.Lock()
	var m tgbotapi.Message
	if st, ok := s.messages[msgKey{chatID, messageID}]; ok {
		m = st.msg
	} else {
		m = tgbotapi.Message{MessageID: messageID, Date: int(time.Now().Unix()),
			Chat: &tgbotapi.Chat{ID: chatID, Type: "private", FirstName: FirstName, LastName: LastName}}
	}
	s.mu.Unlock()
	return s.PushUpdate(CallbackUpdate(chatID, &m, data))
}

// Sent returns the messages sent so far, in order, as they were sent.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMessages(s.sent)
}

// SentTo returns the messages sent to chatID so far, in order.
func (s *Server) SentTo(chatID int64) []SentMessage {
	var out []SentMessage
	for _, m := range s.Sent() {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until at least n messages have been sent and returns them
// all; it fails the test when that takes longer than timeout.
func (s *Server) WaitSent(t testing.TB, n int, timeout time.Duration) []SentMessage {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.sent) >= n {
			defer s.mu.Unlock()
			return cloneMessages(s.sent)
		}
		changed, got := s.changed, len(s.sent)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("telegramtest: %d messages sent after %v, want %d", got, timeout, n)
		}
	}
}

// WaitChat waits until at least n messages have been sent to chatID and
// returns them, or returns ctx's error. It is safe for any goroutine.
func (s *Server) WaitChat(ctx context.Context, chatID int64, n int) ([]SentMessage, error) {
	for {
		s.mu.Lock()
		var out []SentMessage
		if idx := s.sentTo[chatID]; len(idx) >= n {
			for _, i := range idx {
				out = append(out, s.sent[i])
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if out != nil {
			return cloneMessages(out), nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
}

// Edits returns the editMessageText calls that succeeded, in order.
func (s *Server) Edits() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMessages(s.edits)
}

// Message returns the message messageID of chat chatID as it is now, after
// edits; false if there is none.
func (s *Server) Message(chatID int64, messageID int) (tgbotapi.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.messages[msgKey{chatID, messageID}]
	if !ok {
		return tgbotapi.Message{}, false
	}
	return clone(st.msg), true
}

// clone deep-copies v through JSON, as it travels.
func clone[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic("telegramtest: encode: " + err.Error())
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic("telegramtest: decode: " + err.Error())
	}
	return out
}

// FailNext makes the next `times` calls of method fail with the Bot API
// error code, with Telegram's description for it (403: blocked by the user;
// 400: chat not found; 429: retry after retryAfter seconds, also given as
// parameters.retry_after).
func (s *Server) FailNext(method string, code, retryAfter, times int) {
	e := apiError{code: code, desc: describe(code, retryAfter)}
	if code == http.StatusTooManyRequests {
		e.retryAfter = retryAfter
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range times {
		s.failures[key] = append(s.failures[key], e)
	}
}

// Calls is how many times method was called, failed calls included;
// Calls("file") counts file downloads, refused ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Uploads is how many documents the bot uploaded: sent with their bytes,
// not by file_id.
func (s *Server) Uploads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads
}

// CallbackAnswers returns the callback_query_id of every answerCallbackQuery, in order.
func (s *Server) CallbackAnswers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// Offsets returns the offset of every getUpdates call, in order; 0 when the
// call had none.
func (s *Server) Offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.offsets)
}

// Pending returns the ids of the updates not yet confirmed by an offset.
func (s *Server) Pending() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, len(s.pending))
	for i, u := range s.pending {
		ids[i] = u.UpdateID
	}
	return ids
}

// Webhook returns the parameters of the webhook set (url, secret_token,
// allowed_updates …), or nil when none is.
func (s *Server) Webhook() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.webhook)
}

// notify wakes everyone waiting for a change. Call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextMessageID numbers the messages of a chat, user's and bot's alike.
// Call with s.mu held.
func (s *Server) nextMessageID(chat int64) int {
	s.lastMsgID[chat]++
	return s.lastMsgID[chat]
}

func cloneMessages(ms []SentMessage) []SentMessage {
	out := make([]SentMessage, len(ms))
	for i, m := range ms {
		m.Keyboard = slices.Clone(m.Keyboard)
		for j := range m.Keyboard {
			m.Keyboard[j] = slices.Clone(m.Keyboard[j])
		}
		m.ReplyKeyboard = slices.Clone(m.ReplyKeyboard)
		m.DocumentData = slices.Clone(m.DocumentData)
		out[i] = m
	}
	return out
}

// describe is Telegram's description of an error code.
func describe(code, retryAfter int) string {
	switch code {
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	default:
		return http.StatusText(code)
	}
}

// serveHTTP answers POST (or GET) /bot<token>/<method>, and GET
// /file/bot<token>/<file_path>.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || !strings.HasPrefix(r.URL.Path, "/bot") || method == "" || strings.Contains(method, "/") {
		writeError(w, apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	if token != Token {
		writeError(w, apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil && err != http.ErrNotMultipart {
		writeError(w, apiError{code: http.StatusBadRequest, desc: "Bad Request: " + err.Error()})
		return
	}
	key := strings.ToLower(method)
	s.mu.Lock()
	s.calls[key]++
	if queue := s.failures[key]; len(queue) > 0 {
		s.failures[key] = queue[1:]
		s.mu.Unlock()
		writeError(w, queue[0])
		return
	}
	if sendMethods[key] {
		paid := r.Form.Get("allow_paid_broadcast") == "true"
		if paid {
			s.paid++
		}
		if chat, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64); err == nil {
			if e := s.admit(chat, paid, time.Now()); e != nil {
				s.mu.Unlock()
				writeError(w, *e)
				return
			}
		}
	}
	s.mu.Unlock()

	var result any
	var err *apiError
	switch key {
	case "getme":
		result = s.me
	case "getupdates":
		result, err = s.getUpdates(r)
	case "sendmessage":
		result, err = s.sendMessage(r)
	case "senddocument":
		result, err = s.sendDocument(r)
	case "getfile":
		result, err = s.getFile(r)
	case "editmessagetext":
		result, err = s.editMessageText(r)
	case "answercallbackquery":
		result, err = s.answerCallbackQuery(r)
	case "setwebhook":
		result, err = s.setWebhook(r)
	case "deletewebhook":
		result, err = s.deleteWebhook(r)
	case "getwebhookinfo":
		result = s.webhookInfo()
	default:
		result, err = s.presenceMethod(key, r) // Not Found for any other method
	}
	if err != nil {
		writeError(w, *err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, e apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	writeJSON(w, e.code, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client went away: nothing to do
}

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + desc}
}

// getUpdates confirms the updates below offset, then returns up to limit
// updates from offset on, waiting up to timeout seconds for one to come.
func (s *Server) getUpdates(r *http.Request) (any, *apiError) {
	offset, err1 := intParam(r, "offset")
	limit, err2 := intParam(r, "limit")
	timeout, err3 := intParam(r, "timeout")
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, badRequest("wrong parameter")
	}
	if limit <= 0 || limit > maxPollLimit {
		limit = maxPollLimit
	}
	var allowed []string
	if a := r.Form.Get("allowed_updates"); a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.offsets = append(s.offsets, offset)
	if s.webhook != nil {
		return nil, &apiError{code: http.StatusConflict,
			desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if r.Form.Has("allowed_updates") {
		s.allowed = allowed
	}
	s.confirm(offset)
	s.pollGen++
	gen := s.pollGen
	s.notify() // an older poll still waiting yields to this one

	timer := time.NewTimer(time.Duration(timeout) * time.Second)
	defer timer.Stop()
	for {
		if ready := s.ready(limit); len(ready) > 0 || timeout <= 0 {
			return ready, nil
		}
		if s.pollGen != gen {
			return nil, &apiError{code: http.StatusConflict, desc: describe(http.StatusConflict, 0)}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
			s.mu.Lock()
		case <-timer.C:
			s.mu.Lock()
			return []tgbotapi.Update{}, nil
		case <-r.Context().Done():
			s.mu.Lock()
			return []tgbotapi.Update{}, nil
		case <-s.done:
			s.mu.Lock()
			return []tgbotapi.Update{}, nil
		}
	}
}

// confirm forgets the updates an offset confirms: those below a positive
// offset, or all but the last -offset for a negative one. Call with s.mu held.
func (s *Server) confirm(offset int) {
	switch {
	case offset > 0:
		s.pending = slices.DeleteFunc(s.pending, func(u tgbotapi.Update) bool { return u.UpdateID < offset })
	case offset < 0:
		if n := -offset; len(s.pending) > n {
			s.pending = slices.Delete(s.pending, 0, len(s.pending)-n)
		}
	}
}

// ready returns up to limit pending updates, dropping those of types not
// allowed (Telegram would not have queued them). Call with s.mu held.
func (s *Server) ready(limit int) []tgbotapi.Update {
	if len(s.allowed) > 0 {
		s.pending = slices.DeleteFunc(s.pending, func(u tgbotapi.Update) bool {
			return !slices.Contains(s.allowed, updateType(u))
		})
	}
	return append([]tgbotapi.Update{}, s.pending[:min(limit, len(s.pending))]...)
}

func updateType(u tgbotapi.Update) string {
	switch {
	case u.Message != nil:
		return tgbotapi.UpdateTypeMessage
	case u.EditedMessage != nil:
		return tgbotapi.UpdateTypeEditedMessage
	case u.ChannelPost != nil:
		return tgbotapi.UpdateTypeChannelPost
	case u.EditedChannelPost != nil:
		return tgbotapi.UpdateTypeEditedChannelPost
	case u.CallbackQuery != nil:
		return tgbotapi.UpdateTypeCallbackQuery
	case u.MyChatMember != nil:
		return tgbotapi.UpdateTypeMyChatMember
	default:
		return "other"
	}
}

// Block makes the user of chatID block the bot: messages to them are
// refused with 403, as Telegram does.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked == nil {
		s.blocked = map[int64]bool{}
	}
	s.blocked[chatID] = true
}

func (s *Server) blockedChat(chat int64) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[chat] {
		return &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
	}
	return nil
}

func (s *Server) sendMessage(r *http.Request) (any, *apiError) {
	chat, e := chatParam(r)
	if e != nil {
		return nil, e
	}
	if e := s.blockedChat(chat); e != nil {
		return nil, e
	}
	text := r.Form.Get("text")
	if e := checkText(text); e != nil {
		return nil, e
	}
	parseMode := r.Form.Get("parse_mode")
	switch parseMode {
	case "", "Markdown", "MarkdownV2", "HTML":
	default:
		return nil, badRequest("unsupported parse_mode")
	}
	sent, inline, e := parseMarkup(r.Form.Get("reply_markup"))
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	sent.ChatID, sent.Text, sent.ParseMode, sent.At = chat, text, parseMode, time.Now()
	sent.MessageID = s.nextMessageID(chat)
	msg := tgbotapi.Message{
		MessageID:   sent.MessageID,
		From:        &s.me,
		Date:        int(time.Now().Unix()),
		Chat:        &tgbotapi.Chat{ID: chat, Type: "private", FirstName: FirstName, LastName: LastName},
		Text:        text,
		ReplyMarkup: inline,
	}
	s.messages[msgKey{chat, msg.MessageID}] = &stored{msg: msg, byBot: true}
	s.sent = append(s.sent, sent)
	s.sentTo[sent.ChatID] = append(s.sentTo[sent.ChatID], len(s.sent)-1)
	s.notify()
	return msg, nil
}

// sendDocument records a document, uploaded or sent by file id, with its
// caption, and returns the message.
func (s *Server) sendDocument(r *http.Request) (any, *apiError) {
	chat, e := chatParam(r)
	if e != nil {
		return nil, e
	}
	if e := s.blockedChat(chat); e != nil {
		return nil, e
	}
	caption := r.Form.Get("caption")
	if len(utf16.Encode([]rune(caption))) > maxCaptionLen {
		return nil, badRequest("message caption is too long")
	}
	parseMode := r.Form.Get("parse_mode")
	switch parseMode {
	case "", "Markdown", "MarkdownV2", "HTML":
	default:
		return nil, badRequest("unsupported parse_mode")
	}
	sent, inline, e := parseMarkup(r.Form.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	var name string
	var data []byte
	fileID := r.Form.Get("document")
	if r.MultipartForm != nil && len(r.MultipartForm.File["document"]) > 0 {
		fh := r.MultipartForm.File["document"][0]
		f, err := fh.Open()
		if err != nil {
			return nil, badRequest("can't read the document: " + err.Error())
		}
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, badRequest("can't read the document: " + err.Error())
		}
		if len(data) == 0 {
			return nil, badRequest("file must be non-empty")
		}
		name, fileID = fh.Filename, ""
	} else if fileID == "" {
		return nil, badRequest("there is no document in the request")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var f *file
	if fileID != "" {
		var ok bool
		if f, ok = s.files[fileID]; !ok {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
	} else {
		f = s.addFile(name, data)
		s.uploads++
	}
	sent.ChatID, sent.Text, sent.ParseMode = chat, caption, parseMode
	sent.Document, sent.DocumentData = f.name, slices.Clone(f.data)
	sent.MessageID = s.nextMessageID(chat)
	msg := tgbotapi.Message{
		MessageID: sent.MessageID,
		From:      &s.me,
		Date:      int(time.Now().Unix()),
		Chat:      &tgbotapi.Chat{ID: chat, Type: "private", FirstName: FirstName, LastName: LastName},
		Document: &tgbotapi.Document{FileID: f.id, FileUniqueID: f.uniqueID, FileName: f.name,
			MimeType: "application/octet-stream", FileSize: len(f.data)},
		Caption:     caption,
		ReplyMarkup: inline,
	}
	s.messages[msgKey{chat, msg.MessageID}] = &stored{msg: msg, byBot: true}
	s.sent = append(s.sent, sent)
	s.sentTo[sent.ChatID] = append(s.sentTo[sent.ChatID], len(s.sent)-1)
	s.notify()
	return msg, nil
}

// getFile describes a file the server keeps, with the path to download it.
func (s *Server) getFile(r *http.Request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[r.Form.Get("file_id")]
	switch {
	case !ok:
		return nil, badRequest("invalid file_id")
	case len(f.data) > maxDownloadSize:
		return nil, badRequest("file is too big")
	}
	return tgbotapi.File{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: len(f.data), FilePath: f.path}, nil
}

// serveFile answers GET /file/bot<token>/<file_path> (rest is the part
// after "/file/bot") with the file's content; 404 for a wrong token or path.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	s.calls["file"]++
	f, ok := s.filePaths[filePath]
	s.mu.Unlock()
	if token != Token || !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.data) // the client went away: nothing to do
	}
}

// editMessageText changes the text of a message the bot sent; its inline
// keyboard becomes the one given, none when none is.
func (s *Server) editMessageText(r *http.Request) (any, *apiError) {
	if r.Form.Get("inline_message_id") != "" {
		return nil, badRequest("inline messages are not supported by telegramtest")
	}
	chat, e := chatParam(r)
	if e != nil {
		return nil, e
	}
	id, err := strconv.Atoi(r.Form.Get("message_id"))
	if err != nil {
		return nil, badRequest("message identifier is not specified")
	}
	text := r.Form.Get("text")
	if e := checkText(text); e != nil {
		return nil, e
	}
	edit, inline, e := parseMarkup(r.Form.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	if edit.ReplyKeyboard != nil || edit.Remove {
		return nil, badRequest("only inline keyboards can be edited in")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.messages[msgKey{chat, id}]
	switch {
	case !ok:
		return nil, badRequest("message to edit not found")
	case !st.byBot:
		return nil, badRequest("message can't be edited")
	case st.msg.Text == text && sameKeyboard(st.msg.ReplyMarkup, inline):
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	st.msg.Text, st.msg.ReplyMarkup = text, inline
	st.msg.EditDate = int(time.Now().Unix())
	edit.ChatID, edit.MessageID, edit.Text = chat, id, text
	edit.ParseMode = r.Form.Get("parse_mode")
	s.edits = append(s.edits, edit)
	s.notify()
	return st.msg, nil
}

func sameKeyboard(a, b *tgbotapi.InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// answerCallbackQuery records the answer to a query pushed earlier.
func (s *Server) answerCallbackQuery(r *http.Request) (any, *apiError) {
	id := r.Form.Get("callback_query_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.queries[id] {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.answers = append(s.answers, id)
	s.notify()
	return true, nil
}

// setWebhook records the webhook's parameters; an empty url removes it.
func (s *Server) setWebhook(r *http.Request) (any, *apiError) {
	params := make(map[string]string)
	for k := range r.Form {
		params[k] = r.Form.Get(k)
	}
	u := params["url"]
	if u != "" && !strings.HasPrefix(u, "https://") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if secret, ok := params["secret_token"]; ok && !secretTokenPattern.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u == "" {
		s.webhook = nil
	} else {
		s.webhook = params
	}
	s.notify()
	return true, nil
}

func (s *Server) deleteWebhook(r *http.Request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = nil
	if r.Form.Get("drop_pending_updates") == "true" {
		s.pending = nil
	}
	s.notify()
	return true, nil
}

func (s *Server) webhookInfo() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{
		"url":                    s.webhook["url"],
		"has_custom_certificate": false,
		"pending_update_count":   len(s.pending),
	}
}

// intParam reads an optional integer parameter; 0 when absent.
func intParam(r *http.Request, name string) (int, error) {
	v := r.Form.Get(name)
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}

// chatParam reads chat_id, which must be a numeric id here.
func chatParam(r *http.Request) (int64, *apiError) {
	v := r.Form.Get("chat_id")
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	chat, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	return chat, nil
}

func checkText(text string) *apiError {
	if strings.TrimSpace(text) == "" {
		return badRequest("message text is empty")
	}
	if len(utf16.Encode([]rune(text))) > maxTextLen {
		return badRequest("message is too long")
	}
	return nil
}

// markup is a reply_markup of any kind.
type markup struct {
	InlineKeyboard [][]struct {
		Text         string  `json:"text"`
		CallbackData *string `json:"callback_data"`
		URL          *string `json:"url"`
	} `json:"inline_keyboard"`
	Keyboard       [][]json.RawMessage `json:"keyboard"` // a button is an object or a string
	RemoveKeyboard bool                `json:"remove_keyboard"`
	OneTime        bool                `json:"one_time_keyboard"`
	Resize         bool                `json:"resize_keyboard"`
}

// parseMarkup checks a reply_markup and returns it as recorded, and as
// Telegram shows it on the message (inline keyboards only).
func parseMarkup(raw string) (SentMessage, *tgbotapi.InlineKeyboardMarkup, *apiError) {
	var rec SentMessage
	if raw == "" {
		return rec, nil, nil
	}
	var m markup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return rec, nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	switch {
	case m.InlineKeyboard != nil:
		inline := &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
		for _, row := range m.InlineKeyboard {
			var recRow []Button
			var apiRow []tgbotapi.InlineKeyboardButton
			for _, b := range row {
				if b.Text == "" {
					return rec, nil, badRequest("text buttons are unallowed in the inline keyboard")
				}
				if b.CallbackData == nil && b.URL == nil {
					return rec, nil, badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String")
				}
				if b.CallbackData != nil && (*b.CallbackData == "" || len(*b.CallbackData) > maxCallbackData) {
					return rec, nil, badRequest("BUTTON_DATA_INVALID")
				}
				button := Button{Text: b.Text}
				if b.CallbackData != nil {
					button.Data = *b.CallbackData
				}
				recRow = append(recRow, button)
				apiRow = append(apiRow, tgbotapi.InlineKeyboardButton{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
			}
			rec.Keyboard = append(rec.Keyboard, recRow)
			inline.InlineKeyboard = append(inline.InlineKeyboard, apiRow)
		}
		return rec, inline, nil
	case m.Keyboard != nil:
		rec.ReplyKeyboard = []Button{}
		for _, row := range m.Keyboard {
			for _, raw := range row {
				var b Button
				var obj struct {
					Text            string `json:"text"`
					RequestContact  bool   `json:"request_contact"`
					RequestLocation bool   `json:"request_location"`
				}
				if json.Unmarshal(raw, &b.Text) != nil {
					if err := json.Unmarshal(raw, &obj); err != nil {
						return rec, nil, badRequest("can't parse keyboard button")
					}
					b = Button{Text: obj.Text, RequestContact: obj.RequestContact, RequestLocation: obj.RequestLocation}
				}
				if b.Text == "" {
					return rec, nil, badRequest("keyboard button text is empty")
				}
				rec.ReplyKeyboard = append(rec.ReplyKeyboard, b)
			}
		}
		rec.OneTime, rec.Resize = m.OneTime, m.Resize
		return rec, nil, nil
	case m.RemoveKeyboard:
		rec.Remove = true
		return rec, nil, nil
	default:
		return rec, nil, badRequest("can't find field \"inline_keyboard\", \"keyboard\" or \"remove_keyboard\"")
	}
}
