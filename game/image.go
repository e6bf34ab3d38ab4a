package game

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
)

// A room's image is its whole state at one point of its history, as the event log keeps
// it every so many events (a snapshot), so that bringing a room back replays only the
// events after it. It is a copy of roomState in exported, JSON-encodable form: the
// state's own fields stay private, so that only apply changes them.

// ImageVersion is the version of the image format this binary writes. DecodeImage
// reads every version up to it and refuses newer ones.
const ImageVersion = 1

// RoomImage is a room's whole state at sequence number Seq.
type RoomImage struct {
	Version int         `json:"v"`
	Seq     uint64      `json:"seq"`
	Game    GameImage   `json:"game"`
	Seats   []SeatImage `json:"seats"` // in join order
	Admin   *uuid.UUID  `json:"admin,omitempty"`
	Round   RoundState  `json:"round"`
	// TicketURL is the current story's link, as images written before stories had it
	// (Story nil): read, never written.
	TicketURL   *string        `json:"ticket,omitempty"`
	Story       *StoryImage    `json:"story,omitempty"`
	Backlog     []BacklogImage `json:"backlog,omitempty"`
	NextStoryID int            `json:"nextStoryID,omitempty"`
	RoundStart  *time.Time     `json:"roundStart,omitempty"`
	RoundNumber int            `json:"roundNumber"`
	Records     []*RoundRecord `json:"records,omitempty"`
	RecordLimit int            `json:"recordLimit"`
	Closed      bool           `json:"closed,omitempty"`
	CreatedAt   time.Time      `json:"createdAt"`
	LastEventAt time.Time      `json:"lastEventAt"`
	// EverConnected: somebody has connected to the room at least once.
	EverConnected bool `json:"everConnected,omitempty"`
}

// SeatImage is one seat of a RoomImage, connections included: the events after the
// image close them.
type SeatImage struct {
	Player         PlayerImage `json:"player"`
	Sockets        int         `json:"sockets,omitempty"`
	ByPage         bool        `json:"byPage,omitempty"`
	ConnectedSince time.Time   `json:"connectedSince"`
	Vote           *float64    `json:"vote,omitempty"`
	Unsure         bool        `json:"unsure,omitempty"`
	Observing      bool        `json:"observing,omitempty"`
	Used           bool        `json:"used,omitempty"`
	LastSeen       time.Time   `json:"lastSeen"`
	LeftAt         time.Time   `json:"leftAt"`
	LeftObserving  bool        `json:"leftObserving,omitempty"`
}

// StoryImage is a Story as images and encoded events carry it.
type StoryImage struct {
	ID    int     `json:"id,omitempty"`
	Key   string  `json:"key,omitempty"`
	Title string  `json:"title,omitempty"`
	Link  *string `json:"link,omitempty"`
}

func imageOfStory(s Story) StoryImage {
	return StoryImage{ID: s.ID, Key: s.Key, Title: s.Title, Link: copyStory(&s).Link}
}

func (img StoryImage) story() Story {
	s := Story{ID: img.ID, Key: img.Key, Title: img.Title, Link: img.Link}
	return *copyStory(&s)
}

// BacklogImage is one story of a RoomImage's backlog.
type BacklogImage struct {
	StoryImage
	Skipped  bool   `json:"skipped,omitempty"`
	Estimate string `json:"estimate,omitempty"`
	Rounds   int    `json:"rounds,omitempty"`
}

// PlayerImage is a Player as images and encoded events carry it.
type PlayerImage struct {
	ID    uuid.UUID `json:"id"`
	Alias uuid.UUID `json:"alias"`
	Name  string    `json:"name"`
}

func imageOfPlayer(p Player) PlayerImage {
	return PlayerImage{ID: p.ID, Alias: p.Alias, Name: p.Username}
}

func (p PlayerImage) player() Player { return Player{ID: p.ID, Alias: p.Alias, Username: p.Name} }

// GameImage is a GameInfo as images and encoded events carry it, its passcode's salted
// hash included (never a passcode).
type GameImage struct {
	Code         string              `json:"code"`
	Name         string              `json:"name"`
	Deck         Deck                `json:"deck"`
	RoundTimer   *RoundTimerSettings `json:"roundTimer,omitempty"`
	MaxPlayers   int                 `json:"maxPlayers,omitempty"`
	Options      RoomOptions         `json:"options"`
	PasscodeSalt []byte              `json:"passcodeSalt,omitempty"`
	PasscodeHash []byte              `json:"passcodeHash,omitempty"`
}

func imageOfGame(g GameInfo) GameImage {
	img := GameImage{
		Code: g.Code, Name: g.Name, Deck: cloneDeck(g.Deck),
		MaxPlayers: g.Settings.MaxPlayers, Options: g.Settings.Options,
	}
	if t := g.Settings.RoundTimer; t != nil {
		c := *t
		img.RoundTimer = &c
	}
	if p := g.Settings.Passcode; p.set {
		img.PasscodeSalt, img.PasscodeHash = bytes.Clone(p.salt[:]), bytes.Clone(p.hash[:])
	}
	return img
}

func (img GameImage) gameInfo() (GameInfo, error) {
	g := GameInfo{Code: img.Code, Name: img.Name, Deck: cloneDeck(img.Deck), Settings: GameSettings{
		MaxPlayers: img.MaxPlayers, Options: img.Options,
	}}
	if t := img.RoundTimer; t != nil {
		c := *t
		g.Settings.RoundTimer = &c
	}
	switch {
	case img.PasscodeSalt == nil && img.PasscodeHash == nil:
	case len(img.PasscodeSalt) == passcodeSaltSize && len(img.PasscodeHash) == len(g.Settings.Passcode.hash):
		g.Settings.Passcode.set = true
		copy(g.Settings.Passcode.salt[:], img.PasscodeSalt)
		copy(g.Settings.Passcode.hash[:], img.PasscodeHash)
	default:
		return GameInfo{}, fmt.Errorf("room %q: a passcode hash of the wrong size", img.Code)
	}
	return g, nil
}

// image copies the state into its exported form.
func (s *roomState) image() *RoomImage {
	img := &RoomImage{
		Version: ImageVersion, Seq: s.seq, Game: imageOfGame(s.game), Round: s.round,
		RoundStart: s.roundStart, RoundNumber: s.roundNumber, NextStoryID: s.nextStoryID,
		Records: s.records, RecordLimit: s.recordLimit, Closed: s.closed,
		CreatedAt: s.createdAt, LastEventAt: s.lastEventAt, EverConnected: s.everConnected,
		Seats: make([]SeatImage, len(s.seats)),
	}
	if s.hasAdmin {
		id := s.adminID
		img.Admin = &id
	}
	if s.story != nil {
		story := imageOfStory(*s.story)
		img.Story = &story
	}
	for _, b := range s.backlog {
		img.Backlog = append(img.Backlog, BacklogImage{
			StoryImage: imageOfStory(b.Story), Skipped: b.Skipped, Estimate: b.Estimate, Rounds: b.Rounds,
		})
	}
	for i, st := range s.seats {
		img.Seats[i] = SeatImage{
			Player: imageOfPlayer(st.player), Sockets: st.sockets, ByPage: st.byPage,
			ConnectedSince: st.connectedSince, Vote: st.vote, Unsure: st.unsure, Observing: st.observing,
			Used: st.used, LastSeen: st.lastSeen, LeftAt: st.leftAt, LeftObserving: st.leftObserving,
		}
	}
	return img
}

// state rebuilds the roomState the image was taken of. It checks what apply relies on
// (each seat once, the facilitator seated or gone, counts that add up), so that a
// damaged image is an error rather than a room that fails later.
func (img *RoomImage) state() (roomState, error) {
	s := newRoomState()
	g, err := img.Game.gameInfo()
	if err != nil {
		return roomState{}, err
	}
	switch img.Round {
	case RoundInit, RoundVoting, RoundRevealed:
	default:
		return roomState{}, fmt.Errorf("room %q: unknown round state %q", img.Game.Code, img.Round)
	}
	if img.RoundNumber < 0 || img.RecordLimit < 0 {
		return roomState{}, fmt.Errorf("room %q: negative round number or record limit", img.Game.Code)
	}
	s.seq, s.game, s.round, s.roundNumber = img.Seq, g, img.Round, img.RoundNumber
	s.roundStart = img.RoundStart
	if err := img.restoreStories(&s); err != nil {
		return roomState{}, err
	}
	s.records, s.recordLimit, s.closed = img.Records, img.RecordLimit, img.Closed
	s.createdAt, s.lastEventAt, s.everConnected = img.CreatedAt, img.LastEventAt, img.EverConnected
	if img.Admin != nil {
		s.adminID, s.hasAdmin = *img.Admin, true
	}
	for _, si := range img.Seats {
		p := si.Player.player()
		_, dupID := s.byID[p.ID]
		_, dupAlias := s.byAlias[p.Alias]
		if dupID || dupAlias {
			return roomState{}, fmt.Errorf("room %q: player %s is seated twice", img.Game.Code, p.Alias)
		}
		if si.Sockets < 0 || (si.ByPage && si.Sockets == 0) {
			return roomState{}, fmt.Errorf("room %q: player %s has %d connections", img.Game.Code, p.Alias, si.Sockets)
		}
		st := &seat{
			player: p, sockets: si.Sockets, byPage: si.ByPage, connectedSince: si.ConnectedSince,
			vote: si.Vote, unsure: si.Unsure, observing: si.Observing, used: si.Used, lastSeen: si.LastSeen,
			leftAt: si.LeftAt, leftObserving: si.LeftObserving,
		}
		s.seats = append(s.seats, st)
		s.byID[p.ID], s.byAlias[p.Alias] = st, st
		s.sockets += si.Sockets
	}
	for _, rec := range s.records {
		if rec == nil {
			return roomState{}, fmt.Errorf("room %q: an empty round record", img.Game.Code)
		}
	}
	return s, nil
}

// restoreStories brings back the current story and the backlog, checking what the
// commands keep true: story ids unique and below the next id, stories not empty.
func (img *RoomImage) restoreStories(s *roomState) error {
	code := img.Game.Code
	switch {
	case img.Story != nil:
		story := img.Story.story()
		s.story = &story
	case img.TicketURL != nil: // an image from before stories: the round's link
		u := *img.TicketURL
		s.story = &Story{Link: &u}
	}
	s.nextStoryID = max(img.NextStoryID, 1)
	if len(img.Backlog) > MaxBacklogStories {
		return fmt.Errorf("room %q: %d stories in the backlog", code, len(img.Backlog))
	}
	if s.story != nil && (s.story.ID < 0 || s.story.ID >= s.nextStoryID) {
		return fmt.Errorf("room %q: the current story's id %d was never given", code, s.story.ID)
	}
	seen := map[int]bool{}
	for _, bi := range img.Backlog {
		b := &BacklogStory{Story: bi.story(), Skipped: bi.Skipped, Estimate: bi.Estimate, Rounds: bi.Rounds}
		switch {
		case b.ID <= 0 || b.ID >= s.nextStoryID:
			return fmt.Errorf("room %q: backlog story id %d was never given (next is %d)", code, b.ID, s.nextStoryID)
		case seen[b.ID]:
			return fmt.Errorf("room %q: backlog story %d is there twice", code, b.ID)
		case b.IsZero():
			return fmt.Errorf("room %q: backlog story %d is empty", code, b.ID)
		case b.Rounds < 0:
			return fmt.Errorf("room %q: backlog story %d has %d rounds", code, b.ID, b.Rounds)
		}
		seen[b.ID] = true
		s.backlog = append(s.backlog, b)
	}
	return nil
}

// decodeStrict decodes one JSON value into v, refusing fields v does not have and
// anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the end")
	}
	return nil
}

// EncodeImage encodes a room image for the event log.
func EncodeImage(img *RoomImage) ([]byte, error) {
	return json.Marshal(img)
}

// DecodeImage reads what EncodeImage wrote, in this or an older version. Bad input is an
// error, never a panic.
func DecodeImage(data []byte) (*RoomImage, error) {
	var img RoomImage
	if err := decodeStrict(data, &img); err != nil {
		return nil, fmt.Errorf("a room image that cannot be read: %w", err)
	}
	if img.Version < 1 || img.Version > ImageVersion {
		return nil, fmt.Errorf("a room image of format version %d; this binary reads 1 to %d", img.Version, ImageVersion)
	}
	return &img, nil
}
