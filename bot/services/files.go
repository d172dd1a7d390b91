package services

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// Downloader fetches a file a user sent on a channel.
type Downloader interface {
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

// MaxRosterFile bounds a roster sent in chat.
const MaxRosterFile = 5 << 20

// TooBig is the status of a file over a limit; its field reason says which.
const TooBig = "too_big"

// rosterImportDocument: args file_id, file_name. A coordinator's roster
// file; the rows of their area are imported, the rest reported. A file over
// MaxRosterFile or ImportLimits is refused before it is read, naming the
// limit. Statuses: ok (report), skipped (report: no row was the caller's to
// import), forbidden, unreadable, too_big (reason).
func (s *Services) rosterImportDocument(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, data, refused, err := s.coordinatorSheet(ctx, c)
	if err != nil || refused != nil {
		return *refused, err
	}
	people, bad, err := s.ImportLimits.Parse(bytes.NewReader(data), c.Args["file_name"])
	var le *roster.LimitError
	if errors.As(err, &le) {
		s.Logger.Info("roster file refused", "by", maskPhone(me.Phone), "limit", le.Kind, "err", err)
		return result(TooBig, "reason", s.limitText(c, le)), nil
	}
	if err != nil {
		return result("unreadable"), nil
	}
	var keep []roster.Person
	var skipped []string
	for _, e := range bad {
		if c.Lang == "en" {
			skipped = append(skipped, e.Error())
		} else {
			skipped = append(skipped, e.Hindi())
		}
	}
	// A row rewrites whoever has its phone: the person stored now must be
	// the caller's to change too, or a row could move someone of another
	// area (or an admin) into the caller's and change their role.
	phones := make([]string, len(people))
	for i, p := range people {
		phones[i] = p.Phone
	}
	stored, err := s.Roster.People(ctx, phones)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("import roster file: %w", err)
	}
	for _, p := range people {
		old, had := stored[p.Phone]
		switch {
		case (p.IsAdmin() || had && old.IsAdmin()) && !me.IsAdmin():
			skipped = append(skipped, s.text(c, "import.admin_row", map[string]string{"name": p.Name}))
		case !sc.ContainsAll(p) || had && !sc.ContainsAll(old): // an officer of two bodies is changed by a coordinator of both
			skipped = append(skipped, s.text(c, "import.outside", map[string]string{"name": p.Name}))
		default:
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return result("skipped", "report", s.importReport(c, 0, roster.Result{}, skipped)), nil
	}
	res, err := s.Roster.Import(ctx, keep, false)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("import roster file: %w", err)
	}
	s.Logger.Info("roster imported from chat", "by", maskPhone(me.Phone), "rows", len(keep), "skipped", len(skipped))
	return result(OK, "report", s.importReport(c, len(keep), res, skipped)), nil
}

// coordinatorSheet fetches the sheet (args file_id) a coordinator sent,
// of at most MaxRosterFile, with who they are and their scope. When
// it cannot, refused is the call's result: forbidden (not a
// coordinator), unreadable, or too_big (reason); err is Redis's, and
// then refused is an empty result.
func (s *Services) coordinatorSheet(ctx context.Context, c flows.Call) (me roster.Person, sc roster.Scope, data []byte, refused *flows.CallResult, err error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil {
		return me, sc, nil, &flows.CallResult{}, err
	}
	if !ok {
		r := result(Forbidden)
		return me, sc, nil, &r, nil
	}
	data, refused = s.downloadSheet(ctx, c)
	return me, sc, data, refused, nil
}

// downloadSheet fetches the sheet a user sent (args file_id), of at most
// MaxRosterFile. When it cannot, refused is the call's result:
// unreadable, or too_big (reason).
func (s *Services) downloadSheet(ctx context.Context, c flows.Call) (data []byte, refused *flows.CallResult) {
	dl := s.Files[c.Channel]
	if dl == nil {
		r := result("unreadable")
		return nil, &r
	}
	data, err := dl.Download(ctx, c.Args["file_id"], MaxRosterFile)
	if errors.Is(err, bot.ErrFileTooLarge) {
		r := result(TooBig, "reason", s.text(c, "import.file_too_big", map[string]string{"max": roster.Size(MaxRosterFile)}))
		return nil, &r
	}
	if err != nil {
		s.Logger.Warn("sheet not downloaded", "channel", c.Channel, "err", err)
		r := result("unreadable")
		return nil, &r
	}
	return data, nil
}

// importReport tells a coordinator what their roster file did.
func (s *Services) importReport(c flows.Call, kept int, res roster.Result, skipped []string) string {
	n := strconv.Itoa
	report := s.text(c, "import.report", map[string]string{
		"imported": n(kept), "added": n(res.Added), "updated": n(res.Updated), "unchanged": n(res.Unchanged),
	})
	if len(skipped) > 0 {
		report += "\n" + s.text(c, "import.skipped", nil) + "\n" + strings.Join(skipped, "\n")
	}
	return report
}

// limitText names the limit a file is over, in the caller's language.
func (s *Services) limitText(c flows.Call, le *roster.LimitError) string {
	switch le.Kind {
	case roster.LimitRows:
		return s.text(c, "import.too_many_rows", map[string]string{"max": strconv.FormatInt(le.Limit, 10)})
	case roster.LimitRatio:
		return s.text(c, "import.too_packed", map[string]string{"max": strconv.FormatInt(le.Limit, 10)})
	}
	return s.text(c, "import.too_big", map[string]string{"max": roster.Size(le.Limit)})
}

// coordExport: args arg (a training id, or empty for the coordinator's
// latest). The training's Excel sheet, base64 in file_data. Statuses: ok,
// forbidden, none.
func (s *Services) coordExport(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	ts, err := s.myTrainings(ctx, me, sc, pickedID(c.Args["arg"]))
	if err != nil {
		return flows.CallResult{}, err
	}
	if len(ts) == 0 {
		return result(None), nil
	}
	t := ts[len(ts)-1] // the latest by first day
	rows, err := s.Trainings.Rows(ctx, t.ID)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("export rows: %w", err)
	}
	var buf bytes.Buffer
	lang := c.Lang
	if lang != "en" {
		lang = "hi"
	}
	opts := training.ExportOptions{Designations: s.designations(), By: sc.Below(), Now: c.Now, Channels: s.Identity.Channels}
	if err := opts.ExportPaged(ctx, &buf, "xlsx", lang, t, rows, s.Roster.People); err != nil {
		return flows.CallResult{}, fmt.Errorf("export: %w", err)
	}
	return result(OK, "file_data", base64.StdEncoding.EncodeToString(buf.Bytes()),
		"file_name", "saathi-"+t.ID+".xlsx", "title", t.Title), nil
}
