package flows

import (
	"testing"

	"github.com/saathi-bot/saathi/flows/match"
)

// A word command takes a training's id after it ("स्थिति t8j3dq5"), but
// not other words: a title that starts with a command word stays a title.
func TestWordCommandWithAnID(t *testing.T) {
	s := &Set{commands: map[string]string{match.Normalize("स्थिति"): "status", match.Normalize("प्रशिक्षण"): "mine", "/status": "status"}}
	for _, tc := range []struct {
		text, flow, arg string
		ok              bool
	}{
		{"स्थिति", "status", "", true},
		{"स्थिति t8j3dq5", "status", "t8j3dq5", true},
		{"  स्थिति   T8J3DQ5 ", "status", "t8j3dq5", true},
		{"/status t8j3dq5", "status", "t8j3dq5", true},
		{"प्रशिक्षण 2026", "", "", false},    // a title
		{"प्रशिक्षण tuesday", "", "", false}, // u is no id letter
		{"स्थिति t8j3dq", "", "", false},     // too short
		{"नई स्थिति t8j3dq5", "", "", false}, // not the command word
	} {
		flow, arg, ok := s.command(tc.text, match.BuiltinWords())
		if flow != tc.flow || arg != tc.arg || ok != tc.ok {
			t.Errorf("command(%q) = %q %q %v, want %q %q %v", tc.text, flow, arg, ok, tc.flow, tc.arg, tc.ok)
		}
	}
}
