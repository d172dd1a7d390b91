package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Sender names: every private chat's user is "Test User", with the chat's id
// as user id, as on Telegram, where a private chat's id is the user's id.
const (
	FirstName = "Test"
	LastName  = "User"
)

// PrivateMessage is an empty message of the private chat chatID, sent by its
// user now. Fill in what it carries (Voice, Photo, Sticker, Caption …) and
// push it with Server.PushUpdate; the server gives it a message id.
func PrivateMessage(chatID int64) *tgbotapi.Message {
	return &tgbotapi.Message{
		From: &tgbotapi.User{ID: chatID, FirstName: FirstName, LastName: LastName, LanguageCode: "hi"},
		Date: int(time.Now().Unix()),
		Chat: &tgbotapi.Chat{ID: chatID, Type: "private", FirstName: FirstName, LastName: LastName},
	}
}

// MessageUpdate wraps m in an update without an id.
func MessageUpdate(m *tgbotapi.Message) tgbotapi.Update {
	return tgbotapi.Update{Message: m}
}

// TextUpdate is a text message of the private chat chatID. A leading
// /command gets a bot_command entity, as Telegram sets it.
func TextUpdate(chatID int64, text string) tgbotapi.Update {
	m := PrivateMessage(chatID)
	m.Text = text
	if n := commandLen(text); n > 0 {
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: n}}
	}
	return MessageUpdate(m)
}

// ContactUpdate is a contact card shared in the private chat chatID.
// The card is the sender's own when contactUserID equals chatID.
func ContactUpdate(chatID int64, phone string, contactUserID int64) tgbotapi.Update {
	m := PrivateMessage(chatID)
	m.Contact = &tgbotapi.Contact{PhoneNumber: phone, FirstName: FirstName, UserID: contactUserID}
	if contactUserID == chatID {
		m.Contact.LastName = LastName
	}
	return MessageUpdate(m)
}

// LocationUpdate is a location shared in the private chat chatID.
func LocationUpdate(chatID int64, lat, lon float64) tgbotapi.Update {
	m := PrivateMessage(chatID)
	m.Location = &tgbotapi.Location{Latitude: lat, Longitude: lon}
	return MessageUpdate(m)
}

// DocumentUpdate is a document, with caption, sent in the private chat
// chatID. Its file_size is unknown (0); Server.PushDocument fills it in for
// a file added with AddFile.
func DocumentUpdate(chatID int64, fileID, name, caption string) tgbotapi.Update {
	m := PrivateMessage(chatID)
	m.Document = &tgbotapi.Document{FileID: fileID, FileName: name}
	m.Caption = caption
	return MessageUpdate(m)
}

// CallbackUpdate is a press, by the user of the private chat chatID, of the
// inline button carrying data under message (which the bot sent). The
// server gives the query an id when pushed.
func CallbackUpdate(chatID int64, message *tgbotapi.Message, data string) tgbotapi.Update {
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		From:         &tgbotapi.User{ID: chatID, FirstName: FirstName, LastName: LastName, LanguageCode: "hi"},
		Message:      message,
		ChatInstance: "test-chat-instance",
		Data:         data,
	}}
}

// NewWebhookRequest is the POST Telegram makes to a webhook to deliver u,
// with secret in the secret-token header (no header when secret is empty).
func NewWebhookRequest(u tgbotapi.Update, secret string) *http.Request {
	body, err := json.Marshal(u)
	if err != nil {
		panic("telegramtest: encode update: " + err.Error())
	}
	r := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if secret != "" {
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	return r
}

// commandLen is the length, in UTF-16 units, of the bot command text starts
// with — "/name" or "/name@botname", name made of letters, digits and _ —
// or 0 when it starts with none. Telegram marks this much with a
// bot_command entity.
func commandLen(text string) int {
	if len(text) < 2 || text[0] != '/' {
		return 0
	}
	end := 1 + wordLen(text[1:])
	if end == 1 {
		return 0
	}
	if end < len(text) && text[end] == '@' {
		if n := wordLen(text[end+1:]); n > 0 {
			end += 1 + n
		}
	}
	return len(utf16.Encode([]rune(text[:end])))
}

// wordLen is the length of the run of ASCII letters, digits and _ that s starts with.
func wordLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return i
		}
	}
	return len(s)
}
