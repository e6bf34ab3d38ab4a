package game

// Unused reports whether the room is open and nobody has ever connected to it: a room
// created and left so. Limits on what one client may hold count such rooms, since they
// cost the server a place under its room cap without serving anyone.
func (r *Room) Unused() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	// emptyEpoch counts the times the last connection closed: 0 with no connection open
	// means none ever opened.
	return !r.state.closed && r.state.sockets == 0 && r.emptyEpoch == 0
}
