package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// chatWaiter reads what one chat of the fake Telegram got, in order.
type chatWaiter struct {
	t    *testing.T
	fake *telegramtest.Server
	seen map[int64]int
}

// wait waits for the next message to chat holding want, and returns it.
func (c *chatWaiter) wait(chat int64, want string) telegramtest.SentMessage {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mine := c.fake.SentTo(chat)
		for i := c.seen[chat]; i < len(mine); i++ {
			if strings.Contains(mine[i].Text, want) {
				c.seen[chat] = i + 1
				return mine[i]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	var texts []string
	for _, m := range c.fake.SentTo(chat) {
		texts = append(texts, m.Text)
	}
	c.t.Fatalf("chat %d never got %q; it got:\n%s", chat, want, strings.Join(texts, "\n---\n"))
	return telegramtest.SentMessage{}
}

func (c *chatWaiter) say(chat int64, text, want string) telegramtest.SentMessage {
	c.t.Helper()
	c.fake.PushText(chat, text)
	return c.wait(chat, want)
}

// TestJJMProblemsAreFollowedUpToClosure, through saathi serve and a fake
// Telegram: a JJM MIS coordinator of मिर्जापुर division picks the district
// from the two of her division on the roster and reports two problems of
// the same kind, the first with a photo: two records, numbers 1 and 2, and
// the division's coordinator is told of each. He lists the open ones,
// resolves number 1 with a note, and she is told. saathi export --records
// jjm_problem then has both, with their status and resolution, and the
// photo in a folder beside the workbook, its cell a link to it.
func TestJJMProblemsAreFollowedUpToClosure(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	url := storetest.URL(t, storetest.DBCommand)
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	const suman, rahul = "+919000000302", "+919000000301"
	people = append(people,
		roster.Person{Name: "राहुल मिश्रा (मंडल समन्वयक)", Phone: rahul, Role: roster.RoleCoordinator, Division: "मिर्जापुर"},
		roster.Person{Name: "सुमन देवी", Phone: suman, Role: "other", Division: "मिर्जापुर", District: "सोनभद्र"},
		roster.Person{Name: "रमेश पटेल", Phone: "+919000000303", Role: "other", Division: "मिर्जापुर", District: "मिर्जापुर"},
		roster.Person{Name: "अनिल सिंह (मंडल समन्वयक)", Phone: "+919000000304", Role: roster.RoleCoordinator, Division: "कानपुर"},
	)
	if _, err := roster.New(rdb).Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	ids := identity.New(rdb)
	for chat, phone := range map[string]string{"5001": suman, "5002": rahul, "5003": "+919000000304"} {
		if err := ids.Link(ctx, "telegram", chat, phone); err != nil {
			t.Fatal(err)
		}
	}
	startServe(t, "REDIS_URL="+url, "TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s", "SAATHI_HTTP_ADDR="+freeAddr(t))
	c := &chatWaiter{t: t, fake: fake, seen: map[int64]int{}}
	photo := append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{7}, 200)...)
	photoID := fake.AddFile("टंकी.jpg", photo)

	// Two reports of the same kind, the first with the photo.
	m := c.say(5001, "जल जीवन मिशन", "किस ज़िले की बात है?")
	var districts []string
	for _, row := range m.Keyboard {
		for _, b := range row {
			districts = append(districts, b.Text)
		}
	}
	if strings.Join(districts, ",") != "मिर्जापुर,सोनभद्र" {
		t.Fatalf("districts offered %q, want the two of her division", districts)
	}
	c.say(5001, "सोनभद्र", "परेशानी किस तरह की है?")
	c.say(5001, "हर घर जल", "थोड़ा खुलकर बताइए")
	c.say(5001, "अनपरा की 12 बस्तियों का हर घर जल प्रमाण पत्र 3 महीने से अटका है", "कब से है")
	c.say(5001, "पता नहीं", "फ़ाइल की तरह भेजें")
	fake.PushDocument(5001, photoID, "टंकी.jpg", "")
	c.wait(5001, "क्या भेज दें?")
	c.say(5001, "हाँ", "आपकी समस्या नंबर 1 दर्ज हो गई")
	notice := c.wait(5002, "नई समस्या, नंबर 1: सोनभद्र")
	if !strings.Contains(notice.Text, "अनपरा की 12 बस्तियों") || !strings.Contains(notice.Text, "सुमन देवी") || !strings.Contains(notice.Text, "समस्या नंबर 1") {
		t.Errorf("the division coordinator's notice: %q", notice.Text)
	}

	c.say(5001, "जल जीवन मिशन", "किस ज़िले की बात है?")
	c.say(5001, "सोनभद्र", "परेशानी किस तरह की है?")
	c.say(5001, "प्रमाण पत्र", "थोड़ा खुलकर बताइए")
	c.say(5001, "चोपन की 4 बस्तियों का प्रमाण पत्र भी बाकी है", "कब से है")
	c.say(5001, "15 अक्टूबर से", "फ़ाइल की तरह भेजें")
	c.say(5001, "नहीं", "क्या भेज दें?")
	c.say(5001, "हाँ", "आपकी समस्या नंबर 2 दर्ज हो गई")
	c.wait(5002, "नई समस्या, नंबर 2: सोनभद्र")

	// The other division's coordinator hears of neither and sees neither.
	c.say(5003, "समस्याएँ", "आपके क्षेत्र में अभी कोई खुली समस्या नहीं है।")
	for _, m := range fake.SentTo(5003) {
		if strings.Contains(m.Text, "नई समस्या") {
			t.Errorf("another division's coordinator was told: %q", m.Text)
		}
	}

	// The division's coordinator resolves number 1.
	list := c.say(5002, "समस्याएँ", "आपके क्षेत्र की खुली समस्याएँ (2)")
	if !strings.Contains(list.Text, "नंबर 2 · सोनभद्र") || !strings.Contains(list.Text, "नंबर 1 · सोनभद्र") || !strings.Contains(list.Text, "नई") {
		t.Errorf("open problems: %q", list.Text)
	}
	if !strings.Contains(list.Text, "उसका नंबर लिखें") {
		t.Errorf("no question after the list: %q", list.Text)
	}
	c.say(5002, "1", "अब इसका क्या हाल है?")
	c.say(5002, "हल हो गई", "एक छोटा नोट लिखें")
	c.say(5002, "12 में से 10 बस्तियों का प्रमाण पत्र जारी हो गया, बाकी अगले हफ़्ते", "समस्या नंबर 1: हल हो गई। भेजने वाले को बता दिया है।")
	told := c.wait(5001, "आपकी समस्या नंबर 1 (सोनभद्र")
	for _, want := range []string{"हल हो गई", "समन्वयक ने लिखा: 12 में से 10 बस्तियों", "राहुल मिश्रा"} {
		if !strings.Contains(told.Text, want) {
			t.Errorf("the reporter's news %q lacks %q", told.Text, want)
		}
	}
	c.say(5002, "समस्या नंबर 2", "नंबर 2 · सोनभद्र")

	// The export: both, with status, resolution and the photo.
	out := filepath.Join(t.TempDir(), "jjm.xlsx")
	if got, err := runCmd(t, map[string]string{"REDIS_URL": url}, "", "export", "--records", "jjm_problem", "-o", out); err != nil {
		t.Fatalf("export: %v\n%s", err, got)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("jjm_problem")
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %q, %v; want the header and two", rows, err)
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %q", name, rows[0])
		return -1
	}
	get := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	st, res, file, key := col("स्थिति"), col("हल"), col("फ़ाइल खोलें"), col("पहचान")
	if get(rows[1], key) != "1" || get(rows[1], st) != "हल हो गई" || !strings.HasPrefix(get(rows[1], res), "12 में से 10") {
		t.Errorf("record 1: %q", rows[1])
	}
	if get(rows[2], key) != "2" || get(rows[2], st) != "नई" || get(rows[2], res) != "" || get(rows[2], file) != "" {
		t.Errorf("record 2: %q", rows[2])
	}
	rel := get(rows[1], file)
	if !strings.HasPrefix(rel, "jjm-files/1-") || !strings.HasSuffix(rel, ".jpg") {
		t.Fatalf("record 1's file cell %q", rel)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(out), rel))
	if err != nil || !bytes.Equal(data, photo) {
		t.Fatalf("the photo beside the export: %v (%d bytes)", err, len(data))
	}
	if f, err := x.GetCellFormula("jjm_problem", cellName(file, 2)); err != nil || f != `HYPERLINK("`+rel+`","`+rel+`")` {
		t.Errorf("the file cell's formula %q (%v), want a link to %q", f, err, rel)
	}
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col+1, row)
	return c
}
