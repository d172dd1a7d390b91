package services_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// testDB is this package's Redis database (storetest names 1 to 9).
const testDB = 10

// People of the sample roster.
const (
	sarita  = "+919018159083" // सरिता राजभर, sabhasad, नगर पंचायत अनपरा (सोनभद्र), ward 1
	rajesh  = "+919131860913" // राजेश सोनकर, same body, ward 2
	anita   = "+919082462819" // अनीता सिंह, ward 3
	rakesh  = "+919518190937" // राकेश प्रजापति, ward 4
	laxmi   = "+919543231948" // लक्ष्मी दुबे, ward 5
	hari    = "+919703423667" // हरि मौर्य, sabhasad, नगर पंचायत चोपन (सोनभद्र)
	manoj   = "+919842684656" // मनोज राजभर, नगर पंचायत चोपन
	suresh  = "+919233079244" // सुरेश कुशवाहा, नगर पंचायत चोपन
	dmm     = "+919741374847" // सुनील वर्मा, coordinator of district कानपुर देहात
	bmm     = "+919417047187" // विजय प्रजापति, coordinator of block मैथा
	eo      = "+919912845298" // विनोद गुप्ता, coordinator of body नगर पंचायत अनपरा (सोनभद्र)
	admin   = "+919760207764" // कमला तिवारी, admin
	anpara  = "नगर पंचायत अनपरा"
	chopan  = "नगर पंचायत चोपन"
	sonbhdr = "सोनभद्र"
)

type fixture struct {
	ctx context.Context
	rdb *redis.Client
	svc *services.Services
	cat *locales.Catalog
	msg int
}

// setup gives services on an empty database holding the sample roster.
func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	rdb := storetest.Redis(t, testDB, nil)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := services.New(rdb, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	return &fixture{ctx: ctx, rdb: rdb, svc: svc, cat: cat}
}

// chat is one conversation.
type chat struct{ channel, user string }

func tg(user string) chat { return chat{"telegram", user} }

func (f *fixture) link(t *testing.T, c chat, phone string) {
	t.Helper()
	if err := f.svc.Identity.Link(f.ctx, c.channel, c.user, phone); err != nil {
		t.Fatal(err)
	}
}

// call runs a service as chat c at now; every call has its own message id.
func (f *fixture) call(t *testing.T, c chat, name string, now time.Time, args map[string]string) flows.CallResult {
	t.Helper()
	f.msg++
	res, err := f.svc.Call(f.ctx, name, flows.Call{
		Channel: c.channel, User: c.user, MsgID: "m" + strconv.Itoa(f.msg), Lang: "hi", Now: now, Args: args,
	})
	if err != nil {
		t.Fatalf("%s as %s:%s: %v", name, c.channel, c.user, err)
	}
	return res
}

// files is a Downloader of fixed files, by file id.
type files map[string]string

func (fs files) Download(_ context.Context, id string, _ int64) ([]byte, error) {
	data, ok := fs[id]
	if !ok {
		return nil, fmt.Errorf("no file %q", id)
	}
	return []byte(data), nil
}

const rosterHeader = "name,phone,role,division,district,block,body,ward,shg,cluster,language\n"

// training makes a training from spec and invites whom its filter selects.
func (f *fixture) training(t *testing.T, spec training.Spec) training.Training {
	t.Helper()
	tr, err := spec.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = f.svc.Trainings.Create(f.ctx, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Invite(f.ctx, tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// published lists the events in the stream for flow, oldest first.
func (f *fixture) published(t *testing.T, flow string) []events.Event {
	t.Helper()
	msgs, err := f.rdb.XRange(f.ctx, "saathi:events", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []events.Event
	for _, m := range msgs {
		var ev events.Event
		raw, _ := m.Values["e"].(string)
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			t.Fatalf("stream entry %s: %v", m.ID, err)
		}
		if ev.Flow == flow {
			out = append(out, ev)
		}
	}
	return out
}

// snapshot is every key of the database with its type, its value read by
// type (DUMP would do, but it writes a hashtable-encoded hash or set in
// dict order, which a read may change by rehashing) and whether it expires.
func snapshot(t *testing.T, f *fixture) map[string]string {
	t.Helper()
	ctx, rdb := f.ctx, f.rdb
	out := map[string]string{}
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		typ, err := rdb.Type(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		var val any
		switch typ {
		case "string":
			val, err = rdb.Get(ctx, k).Result()
		case "hash":
			val, err = rdb.HGetAll(ctx, k).Result() // %v prints a map sorted
		case "set":
			var ms []string
			ms, err = rdb.SMembers(ctx, k).Result()
			slices.Sort(ms)
			val = ms
		case "zset":
			val, err = rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "list":
			val, err = rdb.LRange(ctx, k, 0, -1).Result()
		case "stream":
			val, err = rdb.XRange(ctx, k, "-", "+").Result()
		default:
			t.Fatalf("key %s of type %s", k, typ)
		}
		if err != nil {
			t.Fatalf("read %s: %v", k, err)
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		out[k] = fmt.Sprintf("%s %v expires=%v", typ, val, ttl > 0)
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("snapshot of an empty database: the setup wrote nothing")
	}
	return out
}

// sameKeys fails the test with every key that differs.
func sameKeys(t *testing.T, before, after map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[k]; !ok {
			t.Errorf("key %s was written", k)
		} else if before[k] != after[k] {
			t.Errorf("key %s changed", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if _, ok := after[k]; !ok {
			t.Errorf("key %s was deleted", k)
		}
	}
}

func ist(s string) time.Time {
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, locales.IST)
	if err != nil {
		panic(err)
	}
	return tm
}

func register(t *testing.T, f *fixture, c chat, name, phone, district, body string, now time.Time) {
	t.Helper()
	res := f.call(t, c, "registration.submit", now, map[string]string{
		"name": name, "role": "sabhasad", "district": district, "body": body, "ward": "9", "phone": phone,
	})
	if res.Status != services.OK {
		t.Fatalf("registration.submit: %+v", res)
	}
}

// TestCoordinatorCallsScope calls every coordinator call as a participant,
// a stranger and coordinators of another district or block: all are
// refused, nothing they could see leaks in the fields, and not one key of
// Redis changes. The same calls then work for the coordinator of the place
// and for the admin.
func TestCoordinatorCallsScope(t *testing.T) {
	f := setup(t)
	var (
		participant   = tg("1001")
		participantWA = chat{"whatsapp", strings.TrimPrefix(sarita, "+")}
		stranger      = tg("1999")
		dmmChat       = tg("2001")
		bmmChat       = tg("2002")
		eoChat        = tg("2003")
		adminChat     = tg("2004")
		applicantA    = "+919811100001"
		applicantB    = "+919811100002"
	)
	f.link(t, participant, sarita)
	f.link(t, dmmChat, dmm)
	f.link(t, bmmChat, bmm)
	f.link(t, eoChat, eo)
	f.link(t, adminChat, admin)

	tr := f.training(t, training.Spec{
		Title: "AMRUT 2.0 प्रशिक्षण", Venue: "नगर पंचायत कार्यालय, अनपरा", Start: "2026-12-10T10:00", Days: 1,
		Modules: []string{"जल आपूर्ति", "सफ़ाई"}, Invite: "role=sabhasad,body=" + anpara, CreatedBy: admin,
	})
	register(t, f, tg("3001"), "रीना यादव", applicantA, sonbhdr, anpara, ist("2026-12-01 09:00"))
	register(t, f, tg("3002"), "पूजा यादव", applicantB, sonbhdr, anpara, ist("2026-12-01 09:05"))
	now := ist("2026-12-10 10:30") // the training's check-in is open

	create := map[string]string{
		"title": "स्वच्छता प्रशिक्षण", "topic": "सफ़ाई", "venue": "टाउन हॉल, अनपरा", "date": "2026-12-20", "time": "10:00",
		"days": "2", "modules": "कचरा, नाली", "role": "sabhasad", "place": anpara,
	}
	type call struct {
		name string
		args map[string]string
	}
	var (
		code       = call{"coord.code", map[string]string{"arg": ""}}
		codeByID   = call{"coord.code", map[string]string{"arg": tr.ID}}
		status     = call{"coord.status", map[string]string{"arg": ""}}
		statusByID = call{"coord.status", map[string]string{"arg": tr.ID}}
		newT       = call{"coord.create_training", create}
		info       = call{"registration.info", map[string]string{"applicant": applicantA}}
		approve    = call{"registration.decide", map[string]string{"applicant": applicantA, "decision": "approve"}}
		reject     = call{"registration.decide", map[string]string{"applicant": applicantA, "decision": "reject"}}
		makeCoord  = call{"admin.make_coordinator", map[string]string{"phone": sarita, "level": "body", "value": anpara}}
		export     = call{"coord.export", map[string]string{"arg": ""}}
		exportByID = call{"coord.export", map[string]string{"arg": tr.ID}}
		// A newcomer of अनपरा; and a file that would move the EO and the
		// admin into कानपुर देहात as sabhasads.
		importNew      = call{"roster.import_document", map[string]string{"file_id": "new", "file_name": "new.csv"}}
		importTakeover = call{"roster.import_document", map[string]string{"file_id": "takeover", "file_name": "takeover.csv"}}
	)
	fake := files{
		"new": rosterHeader + "सुमन पाल,+919811100005,sabhasad,मिर्जापुर,सोनभद्र,," + anpara + ",9,,,hi\n",
		"takeover": rosterHeader +
			"विनोद गुप्ता,+919912845298,sabhasad,कानपुर,कानपुर देहात,मैथा,ग्राम पंचायत मैथा,,,,hi\n" +
			"कमला तिवारी,+919760207764,sabhasad,कानपुर,कानपुर देहात,मैथा,ग्राम पंचायत मैथा,,,,hi\n",
	}
	f.svc.Files = map[string]services.Downloader{"telegram": fake, "whatsapp": fake}
	all := []call{code, codeByID, status, statusByID, newT, info, approve, reject, makeCoord, export, exportByID, importNew, importTakeover}

	// A coordinator of elsewhere is told there is nothing of theirs to see
	// ("none": the same answer as for a training that does not exist, so it
	// reveals nothing) and refused whatever would act on another's area.
	// A roster file is theirs to send: its rows of other areas are skipped
	// (skipped, with a report of nobody imported).
	elsewhere := map[string]string{
		"coord.code": services.None, "coord.status": services.None, "coord.export": services.None,
		"roster.import_document": "skipped",
		"coord.create_training":  services.Forbidden, "registration.info": services.Forbidden,
		"registration.decide": services.Forbidden, "admin.make_coordinator": services.Forbidden,
	}
	callers := []struct {
		name string
		chat chat
		want map[string]string // by call name; missing: forbidden
	}{
		{"participant", participant, nil},
		{"participant on whatsapp", participantWA, nil},
		{"stranger", stranger, nil},
		{"DMM of कानपुर देहात", dmmChat, elsewhere},
		{"BMM of मैथा", bmmChat, elsewhere},
	}

	nothingImported := f.cat.Text("hi", "import.report", map[string]string{"imported": "0", "added": "0", "updated": "0", "unchanged": "0"})
	skipped := map[string][]string{
		"new": {f.cat.Text("hi", "import.outside", map[string]string{"name": "सुमन पाल"})},
		"takeover": {
			f.cat.Text("hi", "import.outside", map[string]string{"name": "विनोद गुप्ता"}),
			f.cat.Text("hi", "import.admin_row", map[string]string{"name": "कमला तिवारी"}),
		},
	}
	before := snapshot(t, f)
	for _, cl := range callers {
		for _, c := range all {
			want := services.Forbidden
			if w, ok := cl.want[c.name]; ok {
				want = w
			}
			t.Run(cl.name+"/"+c.name+"/"+c.args["arg"]+c.args["decision"]+c.args["file_id"], func(t *testing.T) {
				res := f.call(t, cl.chat, c.name, now, c.args)
				if res.Status != want {
					t.Errorf("status %q, want %q (fields %v)", res.Status, want, res.Fields)
				}
				switch {
				case want != "skipped":
					if len(res.Fields) > 0 {
						t.Errorf("a refusal gave fields %v", res.Fields)
					}
				case !strings.HasPrefix(res.Fields["report"], nothingImported):
					t.Errorf("import report %q, want nobody imported", res.Fields["report"])
				default:
					for _, line := range skipped[c.args["file_id"]] {
						if !strings.Contains(res.Fields["report"], line) {
							t.Errorf("import report %q, want it to skip %q", res.Fields["report"], line)
						}
					}
				}
			})
		}
	}
	// The coordinator of the body is no admin.
	if res := f.call(t, eoChat, makeCoord.name, now, makeCoord.args); res.Status != services.Forbidden {
		t.Errorf("admin.make_coordinator as the EO: %+v, want forbidden", res)
	}
	sameKeys(t, before, snapshot(t, f))
	if t.Failed() {
		return
	}

	// In scope, the same calls work.
	dayCode := training.Code(tr, 0)
	if dayCode == "" {
		t.Fatal("the training has no check-in code")
	}
	type check func(t *testing.T, r flows.CallResult)
	hasField := func(k, sub string) check {
		return func(t *testing.T, r flows.CallResult) {
			if !strings.Contains(r.Fields[k], sub) {
				t.Errorf("%s = %q, want it to hold %q", k, r.Fields[k], sub)
			}
		}
	}
	inScope := []struct {
		caller chat
		c      call
		want   string
		check  check
	}{
		{eoChat, code, services.OK, hasField("codes", dayCode)},
		{eoChat, codeByID, services.OK, hasField("codes", dayCode)},
		{eoChat, status, services.OK, hasField("status_text", "बुलाए गए 8 ")},
		{eoChat, statusByID, services.OK, hasField("status_text", tr.ID)},
		{eoChat, info, services.OK, hasField("a_name", "रीना यादव")},
		{eoChat, approve, services.OK, hasField("a_status", "approved")},
		{eoChat, reject, "decided", hasField("a_status", "approved")},
		{eoChat, export, services.OK, hasField("file_name", "saathi-"+tr.ID+".xlsx")}, // before the EO makes a later one
		{eoChat, newT, services.OK, hasField("invited", "9")},                         // the 8 sabhasads and रीना, just approved
		{adminChat, code, services.OK, hasField("codes", dayCode)},
		{adminChat, statusByID, services.OK, hasField("status_text", "बुलाए गए 8 ")},
		{adminChat, call{"registration.info", map[string]string{"applicant": applicantB}}, services.OK, hasField("a_name", "पूजा यादव")},
		{adminChat, call{"registration.decide", map[string]string{"applicant": applicantB, "decision": "reject"}}, services.OK, hasField("a_status", "rejected")},
		{adminChat, newT, services.OK, hasField("invited", "9")},
		{eoChat, importNew, services.OK, hasField("report", "1 लोग")},
		{adminChat, exportByID, services.OK, hasField("file_name", "saathi-"+tr.ID+".xlsx")},
		{adminChat, makeCoord, services.OK, hasField("c_name", "सरिता राजभर")},
	}
	for i, tc := range inScope {
		res := f.call(t, tc.caller, tc.c.name, now, tc.c.args)
		if res.Status != tc.want {
			t.Errorf("%d: %s as %s: status %q, want %q (%v)", i, tc.c.name, tc.caller.user, res.Status, tc.want, res.Fields)
			continue
		}
		tc.check(t, res)
	}

	// What they did is there.
	if p, ok, err := f.svc.Roster.Get(f.ctx, applicantA); err != nil || !ok || p.Name != "रीना यादव" {
		t.Errorf("approved applicant on the roster: %+v %v %v", p, ok, err)
	}
	if _, ok, _ := f.svc.Roster.Get(f.ctx, applicantB); ok {
		t.Error("the rejected applicant is on the roster")
	}
	if p, ok, _ := f.svc.Roster.Get(f.ctx, "+919811100005"); !ok || p.Body != anpara {
		t.Errorf("imported by the EO: %+v %v", p, ok)
	}
	p, _, _ := f.svc.Roster.Get(f.ctx, sarita)
	if sc, ok := p.Scope(); !ok || sc != (roster.Scope{Level: roster.LevelBody, Value: anpara}) {
		t.Errorf("सरिता made coordinator: scope %+v %v", sc, ok)
	}
	ts, err := f.svc.Trainings.List(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, x := range ts {
		if x.ID != tr.ID {
			made = append(made, x.CreatedBy)
			if !strings.Contains(x.Invite, "body="+anpara) {
				t.Errorf("training %s invites %q", x.ID, x.Invite)
			}
		}
	}
	slices.Sort(made)
	if want := []string{admin, eo}; !slices.Equal(made, want) {
		t.Errorf("trainings created by %v, want %v", made, want)
	}
}

// TestCreateTrainingPlace: the place a coordinator names is a body, a block
// or a district inside their scope; one outside is refused.
func TestCreateTrainingPlace(t *testing.T) {
	f := setup(t)
	dmmChat, bmmChat, adminChat := tg("2001"), tg("2002"), tg("2004")
	f.link(t, dmmChat, dmm)
	f.link(t, bmmChat, bmm)
	f.link(t, adminChat, admin)
	now := ist("2026-12-01 12:00")
	args := func(role, place string) map[string]string {
		return map[string]string{"title": "बैठक", "venue": "ब्लॉक कार्यालय", "date": "2026-12-20", "time": "11", "days": "1", "role": role, "place": place}
	}
	tests := []struct {
		name      string
		caller    chat
		role      string
		place     string
		want      string
		invited   string
		invitedIn string // a place every invitee is in
	}{
		{"DMM names a block of the district", dmmChat, "shg_member", "मैथा", services.OK, "12", "मैथा"},
		{"DMM names a gram panchayat", dmmChat, "pradhan", "ग्राम पंचायत मैथा", services.OK, "1", "ग्राम पंचायत मैथा"},
		{"DMM names the district", dmmChat, "pradhan", "कानपुर देहात", services.OK, "5", "कानपुर देहात"},
		{"DMM, whole scope", dmmChat, "shg_member", "", services.OK, "24", "कानपुर देहात"},
		{"BMM names another block", bmmChat, "shg_member", "रसूलाबाद", services.Forbidden, "", ""},
		{"BMM names another district's body", bmmChat, "sabhasad", chopan, services.Forbidden, "", ""},
		{"DMM names another district", dmmChat, "sabhasad", sonbhdr, services.Forbidden, "", ""},
		{"admin names a body", adminChat, "sabhasad", chopan, services.OK, "6", chopan},
		{"admin names a district", adminChat, "sabhasad", "बाराबंकी", services.OK, "6", "बाराबंकी"},
		{"nobody of that role there", dmmChat, "sabhasad", "मैथा", services.None, "", ""},
		{"no such place", adminChat, "sabhasad", "कहीं नहीं", services.None, "", ""},
		{"a comma in the place", adminChat, "sabhasad", "अनपरा, सोनभद्र", "bad", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, tc.caller, "coord.create_training", now, args(tc.role, tc.place))
			if res.Status != tc.want || res.Fields["invited"] != tc.invited {
				t.Fatalf("got %+v, want %s with %q invited", res, tc.want, tc.invited)
			}
			if tc.want != services.OK {
				return
			}
			inv, err := f.svc.Trainings.Invitees(f.ctx, res.Fields["training"])
			if err != nil {
				t.Fatal(err)
			}
			for phone := range inv {
				p, _, _ := f.svc.Roster.Get(f.ctx, phone)
				if p.Role != tc.role || (p.Body != tc.invitedIn && p.Block != tc.invitedIn && p.District != tc.invitedIn) {
					t.Errorf("invited %s (%s, %s/%s/%s)", p.Name, p.Role, p.District, p.Block, p.Body)
				}
			}
		})
	}
}

// TestCreateTrainingOnce: the same message computed twice makes one training.
func TestCreateTrainingOnce(t *testing.T) {
	f := setup(t)
	f.link(t, tg("2003"), eo)
	c := flows.Call{Channel: "telegram", User: "2003", MsgID: "42", Lang: "hi", Now: ist("2026-12-01 12:00"), Args: map[string]string{
		"title": "बैठक", "venue": "कार्यालय", "date": "2026-12-20", "time": "10:00", "days": "1", "role": "sabhasad", "place": "",
	}}
	first, err := f.svc.Call(f.ctx, "coord.create_training", c)
	if err != nil || first.Status != services.OK {
		t.Fatalf("%+v %v", first, err)
	}
	again, err := f.svc.Call(f.ctx, "coord.create_training", c)
	if err != nil || again.Status != services.OK || again.Fields["training"] != first.Fields["training"] {
		t.Fatalf("again: %+v %v; first %+v", again, err, first)
	}
	ts, _ := f.svc.Trainings.List(f.ctx)
	if len(ts) != 1 {
		t.Errorf("%d trainings", len(ts))
	}
	ids := map[string]bool{}
	for _, ev := range f.published(t, "invite") {
		ids[ev.ID] = true // a repeat is published again, under the same id: applied once
	}
	if len(ids) != 8 {
		t.Errorf("%d distinct invitations, want 8", len(ids))
	}
}

// TestEngineRefusesParticipant drives coordinator commands through the
// flows: a participant gets the Hindi refusal and nothing changes.
func TestEngineRefusesParticipant(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("2001"), dmm)
	f.link(t, tg("2003"), eo)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
	eng := flowstest.Engine(t, nil, nil).WithServices(f.svc)
	now := ist("2026-12-10 10:30")
	forbidden := f.cat.Text("hi", "coord.forbidden", nil)
	if forbidden == "" || forbidden == "coord.forbidden" {
		t.Fatalf("no Hindi refusal: %q", forbidden)
	}

	// say sends the texts in one conversation and returns the last replies.
	say := func(t *testing.T, user string, texts ...string) []flows.Reply {
		t.Helper()
		var st flows.State
		var res flows.Result
		for i, text := range texts {
			var err error
			res, err = eng.Step(f.ctx, st, flows.Input{Channel: "telegram", User: user, ID: "x" + strconv.Itoa(i), Text: text}, now)
			if err != nil {
				t.Fatal(err)
			}
			st = res.State
		}
		return res.Replies
	}
	only := func(t *testing.T, replies []flows.Reply, want string) {
		t.Helper()
		if len(replies) != 1 || replies[0].Text != want {
			t.Errorf("replies %+v, want only %q", replies, want)
		}
	}

	adminOnly := f.cat.Text("hi", "refusal.admin_only", nil)
	before := snapshot(t, f)
	for _, cmd := range []string{"/status", "/code", "/new", "/coordinator", "/status " + tr.ID, "स्थिति"} {
		t.Run("participant "+cmd, func(t *testing.T) {
			want := forbidden
			if cmd == "/coordinator" {
				want = adminOnly
			}
			only(t, say(t, "1001", cmd), want)
			only(t, say(t, "1001", "नमस्ते", cmd), want) // after main has looked them up
		})
	}
	only(t, say(t, "1999", "/status"), forbidden) // a stranger
	only(t, say(t, "2001", "/status "+tr.ID), f.cat.Text("hi", "coord.no_trainings", nil))
	only(t, say(t, "2001", "/code"), f.cat.Text("hi", "coord.no_codes", nil))
	sameKeys(t, before, snapshot(t, f))

	// The refusal is not all there is: the EO of the place sees the status.
	r := say(t, "2003", "/status")
	if len(r) != 1 || !strings.Contains(r[0].Text, tr.ID) || r[0].Text == forbidden {
		t.Errorf("EO /status: %+v", r)
	}
}

// TestPersonLookup: who a chat is, by link, number, console user or token.
func TestPersonLookup(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("2001"), dmm)
	register(t, f, tg("3001"), "रीना यादव", "+919811100001", sonbhdr, anpara, ist("2026-12-01 09:00"))
	tok, err := f.svc.Identity.Token(f.ctx, rajesh)
	if err != nil {
		t.Fatal(err)
	}
	// An invitation held for राकेश, who has no chat yet.
	if err := f.svc.Events.Hold(f.ctx, events.Event{ID: "invite:t1:" + rakesh, Phone: rakesh, Flow: "invite"}); err != nil {
		t.Fatal(err)
	}
	now := ist("2026-12-01 10:00")
	tests := []struct {
		name        string
		chat        chat
		start       string
		want        string
		person      string // the person now linked to the chat
		coordinator string
	}{
		{"linked telegram chat", tg("1001"), "", services.OK, sarita, ""},
		{"coordinator", tg("2001"), "", services.OK, dmm, "yes"},
		{"whatsapp number on the roster", chat{"whatsapp", "919018159083"}, "", services.OK, sarita, ""},
		{"console user", chat{"console", "9018159083"}, "", services.OK, sarita, ""},
		{"whatsapp number with a held invitation", chat{"whatsapp", "919518190937"}, "", services.OK, rakesh, ""},
		{"unknown chat", tg("9999"), "", services.NotFound, "", ""},
		{"unknown whatsapp number: its number is known", chat{"whatsapp", "919811100009"}, "", "new_number", "", ""},
		{"registered, waiting", tg("3001"), "", "pending", "", ""},
		{"invite token", tg("4001"), tok, services.OK, rajesh, ""},
		{"invite token again, same chat", tg("4001"), tok, services.OK, rajesh, ""},
		{"invite token, another chat", tg("4002"), tok, "token_taken", "", ""},
		{"unknown token", tg("4003"), "nosuchtoken", "token_unknown", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, tc.chat, "person.lookup", now, map[string]string{"start": tc.start})
			if res.Status != tc.want {
				t.Fatalf("status %q, want %q (%v)", res.Status, tc.want, res.Fields)
			}
			if tc.want == services.OK {
				p, _, _ := f.svc.Roster.Get(f.ctx, tc.person)
				if res.Fields["person"] != tc.person || res.Fields["name"] != p.Name || res.Fields["coordinator"] != tc.coordinator {
					t.Errorf("fields %v, want person %s (%s), coordinator %q", res.Fields, tc.person, p.Name, tc.coordinator)
				}
			}
			linked, err := f.svc.Identity.Phone(f.ctx, tc.chat.channel, tc.chat.user)
			if err != nil {
				t.Fatal(err)
			}
			if linked != tc.person && tc.want != "pending" {
				t.Errorf("chat linked to %q, want %q", linked, tc.person)
			}
		})
	}
	if held, _ := f.svc.Events.Held(f.ctx, rakesh); len(held) != 0 {
		t.Errorf("still held after linking: %v", held)
	}
	if evs := f.published(t, "invite"); len(evs) != 1 || evs[0].Phone != rakesh {
		t.Errorf("released invitations %+v", evs)
	}
}

// TestLinkContact: a shared own contact links; a typed number on the roster
// does not (anyone could type it) unless it is the WhatsApp sender's own.
func TestLinkContact(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-01 10:00")
	tests := []struct {
		name   string
		chat   chat
		phone  string
		own    string
		want   string
		fields map[string]string
		linked string
	}{
		{"own contact on the roster", tg("5001"), anita, "yes", services.OK, map[string]string{"name": "अनीता सिंह"}, anita},
		{"typed number on the roster", tg("5002"), rakesh, "", "unverified", nil, ""},
		{"typed number, whatsapp sender's own", chat{"whatsapp", "919518190937"}, rakesh, "", services.OK, map[string]string{"person": rakesh}, rakesh},
		{"typed number, another whatsapp sender's", chat{"whatsapp", "919811100009"}, laxmi, "", "unverified", nil, ""},
		{"own contact not on the roster", tg("5003"), "+919811100009", "yes", services.NotFound, map[string]string{"phone_known": "yes"}, ""},
		{"typed number not on the roster", tg("5004"), "+919811100008", "", services.NotFound, map[string]string{"phone_known": "yes"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, tc.chat, "person.link_contact", now, map[string]string{"phone": tc.phone, "own": tc.own})
			if res.Status != tc.want {
				t.Fatalf("status %q, want %q", res.Status, tc.want)
			}
			for k, v := range tc.fields {
				if res.Fields[k] != v {
					t.Errorf("%s = %q, want %q", k, res.Fields[k], v)
				}
			}
			if got, _ := f.svc.Identity.Phone(f.ctx, tc.chat.channel, tc.chat.user); got != tc.linked {
				t.Errorf("linked to %q, want %q", got, tc.linked)
			}
		})
	}
}

// TestRegistration: a registration asks the coordinator of the place (or
// the admins where there is none); approval puts the person on the roster,
// links their chat and tells them; a second decision is refused.
func TestRegistration(t *testing.T) {
	f := setup(t)
	eoChat, adminChat := tg("2003"), tg("2004")
	f.link(t, eoChat, eo)
	f.link(t, adminChat, admin)
	now := ist("2026-12-01 10:00")
	applicant, newcomer := "+919811100001", tg("3001")

	register(t, f, newcomer, "रीना यादव", applicant, sonbhdr, anpara, now)
	evs := f.published(t, "approve")
	if len(evs) != 1 || evs[0].Phone != eo || evs[0].Vars["applicant"] != applicant {
		t.Fatalf("approve events %+v, want one for the EO", evs)
	}
	// Nobody coordinates बाराबंकी: the admin is asked.
	register(t, f, tg("3002"), "पूजा यादव", "+919811100002", "बाराबंकी", "नगर पंचायत देवा", now)
	if evs := f.published(t, "approve"); len(evs) != 2 || evs[1].Phone != admin {
		t.Fatalf("approve events %+v, want the second for the admin", evs)
	}

	// A newcomer's greeting and a waiting registrant's each take one round
	// trip (the chat's link and the registration are read together), a
	// registration two whatever the roster's size.
	var rt store.RoundTrips
	f.rdb.AddHook(&rt)
	before := rt.Count()
	if res := f.call(t, newcomer, "person.lookup", now, nil); res.Status != "pending" {
		t.Fatalf("lookup while pending: %+v", res)
	}
	if res := f.call(t, tg("3099"), "person.lookup", now, nil); res.Status != services.NotFound {
		t.Fatalf("lookup of a newcomer: %+v", res)
	}
	if n := rt.Count() - before; n != 2 {
		t.Errorf("two lookups took %d round trips, want 2", n)
	}
	before = rt.Count()
	f.call(t, tg("3003"), "registration.submit", now, map[string]string{"name": "गीता देवी", "phone": "+919811100003", "role": "sabhasad", "district": sonbhdr, "body": anpara})
	// the effect's record read and written, the registration with its
	// approvers, their records, their events
	if n := rt.Count() - before; n != 5 {
		t.Errorf("a registration took %d round trips, want 5", n)
	}
	if res := f.call(t, eoChat, "registration.info", now, map[string]string{"applicant": applicant}); res.Status != services.OK || res.Fields["a_phone"] != "98111 00001" {
		t.Fatalf("info: %+v", res)
	}
	if res := f.call(t, eoChat, "registration.decide", now, map[string]string{"applicant": applicant, "decision": "approve"}); res.Status != services.OK || res.Fields["a_status"] != "approved" {
		t.Fatalf("approve: %+v", res)
	}
	p, ok, err := f.svc.Roster.Get(f.ctx, applicant)
	if err != nil || !ok || p.Name != "रीना यादव" || p.Body != anpara || p.Role != roster.RoleSabhasad {
		t.Fatalf("on the roster: %+v %v %v", p, ok, err)
	}
	if got, _ := f.svc.Identity.Phone(f.ctx, newcomer.channel, newcomer.user); got != applicant {
		t.Errorf("newcomer's chat linked to %q", got)
	}
	res := f.published(t, "registration_result")
	if len(res) != 1 || res[0].Channel != "telegram" || res[0].User != "3001" || res[0].Vars["result"] != "approved" {
		t.Errorf("registration_result events %+v", res)
	}
	if r := f.call(t, newcomer, "person.lookup", now, nil); r.Status != services.OK || r.Fields["person"] != applicant {
		t.Errorf("lookup after approval: %+v", r)
	}

	for _, decision := range []string{"approve", "reject"} {
		for _, who := range []chat{eoChat, adminChat} {
			r := f.call(t, who, "registration.decide", now, map[string]string{"applicant": applicant, "decision": decision})
			if r.Status != "decided" || r.Fields["a_status"] != "approved" {
				t.Errorf("%s again by %s: %+v", decision, who.user, r)
			}
		}
	}
	if r := f.call(t, eoChat, "registration.info", now, map[string]string{"applicant": applicant}); r.Status != "decided" {
		t.Errorf("info after the decision: %+v", r)
	}
	if n := len(f.published(t, "registration_result")); n != 1 {
		t.Errorf("%d registration_result events after repeated decisions", n)
	}
	if r := f.call(t, eoChat, "registration.decide", now, map[string]string{"applicant": "+919811100007", "decision": "approve"}); r.Status != services.NotFound {
		t.Errorf("unknown applicant: %+v", r)
	}
}

// TestAnswer: RSVPs with a capacity of one, the waitlist and its promotion.
func TestAnswer(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "बजट प्रशिक्षण", Venue: "चोपन", Start: "2026-12-10T10:00", Capacity: 1, Invite: "role=sabhasad,body=" + chopan})
	chats := map[string]chat{hari: tg("6001"), manoj: tg("6002"), suresh: tg("6003"), sarita: tg("1001")}
	for phone, c := range chats {
		f.link(t, c, phone)
	}
	before := ist("2026-12-01 10:00")
	steps := []struct {
		who      chat
		training string
		answer   string
		at       time.Time
		want     string
	}{
		{chats[hari], tr.ID, "yes", before, "yes"},
		{chats[manoj], tr.ID, "yes", before.Add(time.Minute), "waitlist"},
		{chats[suresh], tr.ID, "maybe", before, "maybe"},
		{chats[suresh], tr.ID, "no", before, "no"},
		{chats[hari], tr.ID, "no", before.Add(time.Hour), "no"}, // frees the seat: मनोज moves up
		{chats[manoj], tr.ID, "yes", before.Add(2 * time.Hour), "yes"},
		{chats[sarita], tr.ID, "yes", before, "not_invited"},
		{tg("9999"), tr.ID, "yes", before, "not_invited"},
		{chats[suresh], tr.ID, "yes", tr.Days[0].Start, services.Closed},
		{chats[suresh], "t000000", "yes", before, services.NotFound},
	}
	for i, s := range steps {
		res := f.call(t, s.who, "training.answer", s.at, map[string]string{"training": s.training, "answer": s.answer, "reason": "काम"})
		if res.Status != s.want {
			t.Errorf("step %d: %s says %s: %q, want %q", i, s.who.user, s.answer, res.Status, s.want)
		}
	}
	inv, err := f.svc.Trainings.Invitees(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv[manoj] != "yes" || inv[hari] != "no" || inv[suresh] != "no" {
		t.Errorf("invitees %v", inv)
	}
	promoted := f.published(t, "promoted")
	if len(promoted) != 1 || promoted[0].Phone != manoj || promoted[0].Vars["training"] != tr.ID {
		t.Errorf("promoted events %+v, want one for मनोज", promoted)
	}
}

// TestCheckIn: the daily code (wrong, locked, right, again), a location
// near and far, the window, and someone who said no.
func TestCheckIn(t *testing.T) {
	f := setup(t)
	lat, lon := 24.1000, 82.7500
	tr := f.training(t, training.Spec{
		Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 2, Lat: &lat, Lon: &lon,
		Invite: "role=sabhasad,body=" + anpara,
	})
	c := map[string]chat{sarita: tg("1001"), rajesh: tg("1002"), anita: tg("1003"), rakesh: tg("1004"), laxmi: tg("1005")}
	for phone, ch := range c {
		f.link(t, ch, phone)
	}
	f.link(t, tg("6001"), hari) // not invited
	if r := f.call(t, c[laxmi], "training.answer", ist("2026-12-01 10:00"), map[string]string{"training": tr.ID, "answer": "no"}); r.Status != "no" {
		t.Fatalf("answer: %+v", r)
	}
	code1, code2 := training.Code(tr, 0), training.Code(tr, 1)
	wrong := "0000"
	for wrong == code1 || wrong == code2 {
		wrong = fmt.Sprintf("%04d", (mustAtoi(t, wrong)+1)%10000)
	}
	devanagari := strings.Map(func(r rune) rune { return '०' + (r - '0') }, code1)
	day1, day2 := ist("2026-12-10 10:30"), ist("2026-12-11 09:15")
	loc := func(lat, lon float64) string { return fmt.Sprintf("%f,%f", lat, lon) }

	steps := []struct {
		who   chat
		call  string
		arg   string
		at    time.Time
		want  string
		field string // key=value expected in the fields
	}{
		{c[sarita], "checkin.find", "", ist("2026-12-10 08:59"), services.None, ""},
		{c[sarita], "checkin.code", code1, ist("2026-12-10 08:59"), services.None, ""},
		{c[sarita], "checkin.find", "", ist("2026-12-10 09:00"), services.OK, "day=1"},
		{c[sarita], "checkin.code", wrong, day1, "wrong", "tries_left=2"},
		{c[sarita], "checkin.code", "abcd", day1, services.NoCode, ""}, // no digits: no try used up
		{c[sarita], "checkin.code", "4821 और 17", day1, services.NoCode, ""},
		{c[sarita], "checkin.code", "मेरा कोड " + wrong + " है", day1, "wrong", "tries_left=1"},
		{c[sarita], "checkin.code", wrong, day1, "locked", ""},
		{c[sarita], "checkin.code", code1, day1, "locked", ""},
		{c[rajesh], "checkin.code", code1, day1, services.OK, "day=1"},
		{c[rajesh], "checkin.code", code1, day1.Add(time.Minute), "already", "day=1"},
		{c[anita], "checkin.code", devanagari, day1, services.OK, "day=1"},
		{c[rakesh], "checkin.location", loc(lat+0.01, lon), day1, "far", "distance=1112"},
		{c[rakesh], "checkin.location", "somewhere", day1, "far", "distance=?"},
		{c[rakesh], "checkin.location", loc(lat+0.001, lon), day1, services.OK, "day=1"},
		{c[rakesh], "checkin.location", loc(lat, lon), day1, "already", ""},
		{c[laxmi], "checkin.code", code1, day1, "not_attending", ""},
		{c[laxmi], "checkin.location", loc(lat, lon), day1, "not_attending", ""},
		{tg("6001"), "checkin.code", code1, day1, services.None, ""},
		{tg("9999"), "checkin.code", code1, day1, services.None, ""},
		{c[sarita], "checkin.code", code1, day2, "wrong", "tries_left=2"}, // day 1's code on day 2; a new day's count
		{c[sarita], "checkin.code", code2, day2, services.OK, "day=2"},
		{c[rajesh], "checkin.code", code2, ist("2026-12-11 17:00"), services.None, ""},
	}
	for i, s := range steps {
		args := map[string]string{"code": s.arg}
		if s.call == "checkin.location" {
			args = map[string]string{"location": s.arg}
		}
		res := f.call(t, s.who, s.call, s.at, args)
		if res.Status != s.want {
			t.Errorf("step %d: %s %s %q at %s: %q, want %q (%v)", i, s.who.user, s.call, s.arg, s.at.Format("01-02 15:04"), res.Status, s.want, res.Fields)
			continue
		}
		if k, v, ok := strings.Cut(s.field, "="); ok && res.Fields[k] != v {
			t.Errorf("step %d: %s = %q, want %q", i, k, res.Fields[k], v)
		}
	}
	st, err := f.svc.Trainings.Status(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Attended, []int{3, 1}) {
		t.Errorf("attended %v, want [3 1]", st.Attended)
	}
	// Wrong codes are forgotten by the next day.
	keys, _ := f.rdb.Keys(f.ctx, "saathi:checkin:wrong:*").Result()
	for _, k := range keys {
		if ttl := f.rdb.TTL(f.ctx, k).Val(); ttl <= 0 || ttl > 24*time.Hour {
			t.Errorf("%s expires in %v", k, ttl)
		}
	}
	if len(keys) != 2 {
		t.Errorf("wrong-code keys %v, want one per day for सरिता", keys)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFeedbackDue: once a training is over, everyone who attended is asked
// for feedback, once.
func TestFeedbackDue(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 2, Modules: []string{"जल", "सीवेज"}, Invite: "role=sabhasad,body=" + anpara})
	other := f.training(t, training.Spec{Title: "बजट", Venue: "चोपन", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + chopan})
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("1002"), rajesh)
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, rajesh, 1, training.MethodCoordinator, ist("2026-12-11 10:05")); err != nil {
		t.Fatal(err)
	}

	due := func(at string) int {
		t.Helper()
		n, err := f.svc.FeedbackDue(f.ctx, ist(at))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := due("2026-12-11 16:59"); n != 0 {
		t.Errorf("before the end: asked %d", n)
	}
	if n := len(f.published(t, "feedback")); n != 0 {
		t.Fatalf("%d feedback events before the end", n)
	}
	if n := due("2026-12-11 17:00"); n != 2 {
		t.Errorf("asked %d, want the 2 who attended", n)
	}
	evs := f.published(t, "feedback")
	var asked []string
	for _, ev := range evs {
		if ev.Vars["training"] != tr.ID {
			t.Errorf("feedback event for %s (%s had no attendees)", ev.Vars["training"], other.ID)
		}
		asked = append(asked, ev.Phone)
	}
	slices.Sort(asked)
	if want := []string{sarita, rajesh}; !slices.Equal(asked, want) {
		t.Errorf("asked %v, want %v", asked, want)
	}
	if n := due("2026-12-12 09:00"); n != 0 {
		t.Errorf("asked again: %d", n)
	}
	if n := len(f.published(t, "feedback")); n != 2 {
		t.Errorf("%d feedback events after the second run, want 2", n)
	}

	res := f.call(t, tg("1001"), "feedback.save", ist("2026-12-12 10:00"), map[string]string{"training": tr.ID, "rating": "4", "module": "जल", "missing": "और समय", "followup": "yes"})
	if res.Status != services.OK {
		t.Fatalf("feedback.save: %+v", res)
	}
	if res := f.call(t, tg("9999"), "feedback.save", ist("2026-12-12 10:00"), map[string]string{"training": tr.ID, "rating": "1"}); res.Status != "not_invited" {
		t.Errorf("feedback from a stranger: %+v", res)
	}
	st, err := f.svc.Trainings.Status(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.FeedbackCount != 1 || st.RatingAvg != 4 || len(st.Missing) != 1 {
		t.Errorf("status after feedback: %+v", st)
	}
}

// TestRetryAfterPublishFails: when the event queue fails, the call fails
// and its retry still tells the person; nothing is marked done before the
// event is out.
func TestRetryAfterPublishFails(t *testing.T) {
	const applicant = "+919811100001"
	tests := []struct {
		name string
		flow string
		// prepare runs before the queue breaks, act with it broken and again
		// after it is mended.
		prepare func(t *testing.T, f *fixture)
		act     func(f *fixture) error
	}{
		{
			name: "registration decided", flow: "registration_result",
			prepare: func(t *testing.T, f *fixture) {
				f.link(t, tg("2003"), eo)
				register(t, f, tg("3001"), "रीना यादव", applicant, sonbhdr, anpara, ist("2026-12-01 09:00"))
			},
			act: func(f *fixture) error {
				res, err := f.svc.Call(f.ctx, "registration.decide", flows.Call{Channel: "telegram", User: "2003", MsgID: "d", Lang: "hi",
					Now: ist("2026-12-01 10:00"), Args: map[string]string{"applicant": applicant, "decision": "approve"}})
				if err == nil && res.Status != services.OK {
					return fmt.Errorf("status %q", res.Status)
				}
				return err
			},
		},
		{
			name: "feedback due", flow: "feedback",
			prepare: func(t *testing.T, f *fixture) {
				tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
				if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
					t.Fatal(err)
				}
			},
			act: func(f *fixture) error {
				_, err := f.svc.FeedbackDue(f.ctx, ist("2026-12-11 09:00"))
				return err
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			tc.prepare(t, f)
			// A string where the stream should be: XADD fails.
			if err := f.rdb.Del(f.ctx, "saathi:events").Err(); err != nil {
				t.Fatal(err)
			}
			if err := f.rdb.Set(f.ctx, "saathi:events", "broken", 0).Err(); err != nil {
				t.Fatal(err)
			}
			if err := tc.act(f); err == nil {
				t.Fatal("no error with the queue broken")
			}
			if err := f.rdb.Del(f.ctx, "saathi:events").Err(); err != nil {
				t.Fatal(err)
			}
			if err := tc.act(f); err != nil {
				t.Fatalf("retry: %v", err)
			}
			if evs := f.published(t, tc.flow); len(evs) != 1 {
				t.Errorf("%d %s events after the retry, want 1", len(evs), tc.flow)
			}
		})
	}
}

// A WhatsApp logout reaches the admins on Telegram, once per admin even if
// the hook fires twice, and nobody else.
func TestAlertAdminsOnTelegram(t *testing.T) {
	f := setup(t)
	f.link(t, tg("501"), admin)
	f.link(t, chat{"whatsapp", "919760207764"}, admin) // the admin's WhatsApp chat is down too
	f.link(t, tg("502"), eo)                           // a coordinator: not told
	now := ist("2026-12-01 09:30")
	for range 2 {
		n, err := f.svc.AlertAdmins(f.ctx, "telegram", "WhatsApp", "logged out; pair again", now)
		if err != nil || n != 1 {
			t.Fatalf("AlertAdmins: %d, %v", n, err)
		}
	}
	evs := f.published(t, "alert")
	if len(evs) != 2 || evs[0].ID != evs[1].ID {
		t.Fatalf("alerts %+v: want the same event twice (applied once)", evs)
	}
	ev := evs[0]
	if ev.Channel != "telegram" || ev.User != "501" || ev.Vars["channel"] != "WhatsApp" || ev.Vars["reason"] != "logged out; pair again" {
		t.Errorf("alert %+v", ev)
	}
	// The library's reason is English: the English alert gives it, the
	// Hindi one says what to do in Hindi and points to the log.
	if text := f.cat.Text("hi", "alert.channel_down", ev.Vars); !strings.Contains(text, "WhatsApp बंद हो गया") || strings.Contains(text, "logged out") {
		t.Errorf("alert reads %q", text)
	}
	if text := f.cat.Text("en", "alert.channel_down", ev.Vars); !strings.Contains(text, "logged out; pair again") {
		t.Errorf("English alert reads %q", text)
	}
}
