package root

import "strings"

// isUsage recognises cobra's own argument and command errors.
func isUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts at most", "accepts between", "requires at least", "accepts ", "unknown flag", "unknown shorthand", "invalid argument", "flag needs an argument"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
