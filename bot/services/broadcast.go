package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// Audience says whom a broadcast goes to: a training's invitees (Segment
// "all"), those who confirmed ("yes"), are not sure ("maybe"), declined
// ("no"), have not answered ("silent") or checked in on any day
// ("attended"); or the people a roster filter selects (a list of phones
// too: "phone=…|…").
type Audience struct {
	Training, Segment string
	Filter            string
}

func (a Audience) String() string {
	if a.Training != "" {
		return "training=" + a.Training + ",segment=" + a.Segment
	}
	return a.Filter
}

// Segments are the segments of a training's invitees an audience may name.
var segments = []string{"all", training.StatusYes, training.StatusMaybe, training.StatusNo, "silent", segmentAttended}

// segmentAttended is the segment of those who checked in on any day.
const segmentAttended = "attended"

// segmentAliases are more names of segments: the words of the RSVP
// answers as people say them.
var segmentAliases = map[string]string{
	"declined": training.StatusNo, "notsure": training.StatusMaybe, "not_sure": training.StatusMaybe, "not-sure": training.StatusMaybe,
	"confirmed": training.StatusYes, "present": segmentAttended,
}

// inSegment tells whether an invitee with RSVP status st is in segment seg.
func inSegment(seg, st string) bool {
	switch seg {
	case "all":
		return true
	case "silent":
		return st == training.StatusInvited
	}
	return seg == st
}

// ParseAudience reads the CLI's --to ("role=pradhan,block=मैथा", or
// "training=t1,segment=yes"), designations by ds (nil: the built-in ones).
func ParseAudience(ds *roster.Designations, s string) (Audience, error) {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(s), "training="); ok {
		id, seg, _ := strings.Cut(rest, ",segment=")
		if seg == "" {
			seg = "all"
		}
		if alias, ok := segmentAliases[strings.ToLower(seg)]; ok {
			seg = alias
		}
		if !slices.Contains(segments, seg) {
			return Audience{}, fmt.Errorf("segment %q: want one of %s", seg, strings.Join(segments, ", "))
		}
		return Audience{Training: id, Segment: seg}, nil
	}
	if ds == nil {
		ds = roster.BuiltinDesignations()
	}
	f, err := ds.ParseFilter(s)
	if err != nil {
		return Audience{}, err
	}
	if err := f.Check(roster.Scope{Level: roster.LevelAll}); errors.Is(err, roster.ErrWardWithoutBody) {
		return Audience{}, fmt.Errorf("%s: %w", s, err) // everyone ("") is a broadcast to the whole roster
	}
	return Audience{Filter: s}, nil
}

// recipients resolves an audience, inside scope sc.
func (s *Services) recipients(ctx context.Context, sc roster.Scope, a Audience) ([]string, error) {
	if a.Training != "" && a.Segment == segmentAttended {
		out, err := s.Trainings.Attended(ctx, a.Training)
		if err != nil {
			return nil, fmt.Errorf("read attendance: %w", err)
		}
		return out, nil
	}
	if a.Training != "" {
		inv, err := s.Trainings.Invitees(ctx, a.Training)
		if err != nil {
			return nil, fmt.Errorf("read invitees: %w", err)
		}
		var out []string
		for phone, st := range inv {
			if inSegment(a.Segment, st) {
				out = append(out, phone)
			}
		}
		slices.Sort(out)
		return out, nil
	}
	f, err := s.designations().ParseFilter(a.Filter)
	if err != nil {
		return nil, err
	}
	if f.Check(sc) == roster.ErrWholeRoster { // everyone: the whole roster, read a page at a time
		var out []string
		if err := s.Roster.EachIn(ctx, sc, f, func(page []roster.Person) error {
			for _, p := range page {
				out = append(out, p.Phone)
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("select recipients: %w", err)
		}
		slices.Sort(out)
		return slices.Compact(out), nil
	}
	people, err := s.Roster.SelectIn(ctx, sc, f)
	if err != nil {
		return nil, fmt.Errorf("select recipients: %w", err)
	}
	out := make([]string, 0, len(people))
	for _, p := range people {
		out = append(out, p.Phone)
	}
	return out, nil
}

// AudiencePreview is who a broadcast to an audience would reach, sending
// nothing: the phones it would go to, in the order it would send, how
// many of the audience opted out (left out), and the first few of those
// it would reach.
func (s *Services) AudiencePreview(ctx context.Context, sc roster.Scope, a Audience, first int) (phones []string, optedOut int, firsts []roster.Person, err error) {
	phones, err = s.recipients(ctx, sc, a)
	if err != nil {
		return nil, 0, nil, err
	}
	if phones, optedOut, err = s.OptOut.Keep(ctx, phones); err != nil {
		return nil, 0, nil, fmt.Errorf("broadcast preview: %w", err)
	}
	head := phones[:min(first, len(phones))]
	people, err := s.Roster.People(ctx, head)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("broadcast preview: %w", err)
	}
	for _, p := range head {
		if person, ok := people[p]; ok {
			firsts = append(firsts, person)
		}
	}
	return phones, optedOut, firsts, nil
}

// DefaultHold is how long a broadcast waits for a recipient who has no
// chat yet: they get it when they first write within it, not after.
const DefaultHold = 7 * 24 * time.Hour

// Broadcast sends text to an audience: one event per recipient, applied in
// their chat. A person with no chat yet is counted as such and the copy is
// held for them until creator.Expires (zero: DefaultHold from now), to be
// delivered once when they first write.
// from names the sender in the message; creator is told when all copies
// are accounted for.
func (s *Services) Broadcast(ctx context.Context, sc roster.Scope, a Audience, text, from string, creator broadcast.Broadcast, now time.Time) (broadcast.Broadcast, error) {
	phones, err := s.recipients(ctx, sc, a)
	if err != nil {
		return broadcast.Broadcast{}, err
	}
	// Those who said "बंद करो" are left out, and counted.
	phones, creator.OptedOut, err = s.OptOut.Keep(ctx, phones)
	if err != nil {
		return broadcast.Broadcast{}, fmt.Errorf("broadcast: %w", err)
	}
	creator.Text, creator.Audience, creator.Total, creator.At = text, a.String(), len(phones), now
	if creator.Expires.IsZero() {
		creator.Expires = now.Add(DefaultHold)
	}
	b, err := s.Broadcasts.Create(ctx, creator)
	if err != nil {
		return b, err
	}
	const batch = 1000
	for i := 0; i < len(phones); i += batch {
		evs := make([]events.Event, 0, batch)
		for _, p := range phones[i:min(i+batch, len(phones))] {
			evs = append(evs, events.Event{ID: "bc:" + b.ID + ":" + p, Phone: p, Flow: "broadcast", Expires: creator.Expires.Unix(), Bulk: true,
				Vars: map[string]string{"broadcast": b.ID, "phone": p, "from": from}}) // the text is the broadcast's (broadcast.content)
		}
		if err := s.publish(ctx, evs...); err != nil {
			return b, err
		}
	}
	if len(phones) == 0 {
		s.done(ctx, b.ID)
	}
	s.Logger.Info("broadcast queued", "id", b.ID, "recipients", len(phones), "opted_out", b.OptedOut, "audience", a.String())
	return b, nil
}

// Delivered counts a tagged reply's delivery ("bc:<id>:<phone>"); it is the
// dispatcher's OnDelivered.
func (s *Services) Delivered(ctx context.Context, d bot.Delivery) {
	rest, ok := strings.CutPrefix(d.Tag, "bc:")
	id, phone, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return
	}
	outcome := map[string]string{bot.Sent: broadcast.Sent, bot.Blocked: broadcast.Blocked, bot.Failed: broadcast.Failed}[d.Outcome]
	s.record(ctx, id, phone, outcome)
}

// NoChat counts a broadcast copy for someone with no chat; it is the event
// router's NoChat.
func (s *Services) NoChat(ctx context.Context, ev events.Event) error {
	if id := ev.Vars["broadcast"]; id != "" {
		return s.record(ctx, id, ev.Phone, broadcast.NoChat)
	}
	return nil
}

// OptedOut tells whether the person of a bulk event (a broadcast copy, a
// nudge) has opted out by now; a broadcast copy not sent for it is counted
// as stopped.
func (s *Services) OptedOut(ctx context.Context, ev events.Event) (bool, error) {
	out, err := s.OptOut.Is(ctx, ev.Phone)
	if err != nil || !out {
		return false, err
	}
	if id := ev.Vars["broadcast"]; id != "" {
		if err := s.record(ctx, id, ev.Phone, broadcast.Stopped); err != nil {
			return true, err
		}
	}
	return true, nil
}

func (s *Services) record(ctx context.Context, id, phone, outcome string) error {
	_, done, err := s.Broadcasts.Record(ctx, id, phone, outcome)
	if errors.Is(err, broadcast.ErrNotFound) {
		return nil
	}
	if err != nil {
		s.Logger.Warn("broadcast delivery not counted", "broadcast", id, "err", err)
		return err
	}
	if done {
		s.done(ctx, id)
	}
	return nil
}

// done tells the creator of a broadcast how it went.
func (s *Services) done(ctx context.Context, id string) {
	b, c, err := s.Broadcasts.Get(ctx, id)
	if err != nil || b.Channel == "" {
		return
	}
	n := strconv.Itoa
	err = s.publish(ctx, events.Event{ID: "bcdone:" + id, Channel: b.Channel, User: b.User, Flow: "broadcast_done", Vars: map[string]string{
		"total": n(c.Total), "sent": n(c.Sent), "blocked": n(c.Blocked), "failed": n(c.Failed), "nochat": n(c.NoChat),
		"optedout": optedOutVar(b.OptedOutWith(c)),
	}})
	if err != nil {
		s.Logger.Warn("broadcast report not queued", "broadcast", id, "err", err)
	}
}

// chatAudience reads the audience the broadcast flow asked for: target
// all|yes|maybe|no|silent|attended (of the training the training arg
// names — chosen in chat — else the coordinator's latest), role (with
// designation or role, and place) or list (phones: a list read by
// audience.read_list).
func (s *Services) chatAudience(ctx context.Context, me roster.Person, sc roster.Scope, args map[string]string) (Audience, string, error) {
	switch target := args["target"]; {
	case target == "list":
		if strings.TrimSpace(args["phones"]) == "" {
			return Audience{}, "", nil
		}
		return Audience{Filter: listFilter(sc, args["phones"])}, "", nil
	case !slices.Contains(segments, target) && target != "role":
		return Audience{}, "", nil
	}
	if args["target"] == "role" {
		who, ok := s.whoTerm(args["designation"], args["role"])
		if !ok {
			return Audience{}, "", nil
		}
		filter, _, err := s.inviteFilter(ctx, sc, who, strings.TrimSpace(args["place"]))
		if err != nil {
			return Audience{}, "", err
		}
		return Audience{Filter: filter}, "", nil
	}
	ts, err := s.myTrainings(ctx, me, sc, pickedID(args["training"]))
	if err != nil || len(ts) == 0 {
		return Audience{}, "", err
	}
	t := ts[len(ts)-1]
	return Audience{Training: t.ID, Segment: args["target"]}, t.Title, nil
}

// broadcastPreview: args target, role, place. Statuses: ok (count, title,
// reach: how many get it now on Telegram and on WhatsApp, how many are
// held until they first write and until when, by place: ReachPreview),
// none, forbidden.
func (s *Services) broadcastPreview(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	a, title, err := s.chatAudience(ctx, me, sc, c.Args)
	var bad badFilter
	if errors.As(err, &bad) {
		return result(None), nil
	}
	if err != nil {
		return flows.CallResult{}, err
	}
	if a == (Audience{}) {
		return result(None), nil
	}
	phones, optedOut, _, err := s.AudiencePreview(ctx, sc, a, 0)
	if err != nil {
		return flows.CallResult{}, err
	}
	if len(phones) == 0 && optedOut == 0 {
		return result(None), nil
	}
	links := "" // a training's links can be had in chat, a filter's on the command line
	if a.Training != "" {
		links = ChatLinksCommand(c.Lang, a.Training)
	}
	reach, err := s.ReachPreview(ctx, c.Lang, phones, sc.Below(), c.Now.Add(DefaultHold), c.Now, links)
	if err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "count", strconv.Itoa(len(phones)), "training_title", title, "optedout", optedOutVar(optedOut), "reach", reach), nil
}

// broadcastContent: args broadcast. What the broadcast says, kept once
// in it rather than in each copy. Statuses: ok (text, file_id,
// file_name), none (a broadcast gone: a copy queued before keeps its own).
func (s *Services) broadcastContent(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	text, fileID, fileName, ok, err := s.Broadcasts.Content(ctx, c.Args["broadcast"])
	if err != nil || !ok {
		return result(None), err
	}
	return result(OK, "text", text, "file_id", fileID, "file_name", fileName), nil
}

// broadcastSend: args target, role, place, text. Statuses: ok (count), none, forbidden.
func (s *Services) broadcastSend(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	// The same message computed twice sends once: Call gives this call's
	// result back the second time.
	a, _, err := s.chatAudience(ctx, me, sc, c.Args)
	var bad badFilter
	if errors.As(err, &bad) {
		return result(None), nil
	}
	if err != nil || a == (Audience{}) {
		return result(None), err
	}
	// The attachment goes to people on every channel: kept once, here.
	fileID, fileNote, err := s.keepFile(ctx, c, c.Args["file_id"])
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("broadcast: %w", err)
	}
	b, err := s.Broadcast(ctx, sc, a, c.Args["text"], me.Name, broadcast.Broadcast{CreatedBy: me.Phone, Channel: c.Channel, User: c.User, Lang: c.Lang,
		FileID: fileID, FileName: c.Args["file_name"]}, c.Now)
	if err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "count", strconv.Itoa(b.Total), "broadcast_id", b.ID, "file_note", fileNote), nil
}

// keepFile keeps the file fileID, sent on the caller's channel, for
// sending on every channel: it is downloaded once (s.Files of the channel),
// kept in s.KeptFiles, and fileID noted as the channel's own id of it, so
// that it goes on there as before, by that id. It returns the kept file's
// id. When the file cannot be kept (more than store.MaxKeptFile, no
// downloader, the download failed) it returns fileID itself, which only
// that channel can send, and a note saying so to the caller. Errors are
// Redis's, or ctx's.
func (s *Services) keepFile(ctx context.Context, c flows.Call, fileID string) (id, note string, err error) {
	if fileID == "" || store.IsFileRef(fileID) || s.KeptFiles == nil {
		return fileID, "", nil
	}
	only := func(why string, err error) (string, string, error) {
		s.Logger.Warn("file not kept: it reaches its own channel only", "channel", c.Channel, "why", why, "err", err)
		return fileID, s.text(c, "broadcast.file_one_channel", map[string]string{"channel": channelName(c.Channel)}), nil
	}
	dl := s.Files[c.Channel]
	if dl == nil {
		return only("no downloader for the channel", nil)
	}
	data, err := dl.Download(ctx, fileID, store.MaxKeptFile)
	if ctx.Err() != nil {
		return "", "", fmt.Errorf("download attachment: %w", ctx.Err())
	}
	if err != nil {
		return only("download", err)
	}
	if len(data) == 0 {
		return only("empty file", nil)
	}
	if id, err = s.KeptFiles.Put(ctx, data); err != nil {
		return "", "", err
	}
	if err := s.KeptFiles.SetChannelID(ctx, id, c.Channel, fileID); err != nil {
		return "", "", err
	}
	return id, "", nil
}

// channelName is how a channel is called in messages.
func channelName(channel string) string {
	switch channel {
	case "telegram":
		return "Telegram"
	case "whatsapp":
		return "WhatsApp"
	}
	return channel
}

// Poster shows and updates a progress message on a channel.
type Poster interface {
	// Post sends text to user and returns the message's id in the chat.
	Post(ctx context.Context, user, text string) (string, error)
	// Edit replaces the text of message id in user's chat.
	Edit(ctx context.Context, user, id, text string) error
	// EditPace says how the channel wants a progress message changed: at
	// most once every `every` (0: whenever its numbers change; the final
	// numbers go at once all the same), and only within `window` of its
	// posting (0: for ever), after which a new message is posted instead.
	EditPace() (every, window time.Duration)
}

// settleGrace is how long a broadcast stays on the active list once
// nothing is pending and the final numbers have not been shown: long
// enough for the process that has its creator's channel (every process
// looks every few seconds) to show them and finish it; after it, any
// process finishes it, so that a broadcast whose channel no process can
// show progress on (or whose final edit keeps failing) is not looked at
// for ever.
const settleGrace = time.Minute

// ShowProgress updates the progress message of each active broadcast in
// its creator's chat: one message, edited as copies go out, as often as
// its channel's Poster wants, and left with the final numbers when nothing
// is pending. One process does it at a time.
func (s *Services) ShowProgress(ctx context.Context) error {
	ids, err := s.Broadcasts.Active(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.showProgress(ctx, id); err != nil {
			s.Logger.Warn("broadcast progress", "broadcast", id, "err", err)
		}
	}
	return nil
}

func (s *Services) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Services) showProgress(ctx context.Context, id string) error {
	b, c, err := s.Broadcasts.Get(ctx, id)
	if errors.Is(err, broadcast.ErrNotFound) {
		return s.Broadcasts.Finish(ctx, id)
	}
	if err != nil {
		return err
	}
	now := s.now()
	final := c.Pending() == 0
	if final {
		since, err := s.Broadcasts.Settled(ctx, id, now)
		if err != nil {
			return err
		}
		if now.Sub(since) >= settleGrace {
			return s.Broadcasts.Finish(ctx, id)
		}
	}
	poster := s.Posters[b.Channel]
	if poster == nil {
		return nil // another process's channel, or none's: settleGrace ends it
	}
	unlock, ok, err := s.Broadcasts.LockProgress(ctx, id, 10*time.Second)
	if err != nil || !ok {
		return err
	}
	defer unlock()
	n := strconv.Itoa
	lang := b.Lang
	if lang == "" {
		lang = "hi"
	}
	text := s.Messages.Text(lang, "broadcast.progress", map[string]string{
		"total": n(c.Total), "sent": n(c.Sent), "pending": n(c.Pending()), "failed": n(c.Failed),
		"blocked": n(c.Blocked), "nochat": n(c.NoChat),
	})
	if out := b.OptedOutWith(c); out > 0 {
		text += "\n" + s.Messages.Text(lang, "optout.skipped_done", map[string]string{"optedout": n(out)})
	}
	p, err := s.Broadcasts.ProgressMessage(ctx, id)
	if err != nil {
		return err
	}
	if p.Msg == "" || text != p.Text {
		every, window := poster.EditPace()
		switch {
		case p.Msg != "" && !final && now.Sub(p.Edited) < every:
			return nil // not yet: the channel wants fewer edits
		case p.Msg == "" || window > 0 && now.Sub(p.Posted) >= window:
			// The first message, or the old one can no longer be edited.
			msg, err := poster.Post(ctx, b.User, text)
			if err != nil {
				return fmt.Errorf("post progress: %w", err)
			}
			p = broadcast.Progress{Msg: msg, Posted: now}
		default:
			if err := poster.Edit(ctx, b.User, p.Msg, text); err != nil {
				return fmt.Errorf("edit progress: %w", err)
			}
		}
		p.Text, p.Edited = text, now
		if err := s.Broadcasts.SetProgressMessage(ctx, id, p); err != nil {
			return err
		}
	}
	if final {
		return s.Broadcasts.Finish(ctx, id)
	}
	return nil
}
