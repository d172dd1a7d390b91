package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/lib/pq" // the "postgres" database/sql driver, for a postgres:// WHATSAPP_DB
	"github.com/mdp/qrterminal/v3"
	"github.com/nyaruka/phonenumbers"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"
	_ "modernc.org/sqlite" // the pure-Go "sqlite" database/sql driver, for a file WHATSAPP_DB

	"github.com/saathi-bot/saathi/locales"
)

// errNotPaired is openWhatsApp's error when the store holds no linked device.
var errNotPaired = errors.New("WhatsApp is not paired yet: run `saathi whatsapp pair` first")

// whatsAppOpenTimeout bounds opening and upgrading the session store (a
// Postgres server that does not answer).
const whatsAppOpenTimeout = 30 * time.Second

// openWhatsApp opens the WhatsApp session store named by WHATSAPP_DB
// (creating and upgrading it), and makes a client of its first device, with
// whatsmeow logging through log at warn level and above. The client is not
// connected: the caller adds its event handlers and calls Connect. A store
// with no linked device yet is errNotPaired. The caller closes the container
// after disconnecting the client.
func openWhatsApp(ctx context.Context, cfg Config, log *slog.Logger) (*whatsmeow.Client, *sqlstore.Container, error) {
	container, err := openWhatsAppStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		container.Close()
		return nil, nil, fail("cli.err_wa_store", err, "setting", "WHATSAPP_DB", "db", redactURL(cfg.WhatsAppDB))
	}
	if device.ID == nil {
		container.Close()
		return nil, nil, errNotPaired
	}
	return newWhatsAppClient(device, log), container, nil
}

// openWhatsAppStore opens the session store and brings its tables up to date.
func openWhatsAppStore(ctx context.Context, cfg Config, log *slog.Logger) (*sqlstore.Container, error) {
	if cfg.WhatsAppDB == "" {
		return nil, fail("cli.err_wa_db_unset", nil, "setting", "WHATSAPP_DB", "example", "wa.db", "pg", "postgres://")
	}
	name := redactURL(cfg.WhatsAppDB)
	dialect, address := whatsAppDSN(cfg.WhatsAppDB)
	if dialect == "sqlite" {
		// The file holds the session's keys: only its owner may read it.
		f, err := os.OpenFile(cfg.WhatsAppDB, os.O_RDONLY|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("WHATSAPP_DB %q: %w", name, err)
		}
		f.Close()
	}
	db, err := sql.Open(dialect, address)
	if err != nil {
		return nil, fmt.Errorf("WHATSAPP_DB %q: %w", name, err)
	}
	container := sqlstore.NewWithDB(db, dialect, newWALog(log, "store", slog.LevelWarn))
	ctx, cancel := context.WithTimeout(ctx, whatsAppOpenTimeout)
	defer cancel()
	if err := container.Upgrade(ctx); err != nil {
		container.Close()
		return nil, fail("cli.err_wa_store", err, "setting", "WHATSAPP_DB", "db", name)
	}
	return container, nil
}

// whatsAppDSN gives the database/sql driver and address of WHATSAPP_DB.
// SQLite gets foreign keys on (whatsmeow's upgrade refuses without) and a
// busy timeout, since whatsmeow writes from several goroutines.
func whatsAppDSN(db string) (driver, address string) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return "postgres", db
	}
	return "sqlite", "file:" + db + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"
}

// newWhatsAppClient makes a client of a device with whatsmeow logging
// through log at warn level and above.
func newWhatsAppClient(device *store.Device, log *slog.Logger) *whatsmeow.Client {
	return whatsmeow.NewClient(device, newWALog(log, "client", slog.LevelWarn))
}

// waSlog is whatsmeow's logger interface over slog.
type waSlog struct {
	log    *slog.Logger
	module string
	min    slog.Level
}

func newWALog(log *slog.Logger, module string, min slog.Level) waLog.Logger {
	return &waSlog{log: log.With("component", "whatsmeow"), module: module, min: min}
}

func (w *waSlog) logf(level slog.Level, msg string, args []any) {
	if level < w.min || !w.log.Enabled(context.Background(), level) {
		return
	}
	w.log.Log(context.Background(), level, fmt.Sprintf(msg, args...), "module", w.module)
}

func (w *waSlog) Errorf(msg string, args ...any) { w.logf(slog.LevelError, msg, args) }
func (w *waSlog) Warnf(msg string, args ...any)  { w.logf(slog.LevelWarn, msg, args) }
func (w *waSlog) Infof(msg string, args ...any)  { w.logf(slog.LevelInfo, msg, args) }
func (w *waSlog) Debugf(msg string, args ...any) { w.logf(slog.LevelDebug, msg, args) }
func (w *waSlog) Sub(module string) waLog.Logger {
	return &waSlog{log: w.log, module: w.module + "/" + module, min: w.min}
}

func runWhatsAppStatus(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "whatsapp status")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	out, err := newLines(e, *lang)
	if err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageHint("saathi whatsapp status")
	}
	container, err := openWhatsAppStore(ctx, cfg, cliLogger(e, cfg))
	if err != nil {
		return err
	}
	defer container.Close()
	devices, err := container.GetAllDevices(ctx)
	if err != nil {
		return fail("cli.err_wa_store", err, "setting", "WHATSAPP_DB", "db", redactURL(cfg.WhatsAppDB))
	}
	where := redactURL(cfg.WhatsAppDB)
	if len(devices) == 0 {
		out.say("cli.wa_not_paired", "store", where, "command", "saathi whatsapp pair [--phone 91XXXXXXXXXX]")
		return nil
	}
	d := devices[0]
	out.say("cli.wa_paired", "number", maskJID(*d.ID), "name", d.PushName, "store", where)
	if len(devices) > 1 {
		out.say("cli.wa_many_devices", "n", strconv.Itoa(len(devices)))
	}
	out.say("cli.wa_store_only", "serve", "saathi serve")
	return nil
}

func runWhatsAppPair(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "whatsapp pair")
	phone := fs.String("phone", "", "link with an 8-character code typed on the phone instead of a QR code: the bot's number with country code, e.g. 919876543210")
	bound := fs.Duration("connect-timeout", 30*time.Second, "how long to wait to reach WhatsApp")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	out, err := newLines(e, *lang)
	if err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageHint("saathi whatsapp pair [--phone 91XXXXXXXXXX]")
	}
	if *bound <= 0 {
		return failUsage("cli.err_positive", "flag", "--connect-timeout")
	}
	var number string
	if *phone != "" {
		if number, err = pairPhoneNumber(*phone); err != nil {
			return failUsage("cli.err_wa_phone", "flag", "--phone", "value", strconv.Quote(*phone), "example", "919876543210")
		}
	}
	log := cliLogger(e, cfg)
	container, err := openWhatsAppStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer container.Close()
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		return fail("cli.err_wa_store", err, "setting", "WHATSAPP_DB", "db", redactURL(cfg.WhatsAppDB))
	}
	if device.ID != nil {
		out.say("cli.wa_already_paired", "number", maskJID(*device.ID), "setting", "WHATSAPP_DB")
		return nil
	}
	cli := newWhatsAppClient(device, log)
	p := pairing{e: e, lines: out, cli: cli, bound: *bound, phone: number}
	return p.run(ctx)
}

// pairing links a new device, by QR code or by a phone code.
type pairing struct {
	e     env
	lines // what it prints, in --lang
	cli   *whatsmeow.Client
	bound time.Duration // for reaching WhatsApp and its first answer
	phone string        // digits with country code; empty: QR code
}

func (p pairing) run(ctx context.Context) error {
	connected := make(chan struct{}, 1)
	p.cli.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			select {
			case connected <- struct{}{}:
			default:
			}
		}
	})
	qr, err := p.cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp pair: %w", err)
	}
	fmt.Fprintln(p.e.stderr, p.text("cli.wa_connecting"))
	stopConn, err := connectBounded(ctx, p.cli, p.bound)
	if err != nil {
		if ctx.Err() != nil {
			p.say("cli.wa_stopped")
			return nil
		}
		return fail("cli.err_wa_unreachable", err)
	}
	defer stopConn()
	defer p.cli.Disconnect()

	// The first QR event says the connection is ready for pairing.
	first := time.NewTimer(p.bound)
	defer first.Stop()
	codes := 0
	for {
		var item whatsmeow.QRChannelItem
		var ok bool
		select {
		case <-ctx.Done():
			p.say("cli.wa_stopped")
			return nil
		case <-first.C:
			return fail("cli.err_wa_no_answer", nil, "seconds", seconds(p.bound))
		case item, ok = <-qr:
		}
		if !ok {
			if ctx.Err() != nil {
				p.say("cli.wa_stopped")
				return nil
			}
			return fail("cli.err_wa_closed", nil)
		}
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			codes++
			if codes == 1 {
				first.Stop()
				if p.phone != "" {
					if err := p.askCode(ctx); err != nil {
						return err
					}
				}
			}
			if p.phone == "" {
				p.showQR(item, codes)
			}
		case whatsmeow.QRChannelSuccess.Event:
			return p.succeeded(ctx, connected)
		case whatsmeow.QRChannelTimeout.Event:
			if codes == 0 {
				return fail("cli.err_wa_closed", nil)
			}
			return fail("cli.err_wa_timeout", nil)
		case whatsmeow.QRChannelEventError:
			return fail("cli.err_wa_failed", item.Error)
		case whatsmeow.QRChannelClientOutdated.Event:
			return fail("cli.err_wa_outdated", nil, "module", "go.mau.fi/whatsmeow")
		case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
			p.say("cli.wa_multidevice")
		default:
			return fail("cli.err_wa_failed", fmt.Errorf("unexpected %q", item.Event))
		}
	}
}

// askCode asks WhatsApp for a pairing code for the phone and prints it.
func (p pairing) askCode(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.bound)
	defer cancel()
	code, err := p.cli.PairPhone(ctx, p.phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		return fail("cli.err_wa_code", err, "number", maskNumber(p.phone))
	}
	p.say("cli.wa_code", "number", maskNumber(p.phone), "code", code, "stop", "Ctrl-C")
	return nil
}

// showQR prints one QR code with the instructions.
func (p pairing) showQR(item whatsmeow.QRChannelItem, n int) {
	if n == 1 {
		p.say("cli.wa_qr_help", "flag", "--phone 91XXXXXXXXXX")
	}
	qrterminal.GenerateWithConfig(item.Code, qrterminal.Config{
		Level:          qrterminal.L,
		Writer:         p.e.stdout,
		HalfBlocks:     true,
		BlackChar:      qrterminal.BLACK_BLACK,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar:      qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
		QuietZone:      2,
	})
	p.say("cli.wa_qr_wait", "n", strconv.Itoa(n), "seconds", seconds(item.Timeout), "stop", "Ctrl-C")
}

// succeeded waits for the first login after pairing (it finishes setting up
// the session) and reports the linked number.
func (p pairing) succeeded(ctx context.Context, connected <-chan struct{}) error {
	select {
	case <-connected:
	case <-time.After(20 * time.Second):
	case <-ctx.Done():
	}
	who := "-"
	if id := p.cli.Store.ID; id != nil {
		who = maskJID(*id)
	}
	p.say("cli.wa_done", "number", who, "setting", "WHATSAPP_DB", "serve", "saathi serve")
	return nil
}

// connectBounded connects cli, giving up after bound. The connection lives
// on a context that ends with ctx; stop ends it too.
func connectBounded(ctx context.Context, cli *whatsmeow.Client, bound time.Duration) (stop func(), err error) {
	connCtx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(bound, cancel)
	err = cli.ConnectContext(connCtx)
	if !timer.Stop() {
		cli.Disconnect()
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("no answer within %s", bound)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	return cancel, nil
}

// pairPhoneNumber gives a phone number as the digits PairPhone wants:
// country code and number. A 10-digit number is taken as Indian.
func pairPhoneNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	var num *phonenumbers.PhoneNumber
	var err error
	if strings.HasPrefix(s, "+") || (len(digits) > 10 && digits[0] != '0') {
		num, err = phonenumbers.Parse("+"+digits, "")
	} else {
		num, err = phonenumbers.Parse(digits, "IN")
	}
	if err != nil {
		return "", err
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", errors.New("not a valid number")
	}
	return strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+"), nil
}

// maskJID shows a JID with the middle of its number hidden:
// 91******3210:12@s.whatsapp.net.
func maskJID(j types.JID) string {
	j.User = maskNumber(j.User)
	return j.String()
}

func maskNumber(n string) string {
	if len(n) <= 6 {
		return strings.Repeat("*", len(n))
	}
	return n[:2] + strings.Repeat("*", len(n)-6) + n[len(n)-4:]
}

// oneLine keeps an error's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// lines prints lines of locales/cli.*.yaml in a language, for a command
// that opens no app (and so has no catalog of its own).
type lines struct {
	cat  *locales.Catalog
	lang string
	out  io.Writer
}

// newLines checks lang and loads the messages; lines go to e's stdout.
func newLines(e env, lang string) (lines, error) {
	if err := checkLang(lang); err != nil {
		return lines{}, err
	}
	cat, err := locales.Load()
	if err != nil {
		return lines{}, err
	}
	return lines{cat: cat, lang: lang, out: e.stdout}, nil
}

// text is message id with data kv (pairs of keys and values).
func (l lines) text(id string, kv ...string) string { return l.cat.Text(l.lang, id, pairs(kv)) }

// say prints message id with data kv as a line.
func (l lines) say(id string, kv ...string) { fmt.Fprintln(l.out, l.text(id, kv...)) }

// seconds is d in whole seconds, as a number.
func seconds(d time.Duration) string { return strconv.Itoa(int(d.Round(time.Second) / time.Second)) }
