package telegram

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
)

// ErrFileTooLarge is bot.ErrFileTooLarge, which Download's error wraps
// when the file is larger than the caller takes.
var ErrFileTooLarge = bot.ErrFileTooLarge

// Download fetches the file fileID (flows.File.ID of a document a user sent)
// from Telegram, refusing one of more than max bytes: it asks getFile for the
// file's path and size, then reads the file from the file endpoint of the
// configured API endpoint. The error wraps ErrFileTooLarge when the file is
// too large, and the Bot API error (*tgbotapi.Error) when getFile failed,
// as it does for an unknown file id. The Bot API serves bots files of up to
// 20 MB only.
func (b *Bot) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	if max <= 0 {
		return nil, fmt.Errorf("telegram: download file %q: limit %d: %w", fileID, max, ErrFileTooLarge)
	}
	endpoint, ok := fileEndpoint(b.cfg.Endpoint)
	if !ok {
		return nil, fmt.Errorf("telegram: download file %q: no file endpoint known for the API endpoint %q", fileID, b.cfg.Endpoint)
	}
	f, err := b.client(ctx).GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("telegram: download file %q: getFile: %w", fileID, b.redact(err))
	}
	if int64(f.FileSize) > max {
		return nil, fmt.Errorf("telegram: download file %q: %d bytes, more than %d: %w", fileID, f.FileSize, max, ErrFileTooLarge)
	}
	if f.FilePath == "" {
		return nil, fmt.Errorf("telegram: download file %q: getFile gave no file path", fileID)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(endpoint, b.cfg.Token, f.FilePath), nil)
	if err != nil {
		return nil, fmt.Errorf("telegram: download file %q: %w", fileID, b.redact(err))
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: download file %q: %w", fileID, b.redact(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download file %q: HTTP status %s", fileID, resp.Status)
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("telegram: download file %q: %d bytes, more than %d: %w", fileID, resp.ContentLength, max, ErrFileTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("telegram: download file %q: read: %w", fileID, b.redact(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("telegram: download file %q: more than %d bytes: %w", fileID, max, ErrFileTooLarge)
	}
	return data, nil
}

// fileEndpoint is the file download endpoint that goes with the API
// endpoint api, both in go-telegram-bot-api format: Telegram's for
// Telegram's, and "http://host/file/bot%s/%s" for "http://host/bot%s/%s",
// as a self-hosted Bot API server (or a fake) serves files.
func fileEndpoint(api string) (string, bool) {
	if api == tgbotapi.APIEndpoint {
		return tgbotapi.FileEndpoint, true
	}
	base, ok := strings.CutSuffix(api, "/bot%s/%s")
	if !ok {
		return "", false
	}
	return base + "/file/bot%s/%s", true
}
