package whatsapp_test

// End-to-end tests of personal codes: the greeting a WhatsApp link fills
// in, sent from the person's number or another, and a revoked link.

import (
	"context"
	"testing"

	"github.com/saathi-bot/saathi/bot/links"
)

// TestWhatsAppCodeLinksThePersonAfterTheyConfirm: the greeting of सरिता's
// WhatsApp link, sent from a number that is not hers, asks whether she is
// सरिता and links that chat to her when she says yes; the same code from a
// third number is refused, "no" links nothing, her own number needs no
// question, and a revoked code links no one.
func TestWhatsAppCodeLinksThePersonAfterTheyConfirm(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.importSample()
	const sarita, rajesh = "+919018159083", "+919131860913"
	tok, err := w.svc.Identity.Token(ctx, sarita)
	if err != nil {
		t.Fatal(err)
	}
	const sons = "919811122233" // her son's phone, not on the roster
	w.say(sons, links.Greeting(tok), "क्या आप सरिता राजभर जी हैं?")
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", sons); p != "" {
		t.Fatalf("linked to %s before confirming", p)
	}
	w.say(sons, "हाँ", "धन्यवाद, सरिता राजभर जी! आपका नंबर साथी से जुड़ गया।")
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", sons); p != sarita {
		t.Fatalf("the chat is linked to %q, want %s", p, sarita)
	}
	w.say(sons, "नमस्ते", "नमस्ते सरिता राजभर जी!")

	// The code is hers and that chat's now: another number is refused.
	const stranger = "919822233344"
	w.say(stranger, links.Greeting(tok), "यह लिंक काम नहीं कर रहा")
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", stranger); p != "" {
		t.Fatalf("a used code linked a stranger to %s", p)
	}

	// राजेश's code from a neighbour who says it is not theirs: nothing is
	// linked and the neighbour goes on as a new number.
	rtok, err := w.svc.Identity.Token(ctx, rajesh)
	if err != nil {
		t.Fatal(err)
	}
	const neighbour = "919833344455"
	w.say(neighbour, "मेरा कोड "+rtok, "क्या आप राजेश सोनकर जी हैं?")
	w.say(neighbour, "नहीं", "यह कोड किसी और का है")
	w.wait(neighbour, "पंजीकरण")
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", neighbour); p != "" {
		t.Fatalf("\"no\" linked the chat to %s", p)
	}

	// From राजेश's own number his code links at once, no question.
	w.say(rajesh[1:], links.Greeting(rtok), "नमस्ते राजेश सोनकर जी!")
	if h, err := w.svc.Identity.Peek(ctx, rtok); err != nil || h.Chat != "whatsapp:"+rajesh[1:] {
		t.Fatalf("his code after he used it: %+v %v", h, err)
	}

	// A revoked code: refused, and the chat that used it no longer hers.
	if _, _, err := w.svc.Identity.Revoke(ctx, sarita); err != nil {
		t.Fatal(err)
	}
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", sons); p != "" {
		t.Fatalf("after revoking, the chat is still linked to %s", p)
	}
	const another = "919844455566"
	w.say(another, links.Greeting(tok), "यह लिंक काम नहीं कर रहा")
	if p, _ := w.svc.Identity.Phone(ctx, "whatsapp", another); p != "" {
		t.Fatalf("a revoked code linked the chat to %s", p)
	}
}
