package game

import (
	"testing"
	"time"
)

// BenchmarkVote measures what a vote costs the room, under its lock, without an event
// log and with one (encoding the event, a snapshot every SnapshotEveryDefault events):
// what the log adds to every room's path. Run with: go test -run '^$' -bench Vote ./game/
func BenchmarkVote(b *testing.B) {
	for _, logged := range []bool{false, true} {
		name := "memory"
		if logged {
			name = "logged"
		}
		b.Run(name, func(b *testing.B) {
			db, err := NewMemoryDeckDB(nil)
			if err != nil {
				b.Fatal(err)
			}
			cfg := RegistryConfig{Decks: db, Clock: newFakeClock(testStart), EmptyRoomGrace: time.Hour}
			if logged {
				cfg.Log = newMemStore().open()
			}
			reg := NewRegistry(cfg)
			room, err := reg.Create("Bench", DefaultDeckID, GameSettings{})
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range []Player{alice, bob, carol} {
				if err := room.Join(p); err != nil {
					b.Fatal(err)
				}
				if err := room.Connect(p.ID, &recorder{}); err != nil {
					b.Fatal(err)
				}
			}
			for range 20 { // a session record to image in each snapshot
				_ = room.StartRound(alice.ID, ptr("https://tracker.example/PROJ-1"))
				_ = room.Vote(bob.ID, 5)
				_ = room.Reveal(alice.ID)
			}
			_ = room.StartRound(alice.ID, nil)
			values := []float64{1, 2, 3, 5, 8}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := room.Vote(alice.ID, values[i%len(values)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
