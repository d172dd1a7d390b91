package whatsapp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
)

// sent is one call the fake client took, in order.
type sent struct {
	Kind string // "message", "presence", "read", "upload"
	To   types.JID
	Msg  *waE2E.Message
	IDs  []types.MessageID
	ID   types.MessageID // a message's id
}

// fakeClient is a whatsapp.Client that records what the adapter does.
type fakeClient struct {
	mu    sync.Mutex
	calls []sent
	lids  map[types.JID]types.JID
	// sendErr, when set, is returned by SendMessage.
	sendErr error
	// media are the files Download serves, by direct path; uploads adds
	// what Upload takes, so that a file uploaded can be downloaded back.
	media   map[string][]byte
	uploads int
	// held: messages to these phones wait until their channel is closed.
	held map[string]chan struct{}
	sent int // messages sent, for their ids
}

func newFake() *fakeClient {
	return &fakeClient{lids: map[types.JID]types.JID{}, media: map[string][]byte{}}
}

func (f *fakeClient) record(c sent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeClient) SendMessage(ctx context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.mu.Lock()
	err, held := f.sendErr, f.held[to.User]
	f.mu.Unlock()
	if err != nil {
		return whatsmeow.SendResponse{}, err
	}
	if held != nil {
		select {
		case <-held:
		case <-ctx.Done():
			return whatsmeow.SendResponse{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent++
	id := fmt.Sprintf("OUT%d", f.sent)
	f.calls = append(f.calls, sent{Kind: "message", To: to, Msg: m, ID: id})
	return whatsmeow.SendResponse{ID: id}, nil
}

// hold makes messages to phone wait until release is called.
func (f *fakeClient) hold(phone string) (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held == nil {
		f.held = map[string]chan struct{}{}
	}
	f.held[phone] = ch
	return sync.OnceFunc(func() { close(ch) })
}

// BuildEdit is whatsmeow's, which uses nothing of the client.
func (f *fakeClient) BuildEdit(chat types.JID, id types.MessageID, newContent *waE2E.Message) *waE2E.Message {
	return (&whatsmeow.Client{}).BuildEdit(chat, id, newContent)
}

func (f *fakeClient) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	if state != types.ChatPresenceComposing {
		return fmt.Errorf("unexpected presence %q", state)
	}
	f.record(sent{Kind: "presence", To: jid})
	return nil
}

func (f *fakeClient) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, _ types.JID, _ ...types.ReceiptType) error {
	f.record(sent{Kind: "read", To: chat, IDs: ids})
	return nil
}

func (f *fakeClient) Upload(_ context.Context, data []byte, _ whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	f.record(sent{Kind: "upload"})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uploads++
	path := fmt.Sprintf("/v/t62.7119-24/upload-%d.enc", f.uploads)
	f.media[path] = bytes.Clone(data)
	sum := sha256.Sum256(data)
	return whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net" + path, DirectPath: path, FileLength: uint64(len(data)),
		MediaKey: bytes.Repeat([]byte{7}, 32), FileSHA256: sum[:], FileEncSHA256: bytes.Repeat([]byte{9}, 32)}, nil
}

// Download serves the file at the message's direct path, as whatsmeow
// does after decrypting it.
func (f *fakeClient) Download(_ context.Context, m whatsmeow.DownloadableMessage) ([]byte, error) {
	f.record(sent{Kind: "download"})
	f.mu.Lock()
	defer f.mu.Unlock()
	data, ok := f.media[m.GetDirectPath()]
	if !ok {
		return nil, whatsmeow.ErrMediaDownloadFailedWith404
	}
	return bytes.Clone(data), nil
}

// serve makes data downloadable at a new direct path and returns the media
// fields a message carrying it has.
func (f *fakeClient) serve(data []byte) (path string, mediaKey, encSHA, sha []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path = fmt.Sprintf("/v/t62.7119-24/29221155_1108484677408497_%d_n.enc?ccb=11-4&oh=01_Q5AaIBv2ZkZfQm9vYmFyYmF6cXV4&oe=67A1B2C3&_nc_sid=5e03e0", len(f.media))
	f.media[path] = bytes.Clone(data)
	s := sha256.Sum256(data)
	return path, bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), s[:]
}

// count is how many calls of kind the fake took.
func (f *fakeClient) count(kind string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

func (f *fakeClient) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lids[lid], nil
}

func (f *fakeClient) Calls() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.calls...)
}

// texts are the texts of the messages sent to phone (digits), in order.
func (f *fakeClient) texts(phone string) []string {
	var out []string
	for _, c := range f.Calls() {
		if c.Kind == "message" && c.To.User == phone && c.Msg.GetConversation() != "" {
			out = append(out, c.Msg.GetConversation())
		}
	}
	return out
}

// reads are the ids marked read.
func (f *fakeClient) reads() []types.MessageID {
	var out []types.MessageID
	for _, c := range f.Calls() {
		if c.Kind == "read" {
			out = append(out, c.IDs...)
		}
	}
	return out
}

// recorder is a bot.Handler that keeps the inputs; fail makes the next
// calls fail.
type recorder struct {
	mu   sync.Mutex
	ins  []flows.Input
	fail int
}

func (r *recorder) Handle(_ context.Context, in flows.Input) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		return errors.New("redis down")
	}
	r.ins = append(r.ins, in)
	return nil
}

func (r *recorder) inputs() []flows.Input {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]flows.Input(nil), r.ins...)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const sarita = "919018159083"

func pn(user string) types.JID { return types.NewJID(user, types.DefaultUserServer) }

var msgSeq int

// message builds a private message from phone, sent now, with m.
func message(from types.JID, m *waE2E.Message) *events.Message {
	msgSeq++
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: from, Sender: from},
			ID:            fmt.Sprintf("3EB0%08X", msgSeq),
			PushName:      "Sarita",
			Timestamp:     time.Now(),
		},
		Message: m,
	}
}

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

func vcard(name, tel string) *waE2E.Message {
	return &waE2E.Message{ContactMessage: &waE2E.ContactMessage{
		DisplayName: proto.String(name),
		Vcard:       proto.String("BEGIN:VCARD\nVERSION:3.0\nN:;" + name + ";;;\nFN:" + name + "\n" + tel + "\nitem1.X-ABLabel:Mobile\nEND:VCARD"),
	}}
}

func newAdapter(t *testing.T, h bot.Handler, change ...func(*whatsapp.Config)) (*whatsapp.Adapter, *fakeClient) {
	t.Helper()
	f := newFake()
	cfg := whatsapp.Config{Client: f, Handler: h, Logger: quiet, TypingDelay: -1, RetryBackoff: 5 * time.Millisecond}
	for _, c := range change {
		c(&cfg)
	}
	a := whatsapp.New(cfg)
	t.Cleanup(func() { a.Close(context.Background()) })
	return a, f
}

func TestInbound(t *testing.T) {
	lid := types.NewJID("123456789012345", types.HiddenUserServer)
	tests := []struct {
		name  string
		evt   func() *events.Message
		want  *flows.Input // nil: ignored
		setup func(*fakeClient)
	}{
		{"text", func() *events.Message { return message(pn(sarita), text("नमस्ते")) },
			&flows.Input{Text: "नमस्ते"}, nil},
		{"written during an hour's outage", func() *events.Message {
			e := message(pn(sarita), text("हाँ"))
			e.Info.Timestamp = time.Now().Add(-time.Hour)
			return e
		}, &flows.Input{Text: "हाँ"}, nil},
		{"extended text (a reply quoting the bot)", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
				Text:        proto.String("हाँ"),
				ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("OUT"), QuotedMessage: text("निमंत्रण")},
			}})
		}, &flows.Input{Text: "हाँ"}, nil},
		{"own contact", func() *events.Message {
			return message(pn(sarita), vcard("Sarita", "item1.TEL;type=CELL;waid=919018159083:+91 90181 59083"))
		}, &flows.Input{Contact: &flows.Contact{Phone: "+919018159083", Own: true}}, nil},
		{"own contact without waid, local form", func() *events.Message {
			return message(pn(sarita), vcard("Sarita", "TEL;TYPE=CELL:090181 59083"))
		}, &flows.Input{Contact: &flows.Contact{Phone: "090181 59083", Own: true}}, nil},
		{"someone else's contact", func() *events.Message {
			return message(pn(sarita), vcard("Rajesh", "item1.TEL;waid=919131860913:+91 91318 60913"))
		}, &flows.Input{Contact: &flows.Contact{Phone: "+919131860913"}}, nil},
		{"location", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{LocationMessage: &waE2E.LocationMessage{
				DegreesLatitude: proto.Float64(24.1685), DegreesLongitude: proto.Float64(82.8013)}})
		}, &flows.Input{Location: &flows.Location{Lat: 24.1685, Lon: 82.8013}}, nil},
		{"voice note", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}})
		}, &flows.Input{Media: "voice"}, nil},
		{"sticker", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}})
		}, &flows.Input{Media: "sticker"}, nil},
		{"photo with caption", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("हाज़िरी")}})
		}, &flows.Input{Media: "photo", Text: "हाज़िरी"}, nil},
		{"document with nothing to download by", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
				FileName: proto.String("roster.xlsx"), FileLength: proto.Uint64(2048)}})
		}, &flows.Input{Media: "document"}, nil}, // see TestInboundFileDownloads for real ones
		{"reaction", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}})
		}, &flows.Input{Text: "👍"}, nil},
		{"LID sender with SenderAlt", func() *events.Message {
			e := message(lid, text("नमस्ते"))
			e.Info.SenderAlt = pn(sarita)
			return e
		}, &flows.Input{Text: "नमस्ते"}, nil},
		{"LID sender from the LID store", func() *events.Message {
			return message(lid, text("नमस्ते"))
		}, &flows.Input{Text: "नमस्ते"}, func(f *fakeClient) { f.lids[lid] = pn(sarita) }},
		{"LID sender with no known number", func() *events.Message { return message(lid, text("नमस्ते")) }, nil, nil},
		{"sender with a device part", func() *events.Message {
			e := message(pn(sarita), text("नमस्ते"))
			e.Info.Sender = types.JID{User: sarita, Device: 3, Server: types.DefaultUserServer}
			return e
		}, &flows.Input{Text: "नमस्ते"}, nil},
		{"group", func() *events.Message {
			e := message(pn(sarita), text("नमस्ते"))
			e.Info.Chat = types.NewJID("120363025246125486", types.GroupServer)
			e.Info.IsGroup = true
			return e
		}, nil, nil},
		{"status", func() *events.Message {
			e := message(pn(sarita), text("नमस्ते"))
			e.Info.Chat = types.StatusBroadcastJID
			return e
		}, nil, nil},
		{"own message", func() *events.Message {
			e := message(pn(sarita), text("नमस्ते"))
			e.Info.IsFromMe = true
			return e
		}, nil, nil},
		{"days old", func() *events.Message {
			e := message(pn(sarita), text("हाँ"))
			e.Info.Timestamp = time.Now().Add(-25 * time.Hour)
			return e
		}, nil, nil},
		{"poll", func() *events.Message {
			return message(pn(sarita), &waE2E.Message{PollCreationMessage: &waE2E.PollCreationMessage{Name: proto.String("?")}})
		}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &recorder{}
			a, f := newAdapter(t, h)
			if tc.setup != nil {
				tc.setup(f)
			}
			e := tc.evt()
			a.HandleEvent(e)
			got := h.inputs()
			if tc.want == nil {
				if len(got) != 0 || len(f.reads()) != 0 {
					t.Fatalf("handled %+v, read %v; want it ignored", got, f.reads())
				}
				return
			}
			want := *tc.want
			want.Channel, want.User, want.ID, want.Name = "whatsapp", sarita, e.Info.ID, "Sarita"
			if len(got) != 1 || !equalInput(got[0], want) {
				t.Fatalf("handled %s\nwant %s", dump(got), dump([]flows.Input{want}))
			}
			if r := f.reads(); len(r) != 1 || r[0] != e.Info.ID {
				t.Fatalf("read receipts %v, want [%s]", r, e.Info.ID)
			}
		})
	}
}

func equalInput(a, b flows.Input) bool { return reflect.DeepEqual(a, b) }

func dump(ins []flows.Input) string {
	var b strings.Builder
	for _, in := range ins {
		fmt.Fprintf(&b, "%+v", in)
		if in.Contact != nil {
			fmt.Fprintf(&b, " contact=%+v", *in.Contact)
		}
		if in.Location != nil {
			fmt.Fprintf(&b, " location=%+v", *in.Location)
		}
		if in.File != nil {
			fmt.Fprintf(&b, " file=%+v", *in.File)
		}
	}
	return b.String()
}

func TestGroupsWhenEnabled(t *testing.T) {
	h := &recorder{}
	a, _ := newAdapter(t, h, func(c *whatsapp.Config) { c.Groups = true })
	e := message(pn(sarita), text("हाज़िरी"))
	e.Info.Chat = types.NewJID("120363025246125486", types.GroupServer)
	e.Info.IsGroup = true
	a.HandleEvent(e)
	if got := h.inputs(); len(got) != 1 || got[0].User != sarita {
		t.Fatalf("handled %+v, want the sender's own conversation", got)
	}
}

func TestFailedHandleIsRetriedAndNotReadUntilCommitted(t *testing.T) {
	h := &recorder{fail: 2}
	a, f := newAdapter(t, h)
	e := message(pn(sarita), text("हाँ"))
	a.HandleEvent(e)
	if n := len(f.reads()); n != 0 {
		t.Fatalf("marked read before it was committed")
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(h.inputs()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("message not retried")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := f.reads(); len(r) != 1 || r[0] != e.Info.ID {
		t.Fatalf("read receipts %v after the retry", r)
	}
}

func TestGivesUpAfterRetries(t *testing.T) {
	h := &recorder{fail: 100}
	a, f := newAdapter(t, h, func(c *whatsapp.Config) { c.Retries = 2 })
	a.HandleEvent(message(pn(sarita), text("हाँ")))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if h.fail != 100-3 || len(f.reads()) != 0 {
		t.Fatalf("%d attempts, reads %v; want 3 attempts and no read receipt", 100-h.fail, f.reads())
	}
}

func TestSendRendersNumberedOptionsAfterTyping(t *testing.T) {
	a, f := newAdapter(t, &recorder{})
	err := a.Send(context.Background(), sarita, []flows.Reply{
		{Text: "प्रशिक्षण का निमंत्रण: AMRUT 2.0", Options: []flows.Option{
			{Data: "rsvp:yes", Label: "✅ आऊँगा"}, {Data: "rsvp:no", Label: "❌ नहीं आ पाऊँगा"}, {Data: "rsvp:maybe", Label: "🤔 अभी पता नहीं"},
		}},
		{Text: "अपना नंबर भेजें।", Request: flows.RequestContact, RequestLabel: "📞 नंबर भेजें"},
		{Text: "Send your location.", Request: flows.RequestLocation},
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	var kinds []string
	for _, c := range calls {
		kinds = append(kinds, c.Kind)
		if c.To != pn(sarita) {
			t.Fatalf("sent to %v", c.To)
		}
	}
	if got := strings.Join(kinds, ","); got != "presence,message,presence,message,presence,message" {
		t.Fatalf("calls %s", got)
	}
	want := []string{
		"प्रशिक्षण का निमंत्रण: AMRUT 2.0\n\n1) ✅ आऊँगा\n2) ❌ नहीं आ पाऊँगा\n3) 🤔 अभी पता नहीं",
		"अपना नंबर भेजें।", // no button to mention: the text says what to do
		"Send your location.",
	}
	got := f.texts(sarita)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("texts\n%q\nwant\n%q", got, want)
	}
}

func TestSendDocument(t *testing.T) {
	a, f := newAdapter(t, &recorder{})
	err := a.Send(context.Background(), sarita, []flows.Reply{
		{Text: "कार्यक्रम", File: &flows.File{Name: "schedule.pdf", Data: []byte("%PDF-1.4")}},
		{Text: "पुरानी फ़ाइल", File: &flows.File{ID: "telegram-file-id"}}, // not sendable here: text only
	})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*waE2E.DocumentMessage
	for _, c := range f.Calls() {
		if d := c.Msg.GetDocumentMessage(); d != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) != 1 || docs[0].GetFileName() != "schedule.pdf" || docs[0].GetMimetype() != "application/pdf" || docs[0].GetFileLength() != 8 {
		t.Fatalf("documents %+v", docs)
	}
	if got := f.texts(sarita); len(got) != 2 || got[0] != "कार्यक्रम" || got[1] != "पुरानी फ़ाइल" {
		t.Fatalf("texts %q", got)
	}
}

func TestSendErrors(t *testing.T) {
	a, f := newAdapter(t, &recorder{})
	ctx := context.Background()
	if err := a.Send(ctx, "not-a-number", []flows.Reply{{Text: "x"}}); !errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("bad user id: %v", err)
	}
	for _, tc := range []struct {
		err         error
		unreachable bool
	}{
		{fmt.Errorf("no LID found for %s from server", pn(sarita)), true},
		{fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 463), true},
		{fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 500), false},
		{whatsmeow.ErrNotConnected, false},
		{whatsmeow.ErrMessageTimedOut, false},
	} {
		f.mu.Lock()
		f.sendErr = tc.err
		f.mu.Unlock()
		err := a.Send(ctx, sarita, []flows.Reply{{Text: "नमस्ते"}})
		if err == nil || errors.Is(err, bot.ErrUnreachable) != tc.unreachable || !errors.Is(err, tc.err) {
			t.Fatalf("%v: got %v, unreachable want %v", tc.err, err, tc.unreachable)
		}
		if strings.Contains(err.Error(), "9018159") {
			t.Fatalf("error shows the whole number: %v", err)
		}
	}
}

func TestReadyAndLoggedOut(t *testing.T) {
	a, _ := newAdapter(t, &recorder{})
	if ok, status := a.Ready(); ok || status != "not connected yet" {
		t.Fatalf("before connecting: %v %q", ok, status)
	}
	a.HandleEvent(&events.Connected{})
	if ok, _ := a.Ready(); !ok {
		t.Fatal("not ready after Connected")
	}
	a.HandleEvent(&events.Disconnected{})
	if ok, status := a.Ready(); ok || !strings.Contains(status, "reconnecting") {
		t.Fatalf("after Disconnected: %v %q", ok, status)
	}
	a.HandleEvent(&events.Connected{})
	reasons := make(chan string, 4)
	a.OnLoggedOut(func(r string) { reasons <- r })
	a.HandleEvent(&events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut})
	a.HandleEvent(&events.Disconnected{}) // follows a logout; must not hide it
	if ok, status := a.Ready(); ok || !strings.Contains(status, "logged out") {
		t.Fatalf("after LoggedOut: %v %q", ok, status)
	}
	select {
	case r := <-reasons:
		if !strings.Contains(r, "401") {
			t.Fatalf("reason %q", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnLoggedOut not called")
	}
	a.HandleEvent(&events.TemporaryBan{Code: events.TempBanBlockedByUsers, Expire: time.Hour})
	if ok, status := a.Ready(); ok || !strings.Contains(status, "banned") {
		t.Fatalf("after TemporaryBan: %v %q", ok, status)
	}
	if r := <-reasons; !strings.Contains(r, "banned") {
		t.Fatalf("ban reason %q", r)
	}
	a.HandleEvent(&events.StreamReplaced{})
	if r := <-reasons; r != "stream replaced" {
		t.Fatalf("stream replaced reason %q", r)
	}
	a.HandleEvent(&events.Connected{}) // paired again
	if ok, status := a.Ready(); !ok || status != "connected" {
		t.Fatalf("after pairing again: %v %q", ok, status)
	}
}

func TestSetHandlerLater(t *testing.T) {
	a, _ := newAdapter(t, nil)
	h := &recorder{}
	a.SetHandler(h)
	a.HandleEvent(message(pn(sarita), text("नमस्ते")))
	if len(h.inputs()) != 1 {
		t.Fatal("not handled")
	}
}
