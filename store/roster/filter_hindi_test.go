package roster

import (
	"errors"
	"strings"
	"testing"
)

// Every filter ParseFilter refuses says why in Hindi too, and its English
// still names the filter.
func TestFilterErrorsHaveHindi(t *testing.T) {
	for _, s := range []string{"-role", "role", "colour=red", "role=", "role=king", "designation=राजा", "phone=123"} {
		_, err := ParseFilter(s)
		var fe *FilterError
		if !errors.As(err, &fe) || fe.Hindi() == "" || !strings.HasPrefix(err.Error(), "filter ") {
			t.Errorf("%q: %v, want a FilterError with its Hindi", s, err)
		}
	}
}
