package pages

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/static"
	"github.com/pokerd/pokerd/views"
)

// ServeAsset serves an embedded asset; under its current hash it may be cached for ever.
func ServeAsset(c echo.Context) error {
	name, current, ok := static.Lookup(c.Param("*"))
	if !ok {
		return echo.ErrNotFound
	}
	if current {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
	data, err := fs.ReadFile(static.FS, name)
	if err != nil {
		return echo.ErrNotFound
	}
	gzipped, _ := static.Gzipped(name)
	return web.SendAsset(c, mime.TypeByExtension(path.Ext(name)), data, gzipped)
}

// Home is GET /.
func (s *Handlers) Home(c echo.Context) error {
	return web.Render(c, http.StatusOK, views.Home(s.homeData(c)))
}

func (s *Handlers) homeData(c echo.Context) views.HomeData {
	return views.HomeData{
		Page:  web.PageOf(c, "pokerd — planning poker"),
		Decks: s.decks.Decks(),
		Form: views.CreateForm{
			DeckID:  game.DefaultDeckID,
			Maximum: game.DefaultRoundTimer.Maximum,
			Warning: game.DefaultRoundTimer.Warning,
			Options: game.DefaultRoomOptions(),
		},
	}
}

// CreateRoom is POST /rooms: open a room and seat its creator as facilitator.
func (s *Handlers) CreateRoom(c echo.Context) error {
	d := s.homeData(c)
	f := &d.Form
	f.RoomName = c.FormValue("room_name")
	f.YourName = strings.TrimSpace(game.CleanName(c.FormValue("your_name")))
	f.DeckID, _ = strconv.Atoi(c.FormValue("deck_id"))
	f.Timer = c.FormValue("timer") == "on"
	var maxErr, warnErr error
	f.Maximum, maxErr = strconv.Atoi(strings.TrimSpace(c.FormValue("timer_max")))
	f.Warning, warnErr = strconv.Atoi(strings.TrimSpace(c.FormValue("timer_warn")))
	f.Custom = c.FormValue("deck_id") == "custom"
	f.CustomCards = c.FormValue("custom_cards")
	f.MaxPlayers = strings.TrimSpace(c.FormValue("max_players"))
	f.Options = optionsForm(c)
	f.Passcode = c.FormValue(web.PasscodeField)
	created, refused := s.gate.AdmitRoomCreation(c)
	if status, detail, ok := web.RefusalDetail(refused); ok {
		d.Error = detail
		return web.Render(c, status, views.Home(d))
	}

	settings := game.GameSettings{Options: f.Options}
	if f.Timer {
		settings.RoundTimer = &game.RoundTimerSettings{Maximum: f.Maximum, Warning: f.Warning}
	}
	err := checkUsername(f.YourName)
	if err == nil && f.Timer && (maxErr != nil || warnErr != nil) {
		// Text that is no number, or one too large for any: the domain's own words for
		// the rest (its bounds included) come from the room's check.
		err = game.Errorf(game.EInvalid, "The round timer takes whole minutes: a maximum from 2 to %d, a warning before it", game.MaxRoundTimerMinutes)
	}
	if err == nil {
		settings.MaxPlayers, err = maxPlayersForm(f.MaxPlayers)
	}
	if err == nil {
		settings.Passcode, err = game.HashPasscode(f.Passcode)
	}
	var room *game.Room
	if err == nil {
		room, err = s.createFromForm(f, settings)
	}
	if err == nil {
		created(room)
		me := game.Player{ID: web.SeatID(s.gate.BrowserIdentity(c), room.Code()), Username: f.YourName}
		if err = room.Join(me); err == nil {
			s.touchFromPage(c, room, me.ID) // the creator's page, with or without scripts, is here
		}
	}
	if err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		d.Error = dom.Message
		return web.Render(c, web.StatusOf(dom.Code), views.Home(d))
	}
	if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	s.log.Info("game created", "code", room.Code(), "deck", room.Game().Deck.ID, "from", "browser")
	return c.Redirect(http.StatusSeeOther, web.RoomWithPasscode(room.Code(), f.Passcode))
}

// maxPlayersForm reads the room's capacity; empty means none but the server's.
func maxPlayersForm(text string) (int, error) {
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 {
		return 0, game.Errorf(game.EInvalid, "The most players is a whole number from 1 to %d, or empty", game.MaxPlayersLimit)
	}
	return n, nil
}

// createFromForm opens the room with a configured deck or the cards the creator typed.
func (s *Handlers) createFromForm(f *views.CreateForm, settings game.GameSettings) (*game.Room, error) {
	if !f.Custom {
		return s.rooms.Create(f.RoomName, f.DeckID, settings)
	}
	cards, err := game.ParseCustomCards(f.CustomCards)
	if err != nil {
		return nil, err
	}
	return s.rooms.CreateWithCards(f.RoomName, cards, settings)
}

// checkUsername checks a name typed in the browser UI, already cleaned (game.CleanName):
// the page asks for one, where the JSON API takes an empty name.
func checkUsername(name string) error {
	switch {
	case name == "":
		return game.Errorf(game.EInvalid, "Please enter your name")
	case utf8.RuneCountInString(name) > game.MaxUsernameLength:
		return game.Errorf(game.EInvalid, "A name has at most %d characters", game.MaxUsernameLength)
	}
	return nil
}

// JoinByCode is GET /join?code=...: the home page's join form.
func (s *Handlers) JoinByCode(c echo.Context) error {
	typed := strings.TrimSpace(c.QueryParam("code"))
	code := strings.ToLower(typed)
	if !game.ValidCode(code) {
		d := s.homeData(c)
		d.JoinCode = typed
		d.JoinErr = "A room code is 4 to 10 letters and digits, like k7pq3mxa"
		return web.Render(c, http.StatusUnprocessableEntity, views.Home(d))
	}
	return c.Redirect(http.StatusSeeOther, "/join/"+code)
}

// JoinPage is GET /join/{code}, the link people share.
func (s *Handlers) JoinPage(c echo.Context) error {
	code := c.Param("code")
	room, lookupErr := s.findRoomForPage(c, code)
	if room == nil {
		return lookupErr
	}
	if _, err := room.Seat(web.SeatID(s.gate.BrowserIdentity(c), code)); err == nil {
		return c.Redirect(http.StatusSeeOther, "/room/"+code)
	}
	d := joinData(c, room)
	d.Removed = c.QueryParam("removed") == "1"
	return web.Render(c, http.StatusOK, views.Join(d))
}

func joinData(c echo.Context, room *game.Room) views.JoinData {
	g := room.Game()
	if room.HasPasscode() {
		// The room's name is for those who know the passcode.
		return views.JoinData{Page: web.PageOf(c, "Join a room"), Code: g.Code, Found: true, NeedsPasscode: true}
	}
	return views.JoinData{Page: web.PageOf(c, "Join "+g.Name), Code: g.Code, GameName: g.Name, Found: true}
}

// JoinRoom is POST /join/{code}.
func (s *Handlers) JoinRoom(c echo.Context) error {
	code := c.Param("code")
	room, lookupErr := s.findRoomForPage(c, code)
	if room == nil {
		return lookupErr
	}
	name := strings.TrimSpace(game.CleanName(c.FormValue("your_name")))
	if status, detail, ok := web.RefusalDetail(s.gate.AdmitJoin(c)); ok {
		d := joinData(c, room)
		d.Name, d.Error = name, detail
		return web.Render(c, status, views.Join(d))
	}
	me := web.SeatID(s.gate.BrowserIdentity(c), code)
	typed := c.FormValue(web.PasscodeField)
	if status, detail, ok := web.RefusalDetail(s.gate.PasscodeRefused(c, room, me, typed, web.PasscodeFromPage)); ok {
		d := joinData(c, room)
		d.Name, d.Error = name, detail
		return web.Render(c, status, views.Join(d))
	}
	err := checkUsername(name)
	if err == nil {
		if err = room.Join(game.Player{ID: me, Username: name}); err == nil {
			s.touchFromPage(c, room, me) // present from the moment they sit down
		}
	}
	if err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		d := joinData(c, room)
		d.Name, d.Error, d.Full = name, dom.Message, dom.Code == game.EConflict
		d.Passcode = typed
		return web.Render(c, web.StatusOf(dom.Code), views.Join(d))
	}
	if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/room/"+code)
}

// maxShownCode bounds what a page shows of a code that leads nowhere.
const maxShownCode = 100

// noSuchRoom answers a page for a room that does not exist (any more).
func noSuchRoom(c echo.Context, code string) error {
	return web.Render(c, http.StatusNotFound, views.Join(views.JoinData{Page: web.PageOf(c, "No such room"), Code: web.TruncateText(code, maxShownCode)}))
}

// seated finds the room and this browser's seat. Without a seat the answer is the join
// page (a redirect), without a room a 404 page.
func (s *Handlers) seated(c echo.Context) (*game.Room, game.Seat, error) {
	code := c.Param("code")
	room, lookupErr := s.findRoomForPage(c, code)
	if room == nil {
		return nil, game.Seat{}, lookupErr
	}
	seat, err := room.Seat(web.SeatID(s.gate.BrowserIdentity(c), code))
	if err != nil {
		if web.IsHTMX(c) {
			// Only a seated browser has the room page open: losing the seat since
			// means the facilitator removed this player.
			c.Response().Header().Set("HX-Redirect", "/join/"+code+"?removed=1")
			return nil, game.Seat{}, c.NoContent(http.StatusForbidden)
		}
		return nil, game.Seat{}, c.Redirect(http.StatusSeeOther, "/join/"+code)
	}
	return room, seat, nil
}

func (s *Handlers) roomData(c echo.Context, room *game.Room, seat game.Seat) views.RoomData {
	st := room.State()
	p := web.PageOf(c, views.RoomTitle(st)+" — pokerd")
	p.NoScriptPing = "/room/" + st.Game.Code + "/here.svg"
	return views.RoomData{
		Page:        p,
		State:       st,
		Me:          seat,
		ShareURL:    s.shareURL(c, st.Game.Code),
		HasPasscode: st.Game.Settings.Passcode.IsSet(),
		NotSaved:    s.notSaved(seat),
	}
}

// notSaved is why the room's changes are not being saved, for its facilitator (who can
// tell the server's operator); "" while the store is healthy, and for everyone else.
func (s *Handlers) notSaved(seat game.Seat) string {
	if s.storeFailing == nil || !seat.Admin {
		return ""
	}
	err := s.storeFailing()
	if err == nil {
		return ""
	}
	// The store's own words ("database or disk is full"): the message around them names
	// the server's file, which is the operator's to read, in the log.
	if cause := errors.Unwrap(err); cause != nil {
		err = cause
	}
	return err.Error()
}

// RoomPage is GET /room/{code}.
func (s *Handlers) RoomPage(c echo.Context) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	// Kept out of the back/forward cache, where its event stream would stay open.
	c.Response().Header().Set("Cache-Control", "no-store")
	s.touchFromPage(c, room, seat.Player.ID) // so that the page shows its player as here
	return web.Render(c, http.StatusOK, views.RoomPage(s.roomData(c, room, seat)))
}

// People is GET /room/{code}/people: the facilitator's list of players, fetched when
// players come, go or change role (empty for everyone else).
func (s *Handlers) People(c echo.Context) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.People(s.roomData(c, room, seat)))
}

// Hand is GET /room/{code}/hand: the viewer's own part, fetched when the round changes.
func (s *Handlers) Hand(c echo.Context) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.Hand(s.roomData(c, room, seat)))
}

// findRoomForPage is Gate.FindRoom for the pages: without a room, it answers the request
// itself, with the page saying there is no such room (404) or the refusal (429). An
// htmx request (an action, a part of the room page) is told to reload the page instead,
// which then shows the refusal: htmx would show nothing of a 429.
func (s *Handlers) findRoomForPage(c echo.Context, code string) (*game.Room, error) {
	room, err := s.gate.FindRoom(c, code)
	var refusal *web.LookupRefusal
	switch {
	case err == nil:
		return room, nil
	case !errors.As(err, &refusal):
		return nil, noSuchRoom(c, code)
	case web.IsHTMX(c):
		c.Response().Header().Set("HX-Refresh", "true")
		return nil, c.NoContent(http.StatusTooManyRequests)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return nil, web.Render(c, http.StatusTooManyRequests, views.LookupRefused(views.LookupRefusedData{
		Page: web.PageOf(c, "Too many room codes tried — pokerd"), RetryAfter: refusal.RetryAfter,
	}))
}
