package game

import "context"

// Durable waits until every event of the room so far is in its event log for good (at
// once for a room without a log), or ctx ends. What a client is told was done waits for
// it: an answer, the sender's own echo. Everyone else has seen the change already.
//
// It waits for the last event the room handed to the log: one that could not be encoded
// was never handed over (it was counted, see logged.go), and no commit will ever say so.
func (r *Room) Durable(ctx context.Context) error {
	if r.log == nil {
		return nil
	}
	r.mu.Lock()
	code, seq := r.state.game.Code, r.loggedSeq
	r.mu.Unlock()
	if seq == 0 {
		return nil
	}
	select {
	case <-r.log.Committed(code, seq):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
