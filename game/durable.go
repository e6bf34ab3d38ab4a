package game

import "context"

// Durable waits until every event of the room so far is in its event log for good (at
// once for a room without a log), or ctx ends. What a client is told was done waits for
// it: an answer, the sender's own echo. Everyone else has seen the change already.
func (r *Room) Durable(ctx context.Context) error {
	if r.log == nil {
		return nil
	}
	r.mu.Lock()
	code, seq := r.state.game.Code, r.state.seq
	r.mu.Unlock()
	select {
	case <-r.log.Committed(code, seq):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
