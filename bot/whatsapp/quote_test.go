package whatsapp_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// quoting is a reply to message id (WhatsApp's "reply" on a message) saying s.
func quoting(id, s string) *waE2E.Message {
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text:        proto.String(s),
		ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String(id), QuotedMessage: text("…")},
	}}
}

var rsvp = []flows.Option{
	{Data: "invite.ask:yes@T1", Label: "✅ आऊँगा"},
	{Data: "invite.ask:no@T1", Label: "❌ नहीं आ पाऊँगा"},
	{Data: "invite.ask:maybe@T1", Label: "🤔 अभी पता नहीं"},
}

// TestQuotedReplyAnswersItsMessage: a reply quoting a message sent with
// options, saying an option's number or label, comes as that option's
// Choice (with its text); anything else comes as text alone.
func TestQuotedReplyAnswersItsMessage(t *testing.T) {
	ctx := context.Background()
	sentOpts := store.NewSentOptions(storetest.Redis(t, dbWhatsApp, nil))
	h := &recorder{}
	a, f := newAdapter(t, h, func(c *whatsapp.Config) { c.SentOptions = sentOpts })
	err := a.Send(ctx, sarita, []flows.Reply{
		{Text: "प्रशिक्षण का निमंत्रण", Options: rsvp}, // OUT1
		{Text: "धन्यवाद।"},                             // OUT2: no options
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids := f.Calls(); ids[1].ID != "OUT1" || ids[3].ID != "OUT2" {
		t.Fatalf("fake ids %+v", ids)
	}
	const other = "919000000001"
	tests := []struct {
		name   string
		from   string
		msg    *waE2E.Message
		choice string // "" : text only
	}{
		{"number", sarita, quoting("OUT1", "2"), rsvp[1].Data},
		{"Devanagari number with spaces and a dot", sarita, quoting("OUT1", " ३. "), rsvp[2].Data},
		{"number with a bracket", sarita, quoting("OUT1", "1)"), rsvp[0].Data},
		{"label", sarita, quoting("OUT1", "❌ नहीं आ पाऊँगा"), rsvp[1].Data},
		{"label without its emoji", sarita, quoting("OUT1", "  आऊँगा "), rsvp[0].Data},
		{"yes in words", sarita, quoting("OUT1", "हाँ जी"), rsvp[0].Data},
		{"no in words", sarita, quoting("OUT1", "nahi"), rsvp[1].Data},
		{"not sure", sarita, quoting("OUT1", "अभी पता नहीं"), rsvp[2].Data},
		{"number out of range", sarita, quoting("OUT1", "4"), ""},
		{"zero", sarita, quoting("OUT1", "0"), ""},
		{"will tell later is not sure", sarita, quoting("OUT1", "मैं सोच कर बताऊँगी"), rsvp[2].Data},
		{"other words", sarita, quoting("OUT1", "प्रशिक्षण कहाँ है?"), ""},
		{"a message without options", sarita, quoting("OUT2", "1"), ""},
		{"an unknown message", sarita, quoting("3EB0DEADBEEF", "1"), ""},
		{"not quoting", sarita, text("1"), ""},
		{"someone else quoting its id", other, quoting("OUT1", "1"), ""},
	}
	for _, tc := range tests {
		e := message(pn(tc.from), tc.msg)
		a.HandleEvent(e)
		ins := h.inputs()
		got := ins[len(ins)-1]
		want := tc.msg.GetConversation() + tc.msg.GetExtendedTextMessage().GetText()
		if got.ID != e.Info.ID || got.Choice != tc.choice || got.Text != want || got.User != tc.from {
			t.Errorf("%s: input %+v, want choice %q and text %q", tc.name, got, tc.choice, want)
		}
	}
}

// TestQuotedReplyWithRedisDown: remembering options that fail does not fail
// the send, and a failed lookup leaves the reply as text.
func TestQuotedReplyWithRedisDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	h := &recorder{}
	a, f := newAdapter(t, h, func(c *whatsapp.Config) { c.SentOptions = store.NewSentOptions(rdb) })
	if err := a.Send(context.Background(), sarita, []flows.Reply{{Text: "प्रशिक्षण का निमंत्रण", Options: rsvp}}); err != nil {
		t.Fatalf("send failed with the options store down: %v", err)
	}
	if got := f.texts(sarita); len(got) != 1 {
		t.Fatalf("texts %q", got)
	}
	a.HandleEvent(message(pn(sarita), quoting("OUT1", "2")))
	if ins := h.inputs(); len(ins) != 1 || ins[0].Text != "2" || ins[0].Choice != "" {
		t.Fatalf("inputs %s, want the text 2 alone", dump(ins))
	}
}

// TestReactionAnswersItsMessage: a 👍 on the invitation (WhatsApp's
// reaction) answers that invitation, like a reply quoting it with 👍; one
// on a message without options is only text.
func TestReactionAnswersItsMessage(t *testing.T) {
	ctx := context.Background()
	sentOpts := store.NewSentOptions(storetest.Redis(t, dbWhatsApp, nil))
	h := &recorder{}
	a, _ := newAdapter(t, h, func(c *whatsapp.Config) { c.SentOptions = sentOpts })
	if err := a.Send(ctx, sarita, []flows.Reply{{Text: "प्रशिक्षण का निमंत्रण", Options: rsvp}, {Text: "धन्यवाद।"}}); err != nil {
		t.Fatal(err)
	}
	react := func(id, emoji string) *waE2E.Message {
		return &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Key: &waCommon.MessageKey{ID: proto.String(id)}, Text: proto.String(emoji)}}
	}
	for _, tc := range []struct {
		id, emoji, choice string
	}{{"OUT1", "👍", rsvp[0].Data}, {"OUT2", "👍", ""}, {"OUT1", "❤️", ""}} {
		a.HandleEvent(message(pn(sarita), react(tc.id, tc.emoji)))
		ins := h.inputs()
		if got := ins[len(ins)-1]; got.Choice != tc.choice || got.Text != tc.emoji {
			t.Errorf("%s on %s: input %+v, want choice %q", tc.emoji, tc.id, got, tc.choice)
		}
	}
}
