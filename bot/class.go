package bot

import "context"

// Class is how urgent an outgoing message is. A shared limiter serves
// Interactive messages first; Bulk ones use only what they leave.
type Class int

const (
	// Interactive: a reply to someone who just wrote, or the result of a
	// coordinator's own command.
	Interactive Class = iota
	// Bulk: broadcast copies, invitations, reminders, nudges and notices,
	// that is every reply to an event (flows.Input.Event).
	Bulk
)

func (c Class) String() string {
	if c == Bulk {
		return "bulk"
	}
	return "interactive"
}

type classKey struct{}

// WithClass returns ctx carrying the class of the message being sent; the
// dispatcher sets it for each reply it hands a Sender.
func WithClass(ctx context.Context, c Class) context.Context {
	return context.WithValue(ctx, classKey{}, c)
}

// ClassOf is the class ctx carries (WithClass), Interactive when none.
func ClassOf(ctx context.Context) Class {
	c, _ := ctx.Value(classKey{}).(Class)
	return c
}
