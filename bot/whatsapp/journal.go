package whatsapp

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/saathi-bot/saathi/flows"
)

// Journal keeps the messages whose Handle failed (the dispatcher could
// neither apply them nor set them aside: Redis down) until they are
// applied, in a SQL database: the WhatsApp session's own (SQLite or
// Postgres), which must be durable anyway. A message is written here before
// HandleEvent returns, and so before whatsmeow acknowledges it to WhatsApp.
//
// Why not let WhatsApp redeliver: in the pinned whatsmeow a handler added
// with AddEventHandlerWithSuccessStatus that returns false only makes
// decryptMessages return before sending the receipt; the server sends the
// message again at the next connection at best, and by then the Signal
// session has moved past it (ErrOldCounter: ignored, then acknowledged)
// unless the decrypted-event buffer is on. Nothing brings it back while the
// connection stays up.
type Journal struct {
	db *sql.DB
}

// journalTable is the journal's table in the session database.
const journalTable = "saathi_whatsapp_pending"

// OpenJournal makes the journal's table in db if it is not there yet.
func OpenJournal(ctx context.Context, db *sql.DB) (*Journal, error) {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+journalTable+` (
		id   TEXT PRIMARY KEY,
		seq  BIGINT NOT NULL,
		data TEXT NOT NULL
	)`)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: open journal: %w", err)
	}
	return &Journal{db: db}, nil
}

// pending is one kept message: the input, and what its read receipt needs.
type pending struct {
	Input  flows.Input `json:"input"`
	Chat   types.JID   `json:"chat"`
	Sender types.JID   `json:"sender"`
}

func (p pending) key() string { return p.Input.User + ":" + p.Input.ID }

// put keeps p; a message kept already stays as it was.
func (j *Journal) put(ctx context.Context, p pending) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("whatsapp: journal message %s: %w", p.Input.ID, err)
	}
	_, err = j.db.ExecContext(ctx, `INSERT INTO `+journalTable+` (id, seq, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		p.key(), time.Now().UnixNano(), string(data))
	if err != nil {
		return fmt.Errorf("whatsapp: journal message %s: %w", p.Input.ID, err)
	}
	return nil
}

// remove forgets p, once applied.
func (j *Journal) remove(ctx context.Context, p pending) error {
	if _, err := j.db.ExecContext(ctx, `DELETE FROM `+journalTable+` WHERE id = $1`, p.key()); err != nil {
		return fmt.Errorf("whatsapp: remove message %s from the journal: %w", p.Input.ID, err)
	}
	return nil
}

// list is every kept message, in the order they were kept.
func (j *Journal) list(ctx context.Context) ([]pending, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT data FROM `+journalTable+` ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: read journal: %w", err)
	}
	defer rows.Close()
	var out []pending
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("whatsapp: read journal: %w", err)
		}
		var p pending
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return nil, fmt.Errorf("whatsapp: read journal: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("whatsapp: read journal: %w", err)
	}
	return out, nil
}

// Pending is how many messages the journal holds.
func (j *Journal) Pending(ctx context.Context) (int, error) {
	var n int
	if err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+journalTable).Scan(&n); err != nil {
		return 0, fmt.Errorf("whatsapp: count journal: %w", err)
	}
	return n, nil
}
