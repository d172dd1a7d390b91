package whatsapp_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/whatsapp"
)

var _ services.Poster = (*whatsapp.Adapter)(nil)

// TestPostThenEdit: Post sends the text and returns the id WhatsApp gave
// the message; Edit sends a protocol edit of that message, in that chat.
func TestPostThenEdit(t *testing.T) {
	a, f := newAdapter(t, &recorder{})
	ctx := context.Background()
	first, err := a.Post(ctx, sarita, "📢 संदेश की प्रगति: 5 में से 1 भेजे गए")
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Post(ctx, sarita, "📢 another broadcast's progress")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Edit(ctx, sarita, first, "📢 संदेश की प्रगति: 5 में से 5 भेजे गए"); err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if len(calls) != 3 || calls[0].Kind != "message" || calls[2].Kind != "message" {
		t.Fatalf("calls %+v, want three messages and no typing", calls)
	}
	if first != "OUT1" || second != "OUT2" || calls[0].Msg.GetConversation() != "📢 संदेश की प्रगति: 5 में से 1 भेजे गए" || calls[0].To != pn(sarita) {
		t.Fatalf("posted %q to %v, ids %q %q; want the text, ids OUT1 OUT2", calls[0].Msg.GetConversation(), calls[0].To, first, second)
	}
	edit, to := calls[2].Msg, calls[2].To
	pm := edit.GetEditedMessage().GetMessage().GetProtocolMessage()
	if to != pn(sarita) || pm.GetType() != waE2E.ProtocolMessage_MESSAGE_EDIT || pm.GetKey().GetID() != first ||
		!pm.GetKey().GetFromMe() || pm.GetKey().GetRemoteJID() != pn(sarita).String() {
		t.Fatalf("edit to %v is %v; want an edit of our message %s in sarita's chat", to, edit, first)
	}
	if got := pm.GetEditedMessage().GetConversation(); got != "📢 संदेश की प्रगति: 5 में से 5 भेजे गए" {
		t.Fatalf("edited to %q", got)
	}
	if edit.GetConversation() != "" {
		t.Fatalf("the edit is a message of its own: %v", edit)
	}
}

func TestPostAndEditErrors(t *testing.T) {
	a, f := newAdapter(t, &recorder{})
	ctx := context.Background()
	if _, err := a.Post(ctx, "not-a-number", "x"); !errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("post to a bad user id: %v", err)
	}
	if err := a.Edit(ctx, "+91 90181", "OUT1", "x"); !errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("edit in a bad user id: %v", err)
	}
	f.mu.Lock()
	f.sendErr = whatsmeow.ErrNotConnected
	f.mu.Unlock()
	if id, err := a.Post(ctx, sarita, "x"); !errors.Is(err, whatsmeow.ErrNotConnected) || id != "" {
		t.Fatalf("post while not connected: %q %v", id, err)
	}
	if err := a.Edit(ctx, sarita, "OUT1", "x"); !errors.Is(err, whatsmeow.ErrNotConnected) {
		t.Fatalf("edit while not connected: %v", err)
	}
}

// TestEditPace: WhatsApp wants its progress messages edited rarely, and
// applies edits only to recent messages.
func TestEditPace(t *testing.T) {
	a, _ := newAdapter(t, &recorder{})
	every, window := a.EditPace()
	if every < 30*time.Second || window <= 0 || window > 15*time.Minute {
		t.Fatalf("edit pace every %v, window %v", every, window)
	}
}

// edits are the edits sent to phone: the id each edits and its new text.
func (f *fakeClient) edits(phone string) [][2]string {
	var out [][2]string
	for _, c := range f.Calls() {
		pm := c.Msg.GetEditedMessage().GetMessage().GetProtocolMessage()
		if c.Kind == "message" && c.To.User == phone && pm.GetType() == waE2E.ProtocolMessage_MESSAGE_EDIT {
			out = append(out, [2]string{pm.GetKey().GetID(), pm.GetEditedMessage().GetConversation()})
		}
	}
	return out
}

// TestBroadcastProgressOverWhatsApp: a BMM on WhatsApp broadcasts; the
// progress message appears in his chat while a copy is on its way, is not
// edited again within 30 s, gets the final numbers as an edit of itself
// once all copies are accounted for, and the broadcast is then no longer
// active.
func TestBroadcastProgressOverWhatsApp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.svc.Posters[whatsapp.Channel] = w.wa
	w.importSample()
	w.say(bmmPhone, "नमस्ते", "नमस्ते विजय प्रजापति")
	w.say(rakeshPhone, "नमस्ते", "नमस्ते राकेश पासवान")
	release := w.fake.hold(rakeshPhone) // his copy waits: the broadcast is under way
	t.Cleanup(release)

	w.say(bmmPhone, "प्रसारण", "संदेश किसे भेजना है")
	w.say(bmmPhone, "4", "किस पद के लोगों को")
	w.say(bmmPhone, "3", "किस निकाय या ब्लॉक")
	w.say(bmmPhone, "सभी", "संदेश लिखें")
	w.say(bmmPhone, "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है।", "कोई फ़ाइल भेजनी है")
	w.say(bmmPhone, "नहीं", "यह संदेश 5 लोगों को जाएगा")
	w.say(bmmPhone, "हाँ", "5 लोगों को भेजा जा रहा है")

	if err := w.svc.ShowProgress(ctx); err != nil {
		t.Fatal(err)
	}
	w.wait(bmmPhone, "📢 संदेश की प्रगति: 5 में से 0 भेजे गए")
	var posted string
	for _, c := range w.fake.Calls() {
		if c.To.User == bmmPhone && strings.Contains(c.Msg.GetConversation(), "संदेश की प्रगति") {
			posted = c.ID
		}
	}
	// The four without a chat are counted meanwhile; the message waits.
	deadline := time.Now().Add(waitFor)
	for {
		_, c, err := w.svc.Broadcasts.Get(ctx, w.broadcastID(t))
		if err != nil {
			t.Fatal(err)
		}
		if c.NoChat == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts %+v", c)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := w.svc.ShowProgress(ctx); err != nil {
		t.Fatal(err)
	}
	if e := w.fake.edits(bmmPhone); len(e) != 0 {
		t.Fatalf("edited within 30 s of posting: %q", e)
	}

	release()
	w.wait(rakeshPhone, bmmFrom)
	w.wait(bmmPhone, "आपका संदेश 5 लोगों के लिए था: 1 को पहुँचा")
	if err := w.svc.ShowProgress(ctx); err != nil {
		t.Fatal(err)
	}
	e := w.fake.edits(bmmPhone)
	want := [2]string{posted, "📢 संदेश की प्रगति: 5 में से 1 भेजे गए · 0 बाकी · 0 नहीं पहुँचे · 0 ने बंद किया · 4 जुड़े नहीं"}
	if posted == "" || len(e) != 1 || e[0] != want {
		t.Fatalf("edits %q, want one: %q", e, want)
	}
	if n := strings.Count(strings.Join(w.fake.texts(bmmPhone), "\n"), "संदेश की प्रगति"); n != 1 {
		t.Fatalf("%d progress messages, want 1", n)
	}
	if ids, err := w.svc.Broadcasts.Active(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("active broadcasts %v %v, want none", ids, err)
	}
}

// broadcastID is the one active broadcast's id.
func (w *world) broadcastID(t *testing.T) string {
	t.Helper()
	ids, err := w.svc.Broadcasts.Active(context.Background())
	if err != nil || len(ids) != 1 {
		t.Fatalf("active broadcasts %v %v, want one", ids, err)
	}
	return ids[0]
}
