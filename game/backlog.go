package game

import (
	"slices"

	"github.com/google/uuid"
)

// A room's backlog: the stories a team prepared, in the order it takes them, and the
// commands that start rounds on them. Who may: whoever may run the round
// (checkCanRunLocked). Every command checks all it is given before it emits anything,
// so a refused command changes nothing; a command that would change nothing emits
// nothing.

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
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	var estimate *Event
	if next.Estimate != nil {
		e, err := cleanEstimate(*next.Estimate)
		if err != nil {
			return err
		}
		rec := r.state.record(r.state.roundNumber)
		if r.state.round == RoundRevealed && rec != nil && rec.Estimate != e {
			estimate = &Event{Kind: EstimateSet, Round: rec.Number, Estimate: e}
		}
	}
	story, err := r.nextStoryLocked(next)
	if err != nil {
		return err
	}
	if estimate != nil {
		r.emit(estimate)
	}
	ev := &Event{Kind: RoundStarted, Story: story}
	if story != nil && story.Link != nil {
		u := *story.Link
		ev.TicketURL = &u
	}
	r.emit(ev)
	r.startRoundTimerLocked()
	return nil
}

// nextStoryLocked is the story the round next asks for starts on (nil: none).
func (r *Room) nextStoryLocked(next NextRound) (*Story, error) {
	switch {
	case next.Again:
		cur := r.state.story
		if cur == nil {
			return nil, nil
		}
		// A backlog story edited during its round is voted on again as it reads now.
		if b := r.state.backlogStory(cur.ID); cur.ID > 0 && b != nil {
			return copyStory(&b.Story), nil
		}
		return copyStory(cur), nil
	case next.StoryID > 0:
		b := r.state.backlogStory(next.StoryID)
		if b == nil {
			return nil, Errorf(ENotFound, "no story %d in the backlog", next.StoryID)
		}
		return copyStory(&b.Story), nil
	case next.Next:
		b := r.state.nextPending()
		if b == nil {
			return nil, Errorf(EConflict, "the backlog has no story left to estimate")
		}
		return copyStory(&b.Story), nil
	case next.Story != nil:
		s, err := checkStory(*next.Story)
		if err != nil {
			return nil, err
		}
		s.ID = 0
		return &s, nil
	}
	return nil, nil
}

// AddStories appends stories to the backlog (checked and cleaned one by one; the
// first bad one refuses them all, naming its place), up to MaxBacklogStories.
func (r *Room) AddStories(id uuid.UUID, stories []Story) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	if len(stories) == 0 {
		return Errorf(EInvalid, "no story to add")
	}
	if len(r.state.backlog)+len(stories) > MaxBacklogStories {
		return Errorf(EConflict, "the backlog holds at most %d stories", MaxBacklogStories)
	}
	added := make([]Story, len(stories))
	for i, s := range stories {
		c, err := checkStory(s)
		if err != nil {
			if len(stories) == 1 {
				return err
			}
			return Errorf(CodeOf(err), "story %d: %s", i+1, err.Error())
		}
		c.ID = r.state.nextStoryID + i
		added[i] = c
	}
	r.emit(&Event{Kind: StoriesAdded, Stories: added})
	return nil
}

// backlogStoryLocked finds a backlog story for a command of player id.
func (r *Room) backlogStoryLocked(id uuid.UUID, storyID int) (*BacklogStory, error) {
	if err := r.checkCanRunLocked(id); err != nil {
		return nil, err
	}
	b := r.state.backlogStory(storyID)
	if b == nil {
		return nil, Errorf(ENotFound, "no story %d in the backlog", storyID)
	}
	return b, nil
}

// EditStory replaces a backlog story's key, title and link.
func (r *Room) EditStory(id uuid.UUID, storyID int, s Story) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := r.backlogStoryLocked(id, storyID)
	if err != nil {
		return err
	}
	c, err := checkStory(s)
	if err != nil {
		return err
	}
	c.ID = storyID
	if sameStory(c, b.Story) {
		return nil
	}
	r.emit(&Event{Kind: StoryChanged, Story: &c, Skipped: b.Skipped})
	return nil
}

// sameStory reports whether a and b read the same.
func sameStory(a, b Story) bool {
	sameLink := (a.Link == nil) == (b.Link == nil) && (a.Link == nil || *a.Link == *b.Link)
	return a.ID == b.ID && a.Key == b.Key && a.Title == b.Title && sameLink
}

// SkipStory marks a backlog story skipped (or takes it back).
func (r *Room) SkipStory(id uuid.UUID, storyID int, skipped bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := r.backlogStoryLocked(id, storyID)
	if err != nil {
		return err
	}
	if b.Skipped == skipped {
		return nil
	}
	r.emit(&Event{Kind: StoryChanged, Story: copyStory(&b.Story), Skipped: skipped})
	return nil
}

// DeleteStory takes a story out of the backlog. Rounds already voted on it keep it in
// the record.
func (r *Room) DeleteStory(id uuid.UUID, storyID int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.backlogStoryLocked(id, storyID); err != nil {
		return err
	}
	r.emit(&Event{Kind: StoryDeleted, StoryID: storyID})
	return nil
}

// MoveStory moves a backlog story to position to (0-based, clamped to the backlog).
func (r *Room) MoveStory(id uuid.UUID, storyID int, to int) error {
	return r.moveStory(id, storyID, func(int) int { return to })
}

// MoveStoryBy moves a backlog story by places from where it is now: -1 one up, +1 one
// down (clamped to the backlog), as the backlog's arrows do.
func (r *Room) MoveStoryBy(id uuid.UUID, storyID int, by int) error {
	return r.moveStory(id, storyID, func(from int) int { return from + by })
}

// moveStory moves a backlog story to where given its place now.
func (r *Room) moveStory(id uuid.UUID, storyID int, where func(from int) int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.backlogStoryLocked(id, storyID); err != nil {
		return err
	}
	order := r.state.backlogOrder()
	from := slices.Index(order, storyID)
	to := min(max(where(from), 0), len(order)-1)
	if from == to {
		return nil
	}
	order = slices.Insert(slices.Delete(order, from, from+1), to, storyID)
	r.emit(&Event{Kind: BacklogReordered, Order: order})
	return nil
}

// ReorderBacklog puts the backlog in the given order of story ids: every id exactly
// once, or EInvalid.
func (r *Room) ReorderBacklog(id uuid.UUID, order []int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	now := r.state.backlogOrder()
	named := map[int]bool{}
	for _, sid := range order {
		if named[sid] || r.state.backlogStory(sid) == nil {
			return Errorf(EInvalid, "the order must name every story of the backlog once: %d is not one, or is named twice", sid)
		}
		named[sid] = true
	}
	if len(order) != len(now) {
		return Errorf(EInvalid, "the order must name every story of the backlog once: it names %d of %d", len(order), len(now))
	}
	if slices.Equal(order, now) {
		return nil
	}
	r.emit(&Event{Kind: BacklogReordered, Order: slices.Clone(order)})
	return nil
}

// VoteWith is Vote with the voter's confidence: unsure is kept only in a room whose
// rules ask for it (RoomOptions.AskConfidence), ignored otherwise.
func (r *Room) VoteWith(id uuid.UUID, value float64, unsure bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil {
		return err
	}
	if !r.state.game.Deck.HasValue(value) {
		return Errorf(EInvalid, "%v is not a card of the deck %q", value, r.state.game.Deck.Name)
	}
	unsure = unsure && r.state.game.Settings.Options.AskConfidence
	r.emit(&Event{Kind: VoteCast, Player: st.player, Value: value, Unsure: unsure})
	r.autoRevealLocked()
	return nil
}

// Leave frees the player's seat: their vote, their place in the room's capacity and
// their connections go (a PlayerRemoved with Cause LeftByChoice, which each connection
// of theirs learns of and closes). A facilitator who leaves passes the role to the
// player connected longest (FacilitatorChanged, Cause FacilitatorLeft); with nobody
// connected, the next to join (or to connect) becomes facilitator. They may join again.
func (r *Room) Leave(id uuid.UUID) error {
	epoch, empty, err := r.leave(id)
	r.noteEmpty(epoch, empty)
	return err
}

func (r *Room) leave(id uuid.UUID) (epoch uint64, empty bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	gone, err := r.seatLocked(id)
	if err != nil {
		return 0, false, err
	}
	wasAdmin := r.state.hasAdmin && r.state.adminID == id
	r.emit(&Event{Kind: PlayerRemoved, Player: gone.player, Cause: LeftByChoice})
	r.subs = slices.DeleteFunc(r.subs, func(s subscription) bool { return s.seated && s.playerID == id })
	if wasAdmin {
		r.stopAwayTimerLocked()
		r.awayExpired = false
		r.takeOverLocked(r.longestConnectedLocked())
	}
	r.autoRevealLocked()
	epoch, empty = r.emptiedLocked()
	return epoch, empty, nil
}

// takeOverLocked makes next the facilitator of a room whose facilitator left; nil
// (nobody here to take over) leaves the role to whoever comes next.
func (r *Room) takeOverLocked(next *seat) {
	if next == nil || r.state.hasAdmin {
		return
	}
	r.emit(&Event{Kind: FacilitatorChanged, Player: next.player, Cause: FacilitatorLeft})
	r.scheduleReleaseLocked()
	r.checkFacilitatorLocked()
}

// StoryStatus is where a backlog story stands, as every surface shows it.
type StoryStatus string

const (
	StoryPending   StoryStatus = "pending"   // still to estimate
	StoryCurrent   StoryStatus = "current"   // the round on now is on it
	StoryEstimated StoryStatus = "estimated" // the team agreed on an estimate
	StorySkipped   StoryStatus = "skipped"   // passed over by "Next story"
)

// StoryStatus is where the backlog story b stands in this state: the current round's
// story, estimated, skipped, or pending (what "Next story" picks from).
func (st *State) StoryStatus(b *BacklogStory) StoryStatus {
	switch {
	case st.Story != nil && st.Story.ID == b.ID && st.Round != RoundInit:
		return StoryCurrent
	case b.Estimated():
		return StoryEstimated
	case b.Skipped:
		return StorySkipped
	}
	return StoryPending
}
