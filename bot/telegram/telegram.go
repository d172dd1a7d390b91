// Package telegram is the Telegram channel adapter. It turns Bot API updates
// into flows.Input for a bot.Handler (the dispatcher), acknowledging an update
// to Telegram only once the handler has committed it, and it delivers
// flows.Reply values as Telegram messages (it implements bot.Sender).
//
// Updates arrive by long polling (Poll) or through a webhook (Webhook); both
// take private chats only. The package knows nothing about flows beyond the
// message types of package flows.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/store"
)

// Channel is the value of flows.Input.Channel for messages from Telegram.
const Channel = "telegram"

// Defaults applied by New to a zero Config field.
const (
	DefaultPollTimeout = 30 * time.Second
	DefaultMaxRetries  = 5
)

// allowedUpdates are the update types the bot asks Telegram for.
var allowedUpdates = []string{tgbotapi.UpdateTypeMessage, tgbotapi.UpdateTypeCallbackQuery}

// secretTokenPattern is what Telegram accepts as a webhook secret_token.
var secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Config configures a Bot. Token is required; everything else has a default.
type Config struct {
	// Token is the bot token from @BotFather (TELEGRAM_BOT_TOKEN).
	Token string
	// Endpoint is the Bot API endpoint in go-telegram-bot-api format,
	// "http://host:port/bot%s/%s" (TELEGRAM_API_ENDPOINT). Empty means
	// tgbotapi.APIEndpoint.
	Endpoint string
	// WebhookURL is the public HTTPS address of the webhook
	// (TELEGRAM_WEBHOOK_URL). Empty means long polling.
	WebhookURL string
	// WebhookSecret is the secret_token Telegram sends back in the
	// X-Telegram-Bot-Api-Secret-Token header (TELEGRAM_WEBHOOK_SECRET).
	// Required with WebhookURL: 1-256 characters of A-Z, a-z, 0-9, _ and -.
	WebhookSecret string
	// PollTimeout is the long-poll timeout; default DefaultPollTimeout.
	// It is rounded up to whole seconds.
	PollTimeout time.Duration
	// HTTPClient makes the Bot API requests. The default has a timeout 10 s
	// longer than PollTimeout and keeps up to 256 idle connections; a client
	// of your own must not time out sooner than PollTimeout either.
	HTTPClient *http.Client
	// Logger receives the adapter's logs; default slog.Default().
	Logger *slog.Logger
	// MaxRetries is how many attempts Send makes at one message that is
	// answered 429 Too Many Requests; default DefaultMaxRetries.
	MaxRetries int
	// OnRateLimited, when set, is told of every 429 and its retry_after, so
	// that the whole channel can slow down (a shared limiter's Pause); Send
	// then returns an error wrapping bot.ErrRateLimited instead of waiting
	// and retrying itself.
	OnRateLimited func(ctx context.Context, retryAfter time.Duration)
	// PaidBroadcast adds allow_paid_broadcast=true to bulk sends (a ctx
	// with bot.ClassOf Bulk: broadcast copies, invitations, reminders), so
	// that Telegram lets them past its free 30 a second for a fee in Stars
	// (TELEGRAM_PAID_BROADCAST).
	PaidBroadcast bool
	// Files, when set, holds the files kept for sending on every channel
	// (a broadcast's attachment): a reply whose File is one of them
	// ("sha256:…") goes by the file_id noted for it, or is uploaded once and
	// its file_id noted. Without it such a reply goes as its text alone.
	Files *store.Files
}

// Bot is a connected Telegram bot. It is safe for concurrent use.
type Bot struct {
	cfg  Config
	api  *tgbotapi.BotAPI // never used directly: see client
	http *http.Client
	log  *slog.Logger

	uploads chan struct{} // one upload of a kept file at a time
	stuck   stuckUpdates  // updates the handler keeps failing
}

// New checks cfg, fills in its defaults and connects to the Bot API, which
// checks the token (getMe). ctx bounds that first request.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, fmt.Errorf("telegram: configure: %w", err)
	}
	b := &Bot{cfg: cfg, http: cfg.HTTPClient, log: cfg.Logger.With("channel", Channel), uploads: make(chan struct{}, 1)}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, ctxClient{ctx: ctx, client: b.http})
	if err != nil {
		return nil, fmt.Errorf("telegram: connect (getMe): %w", b.redact(err))
	}
	api.Client = b.http
	b.api = api
	b.log.Info("telegram: connected", "username", api.Self.UserName, "webhook", cfg.WebhookURL != "")
	return b, nil
}

// setDefaults validates c and fills in its zero fields.
func (c *Config) setDefaults() error {
	if c.Token == "" {
		return errors.New("no bot token")
	}
	if c.Endpoint == "" {
		c.Endpoint = tgbotapi.APIEndpoint
	}
	if strings.Count(c.Endpoint, "%s") != 2 {
		return fmt.Errorf("API endpoint %q: want the form http://host/bot%%s/%%s", c.Endpoint)
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil {
			return fmt.Errorf("webhook URL: %w", err)
		}
		if u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("webhook URL %q: Telegram needs an absolute https URL", c.WebhookURL)
		}
		if !secretTokenPattern.MatchString(c.WebhookSecret) {
			return errors.New("webhook secret: need 1-256 characters of A-Z, a-z, 0-9, _ and - with a webhook URL")
		}
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	if c.HTTPClient == nil {
		// Sends run concurrently (up to 1000 a second with paid broadcasts):
		// keep enough connections to api.telegram.org open rather than the
		// default two, so that a send does not wait for a new TLS handshake.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost, t.MaxIdleConns = maxIdleConns, maxIdleConns
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 10*time.Second, Transport: t}
	}
	if t := c.HTTPClient.Timeout; t != 0 && t <= c.PollTimeout {
		return fmt.Errorf("HTTP client timeout %v is not longer than the poll timeout %v", t, c.PollTimeout)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	return nil
}

// Username is the bot's username (without the @), as getMe reported it.
func (b *Bot) Username() string { return b.api.Self.UserName }

// SetWebhook tells Telegram how the bot takes updates: with a WebhookURL it
// registers the webhook with its secret token, for message and callback_query
// updates; without one it deletes any webhook, which long polling needs.
// Pending updates are kept either way.
func (b *Bot) SetWebhook(ctx context.Context) error {
	api := b.client(ctx)
	if b.cfg.WebhookURL == "" {
		if _, err := api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
			return fmt.Errorf("telegram: delete webhook: %w", b.redact(err))
		}
		return nil
	}
	allowed, err := json.Marshal(allowedUpdates)
	if err != nil {
		return fmt.Errorf("telegram: set webhook: %w", err)
	}
	// WebhookConfig has no secret_token field, hence the raw request.
	_, err = api.MakeRequest("setWebhook", tgbotapi.Params{
		"url":             b.cfg.WebhookURL,
		"secret_token":    b.cfg.WebhookSecret,
		"allowed_updates": string(allowed),
	})
	if err != nil {
		return fmt.Errorf("telegram: set webhook: %w", b.redact(err))
	}
	return nil
}

// client returns the Bot API client for requests bounded by ctx. BotAPI
// methods take no context, so each call gets a shallow copy whose HTTP client
// attaches ctx to every request.
func (b *Bot) client(ctx context.Context) *tgbotapi.BotAPI {
	api := *b.api
	api.Client = ctxClient{ctx: ctx, client: b.http}
	return &api
}

// BotID is the bot's id: the numeric part of its token, before the colon
// ("" when the token has none).
func BotID(token string) string {
	id, _, ok := strings.Cut(token, ":")
	if !ok {
		return ""
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return id
}

// maxIdleConns is how many idle connections the default HTTP client keeps.
const maxIdleConns = 256

// ctxClient is a tgbotapi.HTTPClient that sends every request with ctx.
type ctxClient struct {
	ctx    context.Context
	client *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.client.Do(req.WithContext(c.ctx))
}

// redact hides the bot token in err's message: transport errors quote the
// request URL, which holds the token. The original stays reachable through
// errors.Is and errors.As.
func (b *Bot) redact(err error) error {
	if err == nil || !strings.Contains(err.Error(), b.cfg.Token) {
		return err
	}
	return redactedError{err: err, token: b.cfg.Token}
}

type redactedError struct {
	err   error
	token string
}

func (e redactedError) Error() string { return strings.ReplaceAll(e.err.Error(), e.token, "<token>") }
func (e redactedError) Unwrap() error { return e.err }

// apiError returns the Bot API error in err's chain, if there is one.
func apiError(err error) (*tgbotapi.Error, bool) {
	return errors.AsType[*tgbotapi.Error](err)
}

// retryAfter is how long a 429 error asks to wait; zero for other errors.
func retryAfter(err error) time.Duration {
	if e, ok := apiError(err); ok && e.Code == http.StatusTooManyRequests {
		return time.Duration(e.RetryAfter) * time.Second
	}
	return 0
}

// sleep waits d or until ctx is done, whichever comes first, and reports
// ctx's error in the second case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wholeSeconds rounds d up to whole seconds, as the Bot API counts them.
func wholeSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
