package locales

import "strings"

// Phone writes an Indian mobile number the way people read it out: its
// ten digits in two groups of five, "98765 12345", without the +91 a
// stored number has. Anything else (a foreign number) is written as it is.
func Phone(p string) string {
	d, ok := strings.CutPrefix(p, "+91")
	if !ok || len(d) != 10 || strings.Trim(d, "0123456789") != "" {
		return p
	}
	return d[:5] + " " + d[5:]
}
