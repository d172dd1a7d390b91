package whatsapp

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
)

// A WhatsApp file id (flows.File.ID of a document or photo a user sent, or
// of a file uploaded here) is mediaPrefix and the base64url of a
// marshalled waE2E.Message that holds only a DocumentMessage or an
// ImageMessage with what downloading and sending it again take: URL,
// DirectPath, MediaKey, FileEncSHA256, FileSHA256, FileLength, Mimetype
// (no name, caption or thumbnail). About 500-700 characters.
const mediaPrefix = "wa:"

// errNotMediaID: a file id that is not one of WhatsApp's.
var errNotMediaID = errors.New("not a WhatsApp file id")

// inboundFile is the File of a document or an image a user sent, or nil
// when it names nothing to download.
func inboundFile(m *waE2E.Message) *flows.File {
	id, ok := mediaID(m)
	if !ok {
		return nil
	}
	if d := m.GetDocumentMessage(); d != nil {
		return &flows.File{ID: id, Name: cmp.Or(d.GetFileName(), d.GetTitle(), "document"+extension(d.GetMimetype())), Size: int64(d.GetFileLength())}
	}
	if a := m.GetAudioMessage(); a != nil {
		return &flows.File{ID: id, Name: "voice" + cmp.Or(extension(a.GetMimetype()), ".ogg"), Size: int64(a.GetFileLength())}
	}
	img := m.GetImageMessage()
	return &flows.File{ID: id, Name: "photo" + cmp.Or(extension(img.GetMimetype()), ".jpg"), Size: int64(img.GetFileLength())}
}

// mediaID encodes the document or image of m as a file id, keeping only
// what downloading and sending it again take; false when m has nothing to
// download by.
func mediaID(m *waE2E.Message) (string, bool) {
	var keep *waE2E.Message
	switch d, img, a := m.GetDocumentMessage(), m.GetImageMessage(), m.GetAudioMessage(); {
	case a != nil: // a voice note
		keep = &waE2E.Message{AudioMessage: &waE2E.AudioMessage{
			URL: a.URL, DirectPath: a.DirectPath, MediaKey: a.MediaKey, FileEncSHA256: a.FileEncSHA256,
			FileSHA256: a.FileSHA256, FileLength: a.FileLength, Mimetype: a.Mimetype, PTT: a.PTT,
		}}
	case d != nil:
		keep = &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			URL: d.URL, DirectPath: d.DirectPath, MediaKey: d.MediaKey, FileEncSHA256: d.FileEncSHA256,
			FileSHA256: d.FileSHA256, FileLength: d.FileLength, Mimetype: d.Mimetype,
		}}
	case img != nil:
		keep = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			URL: img.URL, DirectPath: img.DirectPath, MediaKey: img.MediaKey, FileEncSHA256: img.FileEncSHA256,
			FileSHA256: img.FileSHA256, FileLength: img.FileLength, Mimetype: img.Mimetype,
		}}
	default:
		return "", false
	}
	dm, _ := downloadable(keep)
	if len(dm.GetMediaKey()) == 0 || dm.GetDirectPath() == "" && urlOf(dm) == "" {
		return "", false
	}
	raw, err := proto.Marshal(keep)
	if err != nil {
		return "", false
	}
	return mediaPrefix + base64.RawURLEncoding.EncodeToString(raw), true
}

// decodeMedia reads a file id made by mediaID.
func decodeMedia(id string) (*waE2E.Message, error) {
	b64, ok := strings.CutPrefix(id, mediaPrefix)
	if !ok {
		return nil, errNotMediaID
	}
	raw, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotMediaID, err)
	}
	m := &waE2E.Message{}
	if err := proto.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotMediaID, err)
	}
	if dm, _ := downloadable(m); dm == nil {
		return nil, fmt.Errorf("%w: no document or image in it", errNotMediaID)
	}
	return m, nil
}

// downloadable is the media message in m and its length in bytes (0 when
// not known); nil when m holds no document, image or voice note.
func downloadable(m *waE2E.Message) (whatsmeow.DownloadableMessage, int64) {
	switch {
	case m.GetDocumentMessage() != nil:
		return m.GetDocumentMessage(), int64(m.GetDocumentMessage().GetFileLength())
	case m.GetImageMessage() != nil:
		return m.GetImageMessage(), int64(m.GetImageMessage().GetFileLength())
	case m.GetAudioMessage() != nil:
		return m.GetAudioMessage(), int64(m.GetAudioMessage().GetFileLength())
	}
	return nil, 0
}

func urlOf(dm whatsmeow.DownloadableMessage) string {
	if u, ok := dm.(interface{ GetURL() string }); ok {
		return u.GetURL()
	}
	return ""
}

// Download fetches the file fileID (flows.File.ID of a document or photo a
// user sent on WhatsApp) and decrypts it, refusing one of more than max
// bytes: by the length the message gives, before downloading, and by what
// came. It implements services.Downloader. The error wraps ErrFileTooLarge
// when the file is too large; whatsmeow's errors (media expired: 404/410)
// otherwise.
func (a *Adapter) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	m, err := decodeMedia(fileID)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: download file: %w", err)
	}
	dm, size := downloadable(m)
	if max <= 0 || size > max {
		return nil, fmt.Errorf("whatsapp: download file: %d bytes, more than %d: %w", size, max, bot.ErrFileTooLarge)
	}
	data, err := a.cli.Download(ctx, dm)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: download file of %d bytes: %w", size, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("whatsapp: download file: %d bytes, more than %d: %w", len(data), max, bot.ErrFileTooLarge)
	}
	return data, nil
}

// fileMessage is the message that sends f here, or nil when f cannot be
// sent on WhatsApp (another channel's file id; a kept file no longer
// kept). Bytes are uploaded; a WhatsApp file id is sent as it is (the way
// WhatsApp forwards media); a kept file is uploaded once, and the upload
// noted in the store for the next recipients.
func (a *Adapter) fileMessage(ctx context.Context, f *flows.File) (*waE2E.Message, error) {
	switch {
	case len(f.Data) > 0:
		m, err := a.upload(ctx, f.Data)
		if err != nil {
			return nil, fmt.Errorf("upload document %q: %w", f.Name, err)
		}
		return named(m, f.Name), nil
	case strings.HasPrefix(f.ID, mediaPrefix):
		m, err := decodeMedia(f.ID)
		if err != nil {
			a.log.Warn("whatsapp: bad WhatsApp file id; only the text goes", "name", f.Name, "err", err)
			return nil, nil
		}
		return named(m, f.Name), nil
	case store.IsFileRef(f.ID) && a.cfg.Files != nil:
		return a.keptFile(ctx, f)
	}
	return nil, nil
}

// keptFile is the message that sends the kept file f: by the upload noted
// for it, or uploaded now. One upload at a time, so that a broadcast's
// recipients, sent to in parallel, share the first one's.
func (a *Adapter) keptFile(ctx context.Context, f *flows.File) (*waE2E.Message, error) {
	noted := func() (*waE2E.Message, bool, error) {
		id, err := a.cfg.Files.ChannelID(ctx, f.ID, Channel)
		if err != nil || id == "" {
			return nil, false, err
		}
		m, err := decodeMedia(id)
		if err != nil {
			a.log.Warn("whatsapp: bad upload noted for a kept file; uploading again", "file", f.ID, "err", err)
			return nil, false, nil
		}
		return named(m, f.Name), true, nil
	}
	if m, ok, err := noted(); err != nil || ok {
		return m, err
	}
	select {
	case a.uploads <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait to upload %q: %w", f.Name, ctx.Err())
	}
	defer func() { <-a.uploads }()
	if m, ok, err := noted(); err != nil || ok { // uploaded meanwhile
		return m, err
	}
	data, err := a.cfg.Files.Get(ctx, f.ID)
	if errors.Is(err, store.ErrFileNotKept) {
		a.log.Warn("whatsapp: kept file gone; only the text goes", "name", f.Name, "file", f.ID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := a.upload(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("upload kept file %q: %w", f.Name, err)
	}
	if id, ok := mediaID(m); !ok {
		a.log.Warn("whatsapp: upload gave nothing to note", "name", f.Name)
	} else if err := a.cfg.Files.SetChannelID(ctx, f.ID, Channel, id); err != nil {
		a.log.Warn("whatsapp: upload not noted; the next recipient uploads again", "name", f.Name, "err", err)
	}
	return named(m, f.Name), nil
}

// upload uploads data as a document: the message without its name.
func (a *Adapter) upload(ctx context.Context, data []byte) (*waE2E.Message, error) {
	up, err := a.cli.Upload(ctx, data, whatsmeow.MediaDocument)
	if err != nil {
		return nil, err
	}
	return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
		URL:           proto.String(up.URL),
		DirectPath:    proto.String(up.DirectPath),
		MediaKey:      up.MediaKey,
		FileEncSHA256: up.FileEncSHA256,
		FileSHA256:    up.FileSHA256,
		FileLength:    proto.Uint64(up.FileLength),
	}}, nil
}

// named is m (a document or image message) ready to send as the file name:
// a document gets the name, as file name and title, and the type its
// extension says when m has none. m is not changed.
func named(m *waE2E.Message, name string) *waE2E.Message {
	d := m.GetDocumentMessage()
	if d == nil {
		return m // a photo goes as a photo
	}
	name = cmp.Or(filepath.Base(name), "document")
	if name == "." || name == "/" {
		name = "document"
	}
	d = proto.Clone(d).(*waE2E.DocumentMessage)
	d.FileName, d.Title = proto.String(name), proto.String(name)
	if d.GetMimetype() == "" {
		d.Mimetype = proto.String(cmp.Or(mime.TypeByExtension(filepath.Ext(name)), "application/octet-stream"))
	}
	return &waE2E.Message{DocumentMessage: d}
}

// extension is the usual file extension of a media type ("" if unknown).
func extension(mimetype string) string {
	base, _, _ := strings.Cut(mimetype, ";")
	switch strings.TrimSpace(strings.ToLower(base)) {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	case "text/csv":
		return ".csv"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return ".xlsx"
	}
	return ""
}
