package flows

import (
	"fmt"
	"sort"
	"strings"
	"text/template"
)

// callStep asks the engine's services for something (a training's details,
// a check-in) and goes on by the answer's status.
type callStep struct {
	base
	name string
	args map[string]*template.Template
	on   map[string]string // status -> step; otherwise next
}

func newCallStep(b base, s stepSpec) (*callStep, error) {
	if s.Call == "" {
		return nil, fmt.Errorf("call needs a call name")
	}
	c := &callStep{base: b, name: s.Call, args: map[string]*template.Template{}, on: s.On}
	for k, v := range s.Args {
		t, err := parseTemplate(v)
		if err != nil {
			return nil, fmt.Errorf("arg %s: %w", k, err)
		}
		c.args[k] = t
	}
	if s.Next == "" && len(s.On) == 0 {
		return nil, fmt.Errorf("call needs next or on")
	}
	return c, nil
}

func (c *callStep) Messages() []string { return nil }

func (c *callStep) Targets() []string {
	keys := make([]string, 0, len(c.on))
	for k := range c.on {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		out = append(out, nonEmpty(c.on[k])...)
	}
	return append(out, nonEmpty(c.next)...)
}

func (c *callStep) run(r *run) string {
	data := r.fieldData()
	args := make(map[string]string, len(c.args))
	for k, t := range c.args {
		args[k] = render(t, data)
	}
	res, ok := r.call(c.name, args)
	if !ok {
		return ""
	}
	for k, v := range res.Fields {
		r.setField(k, v)
	}
	if to, ok := c.on[res.Status]; ok {
		return to
	}
	return c.next
}

func parseTemplate(text string) (*template.Template, error) {
	return template.New("").Option("missingkey=zero").Parse(text)
}

func render(t *template.Template, data map[string]string) string {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return ""
	}
	return strings.ReplaceAll(b.String(), "<no value>", "")
}
