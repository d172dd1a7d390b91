package telegramtest_test

import (
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// TestEnglishInHindiMessages: at the end of a test the fake reports an
// English word the bot sent in a Hindi message, text or button; an echo of
// what was typed, a training id and a message in English are left alone.
func TestEnglishInHindiMessages(t *testing.T) {
	tb := &flowstest.Recorder{TB: t}
	srv := telegramtest.NewServer(tb)
	srv.Permissive() // three sends to one chat at once
	api := connect(t, srv)
	srv.PushText(1, "Sarita Devi")
	bad := tgbotapi.NewMessage(1, "चुनें")
	bad.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Cancel", "x")))
	for _, m := range []tgbotapi.MessageConfig{
		tgbotapi.NewMessage(1, "धन्यवाद, Sarita Devi जी! देखने के लिए लिखें: स्थिति t8j3dq5"),
		tgbotapi.NewMessage(1, "All done, thank you"),
		bad,
	} {
		if _, err := api.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.EnglishInHindi()
	if len(got) != 1 || !strings.Contains(got[0], "Cancel") {
		t.Fatalf("EnglishInHindi = %q, want the button's Cancel only", got)
	}
	tb.End()
	if len(tb.Errors) != 1 || !strings.Contains(tb.Errors[0], "Cancel") {
		t.Errorf("at the end of the test: %q, want the English reported", tb.Errors)
	}
}
