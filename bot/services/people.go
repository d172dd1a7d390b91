package services

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
)

func registrationKey(phone string) string { return "saathi:registration:" + phone }
func chatRegistrationKey(channel, user string) string {
	return "saathi:registration:chat:" + channel + ":" + user
}

// caller finds the roster person behind the calling chat. On WhatsApp the
// chat is the number, so a rostered number links itself.
func (s *Services) caller(ctx context.Context, c flows.Call) (roster.Person, bool, error) {
	return s.callerWith(ctx, c, nil)
}

// callerWith is caller with the caller's own commands (with) sent in the
// round trip that reads the chat's link.
func (s *Services) callerWith(ctx context.Context, c flows.Call, with func(redis.Pipeliner)) (roster.Person, bool, error) {
	phone, err := s.Identity.PhoneWith(ctx, c.Channel, c.User, with)
	if err != nil {
		return roster.Person{}, false, err
	}
	switch {
	case phone != "":
	case c.Channel == "whatsapp":
		phone = "+" + c.User
	case c.Channel == "console": // `saathi chat --user 9018159083` is that person
		phone, _ = roster.NormalizePhone(c.User)
	}
	if phone == "" {
		return roster.Person{}, false, nil
	}
	p, ok, err := s.Roster.Get(ctx, phone)
	if err != nil || !ok {
		return roster.Person{}, false, err
	}
	return p, true, nil
}

// personFields are what flows know of a linked person. "coordinator" only
// changes what a greeting lists: no flow may take it for a right, which
// person.rights (and every coordinator call) reads from the roster when it
// is used.
func personFields(p roster.Person) []string {
	coord := ""
	if p.IsCoordinator() || p.IsAdmin() {
		coord = "yes"
	}
	return []string{"person", p.Phone, "name", p.Name, "person_role", p.Role, "coordinator", coord, "gender", p.Gender}
}

// linked finishes a link: the chat is the person's, and what waited for
// them (invitations sent before they wrote) comes now.
func (s *Services) linked(ctx context.Context, c flows.Call, p roster.Person) (flows.CallResult, error) {
	prev, err := s.Identity.Relink(ctx, c.Channel, c.User, p.Phone)
	if err != nil {
		return flows.CallResult{}, err
	}
	// A chat newly a coordinator's gets their longer menu now; one that was
	// someone else's may lose it.
	if prev != p.Phone && (p.IsCoordinator() || prev != "") {
		if err := s.touchMenus(ctx, identity.Chat{Channel: c.Channel, User: c.User}); err != nil {
			return flows.CallResult{}, err
		}
	}
	if _, err := s.Events.Release(ctx, p.Phone); err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, personFields(p)...), nil
}

// personLookup: args start (a /start payload, maybe an invite token),
// confirmed ("yes": the person said the token's name is theirs).
// Statuses: ok, pending, token_unknown (no such token, or revoked),
// token_taken, confirm (a WhatsApp code from a number not the person's:
// ask whether they are c_name; the token is in code), new_number (a
// WhatsApp sender not on the roster: the number is known), not_found.
// Every result clears start, so that a token is used once per /start.
func (s *Services) personLookup(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	r, err := s.lookupPerson(ctx, c)
	if err == nil {
		r.Fields["start"] = ""
	}
	return r, err
}

func (s *Services) lookupPerson(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	if tok := c.Args["start"]; tok != "" {
		if r, ask, err := s.confirmCode(ctx, c, tok); err != nil || ask {
			return r, err
		}
		phone, err := s.Identity.Redeem(ctx, tok, c.Channel, c.User)
		switch {
		case errors.Is(err, identity.ErrUnknownToken), errors.Is(err, identity.ErrRevokedToken):
			return result("token_unknown"), nil
		case errors.Is(err, identity.ErrTokenTaken):
			return result("token_taken"), nil
		case err != nil:
			return flows.CallResult{}, fmt.Errorf("redeem invite token: %w", err)
		}
		if p, ok, err := s.Roster.Get(ctx, phone); err != nil {
			return flows.CallResult{}, fmt.Errorf("look up person: %w", err)
		} else if ok {
			s.Logger.Info("invite token redeemed", "channel", c.Channel, "phone", maskPhone(phone))
			return s.linked(ctx, c, p)
		}
	}
	// Whether the chat has a registration waiting is read with its link:
	// a newcomer's greeting is one round trip.
	var pending *redis.IntCmd
	p, ok, err := s.callerWith(ctx, c, func(pl redis.Pipeliner) {
		pending = pl.Exists(ctx, chatRegistrationKey(c.Channel, c.User))
	})
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up caller: %w", err)
	}
	if ok {
		return s.linked(ctx, c, p)
	}
	if pending.Val() > 0 {
		return result("pending"), nil
	}
	if c.Channel == "whatsapp" { // the number is the chat: registration need not ask it
		if phone, ok := roster.NormalizePhone("+" + c.User); ok {
			return result("new_number", "phone", phone, "phone_known", "yes"), nil
		}
	}
	return result(NotFound), nil
}

// confirmCode decides whether a WhatsApp code must be confirmed before it
// links: a code is text anyone can forward, so a number that is not the
// person's links only when they say who they are. ask is true with the
// result to return (confirm, or the token's refusal).
func (s *Services) confirmCode(ctx context.Context, c flows.Call, tok string) (r flows.CallResult, ask bool, err error) {
	if c.Channel != "whatsapp" || c.Args["confirmed"] == "yes" {
		return r, false, nil
	}
	h, err := s.Identity.Peek(ctx, tok)
	switch {
	case errors.Is(err, identity.ErrUnknownToken), errors.Is(err, identity.ErrRevokedToken):
		return result("token_unknown"), true, nil
	case err != nil:
		return r, false, fmt.Errorf("read invite token: %w", err)
	case h.Chat == c.Channel+":"+c.User || verified(c, h.Phone):
		return r, false, nil // their own number, or this chat used it before
	case h.Chat != "":
		return result("token_taken"), true, nil
	}
	p, ok, err := s.Roster.Get(ctx, h.Phone)
	if err != nil {
		return r, false, fmt.Errorf("look up person: %w", err)
	}
	if !ok {
		return result("token_unknown"), true, nil
	}
	return result("confirm", "code", strings.ToLower(tok), "c_name", p.Name), true, nil
}

// linkContact: args phone, own. Statuses: ok, unverified (a typed number
// that is on the roster: only the person's own contact may link it),
// not_found (not on the roster: register).
func (s *Services) linkContact(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	phone := c.Args["phone"]
	p, ok, err := s.Roster.Get(ctx, phone)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up person: %w", err)
	}
	if !ok {
		return result(NotFound, "phone_known", "yes"), nil // registration need not ask again
	}
	if !verified(c, phone) {
		return result("unverified"), nil
	}
	return s.linked(ctx, c, p)
}

// personRights: args need (coordinator: a coordinator or an admin; admin).
// It reads the caller's roster row now, so that a grant made or removed a
// moment ago counts at once. Statuses: ok, forbidden (on the roster
// without that right), unknown (the chat is nobody on the roster yet).
func (s *Services) personRights(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up caller: %w", err)
	}
	if !ok {
		return result(Unknown), nil
	}
	may := false
	switch c.Args["need"] {
	case "admin":
		may = me.IsAdmin()
	case "coordinator":
		_, may = me.Scope()
	}
	if !may {
		return result(Forbidden), nil
	}
	return result(OK, personFields(me)...), nil
}

// registrationSubmit keeps a registration for approval and asks the
// coordinators of the applicant's area. Args: name, role, district, body,
// ward, phone, gender (f, m, or "-" or empty for not given).
func (s *Services) registrationSubmit(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	a := c.Args
	p := roster.Person{Name: a["name"], Phone: a["phone"], Role: a["role"], District: a["district"], Body: a["body"], Ward: a["ward"], Language: c.Lang}
	if g, ok := roster.ParseGender(a["gender"]); ok {
		p.Gender = g // "" for a skipped question
	}
	// The registration goes out in the round trip that reads who approves
	// it: a plain pipeline, in this order, so that a chat never points at
	// a registration not written. The keys need not share a hash slot; a
	// cut-short write is done again with the step (its result is recorded
	// only after).
	approvers, err := s.Roster.Approvers(ctx, p, func(pl redis.Pipeliner) {
		pl.HSet(ctx, registrationKey(p.Phone), map[string]any{
			"name": p.Name, "phone": p.Phone, "role": p.Role, "district": p.District, "body": p.Body, "ward": p.Ward,
			"gender": p.Gender, "language": p.Language, "channel": c.Channel, "user": c.User, "status": "pending", "at": c.Now.Unix(),
		})
		pl.Set(ctx, chatRegistrationKey(c.Channel, c.User), p.Phone, 0)
	})
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("save registration: %w", err)
	}
	evs := make([]events.Event, 0, len(approvers))
	for _, ap := range approvers {
		evs = append(evs, events.Event{ID: "approve:" + p.Phone + ":" + ap.Phone, Phone: ap.Phone, Flow: "approve", Vars: map[string]string{"applicant": p.Phone}})
	}
	if err := s.publish(ctx, evs...); err != nil {
		return flows.CallResult{}, err
	}
	s.Logger.Info("registration submitted", "phone", maskPhone(p.Phone), "approvers", len(approvers))
	return result(OK), nil
}

// publish sends events to people: to their chats if they have any, else
// held until they write.
func (s *Services) publish(ctx context.Context, evs ...events.Event) error {
	return s.Events.Publish(ctx, evs...)
}

// registrationFor reads the registration of c.Args["applicant"] for the
// caller. refused is Forbidden when the caller is no coordinator of the
// applicant's area (an applicant's details are for them alone), NotFound
// when there is no such registration, and "" when the caller may decide.
func (s *Services) registrationFor(ctx context.Context, c flows.Call) (me roster.Person, reg map[string]string, p roster.Person, refused string, err error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return me, nil, p, Forbidden, err
	}
	reg, err = s.Redis.HGetAll(ctx, registrationKey(c.Args["applicant"])).Result()
	if err != nil {
		return me, nil, p, "", fmt.Errorf("read registration: %w", err)
	}
	if len(reg) == 0 {
		return me, nil, p, NotFound, nil
	}
	p = roster.Person{Name: reg["name"], Phone: reg["phone"], Role: reg["role"], District: reg["district"], Body: reg["body"], Ward: reg["ward"], Language: reg["language"], Gender: reg["gender"]}
	if !sc.Contains(p) {
		return me, nil, p, Forbidden, nil
	}
	return me, reg, p, "", nil
}

// registrationInfo: args applicant. Statuses: ok, decided, not_found, forbidden.
func (s *Services) registrationInfo(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	_, reg, _, refused, err := s.registrationFor(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	role := s.text(c, "role."+reg["role"], nil)
	r := result(OK, "a_name", reg["name"], "a_role", role, "a_district", reg["district"], "a_body", reg["body"], "a_ward", reg["ward"], "a_phone", locales.Phone(reg["phone"]))
	if reg["status"] != "pending" {
		r.Status = "decided"
		r.Fields["a_status"] = reg["status"]
	}
	return r, nil
}

// registrationDecide: args applicant, decision (approve|reject). Statuses:
// ok, forbidden, decided, not_found, invalid (a registration the roster
// cannot take: its number or role is not one; rejecting it still works).
func (s *Services) registrationDecide(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, reg, p, refused, err := s.registrationFor(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	if reg["status"] != "pending" {
		return result("decided", "a_status", reg["status"]), nil
	}
	decision := "rejected"
	if c.Args["decision"] == "approve" {
		if _, ok := roster.NormalizePhone(p.Phone); !ok {
			return result(Invalid), nil
		}
		if _, ok := roster.ParseRole(p.Role); !ok {
			return result(Invalid), nil
		}
		decision = "approved"
		if err := s.Roster.Put(ctx, p); err != nil {
			return flows.CallResult{}, fmt.Errorf("approve registration: %w", err)
		}
		if err := s.Identity.Link(ctx, reg["channel"], reg["user"], p.Phone); err != nil {
			return flows.CallResult{}, fmt.Errorf("approve registration: %w", err)
		}
		if p.IsCoordinator() {
			if err := s.touchMenus(ctx, identity.Chat{Channel: reg["channel"], User: reg["user"]}); err != nil {
				return flows.CallResult{}, fmt.Errorf("approve registration: %w", err)
			}
		}
	}
	// The applicant is told before the registration is marked decided: a
	// failure in between is retried and tells them again under the same
	// event id (applied once), rather than finding it decided and never
	// telling them.
	err = s.publish(ctx, events.Event{
		ID: "registration:" + p.Phone + ":" + decision, Channel: reg["channel"], User: reg["user"],
		Flow: "registration_result", Vars: map[string]string{"result": decision, "name": p.Name},
	})
	if err != nil {
		return flows.CallResult{}, err
	}
	_, err = s.Redis.TxPipelined(ctx, func(pl redis.Pipeliner) error {
		pl.HSet(ctx, registrationKey(p.Phone), "status", decision, "decided_by", me.Phone)
		pl.Del(ctx, chatRegistrationKey(reg["channel"], reg["user"]))
		return nil
	})
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("decide registration: %w", err)
	}
	return result(OK, "a_status", decision), nil
}

// adminMakeCoordinator: args phone, level (district|block|body), value.
// Statuses: ok, forbidden, not_found, invalid (no such level, or no place
// named), is_admin (an admin stays an admin).
func (s *Services) adminMakeCoordinator(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up caller: %w", err)
	}
	if !ok || !me.IsAdmin() {
		return result(Forbidden), nil
	}
	p, ok, err := s.Roster.Get(ctx, c.Args["phone"])
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up person: %w", err)
	}
	if !ok {
		return result(NotFound), nil
	}
	if strings.TrimSpace(c.Args["value"]) == "" {
		return result(Invalid), nil
	}
	if p.IsAdmin() {
		return result(IsAdmin, "c_name", p.Name), nil
	}
	p.Role = "coordinator"
	switch c.Args["level"] {
	case "district":
		p.District, p.Block, p.Body = c.Args["value"], "", ""
	case "block":
		p.Block, p.Body = c.Args["value"], ""
	case "body":
		p.Body = c.Args["value"]
	default:
		return result(Invalid), nil
	}
	if err := s.Roster.Put(ctx, p); err != nil {
		return flows.CallResult{}, fmt.Errorf("make coordinator: %w", err)
	}
	if err := s.touchPersonMenus(ctx, p.Phone); err != nil {
		return flows.CallResult{}, fmt.Errorf("make coordinator: %w", err)
	}
	return result(OK, "c_name", p.Name), nil
}
