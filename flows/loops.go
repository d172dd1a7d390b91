package flows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A loop without an ask is a cycle of steps that never wait for the
// person: a run would go round it until the engine's step cap gives up.
// checkLoops finds them across flows (a start_flow goes into the flow it
// starts, and on past it when that flow can end without asking) and names
// each by its steps.

// node is one step of one flow.
type node struct{ flow, step string }

func (n node) String() string { return n.flow + "." + n.step }

// waits tells whether a step surely waits for the person. An ask_list does
// not: with no items it is skipped.
func waits(st Step) bool {
	if _, ok := st.(*askList); ok {
		return false
	}
	_, ok := st.(asker)
	return ok
}

// mayEnd tells whether a step that does not wait can end its flow (go to "").
func mayEnd(st Step) bool {
	switch s := st.(type) {
	case *end:
		return true
	case *branch:
		return s.otherwise == "" && s.next == ""
	case *askList:
		return false
	case interface{ nextStep() string }:
		return s.nextStep() == ""
	}
	return false
}

func (b *base) nextStep() string { return b.next }

// endsWithoutAsking finds the flows that can run from their start to their
// end without waiting, through the flows they start.
func (s *Set) endsWithoutAsking() map[string]bool {
	pass := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, fid := range s.IDs() {
			if !pass[fid] && s.canEnd(s.flows[fid], pass) {
				pass[fid], changed = true, true
			}
		}
	}
	return pass
}

// canEnd: a path from f's start to its end through steps that do not wait,
// given the flows known to pass.
func (s *Set) canEnd(f *Flow, pass map[string]bool) bool {
	seen := map[string]bool{}
	queue := []string{f.Start()}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		st := f.index[id]
		if seen[id] || st == nil || waits(st) {
			continue
		}
		seen[id] = true
		if sf, ok := st.(*startFlow); ok {
			if pass[sf.Flow] {
				if sf.next == "" {
					return true
				}
				queue = append(queue, sf.next)
			}
			continue
		}
		if mayEnd(st) {
			return true
		}
		queue = append(queue, st.Targets()...)
	}
	return false
}

// loopEdges maps every step that does not wait to the steps that do not
// wait it can go to next, across flows.
func (s *Set) loopEdges() (nodes []node, edges map[node][]node) {
	pass := s.endsWithoutAsking()
	edges = map[node][]node{}
	free := func(fid, id string) bool {
		f := s.flows[fid]
		if f == nil {
			return false
		}
		st := f.index[id]
		return st != nil && !waits(st)
	}
	for _, fid := range s.IDs() {
		f := s.flows[fid]
		for _, st := range f.Steps {
			if waits(st) {
				continue
			}
			from := node{fid, st.ID()}
			nodes = append(nodes, from)
			if sf, ok := st.(*startFlow); ok {
				if g := s.flows[sf.Flow]; g != nil && free(g.ID, g.Start()) {
					edges[from] = append(edges[from], node{g.ID, g.Start()})
				}
				if pass[sf.Flow] && sf.next != "" && free(fid, sf.next) {
					edges[from] = append(edges[from], node{fid, sf.next})
				}
				continue
			}
			for _, t := range st.Targets() {
				if free(fid, t) {
					edges[from] = append(edges[from], node{fid, t})
				}
			}
		}
	}
	return nodes, edges
}

// checkLoops reports each cycle of steps that never wait, once, at its
// first step.
func (s *Set) checkLoops() Problems {
	nodes, edges := s.loopEdges()
	var ps Problems
	for _, comp := range components(nodes, edges) {
		first := comp[0]
		in := map[node]bool{}
		for _, n := range comp {
			in[n] = true
		}
		if len(comp) == 1 && !contains(edges[first], first) {
			continue
		}
		cycle := shortestCycle(first, edges, in)
		names := make([]string, len(cycle))
		for i, n := range cycle {
			names[i] = n.step
			if n.flow != first.flow {
				names[i] = n.String()
			}
		}
		f := s.flows[first.flow]
		ps = append(ps, Problem{File: f.File, Flow: f.ID, Step: first.step,
			Msg: fmt.Sprintf("loops without asking anything: %s; a run would never stop", strings.Join(names, " → "))})
	}
	return ps
}

func contains(ns []node, n node) bool {
	for _, m := range ns {
		if m == n {
			return true
		}
	}
	return false
}

// components returns the strongly connected components of the graph
// (Tarjan), each in the order its nodes were listed.
func components(nodes []node, edges map[node][]node) [][]node {
	order := map[node]int{}
	for i, n := range nodes {
		order[n] = i
	}
	index, low := map[node]int{}, map[node]int{}
	onStack := map[node]bool{}
	var stack []node
	var out [][]node
	var visit func(n node)
	visit = func(n node) {
		index[n], low[n] = len(index), len(index)
		stack = append(stack, n)
		onStack[n] = true
		for _, m := range edges[n] {
			if _, seen := index[m]; !seen {
				visit(m)
				low[n] = min(low[n], low[m])
			} else if onStack[m] {
				low[n] = min(low[n], index[m])
			}
		}
		if low[n] != index[n] {
			return
		}
		var comp []node
		for {
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[m] = false
			comp = append(comp, m)
			if m == n {
				break
			}
		}
		// Listed order, so the first node is the one a reader meets first.
		slices.SortFunc(comp, func(a, b node) int { return cmp.Compare(order[a], order[b]) })
		out = append(out, comp)
	}
	for _, n := range nodes {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	slices.SortFunc(out, func(a, b []node) int { return cmp.Compare(order[a[0]], order[b[0]]) })
	return out
}

// shortestCycle is a shortest path from start back to start within in,
// start included at both ends.
func shortestCycle(start node, edges map[node][]node, in map[node]bool) []node {
	prev := map[node]node{}
	queue := []node{start}
	seen := map[node]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range edges[n] {
			if !in[m] {
				continue
			}
			if m == start {
				path := []node{start}
				for at := n; at != start; at = prev[at] {
					path = append(path, at)
				}
				path = append(path, start)
				for i, j := 1, len(path)-2; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if !seen[m] {
				seen[m] = true
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	return []node{start, start}
}
