// Package locales holds Saathi's user-facing text: go-i18n message files for
// Hindi (the default) and English, embedded in the binary, and the Hindi way
// of writing dates and times.
//
// Message files are named <anything>.<lang>.yaml; every message id must exist
// in every language (a test enforces it).
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// Default is the language of a user who has not chosen one.
const Default = "hi"

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the message files built into the binary.
func Embedded() fs.FS { return embedded }

// Catalog renders messages by id in a language. It is safe for concurrent use.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	ids        map[string]map[string]bool   // lang -> id -> present
	sources    map[string]map[string]string // lang -> id -> file that defined it
	parser     template.Parser
}

// Load reads the embedded message files, then the *.yaml message files of
// each extra file system in order (a later file overrides an id of an earlier one).
func Load(extra ...fs.FS) (*Catalog, error) {
	c := &Catalog{
		bundle:     i18n.NewBundle(language.Hindi),
		localizers: map[string]*i18n.Localizer{},
		ids:        map[string]map[string]bool{},
		sources:    map[string]map[string]string{},
		// missingkey=zero: with map[string]string data an absent field renders as "".
		parser: &template.TextParser{Option: "missingkey=zero"},
	}
	c.bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, fsys := range append([]fs.FS{embedded}, extra...) {
		if err := c.loadFS(fsys); err != nil {
			return nil, err
		}
	}
	for lang := range c.ids {
		c.localizers[lang] = i18n.NewLocalizer(c.bundle, lang)
	}
	if len(c.ids[Default]) == 0 {
		return nil, fmt.Errorf("load locales: no %q messages", Default)
	}
	return c, nil
}

func (c *Catalog) loadFS(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return fmt.Errorf("list message files: %w", err)
	}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read message file %s: %w", name, err)
		}
		mf, err := c.bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			return fmt.Errorf("parse message file %s: %w", name, err)
		}
		lang := mf.Tag.String()
		if c.ids[lang] == nil {
			c.ids[lang] = map[string]bool{}
			c.sources[lang] = map[string]string{}
		}
		for _, m := range mf.Messages {
			c.ids[lang][m.ID] = true
			c.sources[lang][m.ID] = path.Base(name)
		}
	}
	return nil
}

// Languages lists the languages that have messages, sorted.
func (c *Catalog) Languages() []string {
	langs := make([]string, 0, len(c.ids))
	for l := range c.ids {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Has reports whether id exists in lang.
func (c *Catalog) Has(lang, id string) bool { return c.ids[lang][id] }

// IDs lists the message ids of lang, sorted.
func (c *Catalog) IDs(lang string) []string {
	ids := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Source names the file that defined id in lang.
func (c *Catalog) Source(lang, id string) string { return c.sources[lang][id] }

// Text renders message id in lang with data. An unknown language falls back
// to Hindi; an unknown id renders as the id itself, so a mistake shows
// instead of an empty message (flows check catches it before that).
func (c *Catalog) Text(lang, id string, data map[string]string) string {
	return c.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: data, TemplateParser: c.parser})
}

// Plural renders message id in the plural form for count; data["count"] is set to count.
func (c *Catalog) Plural(lang, id string, count int, data map[string]string) string {
	d := make(map[string]string, len(data)+1)
	for k, v := range data {
		d[k] = v
	}
	d["count"] = fmt.Sprint(count)
	return c.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: count, TemplateParser: c.parser})
}

func (c *Catalog) localize(lang string, cfg *i18n.LocalizeConfig) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Default]
	}
	s, err := l.Localize(cfg)
	if err != nil {
		return cfg.MessageID
	}
	return strings.TrimSpace(s)
}
