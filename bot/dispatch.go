package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
)

// ErrClosed is returned by Handle once the dispatcher is shutting down.
var ErrClosed = errors.New("dispatcher closed")

// Options configure a Dispatcher. Engine, Store and Senders are required.
type Options struct {
	Engine  *flows.Engine
	Store   *store.Store
	Senders map[string]Sender // by channel name
	Logger  *slog.Logger
	Metrics *Metrics
	Now     func() time.Time // the clock; time.Now when nil

	// CacheSize bounds the conversations kept in memory (default 100,000).
	// The cache saves reading a state before each commit; the commit's
	// compare-and-set catches a stale entry.
	CacheSize int
	// OutboxGrace is how old an undelivered outbox entry must be before the
	// sweeper sends it again (default 10s).
	OutboxGrace time.Duration
	// OutboxMaxAge: entries older than this are dropped as undeliverable (default 24h).
	OutboxMaxAge time.Duration
	// SendAttempts bounds immediate delivery attempts of one reply (default
	// 4); after that the reply and those after it stay in the outbox for
	// the sweeper.
	SendAttempts int
	// DeadLetters keeps the messages that could not be applied after their
	// retries (default: in Store's Redis).
	DeadLetters *store.DeadLetters
	// RetryBudget bounds the time one failing inbound message is retried
	// for: no retry starts later than this after the first try (default
	// 3s). Then it is set aside as a dead letter. One user's failing
	// message holds up the others of their Telegram batch about this long.
	RetryBudget time.Duration
	// RetryBackoff is the wait before the first retry, doubled after each
	// (default 100ms).
	RetryBackoff time.Duration
	// JoinReplies sends the replies of one transition as one message where
	// the channel allows it (see JoinReplies): serve sets it. Off, each
	// reply is a message of its own.
	JoinReplies bool
	// OnCommit, when set, is told how long each committed transition took.
	OnCommit func(took time.Duration)
	// OnDelivered, when set, is told the fate of tagged replies (see
	// flows.Reply.Tag): Sent, Blocked (the user blocked the bot) or Failed
	// (undeliverable until OutboxMaxAge).
	OnDelivered func(ctx context.Context, d Delivery)
}

// Delivery is what became of one tagged reply.
type Delivery struct {
	Channel, User, Tag string
	Outcome            string // Sent, Blocked or Failed
}

// Delivery outcomes.
const (
	Sent    = "sent"
	Blocked = "blocked"
	Failed  = "failed"
)

// delivered tells OnDelivered about e's tagged replies, once e leaves the
// outbox: those the channel took (the first e.Done) were Sent, the others
// met outcome.
func (d *Dispatcher) delivered(ctx context.Context, e store.Entry, outcome string) {
	if d.opt.OnDelivered == nil {
		return
	}
	for i, r := range e.Replies {
		if r.Tag == "" {
			continue
		}
		o := outcome
		if i < e.Done {
			o = Sent
		}
		d.opt.OnDelivered(ctx, Delivery{Channel: e.Channel, User: e.User, Tag: r.Tag, Outcome: o})
	}
}

// Dispatcher applies inbound messages: one user's messages one after
// another, different users in parallel. For each message it runs the engine,
// commits the transition (de-duplicated, compare-and-set), and then delivers
// the replies through the user's channel and acknowledges them in the outbox.
// Bulk replies (those of events: broadcast copies, invitations, reminders)
// are delivered in a lane of the user's own, one entry after the other, so
// that a message the user writes meanwhile is applied and answered without
// waiting for them.
type Dispatcher struct {
	opt   Options
	log   *slog.Logger
	cache *lru.Cache[string, flows.State]

	ctx    context.Context // cancelled only on a forced stop
	cancel context.CancelFunc

	mu       sync.Mutex
	queues   map[string]*userQueue
	inflight map[string]bool // outbox entries being delivered now
	closed   bool
	workers  sync.WaitGroup

	acks      chan string
	ackDone   chan struct{}
	closeOnce sync.Once

	touchMu      sync.Mutex
	touched      map[string]int // entries kept touched (touching), by how many holders
	touchRunning bool           // touchLoop runs
}

// job is one unit of a user's queue: an inbound message, a redelivery of an
// outbox entry, or a marker that Flush waits on; in a user's bulk lane, a
// committed entry of bulk replies to deliver (send, claimed already).
type job struct {
	in        *flows.Input
	committed chan error // receives the commit's outcome of in
	letter    string     // in is this dead letter, applied again (see Redo)
	entry     *store.Entry
	send      *store.Entry
	untouch   func() // stops touching send (see touching)
	reached   chan struct{}
}

// bulkLane is the key of the queue of a user's bulk deliveries (queue key):
// a bulk entry, which may wait long for the rate limit, is delivered there,
// one after the other, so that the user's own messages are applied and
// answered meanwhile; interactive replies never wait behind bulk ones.
func bulkLane(key string) string { return key + "\x00bulk" }

// isBulk tells an entry of bulk replies (the dispatcher marks all of an
// event's replies alike).
func isBulk(e *store.Entry) bool { return len(e.Replies) > 0 && e.Replies[0].Bulk }

type userQueue struct {
	jobs []job
}

// NewDispatcher makes a dispatcher. Call Close to stop it.
func NewDispatcher(opt Options) (*Dispatcher, error) {
	if opt.Engine == nil || opt.Store == nil {
		return nil, errors.New("new dispatcher: engine and store are required")
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics(nil)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.CacheSize <= 0 {
		opt.CacheSize = 100_000
	}
	if opt.OutboxGrace <= 0 {
		opt.OutboxGrace = 10 * time.Second
	}
	if opt.OutboxMaxAge <= 0 {
		opt.OutboxMaxAge = 24 * time.Hour
	}
	if opt.SendAttempts <= 0 {
		opt.SendAttempts = 4
	}
	if opt.DeadLetters == nil {
		opt.DeadLetters = store.NewDeadLetters(opt.Store.Client())
	}
	if opt.RetryBudget <= 0 {
		opt.RetryBudget = DefaultRetryBudget
	}
	if opt.RetryBackoff <= 0 {
		opt.RetryBackoff = 100 * time.Millisecond
	}
	cache, err := lru.New[string, flows.State](opt.CacheSize)
	if err != nil {
		return nil, fmt.Errorf("new dispatcher: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &Dispatcher{
		opt: opt, log: opt.Logger, cache: cache, ctx: ctx, cancel: cancel,
		queues: map[string]*userQueue{}, inflight: map[string]bool{},
		acks: make(chan string, 4096), ackDone: make(chan struct{}),
	}
	go d.ackLoop()
	return d, nil
}

// Handle applies in and returns once its transition is committed, found
// to be a duplicate, or set aside as a dead letter; its replies are
// delivered afterwards. An infrastructure error (Redis, a service) is
// retried with growing waits for up to RetryBudget; then the message is
// set aside (see DeadLetters), the user is told to send it again, and
// Handle returns nil, so that the channel acknowledges it and goes on. Only
// when even the dead letter cannot be written (Redis down) does Handle
// return an error: the channel must not acknowledge the message then.
func (d *Dispatcher) Handle(ctx context.Context, in flows.Input) error {
	return d.handle(ctx, in, "")
}

func (d *Dispatcher) handle(ctx context.Context, in flows.Input, letter string) error {
	if in.ID == "" {
		return errors.New("handle message: no message id")
	}
	j := job{in: &in, committed: make(chan error, 1), letter: letter}
	if !d.enqueue(in.Channel+":"+in.User, j) {
		return ErrClosed
	}
	select {
	case err := <-j.committed:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush waits until everything queued for a user so far is committed and
// its delivery attempted, bulk replies included.
func (d *Dispatcher) Flush(ctx context.Context, channel, user string) error {
	key := channel + ":" + user
	// The user's queue hands its bulk entries to the lane before it reaches
	// its marker: the lane's marker comes after them.
	for _, k := range []string{key, bulkLane(key)} {
		j := job{reached: make(chan struct{})}
		if !d.enqueue(k, j) {
			return ErrClosed
		}
		select {
		case <-j.reached:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (d *Dispatcher) enqueue(key string, j job) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.push(key, j)
	return true
}

// push adds j to the queue of key, starting its worker when it has none;
// call with d.mu held. Unlike enqueue it takes work while closing: a
// worker hands its bulk entries on so, and Close waits for them.
func (d *Dispatcher) push(key string, j job) {
	q := d.queues[key]
	if q == nil {
		q = &userQueue{}
		d.queues[key] = q
		d.workers.Add(1)
		go d.work(key, q)
	}
	q.jobs = append(q.jobs, j)
}

// work runs one user's queue until it is empty.
func (d *Dispatcher) work(key string, q *userQueue) {
	defer d.workers.Done()
	for {
		d.mu.Lock()
		if len(q.jobs) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		j := q.jobs[0]
		q.jobs[0] = job{}
		q.jobs = q.jobs[1:]
		d.mu.Unlock()
		d.run(key, j)
	}
}

func (d *Dispatcher) run(key string, j job) {
	switch {
	case j.reached != nil:
		close(j.reached)
	case j.send != nil:
		defer d.release(j.send.ID)
		defer j.untouch()
		d.deliverClaimed(*j.send)
	case j.entry != nil:
		// From the sweeper: take it over only if no process is at it.
		now := d.opt.Now()
		ok, err := d.opt.Store.Claim(d.ctx, j.entry, now.Add(-d.opt.OutboxGrace), now)
		if err != nil {
			d.log.Warn("claiming undelivered replies", "entry", j.entry.ID, "err", err)
		}
		if ok {
			d.dispatch(key, j.entry)
		}
	case j.in != nil:
		lang := d.langOf(*j.in) // before a failure drops the cached state
		entry, attempts, err := d.applyRetrying(*j.in)
		if err == nil {
			j.committed <- nil
			d.applied(j)
			if entry != nil {
				d.dispatch(key, entry)
			}
			return
		}
		err = d.setAside(*j.in, err, attempts)
		j.committed <- err
		if err == nil && j.letter == "" {
			d.apologise(*j.in, lang)
		}
	}
}

// maxConflicts bounds compare-and-set retries of one message.
const maxConflicts = 8

// apply runs the engine on in and commits the transition. It returns the
// outbox entry of the replies (nil for none or a duplicate).
func (d *Dispatcher) apply(in flows.Input) (*store.Entry, error) {
	start := time.Now()
	key := in.Channel + ":" + in.User
	st, cached := d.cache.Get(key) // unknown: the zero state, version 0; a conflict brings the real one
	if d.opt.Engine.MayCall(st, in) {
		// Services have side effects: a duplicate must not reach them, nor
		// a stale state. One round trip checks the id (and loads the state
		// when it is not cached).
		loaded, seen, err := d.opt.Store.Seen(d.ctx, in.Channel, in.User, in.ID, !cached)
		if err != nil {
			d.opt.Metrics.Errors.WithLabelValues("commit").Inc()
			return nil, fmt.Errorf("apply message %s of %s: %w", in.ID, in.Channel, err)
		}
		if seen {
			d.opt.Metrics.Duplicates.WithLabelValues(in.Channel).Inc()
			return nil, nil
		}
		if !cached {
			st = loaded
		}
	}
	for range maxConflicts {
		now := d.opt.Now()
		res, err := d.opt.Engine.Step(d.ctx, st, in, now)
		if err != nil {
			d.cache.Remove(key)
			d.opt.Metrics.Errors.WithLabelValues("service").Inc()
			return nil, fmt.Errorf("apply message %s of %s: %w", in.ID, in.Channel, err)
		}
		res.State.Version = st.Version + 1
		if d.opt.JoinReplies {
			res.Replies = JoinReplies(res.Replies) // one message per turn
		}
		if bulkEvent(in.Event) {
			for i := range res.Replies {
				res.Replies[i].Bulk = true // not an answer to someone who wrote: it waits for them
			}
		}
		entry, err := d.opt.Store.Commit(d.ctx, store.Commit{
			Channel: in.Channel, User: in.User, MsgID: in.ID, Expected: st.Version,
			State: res.State, Replies: res.Replies, Records: res.Records, At: now,
		})
		var conflict *store.ConflictError
		switch {
		case err == nil:
			d.cache.Add(key, res.State)
			took := time.Since(start)
			d.opt.Metrics.MessagesIn.WithLabelValues(in.Channel).Inc()
			d.opt.Metrics.Transition.Observe(took.Seconds())
			if d.opt.OnCommit != nil {
				d.opt.OnCommit(took)
			}
			return entry, nil
		case errors.Is(err, store.ErrDuplicate):
			d.opt.Metrics.Duplicates.WithLabelValues(in.Channel).Inc()
			d.log.Debug("duplicate message ignored", "channel", in.Channel, "id", in.ID)
			return nil, nil
		case errors.As(err, &conflict):
			st = conflict.Current
		default:
			d.cache.Remove(key)
			d.opt.Metrics.Errors.WithLabelValues("commit").Inc()
			return nil, fmt.Errorf("apply message %s of %s: %w", in.ID, in.Channel, err)
		}
	}
	d.opt.Metrics.Errors.WithLabelValues("commit").Inc()
	return nil, fmt.Errorf("apply message %s of %s: conversation kept changing", in.ID, in.Channel)
}

// dispatch delivers e now, or, when its replies are bulk, hands it (claimed)
// to the user's bulk lane, so that the user's queue goes on at once.
func (d *Dispatcher) dispatch(key string, e *store.Entry) {
	if !isBulk(e) {
		d.deliver(*e)
		return
	}
	if !d.claim(e.ID) {
		return
	}
	untouch := d.touching(e.ID) // while it waits in the lane too
	d.mu.Lock()
	d.push(bulkLane(key), job{send: e, untouch: untouch})
	d.mu.Unlock()
}

// deliver sends an entry's replies, one at a time from the first the
// channel has not taken yet (e.Done), and acknowledges the entry after the
// last. Each reply but the last is noted in the outbox as soon as the
// channel has taken it (one round trip; the last one's note is the ack),
// so that a crash resends at most the one reply being sent. On failure the
// entry stays in the outbox, and the sweeper sends the rest again later.
func (d *Dispatcher) deliver(e store.Entry) {
	if !d.claim(e.ID) {
		return
	}
	defer d.release(e.ID)
	defer d.touching(e.ID)()
	d.deliverClaimed(e)
}

// touching keeps telling the other processes that this one is at entry id,
// so that their sweepers do not send it too, until the returned function is
// called: while its delivery is held up (rate limits, 429s), and while it
// waits in the bulk lane behind the user's earlier bulk entries. One loop
// touches every such entry of the dispatcher together (touchLoop): a
// broadcast's thousands of waiting copies are one pipeline a period, not a
// goroutine and a round trip each.
func (d *Dispatcher) touching(id string) (stop func()) {
	d.touchMu.Lock()
	defer d.touchMu.Unlock()
	if d.touched == nil {
		d.touched = map[string]int{}
	}
	d.touched[id]++
	if !d.touchRunning {
		d.touchRunning = true
		go d.touchLoop()
	}
	return func() {
		d.touchMu.Lock()
		defer d.touchMu.Unlock()
		if d.touched[id]--; d.touched[id] <= 0 {
			delete(d.touched, id)
		}
	}
}

// touchLoop touches the entries being delivered or waiting in a lane every
// third of the grace period, until none is left or the dispatcher is
// stopped.
func (d *Dispatcher) touchLoop() {
	t := time.NewTicker(d.opt.OutboxGrace / 3)
	defer t.Stop()
	for {
		select {
		case <-d.ctx.Done():
			d.touchMu.Lock()
			d.touchRunning = false
			d.touchMu.Unlock()
			return
		case <-t.C:
		}
		d.touchMu.Lock()
		ids := make([]string, 0, len(d.touched))
		for id := range d.touched {
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			d.touchRunning = false
			d.touchMu.Unlock()
			return
		}
		d.touchMu.Unlock()
		if err := d.opt.Store.Touch(d.ctx, d.opt.Now(), ids...); err != nil {
			d.log.Warn("touching replies being delivered", "entries", len(ids), "err", err)
		}
	}
}

// deliverClaimed is deliver of an entry this process has claimed (claim)
// and keeps touched (touching).
func (d *Dispatcher) deliverClaimed(e store.Entry) {
	sender := d.opt.Senders[e.Channel]
	if sender == nil {
		d.log.Error("no sender for channel; replies stay in the outbox", "channel", e.Channel)
		return
	}
	start := time.Now()
	e.Done = max(e.Done, 0)
	backoff := 200 * time.Millisecond
	for attempt := 1; e.Done < len(e.Replies); attempt++ {
		err := sender.Send(classed(d.ctx, e.Replies[e.Done]), e.User, e.Replies[e.Done:e.Done+1])
		switch {
		case err == nil:
			d.opt.Metrics.MessagesOut.WithLabelValues(e.Channel).Inc()
			if e.Done++; e.Done < len(e.Replies) {
				if err := d.opt.Store.MarkSent(d.ctx, e.ID, e.Done, d.opt.Now()); err != nil {
					// The reply went; only a crash before the ack sends it again.
					d.log.Warn("noting a reply sent; a crash now would send it again", "entry", e.ID, "err", err)
				}
			}
			attempt, backoff = 0, 200*time.Millisecond // the channel works: the next reply gets all its tries
			continue
		case errors.Is(err, ErrUnreachable):
			d.opt.Metrics.Unreachable.WithLabelValues(e.Channel).Inc()
			d.log.Info("user unreachable; replies dropped", "channel", e.Channel, "user", e.User)
			if err := d.opt.Store.MarkUnreachable(d.ctx, e.Channel, e.User); err != nil {
				d.log.Error("mark unreachable", "err", err)
			}
			d.ack(e.ID)
			d.delivered(d.ctx, e, Blocked)
			return
		}
		d.opt.Metrics.Errors.WithLabelValues("send").Inc()
		if attempt >= d.opt.SendAttempts {
			d.log.Warn("delivery failed; replies stay in the outbox for a later try", "channel", e.Channel, "entry", e.ID, "sent", e.Done, "of", len(e.Replies), "err", err)
			return
		}
		select {
		case <-time.After(backoff):
			backoff *= 2
		case <-d.ctx.Done():
			return
		}
	}
	d.opt.Metrics.Delivery.Observe(time.Since(start).Seconds())
	d.ack(e.ID)
	d.delivered(d.ctx, e, Sent)
}

// bulkEvent tells the events whose replies are bulk: all but the result
// of a coordinator's own command (broadcast_done) and operator alerts,
// which someone is waiting for.
func bulkEvent(ev *flows.Event) bool {
	if ev == nil {
		return false
	}
	switch ev.Flow {
	case "broadcast_done", "alert":
		return false
	}
	return true
}

// classed is ctx carrying r's delivery class.
func classed(ctx context.Context, r flows.Reply) context.Context {
	if r.Bulk {
		return WithClass(ctx, Bulk)
	}
	return WithClass(ctx, Interactive)
}

// claim marks an entry as being delivered; false if it already is.
func (d *Dispatcher) claim(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inflight[id] {
		return false
	}
	d.inflight[id] = true
	return true
}

func (d *Dispatcher) release(id string) {
	d.mu.Lock()
	delete(d.inflight, id)
	d.mu.Unlock()
}

// ack queues an entry's removal from the outbox. Removals are batched: one
// round trip acknowledges everything that piled up while the last was in flight.
func (d *Dispatcher) ack(id string) { d.acks <- id }

func (d *Dispatcher) ackLoop() {
	defer close(d.ackDone)
	const maxBatch = 512
	batch := make([]string, 0, maxBatch)
	for id := range d.acks {
		batch = append(batch[:0], id)
	more:
		for len(batch) < maxBatch {
			select {
			case id, ok := <-d.acks:
				if !ok {
					break more
				}
				batch = append(batch, id)
			default:
				break more
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := d.opt.Store.Ack(ctx, batch...); err != nil {
			d.opt.Metrics.Errors.WithLabelValues("ack").Inc()
			d.log.Error("ack outbox entries; they may be sent again", "n", len(batch), "err", err)
		}
		cancel()
	}
}

// Sweep sends again, through each user's queue, the outbox entries older
// than the grace period whose delivery did not finish: after a crash, or a
// channel that was down. It returns how many it queued.
func (d *Dispatcher) Sweep(ctx context.Context) (int, error) {
	now := d.opt.Now()
	entries, err := d.opt.Store.Due(ctx, now.Add(-d.opt.OutboxGrace), 1000)
	if err != nil {
		d.opt.Metrics.Errors.WithLabelValues("sweep").Inc()
		return 0, err
	}
	n := 0
	for i := range entries {
		e := entries[i]
		if now.Sub(time.UnixMilli(e.At)) > d.opt.OutboxMaxAge {
			d.opt.Metrics.Errors.WithLabelValues("expired").Inc()
			d.log.Error("undelivered replies too old; dropped", "channel", e.Channel, "entry", e.ID)
			if err := d.opt.Store.Ack(ctx, e.ID); err != nil {
				return n, err
			}
			d.delivered(ctx, e, Failed)
			continue
		}
		if d.opt.Senders[e.Channel] == nil || d.isInflight(e.ID) {
			continue
		}
		if d.enqueue(e.Channel+":"+e.User, job{entry: &e}) {
			n++
		}
	}
	return n, nil
}

// Delivering is how many reply batches are being delivered now (waiting
// for the rate limit included): a measure of the delivery backlog.
func (d *Dispatcher) Delivering() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.inflight)
}

func (d *Dispatcher) isInflight(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inflight[id]
}

// Run sweeps the outbox at once and then every half grace period, until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.opt.OutboxGrace / 2)
	defer t.Stop()
	for {
		if n, err := d.Sweep(ctx); err != nil {
			d.log.Warn("sweep outbox", "err", err)
		} else if n > 0 {
			d.log.Info("sending undelivered replies again", "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops taking messages and waits for the queued ones to be committed
// and delivered. When ctx ends first, work in progress is abandoned (what was
// committed stays in the outbox and is sent after a restart).
func (d *Dispatcher) Close(ctx context.Context) error {
	var err error
	d.closeOnce.Do(func() { err = d.close(ctx) })
	return err
}

func (d *Dispatcher) close(ctx context.Context) error {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.workers.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		d.cancel()
		<-done
		err = fmt.Errorf("close dispatcher: %w", ctx.Err())
	}
	close(d.acks)
	<-d.ackDone
	d.cancel()
	return err
}
