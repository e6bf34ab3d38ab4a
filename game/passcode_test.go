package game

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

const testPasscode = "Blue falcon 42"

// newPasscodeRoom is a room created with testPasscode, alice seated as its facilitator.
func newPasscodeRoom(t *testing.T, reg *Registry) *Room {
	t.Helper()
	h, err := HashPasscode(testPasscode)
	mustOK(t, err)
	room, err := reg.Create("Secret planning", DefaultDeckID, GameSettings{Passcode: h})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	return room
}

// textsIn collects every string and every byte array or slice held in v, as text, so
// that a test can tell whether some value is kept anywhere in it.
func textsIn(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Array, reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			*out = append(*out, string(b))
			return
		}
		for i := range v.Len() {
			textsIn(v.Index(i), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			textsIn(v.Field(i), out)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			textsIn(v.Elem(), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			textsIn(k, out)
			textsIn(v.MapIndex(k), out)
		}
	}
}

func TestPasscode(t *testing.T) {
	t.Run("a room keeps a salted hash of its passcode, never the passcode", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		room := newPasscodeRoom(t, reg)
		var texts []string
		textsIn(reflect.ValueOf(room.Game()), &texts)
		textsIn(reflect.ValueOf(room.State()), &texts)
		textsIn(reflect.ValueOf(&room.state).Elem(), &texts) // everything the room folds
		for _, s := range texts {
			for _, form := range []string{testPasscode, strings.ToLower(testPasscode), "falcon"} {
				if strings.Contains(s, form) {
					t.Fatalf("the room holds %q, which contains the passcode", s)
				}
			}
		}
		if !room.HasPasscode() {
			t.Fatal("the room has no passcode")
		}
		// The same passcode in another room: another salt, so another hash.
		other := newPasscodeRoom(t, reg)
		if room.Game().Settings.Passcode == other.Game().Settings.Passcode {
			t.Fatal("two rooms with one passcode keep the same hash: there is no salt")
		}
		mustOK(t, other.CheckPasscode(testPasscode))
	})

	t.Run("the passcode lets a newcomer in, anything else is refused", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		room := newPasscodeRoom(t, reg)
		for _, ok := range []string{
			testPasscode,
			"  " + testPasscode + "\t", // spaces around it do not count
			"Blue\u200b falcon 42",     // nor an invisible character that came along in a paste
		} {
			if err := room.CheckPasscode(ok); err != nil {
				t.Errorf("%q refused: %v", ok, err)
			}
		}
		for _, wrong := range []string{
			"blue falcon 42",                  // case counts
			"Blue falcon 4",                   // a prefix
			"Blue falcon 421",                 // longer
			"Bluefalcon 42",                   // the spaces inside count
			strings.Repeat("Blue falcon ", 9), // far too long to be a passcode
		} {
			err := room.CheckPasscode(wrong)
			wantCode(t, err, EForbidden)
			if !strings.Contains(err.Error(), "not the room's") {
				t.Errorf("%q: %v", wrong, err)
			}
		}
		for _, missing := range []string{"", "   ", "\u200b"} {
			err := room.CheckPasscode(missing)
			wantCode(t, err, EForbidden)
			if !strings.Contains(err.Error(), "needs a passcode") {
				t.Errorf("%q: %v", missing, err)
			}
		}
	})

	t.Run("an empty passcode is no passcode", func(t *testing.T) {
		for _, typed := range []string{"", "    ", "\u200b\u200b"} {
			h, err := HashPasscode(typed)
			mustOK(t, err)
			if h.IsSet() || h.Matches("") || h.Matches(typed) {
				t.Fatalf("%q made a passcode", typed)
			}
		}
		reg, _ := newTestRegistry(t, RegistryConfig{})
		h, _ := HashPasscode("  ")
		room, err := reg.Create("open", DefaultDeckID, GameSettings{Passcode: h})
		mustOK(t, err)
		if room.HasPasscode() {
			t.Fatal("a room created with a blank passcode has one")
		}
		mustOK(t, room.CheckPasscode(""))
		mustOK(t, room.CheckPasscode("whatever"))
	})

	t.Run("a passcode has 4 to 64 characters, counted as characters", func(t *testing.T) {
		for _, typed := range []string{"abc", " ab ", strings.Repeat("x", MaxPasscodeLength+1)} {
			_, err := HashPasscode(typed)
			wantCode(t, err, EInvalid)
			if !strings.Contains(err.Error(), "4 to 64 characters") {
				t.Errorf("%q: %v", typed, err)
			}
		}
		for _, typed := range []string{"abcd", "🂡🂱🃁🃑", strings.Repeat("é", MaxPasscodeLength)} {
			h, err := HashPasscode(typed)
			mustOK(t, err)
			if !h.Matches(typed) {
				t.Errorf("%q does not match itself", typed)
			}
		}
	})

	t.Run("checking the passcode while the room works is safe", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		room := newPasscodeRoom(t, reg)
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range 20 {
				mustOK(t, room.SetOptions(alice.ID, RoomOptions{AutoReveal: i%2 == 0}))
			}
		})
		for range 4 {
			mustOK(t, room.CheckPasscode(testPasscode))
		}
		wg.Wait()
	})
}
