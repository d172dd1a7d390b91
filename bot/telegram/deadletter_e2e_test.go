package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// failureText is a piece of the Hindi apology for a message set aside.
const failureText = "कुछ गड़बड़ हो गई"

// TestOneUsersRedisFailureIsDeadLetteredAndOthersFlow: Redis fails for one
// chat only (a go-redis hook on the client of the store and the services).
// Its /start is tried for the retry budget, set aside with its input and
// error, counted, and the chat is told in Hindi to send it again; the 30
// other chats that wrote at the same time are all answered, and the offset
// moves past everything. Healed, the chat is answered as usual.
func TestOneUsersRedisFailureIsDeadLetteredAndOthersFlow(t *testing.T) {
	ctx := context.Background()
	fake := telegramtest.NewServer(t)
	b := newBot(t, fake)
	fault := &storetest.Fault{}
	rdb := storetest.Redis(t, storetest.DBTelegram, nil)
	rdb.AddHook(fault)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	metrics := bot.NewMetrics(prometheus.NewRegistry())
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: store.New(rdb, time.Hour),
		Senders: map[string]bot.Sender{telegram.Channel: b}, Logger: log, Metrics: metrics,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(ctx) })

	const bad = int64(5001)
	fault.Fail(strconv.FormatInt(bad, 10))
	badUpdate := fake.PushText(bad, "/start")
	var others []int64
	last := 0
	for i := range 30 {
		c := int64(6000 + i)
		others = append(others, c)
		last = fake.PushText(c, "/start")
	}
	startPoll(t, b, d)

	c := &chats{t: t, fake: fake, seen: map[int64]int{}}
	for _, o := range others {
		c.wait(o, "") // every other chat is answered
	}
	apology := c.wait(bad, failureText)
	if !strings.Contains(apology.Text, "फिर से भेज") {
		t.Fatalf("the failing chat was told %q", apology.Text)
	}
	if n := len(fake.SentTo(bad)); n != 1 {
		t.Fatalf("the failing chat got %d messages, want only the apology", n)
	}
	eventually(t, "past the last update", func() bool { return slices.Contains(fake.Offsets(), last+1) })
	if p := fake.Pending(); len(p) != 0 {
		t.Fatalf("updates not acknowledged: %v", p)
	}

	l, err := store.NewDeadLetters(rdb).Get(ctx, store.LetterID(telegram.Channel, "5001", strconv.Itoa(badUpdate)))
	if err != nil {
		t.Fatalf("no dead letter for the failing update: %v", err)
	}
	if l.Input.Text != "/start" || l.Input.User != "5001" || l.Input.Channel != telegram.Channel || l.Attempts < 2 ||
		!strings.Contains(l.Error, storetest.ErrInjected.Error()) {
		t.Fatalf("dead letter %+v", l)
	}
	if all, _ := store.NewDeadLetters(rdb).List(ctx, 0); len(all) != 1 {
		t.Fatalf("%d dead letters, want 1: %+v", len(all), all)
	}
	if n := counterValue(t, metrics.DeadLetters.WithLabelValues(telegram.Channel)); n != 1 {
		t.Fatalf("saathi_deadletters_total %v, want 1", n)
	}

	fault.Heal("5001")
	fake.PushText(bad, "/start")
	if m := c.wait(bad, ""); strings.Contains(m.Text, failureText) {
		t.Fatalf("healed, the chat was told %q", m.Text)
	}
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestForgedFeedbackIsRefusedAndDoesNotStallOthers (issue 11, acceptance
// 1): a rostered person who was not invited to a training presses a forged
// feedback button, feedback.rating:1@<training>, and answers what comes
// next. They are refused with a polite message (no thanks, no apology for
// an error), nothing of theirs is stored, nothing is set aside as a dead
// letter — a refusal is not a failure — and 150 people who send /start at
// the same time as their last answer are all answered within 10 s.
func TestForgedFeedbackIsRefusedAndDoesNotStallOthers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.importSample(t)
	tr, err := training.Spec{
		Title: "AMRUT 2.0 प्रशिक्षण", Topic: "जल आपूर्ति", Venue: "नगर पंचायत सभागार, अनपरा",
		Start: "2026-12-05T10:00", Days: 2, End: "17:00", Modules: []string{"जल आपूर्ति", "सीवेज", "बजट"},
		Invite: "role=sabhasad,body=नगर पंचायत अनपरा",
	}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = w.svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := w.svc.Invite(ctx, tr); n != 8 || err != nil {
		t.Fatalf("invited %d (%v), want 8", n, err)
	}
	// हरि मौर्य is a sabhasad of नगर पंचायत चोपन: on the roster, not invited.
	const forger = int64(4001)
	const phone = "+919703423667"
	w.link(t, forger, phone, "हरि मौर्य")
	w.clk.Set(ist("2026-12-06 18:00")) // the training is over

	w.fake.PushCallback(forger, 424242, "feedback.rating:1@"+tr.ID)
	reply := w.c.wait(forger, "")
	// The questions that may follow the press, and the forger's answers.
	answers := []struct{ asks, answer string }{
		{"सबसे काम का", "1"},
		{"क्या कुछ छूट गया", "कुछ नहीं"},
		{"और प्रशिक्षण चाहिए", "हाँ"},
	}
	var others []int64
	for i := range 150 {
		others = append(others, int64(8000+i))
	}
	var start time.Time
	for _, a := range answers {
		if !strings.Contains(reply.Text, a.asks) {
			continue
		}
		final := a == answers[len(answers)-1]
		w.fake.PushText(forger, a.answer)
		if final { // everyone else writes together with the forger's last answer
			start = time.Now()
			for _, o := range others {
				w.fake.PushText(o, "/start")
			}
		}
		reply = w.c.wait(forger, "")
	}
	if start.IsZero() { // refused before the last question: the others write now
		start = time.Now()
		for _, o := range others {
			w.fake.PushText(o, "/start")
		}
	}
	for _, bad := range []string{"राय दर्ज", failureText} {
		if strings.Contains(reply.Text, bad) {
			t.Errorf("the forger was answered %q, want a polite refusal", reply.Text)
		}
	}

	// All 150 answered within 10 s.
	deadline := start.Add(10 * time.Second)
	for {
		missing := 0
		for _, o := range others {
			if len(w.fake.SentTo(o)) == 0 {
				missing++
			}
		}
		if missing == 0 {
			t.Logf("150 /start answered in %v", time.Since(start).Round(time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 150 not answered within 10 s of the forged feedback", missing)
		}
		time.Sleep(10 * time.Millisecond)
	}

	if n, err := w.rdb.HExists(ctx, "saathi:training:{"+tr.ID+"}:feedback", phone).Result(); err != nil || n {
		t.Errorf("the forged feedback was stored (%v, %v)", n, err)
	}
	letters, err := store.NewDeadLetters(w.rdb).List(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range letters {
		t.Errorf("dead letter for a refusal: %s %s %q: %s", l.ID, l.Input.User, fmt.Sprint(l.Input.Text, l.Input.Choice), l.Error)
	}
}
