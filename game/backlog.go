package game

import "github.com/google/uuid"

// CONTRACT (issue 14): the signatures below are fixed; the bodies are built by the
// domain work. Who may: whoever may run the round (checkCanRunLocked).

// BacklogStory is one story of a room's backlog as everyone sees it. Entries are
// shared between snapshots and never changed once made: a change replaces the entry
// (and the backlog slice is never changed in place either, so a State may share it).
type BacklogStory struct {
	Story
	Skipped bool // passed over by "Next story" until taken back
	// Estimate is the agreed estimate of the story's last round that has one; "" none.
	Estimate string
	Rounds   int // rounds voted on the story so far
}

// Estimated reports whether the team agreed on an estimate for the story.
func (b *BacklogStory) Estimated() bool { return b.Estimate != "" }

// MaxBacklogStories bounds a room's backlog.
const MaxBacklogStories = 500

// NextRound says which round to start.
type NextRound struct {
	// Story: vote on this story, typed for this round (its ID is ignored). nil with
	// nothing else set: a round without a story.
	Story *Story
	// StoryID > 0: vote on the backlog's story with this id.
	StoryID int
	// Again: vote again on the round's current story (title, key, link and backlog
	// id kept).
	Again bool
	// Next: vote on the backlog's next story: the first, in backlog order, that is not
	// estimated, not skipped and not the current round's story. EConflict when none.
	Next bool
	// Estimate, when not nil and the round on show is revealed, is recorded as that
	// round's agreed estimate first (an empty one clears it), in the same step: moving
	// on never loses the estimate field.
	Estimate *string
}

// Start starts a round as next says. StartRound is Start for a link alone.
func (r *Room) Start(id uuid.UUID, next NextRound) error {
	return Errorf(EInvalid, "not built yet")
}

// AddStories appends stories to the backlog (checked and cleaned one by one; the
// first bad one refuses them all, naming its place), up to MaxBacklogStories.
func (r *Room) AddStories(id uuid.UUID, stories []Story) error {
	return Errorf(EInvalid, "not built yet")
}

// EditStory replaces a backlog story's key, title and link.
func (r *Room) EditStory(id uuid.UUID, storyID int, s Story) error {
	return Errorf(EInvalid, "not built yet")
}

// SkipStory marks a backlog story skipped (or takes it back).
func (r *Room) SkipStory(id uuid.UUID, storyID int, skipped bool) error {
	return Errorf(EInvalid, "not built yet")
}

// DeleteStory takes a story out of the backlog. Rounds already voted on it keep it in
// the record.
func (r *Room) DeleteStory(id uuid.UUID, storyID int) error {
	return Errorf(EInvalid, "not built yet")
}

// MoveStory moves a backlog story to position to (0-based, clamped to the backlog).
func (r *Room) MoveStory(id uuid.UUID, storyID int, to int) error {
	return Errorf(EInvalid, "not built yet")
}

// ReorderBacklog puts the backlog in the given order of story ids: every id exactly
// once, or EInvalid.
func (r *Room) ReorderBacklog(id uuid.UUID, order []int) error {
	return Errorf(EInvalid, "not built yet")
}

// VoteWith is Vote with the voter's confidence: unsure is kept only in a room whose
// rules ask for it (RoomOptions.AskConfidence), ignored otherwise.
func (r *Room) VoteWith(id uuid.UUID, value float64, unsure bool) error {
	return Errorf(EInvalid, "not built yet")
}

// Leave frees the player's seat: their vote, their place in the room's capacity and
// their connections go (a PlayerRemoved with Cause LeftByChoice, which each connection
// of theirs learns of and closes). A facilitator who leaves passes the role to the
// player connected longest (FacilitatorChanged, Cause FacilitatorLeft); with nobody
// connected, the next to join becomes facilitator. They may join again.
func (r *Room) Leave(id uuid.UUID) error {
	return Errorf(EInvalid, "not built yet")
}
