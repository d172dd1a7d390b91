package whatsapp_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// realisticURL is a media URL of the length WhatsApp's have.
func realisticURL(path string) string { return "https://mmg.whatsapp.net" + path + "&mms3=true" }

// document is a document message carrying data, served by f.
func document(f *fakeClient, name, mimetype string, data []byte) *waE2E.Message {
	path, key, enc, sha := f.serve(data)
	return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
		URL: proto.String(realisticURL(path)), DirectPath: proto.String(path), MediaKey: key, FileEncSHA256: enc, FileSHA256: sha,
		FileLength: proto.Uint64(uint64(len(data))), Mimetype: proto.String(mimetype), FileName: proto.String(name),
		Caption: proto.String(""), JPEGThumbnail: bytes.Repeat([]byte{0xff}, 4000), // left out of the id
	}}
}

// photo is an image message carrying data, served by f.
func photo(f *fakeClient, caption string, data []byte) *waE2E.Message {
	path, key, enc, sha := f.serve(data)
	return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		URL: proto.String(realisticURL(path)), DirectPath: proto.String(path), MediaKey: key, FileEncSHA256: enc, FileSHA256: sha,
		FileLength: proto.Uint64(uint64(len(data))), Mimetype: proto.String("image/jpeg"), Caption: proto.String(caption),
		JPEGThumbnail: bytes.Repeat([]byte{0xff}, 4000),
	}}
}

// voice is a voice note (push to talk) carrying data, served by f.
func voice(f *fakeClient, data []byte) *waE2E.Message {
	path, key, enc, sha := f.serve(data)
	return &waE2E.Message{AudioMessage: &waE2E.AudioMessage{
		URL: proto.String(realisticURL(path)), DirectPath: proto.String(path), MediaKey: key, FileEncSHA256: enc, FileSHA256: sha,
		FileLength: proto.Uint64(uint64(len(data))), Mimetype: proto.String("audio/ogg; codecs=opus"), PTT: proto.Bool(true),
	}}
}

// TestInboundFileDownloads: a document, a photo and a voice note a user sends come with
// a File whose id downloads them later, of a size fit to keep in a
// conversation's fields.
func TestInboundFileDownloads(t *testing.T) {
	ctx := context.Background()
	h := &recorder{}
	a, f := newAdapter(t, h)
	csv := []byte("नाम,मोबाइल,पद\nरीना सोनकर,9312345678,सभासद\n")
	jpeg := bytes.Repeat([]byte{0xd8}, 3000)
	xlsx := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	a.HandleEvent(message(pn(sarita), document(f, "सूची.csv", "text/csv", csv)))
	a.HandleEvent(message(pn(sarita), photo(f, "", jpeg)))
	a.HandleEvent(message(pn(sarita), document(f, "", xlsx, csv)))
	ogg := append([]byte("OggS"), bytes.Repeat([]byte{1}, 2000)...)
	a.HandleEvent(message(pn(sarita), voice(f, ogg)))
	ins := h.inputs()
	if len(ins) != 4 {
		t.Fatalf("handled %d messages, want 4", len(ins))
	}
	for i, want := range []struct {
		media, name string
		data        []byte
	}{{"document", "सूची.csv", csv}, {"photo", "photo.jpg", jpeg}, {"document", "document.xlsx", csv}, {"voice", "voice.ogg", ogg}} {
		in := ins[i]
		if in.Media != want.media || in.File == nil || in.File.Name != want.name || in.File.Size != int64(len(want.data)) {
			t.Fatalf("input %d: media %q, file %+v; want %s %q of %d bytes", i, in.Media, in.File, want.media, want.name, len(want.data))
		}
		if !strings.HasPrefix(in.File.ID, "wa:") || len(in.File.ID) > 1000 {
			t.Fatalf("file id %q (%d characters): want wa:…, under 1000", in.File.ID, len(in.File.ID))
		}
		got, err := a.Download(ctx, in.File.ID, in.File.Size)
		if err != nil || !bytes.Equal(got, want.data) {
			t.Fatalf("Download of input %d = %d bytes, %v; want the %d bytes sent", i, len(got), err, len(want.data))
		}
	}
	t.Logf("a document's id is %d characters", len(ins[0].File.ID))
}

func TestDownloadRefusals(t *testing.T) {
	ctx := context.Background()
	h := &recorder{}
	a, f := newAdapter(t, h)
	data := bytes.Repeat([]byte("x"), 5000)
	a.HandleEvent(message(pn(sarita), document(f, "big.csv", "text/csv", data)))
	liar := document(f, "liar.csv", "text/csv", data)
	liar.DocumentMessage.FileLength = proto.Uint64(10) // says small, is not
	a.HandleEvent(message(pn(sarita), liar))
	ins := h.inputs()

	_, err := a.Download(ctx, ins[0].File.ID, 4999)
	if !errors.Is(err, bot.ErrFileTooLarge) {
		t.Fatalf("Download over the limit = %v, want ErrFileTooLarge", err)
	}
	if n := f.count("download"); n != 0 {
		t.Fatalf("%d downloads; a file too large by its length must be refused before downloading", n)
	}
	if _, err := a.Download(ctx, ins[1].File.ID, 4096); !errors.Is(err, bot.ErrFileTooLarge) {
		t.Fatalf("Download of a file larger than it said = %v, want ErrFileTooLarge", err)
	}
	for _, id := range []string{"BQACAgIAAxkBAAI000001", "wa:!!!", "wa:", "sha256:00"} {
		if _, err := a.Download(ctx, id, 1<<20); err == nil {
			t.Errorf("Download(%q) succeeded", id)
		}
	}
	// Expired on WhatsApp's servers.
	expired := ins[0].File.ID
	f.mu.Lock()
	clear(f.media)
	f.mu.Unlock()
	if _, err := a.Download(ctx, expired, 1<<20); err == nil {
		t.Fatal("Download of a file the server no longer has succeeded")
	}
}

// TestSendWhatsAppFile: a file a user sent here goes on to others as
// WhatsApp forwards media, with no upload: a document by its name, a
// photo as a photo. Another channel's file id sends the text alone.
func TestSendWhatsAppFile(t *testing.T) {
	ctx := context.Background()
	h := &recorder{}
	a, f := newAdapter(t, h)
	a.HandleEvent(message(pn(sarita), document(f, "कार्यक्रम.pdf", "application/pdf", []byte("%PDF-1.4"))))
	a.HandleEvent(message(pn(sarita), photo(f, "", []byte("jpeg"))))
	ins := h.inputs()
	const to = "919131860913"
	err := a.Send(ctx, to, []flows.Reply{
		{Text: "कार्यक्रम", File: &flows.File{ID: ins[0].File.ID, Name: "कार्यक्रम.pdf"}},
		{Text: "फ़ोटो", File: &flows.File{ID: ins[1].File.ID, Name: "photo.jpg"}},
		{Text: "टेलीग्राम की फ़ाइल", File: &flows.File{ID: "BQACAgIAAxkBAAI000001", Name: "x.pdf"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*waE2E.DocumentMessage
	var images []*waE2E.ImageMessage
	for _, c := range f.Calls() {
		if c.Kind == "message" && c.To.User == to {
			if d := c.Msg.GetDocumentMessage(); d != nil {
				docs = append(docs, d)
			}
			if i := c.Msg.GetImageMessage(); i != nil {
				images = append(images, i)
			}
		}
	}
	if len(docs) != 1 || docs[0].GetFileName() != "कार्यक्रम.pdf" || docs[0].GetMimetype() != "application/pdf" ||
		docs[0].GetDirectPath() == "" || len(docs[0].GetMediaKey()) != 32 || docs[0].GetFileLength() != 8 || docs[0].GetURL() == "" {
		t.Fatalf("documents %v", docs)
	}
	if len(images) != 1 || images[0].GetDirectPath() == "" || images[0].GetCaption() != "" {
		t.Fatalf("images %v", images)
	}
	if n := f.count("upload"); n != 0 {
		t.Fatalf("%d uploads; WhatsApp's own files go without", n)
	}
	if got := f.texts(to); strings.Join(got, "|") != "कार्यक्रम|फ़ोटो|टेलीग्राम की फ़ाइल" {
		t.Fatalf("texts %q", got)
	}
}
