package ws

import (
	"testing"

	"github.com/pokerd/pokerd/game"
)

// OPTIONS reads every room rule by its key.
func TestOptionsReadsEveryRule(t *testing.T) {
	for _, r := range game.RoomRules {
		change, err := decodeOptionsChange([]byte(`{"` + r.Key + `":true}`))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := change.applyTo(game.RoomOptions{}), r.With(game.RoomOptions{}, true); got != want {
			t.Errorf("OPTIONS %s: %+v, want %+v", r.Key, got, want)
		}
		if _, err := decodeOptionsChange([]byte(`{"` + r.Key + `":null}`)); err == nil {
			t.Errorf("OPTIONS %s null was taken", r.Key)
		}
	}
}
