package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Kept files: the bytes of a file that came in on one channel and goes out
// on others (a broadcast's attachment), kept in Redis under the sha256 of
// their content, with what each channel calls them once sent there.
const (
	// FileRefPrefix starts the id of a kept file (flows.File.ID):
	// "sha256:" and the hex sha256 of its bytes.
	FileRefPrefix = "sha256:"
	// MaxKeptFile bounds a kept file.
	MaxKeptFile = 10 << 20
	// KeptFileTTL is how long a kept file stays after it was last kept.
	KeptFileTTL = 30 * 24 * time.Hour
	// ChannelFileTTL is how long a channel's id of a kept file is used
	// before the file is uploaded there again (WhatsApp's uploads do not
	// last for ever; Telegram's ids do, and an upload a day costs little).
	ChannelFileTTL = 24 * time.Hour
)

// Errors of Files.
var (
	ErrFileTooLarge = errors.New("file too large to keep")
	ErrFileNotKept  = errors.New("file not kept (unknown or expired)")
)

func keptFileKey(sum string) string             { return prefix + "file:" + sum }
func channelFileKey(sum, channel string) string { return prefix + "file:" + sum + ":id:" + channel }

// IsFileRef tells whether id names a kept file ("sha256:<hex>").
func IsFileRef(id string) bool {
	_, ok := fileSum(id)
	return ok
}

// fileSum is the hex sha256 of the kept file id names.
func fileSum(id string) (string, bool) {
	sum, ok := strings.CutPrefix(id, FileRefPrefix)
	if !ok || len(sum) != 2*sha256.Size {
		return "", false
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return "", false
	}
	return sum, true
}

// Files keeps files in Redis. It is safe for concurrent use.
type Files struct {
	rdb redis.UniversalClient
}

// NewFiles keeps files in rdb.
func NewFiles(rdb redis.UniversalClient) *Files { return &Files{rdb: rdb} }

// Put keeps data for KeptFileTTL and returns its id ("sha256:<hex>").
// Keeping the same bytes again writes nothing but renews the time.
func (f *Files) Put(ctx context.Context, data []byte) (string, error) {
	if len(data) > MaxKeptFile {
		return "", fmt.Errorf("keep file: %d bytes, more than %d: %w", len(data), MaxKeptFile, ErrFileTooLarge)
	}
	if len(data) == 0 {
		return "", errors.New("keep file: empty")
	}
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	key := keptFileKey(sum)
	renewed, err := f.rdb.Expire(ctx, key, KeptFileTTL).Result()
	if err != nil {
		return "", fmt.Errorf("keep file: %w", err)
	}
	if !renewed {
		if err := f.rdb.Set(ctx, key, data, KeptFileTTL).Err(); err != nil {
			return "", fmt.Errorf("keep file (%d bytes): %w", len(data), err)
		}
	}
	return FileRefPrefix + sum, nil
}

// Keep keeps data with no end (a survey's attachment, downloadable from
// its export) and returns its id, as Put does. The same bytes kept by Put
// afterwards (a broadcast of the same file) get Put's time again.
func (f *Files) Keep(ctx context.Context, data []byte) (string, error) {
	id, err := f.Put(ctx, data)
	if err != nil {
		return "", err
	}
	sum, _ := fileSum(id)
	if err := f.rdb.Persist(ctx, keptFileKey(sum)).Err(); err != nil {
		return "", fmt.Errorf("keep file: %w", err)
	}
	return id, nil
}

// Get returns the bytes of the kept file id; the error wraps ErrFileNotKept
// when there are none (an unknown id, or one kept too long ago).
func (f *Files) Get(ctx context.Context, id string) ([]byte, error) {
	sum, ok := fileSum(id)
	if !ok {
		return nil, fmt.Errorf("read kept file %q: not a kept file's id: %w", id, ErrFileNotKept)
	}
	data, err := f.rdb.Get(ctx, keptFileKey(sum)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read kept file %s: %w", id, ErrFileNotKept)
	}
	if err != nil {
		return nil, fmt.Errorf("read kept file %s: %w", id, err)
	}
	return data, nil
}

// ChannelID is what channel calls the kept file id (a Telegram file_id,
// a WhatsApp upload), as SetChannelID noted it; "" when it has no name
// there (yet, or any more).
func (f *Files) ChannelID(ctx context.Context, id, channel string) (string, error) {
	sum, ok := fileSum(id)
	if !ok {
		return "", fmt.Errorf("read %s id of kept file %q: not a kept file's id", channel, id)
	}
	native, err := f.rdb.Get(ctx, channelFileKey(sum, channel)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s id of kept file %s: %w", channel, id, err)
	}
	return native, nil
}

// SetChannelID notes, for ChannelFileTTL, that channel calls the kept file
// id native: it was sent there before, or came from there.
func (f *Files) SetChannelID(ctx context.Context, id, channel, native string) error {
	sum, ok := fileSum(id)
	if !ok {
		return fmt.Errorf("note %s id of kept file %q: not a kept file's id", channel, id)
	}
	if err := f.rdb.Set(ctx, channelFileKey(sum, channel), native, ChannelFileTTL).Err(); err != nil {
		return fmt.Errorf("note %s id of kept file %s: %w", channel, id, err)
	}
	return nil
}
