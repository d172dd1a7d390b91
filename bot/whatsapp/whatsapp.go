// Package whatsapp is the WhatsApp channel, on go.mau.fi/whatsmeow (a linked
// device of a normal WhatsApp account, not the Business API).
//
// An Adapter turns whatsmeow events into flows.Input for a bot.Handler (the
// dispatcher) and delivers flows.Reply through the connection (it is the
// bot.Sender of the "whatsapp" channel). A chat's user id is the sender's
// phone number in international form without "+" ("919018159083"), which
// is how the services link a rostered person by their number.
//
// Wiring, for serve:
//
//	cli := whatsmeow.NewClient(device, waLog)         // paired by `saathi whatsapp pair`
//	journal, _ := whatsapp.OpenJournal(ctx, sessionDB)  // the session's *sql.DB
//	wa := whatsapp.New(whatsapp.Config{Client: whatsapp.Wrap(cli), Logger: log, Files: svc.KeptFiles,
//		SentOptions: store.NewSentOptions(rdb), Journal: journal})
//	d, _ := bot.NewDispatcher(bot.Options{…, Senders: map[string]bot.Sender{whatsapp.Channel: wa}})
//	wa.SetHandler(d)                                   // the dispatcher needs wa first
//	svc.Files[whatsapp.Channel] = wa                   // files people send: Download
//	svc.Posters[whatsapp.Channel] = wa                 // broadcasts' progress: Post, Edit
//	wa.OnLoggedOut(func(reason string) { /* tell the admins */ })
//	cli.AddEventHandler(wa.HandleEvent)
//	cli.Connect()
//	…                                                  // /readyz: wa.Ready()
//	cli.Disconnect(); wa.Close(ctx)                    // on SIGTERM, before closing d
//
// WhatsApp has no redelivery a bot can ask for: a message whose Handle fails
// (Redis down) is written to a Journal in the session database before it is
// acknowledged, and applied from there once the handler recovers. Buttons and lists do not render for normal accounts, so options
// are sent as numbered lines ("1) आऊँगा") and the engine takes the number or
// the label back; a reply quoting a message with options, with one's number
// or label, is that option's button (Config.SentOptions). Text goes out as
// it is: WhatsApp reads *bold*, _italic_, ~strike~ and ```mono``` in any
// message and has no escape syntax, so text a user typed that is echoed
// back may show formatted; it cannot inject anything else.
package whatsapp

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/store"
)

// Channel is the channel name of WhatsApp conversations.
const Channel = "whatsapp"

// Client is what the adapter uses of a whatsmeow connection. Production code
// passes Wrap(cli); tests pass a fake. The signatures are whatsmeow.Client's.
type Client interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
	// GetPNForLID maps a hidden-user address (…@lid) to the phone-number
	// address (…@s.whatsapp.net); the empty JID when it is not known.
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
	// BuildEdit builds the message that edits message id, one we sent to
	// chat, to say newContent.
	BuildEdit(chat types.JID, id types.MessageID, newContent *waE2E.Message) *waE2E.Message
}

// WhatsmeowClient makes a *whatsmeow.Client a Client: the LID→phone lookup
// is its device store's (cli.Store.LIDs), a field rather than a method.
type WhatsmeowClient struct {
	*whatsmeow.Client
}

var _ Client = WhatsmeowClient{}

// Wrap makes cli a Client.
func Wrap(cli *whatsmeow.Client) WhatsmeowClient { return WhatsmeowClient{Client: cli} }

// GetPNForLID looks lid up in the device store's LID map.
func (c WhatsmeowClient) GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error) {
	if c.Client == nil || c.Store == nil || c.Store.LIDs == nil {
		return types.EmptyJID, nil
	}
	return c.Store.LIDs.GetPNForLID(ctx, lid)
}

// Config configures an Adapter. Client is required; Handler may be set
// later with SetHandler.
type Config struct {
	Client  Client
	Handler bot.Handler
	Logger  *slog.Logger     // slog.Default() when nil
	Now     func() time.Time // the clock; time.Now when nil
	// Files, when set, holds the files kept for sending on other channels
	// (a broadcast's attachment): a reply whose File is one of them
	// ("sha256:…") is uploaded here once and the upload reused. Without
	// it such a reply goes as its text alone.
	Files *store.Files
	// SentOptions, when set, remembers the options of each message sent
	// with some (for store.SentOptionsTTL), so that a reply quoting that message
	// with an option's number or label answers it, as its button would on
	// Telegram, rather than the question waiting now. Without it a quote
	// is not read.
	SentOptions *store.SentOptions
	// Words are the word tables a quoted reply's yes or no is read with
	// (nil: the built-in ones; see match.ReadWords).
	Words *match.Words

	// Groups, when true, takes messages written in groups too: each is
	// handled as if its sender had written to the bot directly, and the
	// replies go to the sender's private chat. Default false: groups are
	// ignored (the bot's number sits in the coordinators' groups).
	Groups bool
	// MaxAge: messages older than this when they arrive are ignored
	// (default 24h; negative: no limit). After a disconnection WhatsApp
	// delivers what people wrote meanwhile: an answer written during an
	// hour's outage still counts (the conversation waited where it was),
	// but one from days ago is more likely stale than meant.
	MaxAge time.Duration

	// Journal, when set, keeps the messages whose Handle failed until they
	// are applied (see HandleEvent). Without it they are retried in memory.
	Journal *Journal

	// HandleTimeout bounds one Handle attempt (default 15s).
	HandleTimeout time.Duration
	// Retries is how many more times a message whose Handle failed, and
	// that no journal keeps, is tried in the background (default 5;
	// negative: none).
	Retries int
	// RetryBackoff is the wait before the first retry, doubled after each
	// (default 1s).
	RetryBackoff time.Duration
	// TypingDelay is how long "typing…" shows before each reply (default
	// 1s; negative: none). It paces replies the way a person types.
	TypingDelay time.Duration
}

// Adapter is the WhatsApp channel. Its methods are safe for concurrent use.
type Adapter struct {
	cfg     Config
	cli     Client
	log     *slog.Logger
	handler atomic.Pointer[handlerBox]

	ctx    context.Context // cancelled by Close, after the grace period
	cancel context.CancelFunc
	closed atomic.Bool
	retry  sync.WaitGroup // in-memory retries and the journal's replay
	stop   chan struct{}  // closed by Close: the replay stops

	journal       *Journal
	kick          chan struct{} // a message was kept
	jmu           sync.Mutex
	held          map[string]int // messages in the journal, by user
	journalUnread atomic.Bool    // the journal could not be read at the start

	uploads chan struct{} // one upload of a kept file at a time

	mu          sync.Mutex
	ready       bool
	status      string
	permanent   bool // logged out, banned, replaced: no reconnect by itself
	onLoggedOut []func(reason string)
}

type handlerBox struct{ h bot.Handler }

// Defaults.
const (
	defaultMaxAge        = 24 * time.Hour
	defaultHandleTimeout = 15 * time.Second
	defaultRetries       = 5
	defaultRetryBackoff  = time.Second
	defaultTypingDelay   = time.Second
)

// New makes an adapter. Register a.HandleEvent with cli.AddEventHandler.
func New(cfg Config) *Adapter {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = defaultMaxAge
	}
	if cfg.HandleTimeout <= 0 {
		cfg.HandleTimeout = defaultHandleTimeout
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = defaultRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = defaultRetryBackoff
	}
	switch {
	case cfg.TypingDelay == 0:
		cfg.TypingDelay = defaultTypingDelay
	case cfg.TypingDelay < 0:
		cfg.TypingDelay = 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &Adapter{cfg: cfg, cli: cfg.Client, log: cfg.Logger, ctx: ctx, cancel: cancel, status: "not connected yet", uploads: make(chan struct{}, 1),
		stop: make(chan struct{}), journal: cfg.Journal, kick: make(chan struct{}, 1), held: map[string]int{}}
	if cfg.Handler != nil {
		a.SetHandler(cfg.Handler)
	}
	if a.journal != nil {
		a.loadJournal()
		a.retry.Add(1)
		go a.replayLoop()
	}
	return a
}

// SetHandler sets the handler of inbound messages (the dispatcher), for
// when it is built after the adapter because it needs it as a Sender. Set
// it before events arrive: a message that comes without a handler counts as
// failed and is retried.
func (a *Adapter) SetHandler(h bot.Handler) { a.handler.Store(&handlerBox{h: h}) }

// Ready tells whether the connection is up, and its status in words (for
// /readyz and logs): "connected", "not connected yet", "disconnected;
// reconnecting", "logged out: …", "temporarily banned: …", ….
func (a *Adapter) Ready() (bool, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ready, a.status
}

// OnLoggedOut adds fn to be called, in a goroutine of its own, when WhatsApp
// ends the session and it will not come back by itself: logged out (from
// the phone, or the device removed: pair again), temporarily banned, the
// session taken over by another process, or this client outdated. reason
// says which, in English, for the administrators.
func (a *Adapter) OnLoggedOut(fn func(reason string)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.onLoggedOut = append(a.onLoggedOut, fn)
}

// setStatus records the connection's state. A permanent state (logged out,
// banned) is kept until the next Connected, not overwritten by the
// Disconnected that follows it.
func (a *Adapter) setStatus(ready bool, status string, permanent bool) {
	a.mu.Lock()
	if a.permanent && !permanent && !ready {
		a.mu.Unlock()
		return
	}
	a.ready, a.status, a.permanent = ready, status, permanent
	var hooks []func(string)
	if permanent {
		hooks = append(hooks, a.onLoggedOut...)
	}
	a.mu.Unlock()
	if permanent {
		a.log.Error("whatsapp: session ended; the bot is off WhatsApp", "reason", status)
	} else {
		a.log.Info("whatsapp: connection", "status", status)
	}
	for _, fn := range hooks {
		go fn(status)
	}
}

// Close stops taking messages and waits, until ctx is done, for messages
// being retried; then it abandons them (they are logged as lost; those in
// the journal stay there for the next start).
// Disconnect the whatsmeow client first, so no more events arrive.
func (a *Adapter) Close(ctx context.Context) error {
	if a.closed.Swap(true) {
		return nil
	}
	close(a.stop)
	done := make(chan struct{})
	go func() { a.retry.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	a.cancel()
	<-done
	return err
}
