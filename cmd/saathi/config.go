package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

// setting is one configuration value: an environment variable, the flag
// that overrides it and its default. What it means is message
// config.<variable> (locales/config.*.yaml). The README's table is printed
// by `saathi help config --lang en` from these.
type setting struct {
	env, flag, def string
}

func settings() []setting {
	return []setting{
		{"REDIS_URL", "redis", ""},
		{"SAATHI_HTTP_ADDR", "http", "127.0.0.1:8080"},
		{"SAATHI_FLOWS_DIR", "flows", ""},
		{"SAATHI_LOG_LEVEL", "log-level", "info"},
		{"SAATHI_LOG_FORMAT", "log-format", "text"},
		{"SAATHI_SEEN_TTL", "seen-ttl", "48h"},
		{"SAATHI_OUTBOX_GRACE", "outbox-grace", "10s"},
		{"SAATHI_RETRY_BUDGET", "retry-budget", "3s"},
		{"SAATHI_CACHE_SIZE", "cache-size", "100000"},
		{"SAATHI_ONE_MESSAGE_PER_TURN", "one-message-per-turn", "true"},
		{"SAATHI_SHUTDOWN_TIMEOUT", "shutdown-timeout", "20s"},
		{"SAATHI_EVENT_CLAIM_AFTER", "event-claim-after", "30s"},
		{"SAATHI_IMPORT_MAX_BYTES", "import-max-bytes", "50MB"},
		{"SAATHI_IMPORT_MAX_ROWS", "import-max-rows", "500000"},
		{"TELEGRAM_BOT_TOKEN", "telegram-token", ""},
		{"TELEGRAM_API_ENDPOINT", "telegram-endpoint", ""},
		{"TELEGRAM_WEBHOOK_URL", "telegram-webhook-url", ""},
		{"TELEGRAM_WEBHOOK_SECRET", "telegram-webhook-secret", ""},
		{"TELEGRAM_POLL_TIMEOUT", "telegram-poll-timeout", "30s"},
		{"TELEGRAM_RATE", "telegram-rate", "30"},
		{"TELEGRAM_PAID_BROADCAST", "telegram-paid-broadcast", "false"},
		{"TELEGRAM_BOT_USERNAME", "telegram-username", ""},
		{"TELEGRAM_CHAT_INTERVAL", "telegram-chat-interval", "1s"},
		{"WHATSAPP_DB", "whatsapp-db", ""},
		{"WHATSAPP_GROUPS", "whatsapp-groups", "false"},
		{"WHATSAPP_RATE", "whatsapp-rate", "20"},
		{"WHATSAPP_CHAT_INTERVAL", "whatsapp-chat-interval", "3s"},
		{"WHATSAPP_NUMBER", "whatsapp-number", ""},
		{"WHATSAPP_MAX_AGE", "whatsapp-max-age", "24h"},
	}
}

// Telegram's limits on messages a second, to all chats together: free, and
// with allow_paid_broadcast (Bot API 7.11).
const (
	freeRate    = 30
	maxPaidRate = 1000
)

// Config is the whole configuration of the saathi binary.
type Config struct {
	RedisURL        string
	HTTPAddr        string
	FlowsDir        string
	LogLevel        slog.Level
	LogFormat       string
	SeenTTL         time.Duration
	OutboxGrace     time.Duration
	RetryBudget     time.Duration
	CacheSize       int
	ShutdownTimeout time.Duration
	EventClaimAfter time.Duration
	// OneMessagePerTurn joins the replies of a transition (bot.JoinReplies).
	OneMessagePerTurn bool
	// Import bounds the roster files imports read.
	Import   roster.Limits
	Telegram telegram.Config
	// TelegramRate and TelegramChatInterval are the shared delivery limits.
	TelegramRate         int
	TelegramChatInterval time.Duration
	// WhatsAppDB is the session store: a SQLite file path or a postgres://
	// URL; empty means no WhatsApp.
	WhatsAppDB string
	// WhatsAppGroups: answer in groups too.
	WhatsAppGroups bool
	// WhatsAppRate (messages per minute, all chats) and WhatsAppChatInterval
	// (between two messages to one chat) pace delivery.
	WhatsAppRate         int
	WhatsAppChatInterval time.Duration
	// WhatsAppMaxAge: older messages, delivered after an outage, are ignored.
	WhatsAppMaxAge time.Duration
	// TelegramUsername and WhatsAppNumber are where personal links point
	// when set; else they come from Telegram and the WhatsApp session.
	TelegramUsername, WhatsAppNumber string
}

// configFlags registers a flag for every setting on fs, defaulting to the
// environment's value (getenv) or the setting's default. The returned
// function parses the values after fs.Parse.
func configFlags(fs *flag.FlagSet, getenv func(string) string) func() (Config, error) {
	values := map[string]*string{}
	for _, s := range settings() {
		def := s.def
		if v, ok := lookup(getenv, s.env); ok {
			def = v
		}
		values[s.env] = fs.String(s.flag, def, s.env) // printCommandHelp leaves settings to saathi help config
	}
	return func() (Config, error) { return parseConfig(func(env string) string { return *values[env] }) }
}

func lookup(getenv func(string) string, env string) (string, bool) {
	v := getenv(env)
	return v, v != ""
}

// parseConfig reads and checks every setting; an error is one line naming the setting.
func parseConfig(get func(env string) string) (Config, error) {
	var c Config
	var err error
	c.RedisURL = get("REDIS_URL")
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") && !strings.HasPrefix(c.RedisURL, "unix://") {
		return c, badSetting("REDIS_URL", c.RedisURL, "cli.err_setting_form", "example", "redis://host:port/db")
	}
	c.HTTPAddr = get("SAATHI_HTTP_ADDR")
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return c, badSetting("SAATHI_HTTP_ADDR", c.HTTPAddr, "cli.err_setting_form", "example", "host:port (127.0.0.1:8080)")
	}
	c.FlowsDir = get("SAATHI_FLOWS_DIR")
	if c.FlowsDir != "" {
		if st, err := os.Stat(c.FlowsDir); err != nil || !st.IsDir() {
			return c, badSetting("SAATHI_FLOWS_DIR", c.FlowsDir, "cli.err_setting_dir")
		}
	}
	if c.Import.Designations, err = loadDesignations(c.FlowsDir); err != nil {
		return c, err
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("SAATHI_LOG_LEVEL"))); err != nil {
		return c, badSetting("SAATHI_LOG_LEVEL", get("SAATHI_LOG_LEVEL"), "cli.err_setting_choice", "choices", quoted("debug", "info", "warn", "error"))
	}
	c.LogFormat = get("SAATHI_LOG_FORMAT")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, badSetting("SAATHI_LOG_FORMAT", c.LogFormat, "cli.err_setting_choice", "choices", quoted("text", "json"))
	}
	durations := []struct {
		env string
		to  *time.Duration
	}{
		{"SAATHI_SEEN_TTL", &c.SeenTTL}, {"SAATHI_OUTBOX_GRACE", &c.OutboxGrace}, {"SAATHI_RETRY_BUDGET", &c.RetryBudget},
		{"SAATHI_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}, {"TELEGRAM_POLL_TIMEOUT", &c.Telegram.PollTimeout},
		{"TELEGRAM_CHAT_INTERVAL", &c.TelegramChatInterval}, {"SAATHI_EVENT_CLAIM_AFTER", &c.EventClaimAfter},
		{"WHATSAPP_CHAT_INTERVAL", &c.WhatsAppChatInterval}, {"WHATSAPP_MAX_AGE", &c.WhatsAppMaxAge},
	}
	for _, d := range durations {
		if *d.to, err = time.ParseDuration(get(d.env)); err != nil || *d.to <= 0 {
			return c, badSetting(d.env, get(d.env), "cli.err_setting_duration", "example", quoted("30s", "5m"))
		}
	}
	switch v := get("SAATHI_ONE_MESSAGE_PER_TURN"); v {
	case "true", "false":
		c.OneMessagePerTurn = v == "true"
	default:
		return c, badSetting("SAATHI_ONE_MESSAGE_PER_TURN", v, "cli.err_setting_choice", "choices", quoted("true", "false"))
	}
	if c.CacheSize, err = strconv.Atoi(get("SAATHI_CACHE_SIZE")); err != nil || c.CacheSize <= 0 {
		return c, badSetting("SAATHI_CACHE_SIZE", get("SAATHI_CACHE_SIZE"), "cli.err_setting_number")
	}
	if c.TelegramRate, err = strconv.Atoi(get("TELEGRAM_RATE")); err != nil || c.TelegramRate <= 0 {
		return c, badSetting("TELEGRAM_RATE", get("TELEGRAM_RATE"), "cli.err_setting_number")
	}
	if c.Import.MaxBytes, err = parseSize(get("SAATHI_IMPORT_MAX_BYTES")); err != nil || c.Import.MaxBytes <= 0 {
		return c, badSetting("SAATHI_IMPORT_MAX_BYTES", get("SAATHI_IMPORT_MAX_BYTES"), "cli.err_setting_size", "example", quoted("50MB", "512KB"))
	}
	if c.Import.MaxRows, err = strconv.Atoi(get("SAATHI_IMPORT_MAX_ROWS")); err != nil || c.Import.MaxRows <= 0 {
		return c, badSetting("SAATHI_IMPORT_MAX_ROWS", get("SAATHI_IMPORT_MAX_ROWS"), "cli.err_setting_number")
	}
	switch v := get("TELEGRAM_PAID_BROADCAST"); v {
	case "true", "false":
		c.Telegram.PaidBroadcast = v == "true"
	default:
		return c, badSetting("TELEGRAM_PAID_BROADCAST", v, "cli.err_setting_choice", "choices", quoted("true", "false"))
	}
	if c.TelegramRate > maxPaidRate {
		return c, badSetting("TELEGRAM_RATE", strconv.Itoa(c.TelegramRate), "cli.err_setting_rate_max", "max", strconv.Itoa(maxPaidRate))
	}
	if c.TelegramRate > freeRate && !c.Telegram.PaidBroadcast {
		// Unpaid, every second over the free limit would be 429s.
		return c, badSetting("TELEGRAM_RATE", strconv.Itoa(c.TelegramRate), "pacing.err_rate_free", "free", strconv.Itoa(freeRate), "paid", "TELEGRAM_PAID_BROADCAST=true")
	}
	if err := parseWhatsAppConfig(&c, get); err != nil {
		return c, err
	}
	c.Telegram.Token = get("TELEGRAM_BOT_TOKEN")
	c.TelegramUsername = strings.TrimPrefix(get("TELEGRAM_BOT_USERNAME"), "@")
	c.WhatsAppNumber = strings.TrimPrefix(get("WHATSAPP_NUMBER"), "+")
	c.Telegram.Endpoint = get("TELEGRAM_API_ENDPOINT")
	if e := c.Telegram.Endpoint; e != "" && (strings.Count(e, "%s") != 2 || !strings.HasPrefix(e, "http")) {
		return c, badSetting("TELEGRAM_API_ENDPOINT", e, "cli.err_setting_form", "example", "http://host:port/bot%s/%s")
	}
	c.Telegram.WebhookURL = get("TELEGRAM_WEBHOOK_URL")
	c.Telegram.WebhookSecret = get("TELEGRAM_WEBHOOK_SECRET")
	if c.Telegram.WebhookURL != "" {
		if !strings.HasPrefix(c.Telegram.WebhookURL, "https://") && !strings.HasPrefix(c.Telegram.WebhookURL, "http://") {
			return c, badSetting("TELEGRAM_WEBHOOK_URL", c.Telegram.WebhookURL, "cli.err_setting_form", "example", "https://…")
		}
		if c.Telegram.WebhookSecret == "" {
			return c, fail("cli.err_setting_needs", nil, "setting", "TELEGRAM_WEBHOOK_SECRET", "other", "TELEGRAM_WEBHOOK_URL")
		}
	}
	if s := c.Telegram.WebhookSecret; s != "" && !validSecret(s) {
		return c, fail("cli.err_setting_secret", nil, "setting", "TELEGRAM_WEBHOOK_SECRET", "chars", "A-Z a-z 0-9 _ -")
	}
	if c.Telegram.WebhookURL == "" && c.Telegram.Token == "" && c.Telegram.WebhookSecret != "" {
		return c, fail("cli.err_setting_without", nil, "setting", "TELEGRAM_WEBHOOK_SECRET", "other", "TELEGRAM_BOT_TOKEN")
	}
	return c, nil
}

// parseWhatsAppConfig reads and checks the WHATSAPP_* settings.
func parseWhatsAppConfig(c *Config, get func(env string) string) error {
	var err error
	c.WhatsAppDB = get("WHATSAPP_DB")
	if db := c.WhatsAppDB; db != "" {
		if strings.Contains(db, "://") {
			if u, err := url.Parse(db); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
				return badSetting("WHATSAPP_DB", redactURL(db), "cli.err_setting_wadb", "example", "wa.db", "pg", "postgres://user:password@host/db")
			}
		} else {
			if strings.ContainsAny(db, "?#") {
				return badSetting("WHATSAPP_DB", db, "cli.err_setting_chars", "chars", "? #")
			}
			if st, err := os.Stat(db); err == nil && st.IsDir() {
				return badSetting("WHATSAPP_DB", db, "cli.err_setting_isdir", "example", filepath.Join(db, "wa.db"))
			}
			if st, err := os.Stat(filepath.Dir(db)); err != nil || !st.IsDir() {
				return badSetting("WHATSAPP_DB", db, "cli.err_setting_nodir", "dir", filepath.Dir(db))
			}
		}
	}
	if c.WhatsAppGroups, err = strconv.ParseBool(get("WHATSAPP_GROUPS")); err != nil {
		return badSetting("WHATSAPP_GROUPS", get("WHATSAPP_GROUPS"), "cli.err_setting_choice", "choices", quoted("true", "false"))
	}
	if c.WhatsAppRate, err = strconv.Atoi(get("WHATSAPP_RATE")); err != nil || c.WhatsAppRate <= 0 {
		return badSetting("WHATSAPP_RATE", get("WHATSAPP_RATE"), "cli.err_setting_number")
	}
	return nil
}

// parseSize reads a size in bytes: "52428800", "512KB", "50MB", "1GB"
// (units of 1024, any case, a space allowed before the unit).
func parseSize(s string) (int64, error) {
	num := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes, KB, MB or GB", s)
	}
	return n * mult, nil
}

// redactURL hides the password of a URL, for messages and logs.
func redactURL(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.LastIndex(s, "@"); i >= 0 {
			return "…" + s[i:]
		}
		return s
	}
	return u.Redacted()
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// newLogger builds the process logger.
func newLogger(c Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// printSettings writes the settings as a Markdown table, in lang.
func printSettings(w io.Writer, cat *locales.Catalog, lang string) {
	fmt.Fprintln(w, cat.Text(lang, "config.head", nil))
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, s := range settings() {
		def := s.def
		if def == "" {
			def = "—"
		} else {
			def = "`" + def + "`"
		}
		help := cat.Text(lang, "config."+s.env, nil)
		fmt.Fprintf(w, "| `%s` | `--%s` | %s | %s |\n", s.env, s.flag, def, strings.ReplaceAll(help, "|", "\\|"))
	}
}

// badSetting is a setting whose value is no good, named first: message id
// (cli.err_setting_*) with data kv besides the setting and its value.
func badSetting(setting, value, id string, kv ...string) error {
	return fail(id, nil, append([]string{"setting", setting, "value", strconv.Quote(value)}, kv...)...)
}

// quoted lists values as they are typed, each in quotes.
func quoted(values ...string) string {
	for i, v := range values {
		values[i] = strconv.Quote(v)
	}
	return strings.Join(values, ", ")
}
