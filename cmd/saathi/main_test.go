package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// runCmd runs the saathi command in this process with the given stdin and
// environment, and returns its output and error.
func runCmd(t *testing.T, vars map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	err := run(ctx, e, args)
	if testing.Verbose() {
		t.Logf("stderr of %v:\n%s", args, errOut.String())
	}
	return out.String() + errOut.String(), err
}

func TestChatCompletesARegistration(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	lines := "नमस्ते\n9000000001\nसरिता राजभर\nमहिला\n१\nसोनभद्र\nनगर पंचायत अनपरा\n5\nहाँ\n"
	out, err := runCmd(t, vars, lines, "chat", "--user", "9000000001")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	for _, want := range []string{"👤 नमस्ते", "आपका पूरा नाम क्या है?", "   1) सभासद", "पद: सभासद", "वार्ड: 5", "धन्यवाद, सरिता राजभर जी"} {
		if !strings.Contains(out, want) {
			t.Fatalf("chat output lacks %q:\n%s", want, out)
		}
	}
	// The conversation is in Redis: the same user, another run, is remembered.
	out, err = runCmd(t, vars, "नमस्ते\n", "chat", "--user", "9000000001")
	if err != nil || !strings.Contains(out, "मंज़ूरी के लिए") {
		t.Fatalf("second chat: %v\n%s", err, out)
	}
}

func TestChatInEnglish(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "hello\n", "chat", "--user", "e1", "--lang", "en")
	// The terminal has no buttons: it is told to type the number.
	if err != nil || !strings.Contains(out, "type your 10-digit mobile number") || strings.Contains(out, "button") {
		t.Fatalf("chat --lang en: %v\n%s", err, out)
	}
	if !strings.Contains(out, "embedded in-memory Redis") {
		t.Fatalf("no warning that nothing survives a restart:\n%s", out)
	}
}

func TestChatNeedsUser(t *testing.T) {
	_, err := runCmd(t, map[string]string{}, "", "chat")
	if err == nil || !strings.Contains(err.Error(), "--user") {
		t.Fatalf("chat without --user: %v", err)
	}
}

func TestDemoTalksHindiWithNothingConfigured(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "हाँ\n", "demo")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, want := range []string{"नमूना सूची से 53 लोग", "प्रशिक्षण का निमंत्रण", "AMRUT 2.0 प्रशिक्षण", "1) ✅ आऊँगी", "आपकी जगह पक्की है"} {
		if !strings.Contains(out, want) {
			t.Fatalf("demo output lacks %q:\n%s", want, out)
		}
	}
}

func TestFlowsCheck(t *testing.T) {
	out, err := runCmd(t, nil, "", "flows", "check", "--lang", "en")
	if err != nil || !strings.HasPrefix(out, "ok: ") || !strings.Contains(out, " flows, ") {
		t.Fatalf("built-in flows: %v\n%s", err, out)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("survey.yaml", `
id: survey
steps:
  - {id: q1, type: ask_text, prompt: survey.q1, save: a, next: q9}
  - {id: q2, type: end, message: survey.bye}
`)
	write("lookup.yaml", `
id: lookup
steps:
  - {id: ask, type: call, call: weather.today, next: done}
  - {id: done, type: end}
`)
	write("locales/survey.hi.yaml", `{"survey.q1": "क्या दिक्कत है?", "survey.bye": "धन्यवाद"}`)
	write("locales/survey.en.yaml", `{"survey.q1": "What is the problem?"}`)
	out, err = runCmd(t, nil, "", "flows", "check", dir)
	if err == nil {
		t.Fatalf("flows check passed a broken flow:\n%s", out)
	}
	for _, want := range []string{
		`survey.yaml: step q1: goes to unknown step "q9"`,
		`survey.yaml: step q2: unreachable`,
		`survey.yaml: step q2: message "survey.bye" is missing in "en"`,
		`survey.hi.yaml: message "survey.bye" has no "en" translation`,
		`lookup.yaml: step ask: calls "weather.today", which no service answers`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("flows check output lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	cases := map[string]map[string]string{
		"SAATHI_OUTBOX_GRACE":     {"SAATHI_OUTBOX_GRACE": "soon"},
		"SAATHI_HTTP_ADDR":        {"SAATHI_HTTP_ADDR": "8080"},
		"REDIS_URL":               {"REDIS_URL": "localhost:6379"},
		"TELEGRAM_WEBHOOK_SECRET": {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_URL": "https://example.org/tg"},
		"TELEGRAM_API_ENDPOINT":   {"TELEGRAM_API_ENDPOINT": "http://127.0.0.1:8081/bot"},
		"SAATHI_LOG_LEVEL":        {"SAATHI_LOG_LEVEL": "loud"},
		"TELEGRAM_RATE":           {"TELEGRAM_RATE": "31"}, // above the free limit, unpaid
	}
	for name, vars := range cases {
		_, err := runCmd(t, vars, "", "serve")
		if err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line starting with the setting's name", name, err)
		}
	}
	// A flag overrides the environment.
	_, err := runCmd(t, map[string]string{"SAATHI_OUTBOX_GRACE": "soon"}, "", "serve", "--outbox-grace", "5s", "--http", "bad")
	if err == nil || !strings.HasPrefix(err.Error(), "SAATHI_HTTP_ADDR") {
		t.Errorf("flag did not override the environment: %v", err)
	}
}

func TestHelpConfigListsEverySettingAndReadmeHasThem(t *testing.T) {
	out, err := runCmd(t, nil, "", "help", "config", "--lang", "en")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), strings.TrimSpace(out)) {
		t.Error("README's settings table is not what saathi help config --lang en prints: paste it in again")
	}
	hi, err := runCmd(t, nil, "", "help", "config")
	if err != nil || !strings.HasPrefix(hi, "| वेरिएबल | फ़्लैग | पहले से | मतलब |") || !strings.Contains(hi, "बातचीत कहाँ रखी जाए") {
		t.Errorf("help config is not in Hindi by default (%v):\n%s", err, hi)
	}
	for _, s := range settings() {
		if !strings.Contains(out, "`"+s.env+"`") {
			t.Errorf("help config lacks %s", s.env)
		}
		if !strings.Contains(string(readme), "`"+s.env+"`") {
			t.Errorf("README's settings table lacks %s", s.env)
		}
	}
}

// A coordinator in the terminal: the roster imported, a training made
// through the guided Hindi flow, invitations out, and its status.
func TestCoordinatorMakesATrainingInChat(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, roster.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// A participant is refused.
	out, err := runCmd(t, vars, "नया प्रशिक्षण\n", "chat", "--user", "9018159083")
	if err != nil || !strings.Contains(out, "सिर्फ़ अपने क्षेत्र के समन्वयकों के लिए") {
		t.Fatalf("participant: %v\n%s", err, out)
	}
	// The EO of नगर पंचायत अनपरा.
	lines := strings.Join([]string{
		"नमस्ते", "नया प्रशिक्षण", "AMRUT 2.0 प्रशिक्षण", "जल आपूर्ति और सफ़ाई", "नगर पंचायत सभागार, अनपरा",
		"05/12/2030", "2", "२", "जल आपूर्ति, सीवेज, बजट", "1", "सभी", "1", "नहीं", "हाँ", "स्थिति",
	}, "\n") + "\n"
	out, err = runCmd(t, vars, lines, "chat", "--user", "9912845298")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	for _, want := range []string{
		"नमस्ते विनोद गुप्ता (अधिशासी अधिकारी) जी", "समन्वयक के लिए",
		"शुरुआत: गुरुवार, 5 दिसंबर 2030, सुबह 10 बजे, 2 दिन", "किन्हें: सभासद, सभी", "याद दिलाना: एक दिन पहले शाम 6 बजे और 2 घंटे पहले\n",
		"प्रशिक्षण बन गया", "8 लोगों को निमंत्रण", "बुलाए गए 8 · आएँगे 0",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("chat output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCmd(t, vars, "", "training", "list")
	if err != nil || !strings.Contains(out, "AMRUT 2.0 प्रशिक्षण  2030-12-05 10:00  2") {
		t.Fatalf("training list: %v\n%s", err, out)
	}
}

func TestReportCommands(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, roster.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "report", "open", "--period", "2026-12", "--due", "2026-12-07", "--scope", "block=मैथा"); err != nil || !strings.Contains(out, "2026-12 की रिपोर्ट खुल गई (block=मैथा)") {
		t.Fatalf("report open: %v\n%s", err, out)
	}
	out, err := runCmd(t, vars, "", "report", "list")
	if err != nil || !strings.HasPrefix(out, "महीना") || !strings.Contains(out, "आख़िरी तारीख़") || !strings.Contains(out, "2026-12-07 ") || strings.Contains(out, "PERIOD") {
		t.Fatalf("report list: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "report", "list", "--lang", "en")
	if err != nil || !strings.HasPrefix(out, "PERIOD") || !strings.Contains(out, "DUE (IST)") || !strings.Contains(out, "block=मैथा") {
		t.Fatalf("report list --lang en: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "report", "status", "--period", "2026-12")
	if err != nil || !strings.Contains(out, "मैथा: 4 में से किसी समूह ने रिपोर्ट नहीं दी") {
		t.Fatalf("report status: %v\n%s", err, out)
	}
	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	if out, err := runCmd(t, vars, "", "report", "export", "--period", "2026-12", "-o", xlsx); err != nil || !strings.Contains(out, "8 में से 0 समूहों ने रिपोर्ट दी") {
		t.Fatalf("report export: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "report", "export", "--period", "2026-12", "-o", xlsx, "--lang", "en"); err != nil || !strings.Contains(out, "0 of 8 SHGs reported") {
		t.Fatalf("report export --lang en: %v\n%s", err, out)
	}
	if _, err := runCmd(t, vars, "", "report", "open", "--period", "2026-13"); err == nil {
		t.Fatal("a period that is no month was opened")
	}
}

// The Jal Jeevan Mission survey, a flow file and messages only, in the
// terminal; its answers in the export.
func TestJJMSurveyInChatAndExport(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, roster.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	lines := strings.Join([]string{"/jjm", "गुणवत्ता", "तीन गाँवों में पानी खारा है", "याद नहीं", "नहीं", "हाँ"}, "\n") + "\n"
	out, err := runCmd(t, vars, lines, "chat", "--user", "9741374847")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	csvPath := filepath.Join(t.TempDir(), "jjm.csv")
	if out, err := runCmd(t, vars, "", "export", "--records", "jjm_problem", "-o", csvPath); err != nil || !strings.Contains(out, ": 1 पंक्तियाँ") {
		t.Fatalf("export: %v\n%s\nchat was:\n%s", err, out, out)
	}
	data, _ := os.ReadFile(csvPath)
	for _, want := range []string{
		"पहचान,नंबर,मोबाइल,नाम,ज़िला,परेशानी (कोड),परेशानी,ब्योरा,कब से,फ़ाइल की पहचान,फ़ाइल,फ़ाइल खोलें,स्थिति,कब (भारतीय समय)", // Hindi headers
		"कानपुर देहात,quality,पानी की गुणवत्ता,तीन गाँवों में पानी खारा है", "+919741374847",
	} {
		if !strings.Contains(string(data), want) {
			t.Fatalf("export lacks %q:\n%s", want, data)
		}
	}
	if !regexp.MustCompile(`,20\d\d-\d\d-\d\d \d\d:\d\d\r?\n`).Match(data) {
		t.Errorf("the time is not written the way people read it here:\n%s", data)
	}
	if _, err := runCmd(t, vars, "", "export", "--records", "jjm_problem", "--lang", "en", "-o", csvPath); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(csvPath); !strings.Contains(string(data), "Key,Number,Mobile,Name,District,Problem (code),Problem,Details,Since,File id,File,Open the file,Status,When (IST)") {
		t.Errorf("English headers:\n%s", data)
	}
}

// runEvents returns only when its work has stopped: chat used to return
// while the minute loop still ran and logged (a race the detector caught).
func TestRunEventsLeavesNothingRunning(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cfg := whatsAppConfig(t, "")
	var logged syncBuffer
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(&logged, nil)), true, true)
	if err != nil {
		t.Fatal(err)
	}
	opened := len(logged.String())
	a.rdb.AddHook(slowRedis{}) // the minute loop's round outlasts the event consumer's start
	d, err := bot.NewDispatcher(bot.Options{Engine: a.engine, Store: a.store, Senders: map[string]bot.Sender{}, Logger: a.log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.runEvents(ctx, d, "console", nil, "console") }()
	cancel() // at once: the minute loop's first round is still under way
	<-done
	stacks := make([]byte, 1<<20)
	stacks = stacks[:runtime.Stack(stacks, true)]
	if bytes.Contains(stacks, []byte("(*app).runEvents")) || bytes.Contains(stacks, []byte("(*app).everyMinute")) {
		t.Errorf("runEvents returned, its work still runs:\n%s", stacks)
	}
	if err := d.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if after := logged.String()[opened:]; strings.Contains(after, "level=WARN") || strings.Contains(after, "level=ERROR") {
		t.Errorf("stopping logged warnings:\n%s", after)
	}
}

// slowRedis is a redis.Hook that makes every command take 20 ms more.
type slowRedis struct{}

func (slowRedis) DialHook(next redis.DialHook) redis.DialHook { return next }

func (slowRedis) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		time.Sleep(20 * time.Millisecond)
		return next(ctx, cmd)
	}
}

func (slowRedis) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		time.Sleep(20 * time.Millisecond)
		return next(ctx, cmds)
	}
}
