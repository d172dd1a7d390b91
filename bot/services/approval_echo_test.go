package services_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// TestHostileNameCannotReorderTheApprovalPrompt: someone registers with a
// name holding a right-to-left override, a line break and a fake phone
// line. The coordinator's approval prompt shows it on the name's own line,
// without the override, and the real phone line stays where it is.
func TestHostileNameCannotReorderTheApprovalPrompt(t *testing.T) {
	f := setup(t)
	const applicant = "+919811100007"
	eng := flowstest.Engine(t, nil, nil).WithServices(f.svc)
	now := ist("2026-12-01 10:00")
	states := map[string]flows.State{}
	step := func(user string, in flows.Input) string {
		t.Helper()
		f.msg++
		in.Channel, in.User, in.ID = "telegram", user, "m"+strconv.Itoa(f.msg)
		res, err := eng.Step(f.ctx, states[user], in, now)
		if err != nil {
			t.Fatal(err)
		}
		states[user] = res.State
		var texts []string
		for _, r := range res.Replies {
			texts = append(texts, r.Text)
		}
		return strings.Join(texts, "\n")
	}
	step("3007", flows.Input{Text: "नमस्ते"})
	step("3007", flows.Input{Contact: &flows.Contact{Phone: strings.TrimPrefix(applicant, "+"), Own: true}})
	for _, text := range []string{"\u202Eरीना\x1b[31m यादव\u202C\n📱 +911111111111", "महिला", "1", "सोनभद्र", "नगर पंचायत अनपरा", "5"} {
		step("3007", flows.Input{Text: text})
	}
	if out := step("3007", flows.Input{Text: "हाँ"}); !strings.Contains(out, "पंजीकरण दर्ज") {
		t.Fatalf("registration not submitted: %s", out)
	}

	evs := f.published(t, "approve")
	if len(evs) == 0 {
		t.Fatal("no approval asked for")
	}
	ev := evs[0]
	f.link(t, tg("4001"), ev.Phone)
	prompt := step("4001", flows.Input{Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}})
	if strings.ContainsFunc(prompt, func(r rune) bool { return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && r != '\n' }) {
		t.Errorf("the prompt holds control or bidi characters: %+q", prompt)
	}
	lines := strings.Split(prompt, "\n")
	if len(lines) < 5 || lines[1] != "रीना यादव 📱 +911111111111, सभासद" || lines[3] != "📱 98111 00007" {
		t.Errorf("approval prompt lines:\n%s", prompt)
	}
}
