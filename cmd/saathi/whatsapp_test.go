package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"github.com/saathi-bot/saathi/locales"
)

func TestWhatsAppConfigErrorsNameTheSetting(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]map[string]string{
		"WHATSAPP_DB":            {"WHATSAPP_DB": "mysql://u:secret@db/wa"},
		"WHATSAPP_GROUPS":        {"WHATSAPP_GROUPS": "sometimes"},
		"WHATSAPP_RATE":          {"WHATSAPP_RATE": "0"},
		"WHATSAPP_CHAT_INTERVAL": {"WHATSAPP_CHAT_INTERVAL": "3"},
	}
	for name, vars := range cases {
		_, err := runCmd(t, vars, "", "whatsapp", "status")
		if err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line starting with the setting's name", name, err)
		}
	}
	for _, db := range []string{filepath.Join(dir, "missing", "wa.db"), dir, "wa.db?mode=ro"} {
		_, err := runCmd(t, map[string]string{"WHATSAPP_DB": db}, "", "whatsapp", "status")
		if err == nil || !strings.HasPrefix(err.Error(), "WHATSAPP_DB") {
			t.Errorf("WHATSAPP_DB %q: error %v", db, err)
		}
	}
	// A password in a URL is not repeated in the error.
	if _, err := runCmd(t, map[string]string{"WHATSAPP_DB": "mysql://u:secret@db/wa"}, "", "whatsapp", "status"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
	if cfg := configWith(t, nil); cfg.WhatsAppDB != "" || cfg.WhatsAppGroups || cfg.WhatsAppRate != 20 || cfg.WhatsAppChatInterval != 3*time.Second {
		t.Errorf("defaults: %+v", cfg)
	}
}

func TestWhatsAppNeedsTheStore(t *testing.T) {
	_, err := runCmd(t, nil, "", "whatsapp", "pair", "--lang", "en")
	if err == nil || !strings.HasPrefix(err.Error(), "WHATSAPP_DB is not set") {
		t.Errorf("pair without WHATSAPP_DB: %v", err)
	}
	if _, err := runCmd(t, nil, "", "whatsapp", "link"); !errors.Is(err, errUsage) {
		t.Errorf("whatsapp link: %v, want a usage error", err)
	}
	db := filepath.Join(t.TempDir(), "wa.db")
	if _, err := runCmd(t, map[string]string{"WHATSAPP_DB": db}, "", "whatsapp", "pair", "--phone", "12"); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--phone") {
		t.Errorf("pair --phone 12: %v, want a usage error naming --phone", err)
	}
}

func TestWhatsAppStatusOfAFreshStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "wa.db")
	out, err := runCmd(t, map[string]string{"WHATSAPP_DB": db}, "", "whatsapp", "status", "--lang", "en")
	if err != nil || !strings.Contains(out, "WhatsApp: not paired") || !strings.Contains(out, "saathi whatsapp pair") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	st, err := os.Stat(db)
	if err != nil {
		t.Fatalf("the store was not created: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("store file mode %v, want 0600 (it holds the session keys)", st.Mode().Perm())
	}
	cfg := whatsAppConfig(t, db)
	if _, _, err := openWhatsApp(context.Background(), cfg, slog.New(slog.DiscardHandler)); !errors.Is(err, errNotPaired) || !strings.Contains(err.Error(), "saathi whatsapp pair") {
		t.Errorf("openWhatsApp on a fresh store: %v", err)
	}
}

// A store with a linked device (written here by hand): status shows it
// masked, pair says so and does nothing, openWhatsApp makes a client.
func TestWhatsAppPairedStore(t *testing.T) {
	db := pairedStore(t)
	cfg := whatsAppConfig(t, db)
	ctx := context.Background()

	vars := map[string]string{"WHATSAPP_DB": db}
	out, err := runCmd(t, vars, "", "whatsapp", "status", "--lang", "en")
	if err != nil || !strings.Contains(out, `paired as 91******3210:12@s.whatsapp.net, name “Saathi”`) || strings.Contains(out, "9876543210") {
		t.Errorf("status: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "whatsapp", "pair", "--lang", "en")
	if err != nil || !strings.Contains(out, "Already paired as 91******3210:12@s.whatsapp.net") {
		t.Errorf("pair when paired: %v\n%s", err, out)
	}
	cli, container, err := openWhatsApp(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()
	if cli.Store.ID == nil || cli.Store.ID.User != "919876543210" || cli.IsConnected() {
		t.Errorf("openWhatsApp: client of %v, connected %v", cli.Store.ID, cli.IsConnected())
	}
}

// Pairing here, with no network but the Go proxy: the store is created and
// the command ends fast, with one clear line. Where WhatsApp can be reached
// it prints a QR code instead, and stops when the context ends.
func TestWhatsAppPairWithoutNetworkFailsFast(t *testing.T) {
	db := filepath.Join(t.TempDir(), "wa.db")
	vars := map[string]string{"WHATSAPP_DB": db}
	start := time.Now()
	out, err := runCmdWithin(t, 20*time.Second, vars, "whatsapp", "pair", "--connect-timeout", "10s", "--lang", "en")
	took := time.Since(start)
	if _, serr := os.Stat(db); serr != nil {
		t.Errorf("the store was not created: %v", serr)
	}
	switch {
	case err != nil:
		if !strings.HasPrefix(err.Error(), "could not reach WhatsApp: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("error %q, want one line starting with \"could not reach WhatsApp: \"", err)
		}
	case strings.Contains(out, "Link a device") && strings.Contains(out, "▀") && strings.Contains(out, "stopped"):
		t.Logf("WhatsApp answered: a QR code was printed")
	default:
		t.Errorf("pair ended without an error or a QR code:\n%s", out)
	}
	if took > 15*time.Second {
		t.Errorf("pair took %s", took)
	}
}

// A connection attempt that never gets an answer (a proxy that accepts and
// says nothing) is cut at the bound, and Ctrl-C during it stops cleanly.
func TestWhatsAppPairConnectIsBounded(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	proxy := &url.URL{Scheme: "http", Host: l.Addr().String()}
	cfg := whatsAppConfig(t, filepath.Join(t.TempDir(), "wa.db"))
	log := slog.New(slog.DiscardHandler)
	container, err := openWhatsAppStore(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	pair := func(ctx context.Context) (string, error) {
		device, err := container.GetFirstDevice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cli := newWhatsAppClient(device, log)
		cli.SetProxy(http.ProxyURL(proxy))
		var out bytes.Buffer
		p := pairing{e: env{stdout: &out, stderr: &out}, lines: lines{cat: cat, lang: "en", out: &out}, cli: cli, bound: time.Second}
		err = p.run(ctx)
		return out.String(), err
	}

	start := time.Now()
	_, err = pair(context.Background())
	if err == nil || err.Error() != "could not reach WhatsApp: no answer within 1s" || time.Since(start) > 5*time.Second {
		t.Errorf("after %s: %v", time.Since(start), err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	out, err := pair(ctx)
	if err != nil || !strings.Contains(out, "stopped") {
		t.Errorf("Ctrl-C while connecting: %v\n%s", err, out)
	}
}

func TestWhatsAppQRIsPrinted(t *testing.T) {
	var out bytes.Buffer
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := pairing{e: env{stdout: &out, stderr: &out}, lines: lines{cat: cat, lang: "hi", out: &out}}
	p.showQR(whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Timeout: time.Minute,
		Code: "2@" + strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 4) + ",ABCDEFGHIJKLMNOPQRSTUVWXYZ=,abcdefghijklmnop=,qrstuvwxyz=,1"}, 1)
	s := out.String()
	if testing.Verbose() {
		t.Logf("QR output:\n%s", s)
	}
	if !strings.Contains(s, "डिवाइस लिंक करें") || !strings.Contains(s, "लिंक किए गए डिवाइस") || !strings.Contains(s, "▀") || !strings.Contains(s, "QR कोड 1, 60 सेकंड तक") {
		t.Errorf("QR output:\n%s", s)
	}
	if n := strings.Count(s, "\n"); n > 60 {
		t.Errorf("QR takes %d lines; half blocks should keep it under 60", n)
	}
}

func TestPairPhoneNumber(t *testing.T) {
	for in, want := range map[string]string{
		"919876543210":    "919876543210",
		"+91 98765 43210": "919876543210",
		"9876543210":      "919876543210",
		"098765 43210":    "919876543210",
		"+14155552671":    "14155552671",
	} {
		if got, err := pairPhoneNumber(in); err != nil || got != want {
			t.Errorf("pairPhoneNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"12", "abc", "+910000000000", "0000000000"} {
		if got, err := pairPhoneNumber(in); err == nil {
			t.Errorf("pairPhoneNumber(%q) = %q, want an error", in, got)
		}
	}
}

func whatsAppConfig(t *testing.T, db string) Config {
	t.Helper()
	return configWith(t, map[string]string{"WHATSAPP_DB": db})
}

// runCmdWithin is runCmd with a context that ends after d, as Ctrl-C would.
func runCmdWithin(t *testing.T, d time.Duration, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var out bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(k string) string { return vars[k] }}
	err := run(ctx, e, args)
	if testing.Verbose() {
		t.Logf("output of %v:\n%s", args, out.String())
	}
	return out.String(), err
}

// pairedStore writes a session store holding a linked device (made up:
// WhatsApp would not accept it) and returns its path.
func pairedStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "wa.db")
	ctx := context.Background()
	container, err := openWhatsAppStore(ctx, whatsAppConfig(t, db), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()
	device := container.NewDevice()
	jid := types.NewADJID("919876543210", 0, 12)
	device.ID = &jid
	device.PushName = "Saathi"
	device.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := container.PutDevice(ctx, device); err != nil {
		t.Fatal(err)
	}
	return db
}
