package whatsapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/storetest"
)

// A reply with a document and a text is two WhatsApp messages, and through
// the limiter each takes its own turn: the document goes a chat interval
// after the text, not in the same instant.
func TestDocumentAfterItsTextTakesATurn(t *testing.T) {
	rdb := storetest.Redis(t, dbWhatsApp, nil)
	wa, fake := newAdapter(t, nil)
	const interval = 300 * time.Millisecond
	l := delivery.New(rdb, whatsapp.Channel, delivery.Limits{
		Overall: redis_rate.Limit{Rate: 6000, Period: time.Minute}, // 10 ms: the chat interval binds
		PerChat: redis_rate.Limit{Rate: 1, Period: interval},
	})
	reply := flows.Reply{Text: "प्रशिक्षण की सूची", Options: []flows.Option{{Label: "ठीक है", Data: "ok"}}, File: &flows.File{Name: "सूची.csv", Data: []byte("नाम\n")}}
	if parts := wa.Split(reply); len(parts) != 2 || parts[0].File != nil || len(parts[0].Options) != 1 || parts[1].File == nil || parts[1].Text != "" {
		t.Fatalf("split into %+v: want the text with its options, then the document alone", parts)
	}
	start := time.Now()
	if err := delivery.Limited(wa, l).Send(context.Background(), sarita, []flows.Reply{reply}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < interval {
		t.Errorf("text and document went within %v, want a chat interval (%v) apart", took, interval)
	}
	var kinds []string
	for _, c := range fake.calls {
		if c.Kind != "message" {
			continue
		}
		switch {
		case c.Msg.GetConversation() != "":
			kinds = append(kinds, "text")
		case c.Msg.GetDocumentMessage() != nil:
			kinds = append(kinds, "document")
		}
	}
	if len(kinds) != 2 || kinds[0] != "text" || kinds[1] != "document" {
		t.Errorf("messages sent: %v, want text then document", kinds)
	}
}
