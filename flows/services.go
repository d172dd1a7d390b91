package flows

import (
	"context"
	"time"
)

// Services is what call steps reach: everything a flow needs from outside
// the conversation (the roster, trainings, check-in codes). The engine calls
// it synchronously; a service must be idempotent, because a transition that
// loses a compare-and-set race is computed again.
type Services interface {
	Call(ctx context.Context, name string, c Call) (CallResult, error)
}

// ReadOnly is implemented by Services that know which of their calls
// change nothing (they only read): a duplicate input may reach those
// harmlessly, so MayCall looks past them.
type ReadOnly interface {
	ReadOnly(name string) bool
}

// anyCall takes every call for one with an effect: what is known of
// Services that do not say (ReadOnly).
func anyCall(string) bool { return true }

// Call is one call step's request.
type Call struct {
	Channel, User string            // whose conversation calls
	MsgID         string            // the input's id: a key for idempotent writes
	Lang          string            // the conversation's language
	Now           time.Time         // the step's time; services read no clock of their own
	Args          map[string]string // the step's args, rendered with the fields
}

// CallResult is a service's answer: a status the step branches on ("ok",
// "not_found", "forbidden" …) and fields to save.
type CallResult struct {
	Status string
	Fields map[string]string
}

// Calls lists the call names the flows of a set use, for checking them
// against the services that exist.
func (s *Set) Calls() map[string][]Problem {
	out := map[string][]Problem{}
	for _, fid := range s.IDs() {
		f := s.flows[fid]
		for _, st := range f.Steps {
			if c, ok := st.(*callStep); ok {
				out[c.name] = append(out[c.name], Problem{File: f.File, Flow: f.ID, Step: c.id})
			}
		}
	}
	return out
}

// MayCall tells whether applying in to st may reach a call step with an
// effect (any call but those the Services say only read), so that a caller
// can rule out a duplicate input before services see it. It errs on the
// side of yes: only an answer to a question from which no such call can
// follow before the next question is a no.
func (e *Engine) MayCall(st State, in Input) bool {
	if in.Event != nil {
		return e.calls[in.Event.Flow] || len(st.Stack) > 0 && e.calls[st.Stack[len(st.Stack)-1].Flow]
	}
	if in.Choice != "" || len(st.Stack) == 0 {
		return true
	}
	if _, _, ok := e.set.command(in.Text, e.tables); ok {
		return true
	}
	if _, _, ok := e.command(in.Text); ok {
		return true
	}
	top := st.Stack[len(st.Stack)-1]
	reach, known := e.callsAfter[top.Flow][top.Step]
	return !known || reach.call || reach.end && len(st.Stack) > 1
}

// reach is what can follow an answer before the next question.
type reach struct {
	call bool // a call step
	end  bool // the end of the flow
}

// callsAfterAsks finds, for every question of every flow, whether a call
// step with an effect (or another flow that may reach one) can follow its
// answer before the next question; a call without one is looked past.
func callsAfterAsks(set *Set, flowCalls map[string]bool, effect func(call string) bool) map[string]map[string]reach {
	out := map[string]map[string]reach{}
	for _, fid := range set.IDs() {
		f := set.Flow(fid)
		out[fid] = map[string]reach{}
		for _, st := range f.Steps {
			if _, ok := st.(asker); !ok {
				continue
			}
			var r reach
			seen := map[string]bool{}
			queue := append([]string(nil), st.Targets()...)
			if len(queue) == 0 {
				r.end = true
			}
			for len(queue) > 0 {
				id := queue[0]
				queue = queue[1:]
				if id == "" {
					r.end = true
					continue
				}
				if seen[id] {
					continue
				}
				seen[id] = true
				switch s := f.Step(id).(type) {
				case *askList: // skipped when it has no items
					queue = append(queue, s.Targets()...)
				case asker, nil:
				case *callStep:
					if effect(s.name) {
						r.call = true
						continue
					}
					if s.next == "" { // a status it names no step for ends the flow
						r.end = true
					}
					for _, to := range s.on {
						if to == "" {
							r.end = true
						}
					}
					queue = append(queue, s.Targets()...)
				case *startFlow:
					if flowCalls[s.Flow] {
						r.call = true
					}
					queue = append(queue, s.Targets()...)
				default:
					ts := s.Targets()
					if len(ts) == 0 {
						r.end = true
					}
					if b, isBranch := s.(*branch); isBranch && b.otherwise == "" && b.next == "" {
						r.end = true // no case matches and there is no default: the flow ends
					}
					queue = append(queue, ts...)
				}
			}
			out[fid][st.ID()] = r
		}
	}
	return out
}

// flowsThatCall finds the flows with a call step with an effect, directly
// or through a flow they start.
func flowsThatCall(set *Set, effect func(call string) bool) map[string]bool {
	direct := map[string]bool{}
	starts := map[string][]string{}
	for _, fid := range set.IDs() {
		for _, st := range set.Flow(fid).Steps {
			switch s := st.(type) {
			case *callStep:
				if effect(s.name) {
					direct[fid] = true
				}
			case *startFlow:
				starts[fid] = append(starts[fid], s.Flow)
			}
		}
	}
	out := map[string]bool{}
	var visit func(fid string, seen map[string]bool) bool
	visit = func(fid string, seen map[string]bool) bool {
		if direct[fid] {
			return true
		}
		if seen[fid] {
			return false
		}
		seen[fid] = true
		for _, to := range starts[fid] {
			if visit(to, seen) {
				return true
			}
		}
		return false
	}
	for _, fid := range set.IDs() {
		out[fid] = visit(fid, map[string]bool{})
	}
	return out
}
