package telegramtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// Command is one entry of a command menu the bot set.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// MenuKey names one menu: its scope ("default", or "chat:<id>") and its
// language_code ("" for none).
type MenuKey struct {
	Scope, Lang string
}

// presence is what the bot set with setMyCommands, deleteMyCommands,
// setMyDescription and setMyShortDescription. Guarded by Server.mu.
type presence struct {
	menus        map[MenuKey][]Command
	descriptions map[string]string // by language_code
	short        map[string]string
	log          []MenuCall
}

// MenuCall is one setMyCommands or deleteMyCommands call, in order.
type MenuCall struct {
	Method string // setMyCommands or deleteMyCommands
	MenuKey
	Commands []Command
	At       time.Time
}

var commandPattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// presenceMethod answers the presence methods, as Telegram checks them:
// commands of a-z, 0-9 and _ (1-32), descriptions of 1-256 characters, at
// most 100 commands, a bot description of at most 512 characters and a
// short one of at most 120. Any other method is Not Found.
func (s *Server) presenceMethod(method string, r *http.Request) (any, *apiError) {
	switch method {
	case "setmycommands", "deletemycommands", "getmycommands":
	case "setmydescription", "setmyshortdescription":
		return s.setDescription(method, r)
	default:
		return nil, &apiError{code: http.StatusNotFound, desc: "Not Found"}
	}
	key, err := menuKey(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.presence.menus == nil {
		s.presence.menus = map[MenuKey][]Command{}
	}
	switch method {
	case "getmycommands":
		return slices.Clone(s.presence.menus[key]), nil
	case "deletemycommands":
		delete(s.presence.menus, key)
		s.presence.log = append(s.presence.log, MenuCall{Method: "deleteMyCommands", MenuKey: key, At: time.Now()})
		s.notify()
		return true, nil
	}
	var cmds []Command
	if e := json.Unmarshal([]byte(r.Form.Get("commands")), &cmds); e != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !commandPattern.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("command description must be 1-256 characters")
		}
	}
	if len(cmds) == 0 {
		delete(s.presence.menus, key)
	} else {
		s.presence.menus[key] = cmds
	}
	s.presence.log = append(s.presence.log, MenuCall{Method: "setMyCommands", MenuKey: key, Commands: cmds, At: time.Now()})
	s.notify()
	return true, nil
}

// menuKey reads scope and language_code. Scopes other than default and
// chat are refused: the bot uses no others.
func menuKey(r *http.Request) (MenuKey, *apiError) {
	key := MenuKey{Scope: "default", Lang: r.Form.Get("language_code")}
	raw := r.Form.Get("scope")
	if raw == "" {
		return key, nil
	}
	var scope struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
	}
	if err := json.Unmarshal([]byte(raw), &scope); err != nil {
		return key, badRequest("can't parse BotCommandScope JSON object")
	}
	switch scope.Type {
	case "default":
	case "chat":
		if len(scope.ChatID) == 0 {
			return key, badRequest("chat_id is empty")
		}
		key.Scope = "chat:" + string(scope.ChatID)
	default:
		return key, badRequest("unsupported scope " + scope.Type)
	}
	return key, nil
}

func (s *Server) setDescription(method string, r *http.Request) (any, *apiError) {
	field, limit, m := "description", 512, &s.presence.descriptions
	if method == "setmyshortdescription" {
		field, limit, m = "short_description", 120, &s.presence.short
	}
	text := r.Form.Get(field)
	if utf8.RuneCountInString(text) > limit {
		return nil, badRequest(field + " is too long")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[r.Form.Get("language_code")] = text
	s.notify()
	return true, nil
}

// Menu is the menu the bot set for scope ("default" or "chat:<id>") and
// language_code lang, and whether it set one.
func (s *Server) Menu(scope, lang string) ([]Command, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds, ok := s.presence.menus[MenuKey{Scope: scope, Lang: lang}]
	return slices.Clone(cmds), ok
}

// MenuCalls lists the setMyCommands and deleteMyCommands calls in order.
func (s *Server) MenuCalls() []MenuCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.presence.log)
}

// Description and ShortDescription are what the bot set for language_code
// lang ("" for the default), and whether it set one.
func (s *Server) Description(lang string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.presence.descriptions[lang]
	return d, ok
}

// ShortDescription: see Description.
func (s *Server) ShortDescription(lang string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.presence.short[lang]
	return d, ok
}

// WaitMenu waits until the menu of scope and lang satisfies ok, or timeout
// passes; it reports the menu last seen and whether ok held.
func (s *Server) WaitMenu(scope, lang string, ok func([]Command, bool) bool, timeout time.Duration) ([]Command, bool) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		cmds, set := s.presence.menus[MenuKey{Scope: scope, Lang: lang}]
		cmds = slices.Clone(cmds)
		changed := s.changed
		s.mu.Unlock()
		if ok(cmds, set) {
			return cmds, true
		}
		select {
		case <-changed:
		case <-deadline:
			return cmds, false
		case <-s.done:
			return cmds, false
		}
	}
}
