package game

import "slices"

// How the room's state keeps its stories: the current round's story and the backlog.
// apply is the only caller; the backlog's slice and entries are replaced, never changed,
// because every snapshot shares them.

// roundStory is the story a RoundStarted starts the round on. An event written before
// rounds had stories carries the link alone: its story is that link.
func roundStory(ev *Event) *Story {
	if ev.Story != nil {
		return copyStory(ev.Story)
	}
	if ev.TicketURL != nil {
		u := *ev.TicketURL
		return &Story{Link: &u}
	}
	return nil
}

// copyStory is a copy of s that shares nothing with it (nil for nil).
func copyStory(s *Story) *Story {
	if s == nil {
		return nil
	}
	c := *s
	if s.Link != nil {
		u := *s.Link
		c.Link = &u
	}
	return &c
}

// backlogStory is the backlog's story with that id, or nil.
func (s *roomState) backlogStory(id int) *BacklogStory {
	for _, b := range s.backlog {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// changeStory replaces the backlog's story with that id by a changed copy of it. A
// story no longer in the backlog (deleted since its round started) is left alone.
func (s *roomState) changeStory(id int, change func(*BacklogStory)) {
	i := slices.IndexFunc(s.backlog, func(b *BacklogStory) bool { return b.ID == id })
	if i < 0 {
		return
	}
	b := *s.backlog[i]
	change(&b)
	backlog := slices.Clone(s.backlog)
	backlog[i] = &b
	s.setBacklog(backlog)
}

// setBacklog makes backlog the room's; an empty one is none, as a restored room's is.
func (s *roomState) setBacklog(backlog []*BacklogStory) {
	if len(backlog) == 0 {
		backlog = nil
	}
	s.backlog = backlog
}

// addStories appends stories whose ids are given; the next id follows the largest.
func (s *roomState) addStories(stories []Story) {
	backlog := slices.Clip(slices.Clone(s.backlog))
	for _, story := range stories {
		if story.ID <= 0 || s.backlogStory(story.ID) != nil {
			continue // never written by a command: apply keeps the ids unique regardless
		}
		backlog = append(backlog, &BacklogStory{Story: *copyStory(&story)})
		s.nextStoryID = max(s.nextStoryID, story.ID+1)
	}
	s.setBacklog(backlog)
}

// reorderBacklog puts the backlog in the given order of ids; a story the order leaves
// out (which no command writes) keeps its place after the ones named.
func (s *roomState) reorderBacklog(order []int) {
	backlog := make([]*BacklogStory, 0, len(s.backlog))
	placed := map[int]bool{}
	for _, id := range order {
		if b := s.backlogStory(id); b != nil && !placed[id] {
			backlog = append(backlog, b)
			placed[id] = true
		}
	}
	for _, b := range s.backlog {
		if !placed[b.ID] {
			backlog = append(backlog, b)
		}
	}
	s.setBacklog(backlog)
}

// storyEstimate is the estimate of the backlog story's latest recorded round that has
// one, or "".
func (s *roomState) storyEstimate(id int) string {
	est, latest := "", 0
	for _, rec := range s.records {
		if rec.StoryID == id && rec.Estimate != "" && rec.Number > latest {
			est, latest = rec.Estimate, rec.Number
		}
	}
	return est
}

// nextPending is the backlog's first story that is still to estimate: not estimated,
// not skipped, not the current round's story. nil when none is left.
func (s *roomState) nextPending() *BacklogStory {
	for _, b := range s.backlog {
		if b.Estimated() || b.Skipped || (s.story != nil && s.story.ID == b.ID) {
			continue
		}
		return b
	}
	return nil
}

// backlogOrder is every story id, in backlog order.
func (s *roomState) backlogOrder() []int {
	order := make([]int, len(s.backlog))
	for i, b := range s.backlog {
		order[i] = b.ID
	}
	return order
}
