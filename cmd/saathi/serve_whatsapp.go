package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/store"
)

// whatsAppChannel is WhatsApp as serve runs it: the whatsmeow client of
// the paired device, the adapter, and its paced sender.
type whatsAppChannel struct {
	cli       *whatsmeow.Client
	container *sqlstore.Container
	journalDB *sql.DB // the session database again, for the journal of messages not yet applied
	wa        *whatsapp.Adapter
	sender    bot.Sender
	log       *slog.Logger

	mu      sync.Mutex
	connErr error // the first connection's error, until a connection succeeds
}

// openWhatsAppChannel opens the session store of WHATSAPP_DB (an unpaired
// one is errNotPaired) and builds the adapter, whose sends share the
// WhatsApp limits of every process on the Redis.
func (a *app) openWhatsAppChannel(ctx context.Context) (*whatsAppChannel, error) {
	log := a.log.With("channel", whatsapp.Channel)
	cli, container, err := openWhatsApp(ctx, a.cfg, log)
	if err != nil {
		return nil, err
	}
	// A network failure of the first connection is retried in the
	// background too, with whatsmeow's growing waits, as later drops are.
	cli.InitialAutoReconnect = true
	// Messages that cannot be applied even as dead letters (Redis down)
	// are kept in the session database until they can.
	journalDB, err := sql.Open(whatsAppDSN(a.cfg.WhatsAppDB))
	if err != nil {
		container.Close()
		return nil, fmt.Errorf("WHATSAPP_DB %q: %w", redactURL(a.cfg.WhatsAppDB), err)
	}
	journal, err := whatsapp.OpenJournal(ctx, journalDB)
	if err != nil {
		journalDB.Close()
		container.Close()
		return nil, fmt.Errorf("WHATSAPP_DB %q: %w", redactURL(a.cfg.WhatsAppDB), err)
	}
	wa := whatsapp.New(whatsapp.Config{Client: whatsapp.Wrap(cli), Logger: log, Groups: a.cfg.WhatsAppGroups, MaxAge: a.cfg.WhatsAppMaxAge, Files: a.svc.KeptFiles,
		SentOptions: store.NewSentOptions(a.rdb), Journal: journal, Words: a.svc.Words})
	a.svc.Files[whatsapp.Channel] = wa // files people send on WhatsApp: a roster, an attachment
	account := ""                      // the linked number: two numbers on one Redis have their own limits
	if id := cli.Store.ID; id != nil {
		account = id.User
	}
	limiter := delivery.New(a.rdb, whatsapp.Channel, whatsAppLimits(a.cfg, account))
	a.svc.Posters[whatsapp.Channel] = delivery.PacedPoster(wa, limiter)
	return &whatsAppChannel{cli: cli, container: container, journalDB: journalDB, wa: wa, sender: delivery.Limited(wa, limiter), log: log}, nil
}

// startWhatsApp puts WhatsApp's readiness in /readyz and the metrics and
// starts it, handing its messages to d; alert is told when its session
// ends for good. wa is nil when the session store is not paired (down says
// so): the admins are told at once.
func startWhatsApp(wa *whatsAppChannel, down string, d *bot.Dispatcher, h *health, reg prometheus.Registerer, alert func(reason string)) {
	ready := func() (bool, string) {
		if wa == nil {
			return false, down
		}
		return wa.Ready()
	}
	h.channels = append(h.channels, channelHealth{whatsapp.Channel, ready})
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "saathi_channel_connected", Help: "1 while the channel is connected, else 0.", ConstLabels: prometheus.Labels{"channel": whatsapp.Channel},
	}, func() float64 {
		if ok, _ := ready(); ok {
			return 1
		}
		return 0
	}))
	if wa == nil {
		alert(down)
		return
	}
	wa.start(d, alert)
}

// alertAdmins tells the admins on Telegram that WhatsApp stopped, and why.
func (a *app) alertAdmins(reason string) {
	n, err := a.svc.AlertAdmins(context.Background(), telegram.Channel, "WhatsApp", reason, time.Now())
	if err != nil {
		a.log.Error("telling the admins that WhatsApp stopped", "err", err)
		return
	}
	a.log.Info("admins told on Telegram that WhatsApp stopped", "admins", n)
}

// start hands inbound messages to h and connects. onLoggedOut is told when
// the session ends for good (logged out, banned).
func (w *whatsAppChannel) start(h bot.Handler, onLoggedOut func(reason string)) {
	w.wa.SetHandler(h)
	w.wa.OnLoggedOut(onLoggedOut)
	w.cli.AddEventHandler(w.wa.HandleEvent)
	w.cli.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			w.setConnErr(nil)
			// "Online", so that "typing…" shows in chats.
			go func() {
				if err := w.cli.SendPresence(context.Background(), types.PresenceAvailable); err != nil {
					w.log.Debug("whatsapp: presence not sent", "err", err)
				}
			}()
		}
	})
	w.log.Info("whatsapp: connecting", "as", maskJID(*w.cli.Store.ID))
	if err := w.cli.Connect(); err != nil {
		w.setConnErr(err)
		w.log.Error("whatsapp: cannot connect; Telegram goes on without it", "err", err)
	}
}

func (w *whatsAppChannel) setConnErr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.connErr = err
}

// Ready is the adapter's state, with the connection's error when the first
// connection failed for good.
func (w *whatsAppChannel) Ready() (bool, string) {
	ok, status := w.wa.Ready()
	w.mu.Lock()
	defer w.mu.Unlock()
	if !ok && w.connErr != nil {
		status = fmt.Sprintf("%s (%s)", status, oneLine(w.connErr))
	}
	return ok, status
}

// stop disconnects, waits until grace ends for messages being retried,
// and closes the session store.
func (w *whatsAppChannel) stop(grace context.Context) {
	w.cli.Disconnect()
	if err := w.wa.Close(grace); err != nil {
		w.log.Warn("whatsapp shutdown", "err", err)
	}
	if err := w.journalDB.Close(); err != nil {
		w.log.Warn("whatsapp journal", "err", err)
	}
	if err := w.container.Close(); err != nil {
		w.log.Warn("whatsapp session store", "err", err)
	}
}

// whatsAppLimits are the limits of the linked number account: WHATSAPP_RATE
// a minute, paced evenly (no burst: an unofficial client risks a ban), and
// WHATSAPP_CHAT_INTERVAL to a chat, shared by every process on the Redis.
func whatsAppLimits(cfg Config, account string) delivery.Limits {
	return delivery.Limits{
		Overall: redis_rate.Limit{Rate: cfg.WhatsAppRate, Period: time.Minute},
		PerChat: redis_rate.Limit{Rate: 1, Period: cfg.WhatsAppChatInterval},
		Account: account,
	}
}
