package match

import "time"

// The package's functions read replies with the built-in word tables; the
// methods of the same names on Words read them with a coordinator's words
// added (ReadWords).

// YesNo is BuiltinWords().YesNo.
func YesNo(s string) Answer { return builtin.YesNo(s) }

// YesNoReason is BuiltinWords().YesNoReason.
func YesNoReason(s string) (Answer, string) { return builtin.YesNoReason(s) }

// Command is BuiltinWords().Command.
func Command(s string) (string, bool) { return builtin.Command(s) }

// Language is BuiltinWords().Language.
func Language(s string) (string, bool) { return builtin.Language(s) }

// CheckinCode is BuiltinWords().CheckinCode.
func CheckinCode(s string) (string, CodeKind) { return builtin.CheckinCode(s) }

// IsCheckin is BuiltinWords().IsCheckin.
func IsCheckin(s string) bool { return builtin.IsCheckin(s) }

// Date is BuiltinWords().Date.
func Date(s string, now time.Time) (time.Time, bool) { return builtin.Date(s, now) }

// DateIn is BuiltinWords().DateIn.
func DateIn(s string, now time.Time, dir Direction) (time.Time, bool) {
	return builtin.DateIn(s, now, dir)
}

// Int is BuiltinWords().Int.
func Int(s string) (int64, bool) { return builtin.Int(s) }

// ReadNumber is BuiltinWords().ReadNumber.
func ReadNumber(s string) Number { return builtin.ReadNumber(s) }

// Rating is BuiltinWords().Rating.
func Rating(s string) (int, bool) { return builtin.Rating(s) }

// Place is BuiltinWords().Place.
func Place(typed string, names []string) (kind PlaceKind, found []string) {
	return builtin.Place(typed, names)
}

// NewPlaces is BuiltinWords().NewPlaces.
func NewPlaces(names []string) *Places { return builtin.NewPlaces(names) }

// PlaceKey is BuiltinWords().PlaceKey.
func PlaceKey(s string) string { return builtin.PlaceKey(s) }

// PersonName is BuiltinWords().PersonName.
func PersonName(s string) string { return builtin.PersonName(s) }
