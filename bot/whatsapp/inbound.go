package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/store/roster"
)

// errNoHandler is a message's failure when no handler is set yet.
var errNoHandler = errors.New("no handler set")

// HandleEvent takes one whatsmeow event; register it with
// cli.AddEventHandler. Messages go to the handler; connection events update
// Ready; every other event is ignored.
//
// A message is handled before HandleEvent returns (whatsmeow delivers
// events one at a time, so one user's messages keep their order), and a read
// receipt (blue ticks) follows its commit. When Handle fails (the dispatcher
// sets aside what it cannot apply, so this is Redis down for everyone), the
// message is not marked read: it is written to Config.Journal before
// HandleEvent returns, and applied from there, once, when the handler
// recovers (see Journal); the chat's later messages queue behind it.
// Without a journal, or when it cannot be written either, it is tried again
// in memory, up to Config.Retries times with growing waits, and then lost
// (logged).
func (a *Adapter) HandleEvent(evt any) {
	switch e := evt.(type) {
	case *events.Message:
		a.handleMessage(e)
	case *events.Connected:
		a.setStatus(true, "connected", false)
	case *events.KeepAliveRestored:
		a.setStatus(true, "connected", false)
	case *events.Disconnected:
		a.setStatus(false, "disconnected; reconnecting", false)
	case *events.KeepAliveTimeout:
		a.setStatus(false, fmt.Sprintf("keepalive timing out (%d errors); reconnecting", e.ErrorCount), false)
	case *events.ConnectFailure:
		a.setStatus(false, fmt.Sprintf("connect failure %s", e.Reason), false)
	case *events.LoggedOut:
		reason := "logged out: the device was removed from the phone; pair again"
		if e.OnConnect {
			reason = fmt.Sprintf("logged out (%s); pair again", e.Reason)
		}
		a.setStatus(false, reason, true)
	case *events.TemporaryBan:
		a.setStatus(false, "temporarily banned: "+e.String(), true)
	case events.PermanentDisconnect: // stream replaced, client outdated, …
		a.setStatus(false, e.PermanentDisconnectDescription(), true)
	}
}

// handleMessage applies one message, or keeps it to apply later.
func (a *Adapter) handleMessage(e *events.Message) {
	if a.closed.Load() {
		a.log.Warn("whatsapp: message after Close ignored", "id", e.Info.ID)
		return
	}
	ctx, cancel := context.WithTimeout(a.ctx, a.cfg.HandleTimeout)
	defer cancel()
	in, ok := a.input(ctx, e)
	if !ok {
		return
	}
	p := pending{Input: in, Chat: e.Info.Chat, Sender: e.Info.Sender}
	if a.journal != nil && a.waiting(in.User) {
		// Earlier messages of this chat wait in the journal: this one
		// goes after them, so that the chat's order holds.
		if a.keep(p, errors.New("earlier messages of the chat wait in the journal")) {
			return
		}
	}
	err := a.apply(ctx, p)
	if err == nil {
		return
	}
	if a.journal != nil && a.keep(p, err) {
		return
	}
	if a.cfg.Retries == 0 {
		a.log.Error("whatsapp: message lost", "id", in.ID, "user", bot.MaskUser(in.User), "err", err)
		return
	}
	a.log.Warn("whatsapp: message not applied; retrying", "id", in.ID, "user", bot.MaskUser(in.User), "err", err)
	a.retry.Add(1)
	go a.retryLater(p)
}

// retryLater tries p again with doubling waits until it is applied, the
// retries run out, or the adapter closes. (Without a journal, or when it
// could not be written.)
func (a *Adapter) retryLater(p pending) {
	defer a.retry.Done()
	in := p.Input
	wait := a.cfg.RetryBackoff
	var err error
	for attempt := 1; attempt <= a.cfg.Retries; attempt++ {
		t := time.NewTimer(wait)
		select {
		case <-a.ctx.Done():
			t.Stop()
			a.log.Error("whatsapp: message lost: stopping", "id", in.ID, "user", bot.MaskUser(in.User))
			return
		case <-t.C:
		}
		wait *= 2
		ctx, cancel := context.WithTimeout(a.ctx, a.cfg.HandleTimeout)
		err = a.apply(ctx, p)
		cancel()
		if err == nil {
			a.log.Info("whatsapp: message applied after retrying", "id", in.ID, "attempt", attempt)
			return
		}
	}
	a.log.Error("whatsapp: message lost after retries", "id", in.ID, "user", bot.MaskUser(in.User), "retries", a.cfg.Retries, "err", err)
}

// apply hands p to the handler and, once it is committed, marks the
// message read. A failed read receipt is only logged.
func (a *Adapter) apply(ctx context.Context, p pending) error {
	box := a.handler.Load()
	if box == nil || box.h == nil {
		return errNoHandler
	}
	if err := box.h.Handle(ctx, p.Input); err != nil {
		return fmt.Errorf("whatsapp: handle message %s: %w", p.Input.ID, err)
	}
	if err := a.cli.MarkRead(ctx, []types.MessageID{p.Input.ID}, a.cfg.Now(), p.Chat, p.Sender); err != nil {
		a.log.Warn("whatsapp: read receipt failed", "id", p.Input.ID, "err", err)
	}
	return nil
}

// input turns a message into a flows.Input; false for a message the bot
// does not take (its own, status updates, groups unless enabled, old ones,
// edits, reactions removed, kinds it does not read, senders it cannot map
// to a number).
func (a *Adapter) input(ctx context.Context, e *events.Message) (flows.Input, bool) {
	info := e.Info
	skip := func(why string) (flows.Input, bool) {
		a.log.Debug("whatsapp: message skipped", "id", info.ID, "why", why)
		return flows.Input{}, false
	}
	switch {
	case info.IsFromMe:
		return skip("own message")
	case info.Chat == types.StatusBroadcastJID || info.Chat.Server == types.BroadcastServer && info.Chat.User == types.StatusBroadcastJID.User:
		return skip("status update")
	case info.IsGroup || info.Chat.Server == types.GroupServer:
		if !a.cfg.Groups {
			return skip("group")
		}
	case info.Chat.Server == types.NewsletterServer:
		return skip("channel")
	case e.IsEdit:
		return skip("edit")
	case e.Message == nil:
		return skip("empty")
	}
	if a.cfg.MaxAge > 0 && !info.Timestamp.IsZero() && a.cfg.Now().Sub(info.Timestamp) > a.cfg.MaxAge {
		return skip("older than " + a.cfg.MaxAge.String())
	}
	phone, ok := a.senderPhone(ctx, info.MessageSource)
	if !ok {
		a.log.Warn("whatsapp: message from a sender with no known number skipped", "id", info.ID, "server", info.Sender.Server)
		return flows.Input{}, false
	}
	in := flows.Input{Channel: Channel, User: phone, ID: info.ID, Name: strings.TrimSpace(info.PushName)}
	if !content(&in, e.Message) {
		return skip("kind not read")
	}
	a.quotedChoice(ctx, &in, e.Message)
	personalCode(&in)
	return in, true
}

// personalCode makes a message carrying a personal code (the greeting a
// WhatsApp link fills in, "नमस्ते साथी, मेरा कोड …") the /start <code> of
// a Telegram link, so the main flow redeems it: after the person says
// who they are, when the number is not theirs.
func personalCode(in *flows.Input) {
	if in.Choice != "" || in.Media != "" {
		return
	}
	if code, ok := links.CodeIn(in.Text); ok {
		in.Text = "/start " + code
	}
}

// quotedChoice makes a reply that quotes a message we sent with options
// (remembered in Config.SentOptions) and says one of them — its number,
// "2" or "२", or its label — that option's button: in.Choice is its Data,
// as on Telegram, so an old invitation is answered even while another
// question waits. Anything else stays text; so does everything when the
// lookup fails (logged).
func (a *Adapter) quotedChoice(ctx context.Context, in *flows.Input, m *waE2E.Message) {
	quoted := m.GetExtendedTextMessage().GetContextInfo().GetStanzaID()
	if quoted == "" { // a reaction (👍) to a message reads like a reply quoting it
		quoted = m.GetReactionMessage().GetKey().GetID()
	}
	if a.cfg.SentOptions == nil || quoted == "" || in.Text == "" {
		return
	}
	opts, err := a.cfg.SentOptions.Lookup(ctx, Channel, in.User, quoted)
	if err != nil {
		a.log.Warn("whatsapp: options of a quoted message not looked up; read as text", "id", in.ID, "quoted", quoted, "err", err)
		return
	}
	if o, ok := quotedOption(a.cfg.Words, in.Text, opts); ok {
		in.Choice = o.Data
	}
}

// quotedOption is the option of opts that text names: its 1-based number
// in Latin or Devanagari digits (surrounding spaces and punctuation aside:
// "2", " २. "), or its label, whole or without its leading emoji, compared
// after match.Normalize (case, spaces, nukta, …).
func quotedOption(words *match.Words, text string, opts []flows.Option) (flows.Option, bool) {
	n := match.Normalize(text)
	if n == "" || len(opts) == 0 {
		return flows.Option{}, false
	}
	if d, ok := digitsOnly(n); ok && d == n {
		i, err := strconv.Atoi(d)
		if err != nil || i < 1 || i > len(opts) {
			return flows.Option{}, false
		}
		return opts[i-1], true
	}
	for _, o := range opts {
		bare := strings.TrimLeftFunc(o.Label, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if n == match.Normalize(o.Label) || n == match.Normalize(bare) {
			return o, true
		}
	}
	// A yes/no question's options carry the values yes, no and maybe: "हाँ",
	// "haan", 👍 or "पता नहीं" answer it as they would when it is current.
	var want string
	if words == nil {
		words = match.BuiltinWords()
	}
	switch words.YesNo(text) {
	case match.Yes:
		want = "yes"
	case match.No:
		want = "no"
	case match.Maybe:
		want = "maybe"
	default:
		return flows.Option{}, false
	}
	for _, o := range opts {
		if flows.ChoiceValue(o.Data) == want {
			return o, true
		}
	}
	return flows.Option{}, false
}

// senderPhone is the sender's number, digits only: from a phone address, or
// from a hidden-user (@lid) one by the message's alternative address or the
// client's LID store.
func (a *Adapter) senderPhone(ctx context.Context, src types.MessageSource) (string, bool) {
	sender := src.Sender.ToNonAD()
	switch sender.Server {
	case types.DefaultUserServer:
		return digitsOnly(sender.User)
	case types.HiddenUserServer:
	default:
		return "", false
	}
	if alt := src.SenderAlt.ToNonAD(); alt.Server == types.DefaultUserServer {
		return digitsOnly(alt.User)
	}
	pn, err := a.cli.GetPNForLID(ctx, sender)
	if err != nil {
		a.log.Warn("whatsapp: LID lookup failed", "err", err)
		return "", false
	}
	if pn.Server != types.DefaultUserServer {
		return "", false
	}
	return digitsOnly(pn.User)
}

// content fills in from m; false when m holds nothing the bot reads.
func content(in *flows.Input, m *waE2E.Message) bool {
	switch {
	case m.GetConversation() != "":
		in.Text = m.GetConversation()
	case m.GetExtendedTextMessage().GetText() != "":
		// Also a reply quoting an earlier message: its quote is read by
		// quotedChoice.
		in.Text = m.GetExtendedTextMessage().GetText()
	case m.GetContactMessage() != nil:
		in.Contact = contact(m.GetContactMessage().GetVcard(), in.User)
	case len(m.GetContactsArrayMessage().GetContacts()) > 0:
		in.Contact = contact(m.GetContactsArrayMessage().GetContacts()[0].GetVcard(), in.User)
	case m.GetLocationMessage() != nil:
		l := m.GetLocationMessage()
		in.Location = &flows.Location{Lat: l.GetDegreesLatitude(), Lon: l.GetDegreesLongitude()}
	case m.GetLiveLocationMessage() != nil:
		l := m.GetLiveLocationMessage()
		in.Location = &flows.Location{Lat: l.GetDegreesLatitude(), Lon: l.GetDegreesLongitude()}
	case m.GetAudioMessage() != nil:
		in.Media = "voice"
		in.File = inboundFile(m) // a voice note is a file too, for a question that takes one
	case m.GetImageMessage() != nil:
		// A photo is a File too, for a question that asks for one; where
		// text is wanted it still gets the media hint.
		in.Media, in.Text = "photo", m.GetImageMessage().GetCaption()
		in.File = inboundFile(m)
	case m.GetStickerMessage() != nil:
		in.Media = "sticker"
	case m.GetVideoMessage() != nil:
		in.Media, in.Text = "video", m.GetVideoMessage().GetCaption()
	case m.GetPtvMessage() != nil: // a round video note
		in.Media = "video"
	case m.GetDocumentMessage() != nil:
		// The file's id holds what Download needs to fetch it later.
		in.Media, in.Text = "document", m.GetDocumentMessage().GetCaption()
		in.File = inboundFile(m)
	case m.GetReactionMessage().GetText() != "":
		// A 👍 on the invitation reads as typing 👍. Removing a reaction
		// (empty text) is skipped.
		in.Text = m.GetReactionMessage().GetText()
	default:
		return false // polls, protocol messages (deletes), calls, …
	}
	return true
}

// contact reads a shared contact card (vCard). Own is true when its number
// is the sender's (digits, international form without "+").
func contact(vcard, sender string) *flows.Contact {
	phone := vcardPhone(vcard)
	c := &flows.Contact{Phone: phone}
	if phone == "" {
		return c
	}
	if n, ok := roster.NormalizePhone(phone); ok {
		c.Own = n == "+"+sender
	}
	if d, ok := digitsOnly(phone); ok && d == sender {
		c.Own = true
	}
	return c
}

// vcardPhone is the first telephone number of a vCard: its WhatsApp id
// (waid=919018159083, given as "+919018159083") when it has one, else the
// number as written ("+91 90181 59083", "090181 59083").
func vcardPhone(vcard string) string {
	// Unfold continuation lines (RFC 6350 §3.2).
	vcard = strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(vcard)
	for _, line := range strings.Split(vcard, "\n") {
		line = strings.TrimRight(line, "\r")
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		params := strings.Split(name, ";")
		prop := strings.ToUpper(params[0])
		if i := strings.LastIndexByte(prop, '.'); i >= 0 { // item1.TEL
			prop = prop[i+1:]
		}
		if prop != "TEL" {
			continue
		}
		for _, p := range params[1:] {
			k, v, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(k), "waid") {
				if d, ok := digitsOnly(v); ok {
					return "+" + d
				}
			}
		}
		value = strings.TrimPrefix(strings.TrimSpace(value), "tel:")
		if value != "" {
			return value
		}
	}
	return ""
}

// digitsOnly returns s if it is all ASCII digits (and not empty).
func digitsOnly(s string) (string, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "+"))
	if s == "" {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, true
}
