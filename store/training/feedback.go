package training

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
)

// Feedback is what a participant said after the training.
type Feedback struct {
	Rating   int    // 1 to 5
	Module   string // the most useful module
	Missing  string // what was missing, free text
	FollowUp string // "yes", "no", or "" (not asked)
	// Experience is what they shared of what they learnt ("share your
	// experience"): a short text, and/or a voice note kept as a file
	// (ExperienceFile, a kept file's id; ExperienceFileName its name).
	Experience, ExperienceFile, ExperienceFileName string
	At                                             time.Time
}

// feedbackRecord is how feedback is kept.
type feedbackRecord struct {
	Rating   int    `json:"rating"`
	Module   string `json:"module,omitempty"`
	Missing  string `json:"missing,omitempty"`
	FollowUp string `json:"follow_up,omitempty"`
	At       int64  `json:"at"` // unix ms

	Experience         string `json:"experience,omitempty"`
	ExperienceFile     string `json:"experience_file,omitempty"`
	ExperienceFileName string `json:"experience_file_name,omitempty"`
}

func (r feedbackRecord) feedback() *Feedback {
	return &Feedback{Rating: r.Rating, Module: r.Module, Missing: r.Missing, FollowUp: r.FollowUp, At: time.UnixMilli(r.At).In(locales.IST),
		Experience: r.Experience, ExperienceFile: r.ExperienceFile, ExperienceFileName: r.ExperienceFileName}
}

// feedbackScript keeps an invitee's feedback unless the stored one is newer.
// KEYS: status, feedback. ARGV: phone, record json, at (unix ms).
const feedbackScript = `
if not redis.call('HGET', KEYS[1], ARGV[1]) then return 'notinvited' end
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old and tonumber(cjson.decode(old).at) > tonumber(ARGV[3]) then return 'ok' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 'ok'
`

// SaveFeedback keeps an invitee's feedback. A later one replaces the
// earlier; one older (by At) than the one kept is ignored, so a late
// duplicate does not undo a correction.
func (s *Store) SaveFeedback(ctx context.Context, id, phone string, f Feedback) error {
	if f.Rating < 1 || f.Rating > 5 {
		return fmt.Errorf("save feedback for %s: rating %d is not 1 to 5", id, f.Rating)
	}
	if f.FollowUp != "" && f.FollowUp != "yes" && f.FollowUp != "no" {
		return fmt.Errorf("save feedback for %s: follow-up %q is not yes or no", id, f.FollowUp)
	}
	if f.At.IsZero() {
		return fmt.Errorf("save feedback for %s: the time of the feedback is missing", id)
	}
	if !ValidID(id) {
		return fmt.Errorf("save feedback for %q: %w", id, ErrNotFound)
	}
	rec, err := json.Marshal(feedbackRecord{
		Rating: f.Rating, Module: strings.TrimSpace(f.Module), Missing: strings.TrimSpace(f.Missing),
		FollowUp: f.FollowUp, At: f.At.UnixMilli(),
		Experience: strings.TrimSpace(f.Experience), ExperienceFile: f.ExperienceFile, ExperienceFileName: f.ExperienceFileName,
	})
	if err != nil {
		return fmt.Errorf("save feedback for %s: %w", id, err)
	}
	res, err := s.feedback.Run(ctx, s.rdb, []string{subKey(id, "status"), subKey(id, "feedback")}, phone, rec, f.At.UnixMilli()).Text()
	if err != nil {
		return fmt.Errorf("save feedback for %s: %w", id, err)
	}
	if err := scriptError(res); err != nil {
		return fmt.Errorf("save feedback for %s: %w", id, err)
	}
	return nil
}
