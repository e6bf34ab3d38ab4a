package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
)

// A room's backlog over the JSON API, for tools that prepare a session:
//   - GET /api/game/{code}/stories?id=<player id>: the backlog, for any seated player;
//   - POST /api/game/{code}/stories {"id", one of "stories", "text", "csv"}: adds stories,
//     for whoever may run the round, all or none: any story that cannot be read is a 422
//     naming its place (its line, for text and CSV), and nothing is added;
//   - PUT /api/game/{code}/stories/order {"id", "order": [story ids]}: a new order;
//   - GET /api/game/{code}/stories.csv?id=<player id>: the per-story CSV (see package wire).
// The caller proves who they are with their own player id, as for the record.

// notAPlayer is the answer to an id that is no seat of the room's (an alias included):
// the id is the caller's credential, so a stranger learns nothing more than a player who
// may not.
var notAPlayer = &web.Error{Status: http.StatusForbidden, Detail: "Only a player of the game may see its stories"}

// notARunner is the answer to a player who may not change the backlog.
var notARunner = &web.Error{Status: http.StatusForbidden, Detail: "Only the facilitator may change the stories"}

// GetStories is GET /api/game/{code}/stories.
func (s *Handlers) GetStories(c echo.Context) error {
	room, playerID, err := s.callerRoom(c, storiesIDParams...)
	if err != nil {
		return err
	}
	if _, err := room.Seat(playerID); err != nil {
		if game.CodeOf(err) == game.ENotSeated {
			return notAPlayer
		}
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, wire.AppendBacklog(nil, room.State()))
}

// GetStoriesCSV is GET /api/game/{code}/stories.csv, for whoever may take the session
// record away.
func (s *Handlers) GetStoriesCSV(c echo.Context) error {
	st, _, err := s.sessionFor(c, "the stories", storiesIDParams...)
	if err != nil {
		return err
	}
	return wire.SendStoriesCSV(c, st)
}

// storiesIDParams are where the stories' routes take the caller's id: ?id=, or
// ?player_id= as the record takes it.
var storiesIDParams = []string{"id", "player_id"}

// AddStories is POST /api/game/{code}/stories: 201 with the backlog.
func (s *Handlers) AddStories(c echo.Context) error {
	var p problems
	code := c.Param("code")
	checkCodeParam(code, &p)
	body, ok, err := readObject(c, &p)
	if err != nil {
		return err
	}
	var playerID uuid.UUID
	var stories []game.Story
	if ok {
		playerID, _ = body.requiredUUID("id", []any{"body"}, &p)
		stories = readStories(body, &p)
	}
	if err := p.err(); err != nil {
		return err
	}
	return s.changeBacklog(c, code, playerID, http.StatusCreated, func(room *game.Room) error {
		return room.AddStories(playerID, stories)
	})
}

// ReorderStories is PUT /api/game/{code}/stories/order: 200 with the backlog.
func (s *Handlers) ReorderStories(c echo.Context) error {
	var p problems
	code := c.Param("code")
	checkCodeParam(code, &p)
	body, ok, err := readObject(c, &p)
	if err != nil {
		return err
	}
	var playerID uuid.UUID
	var order []int
	if ok {
		playerID, _ = body.requiredUUID("id", []any{"body"}, &p)
		order = readOrder(body, &p)
	}
	if err := p.err(); err != nil {
		return err
	}
	return s.changeBacklog(c, code, playerID, http.StatusOK, func(room *game.Room) error {
		return room.ReorderBacklog(playerID, order)
	})
}

// changeBacklog finds the room, applies change on the player's behalf, waits for it to
// be kept, and answers with the backlog as it is then.
func (s *Handlers) changeBacklog(c echo.Context, code string, playerID uuid.UUID, status int, change func(*game.Room) error) error {
	room, err := s.gate.FindRoom(c, code, playerID)
	if err != nil {
		return err
	}
	if err := change(room); err != nil {
		switch game.CodeOf(err) {
		case game.ENotSeated:
			return notAPlayer
		case game.EForbidden:
			return notARunner
		case game.EInvalid:
			// A rule of the backlog (its size, an order that is not every story once):
			// the request is what is wrong, in FastAPI's shape like every other 422.
			return problems{{Type: "value_error", Loc: []any{"body"}, Msg: "Value error, " + messageOf(err)}}.err()
		}
		return err
	}
	if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	return c.Blob(status, echo.MIMEApplicationJSON, wire.AppendBacklog(nil, room.State()))
}

// readStories reads the stories of a POST: exactly one of "stories" (a list of
// {"title"?, "key"?, "link"?}), "text" (one story per line, read as the room's paste box
// reads it) and "csv" (a CSV file's text: title,link, or an issue tracker's export).
func readStories(body jsonObject, p *problems) []game.Story {
	var given []string
	for _, name := range []string{"stories", "text", "csv"} {
		if body.has(name) {
			given = append(given, name)
		}
	}
	if len(given) != 1 {
		p.add("value_error", []any{"body"}, `Value error, send exactly one of "stories", "text" and "csv"`, nil)
		return nil
	}
	loc := []any{"body", given[0]}
	var stories []game.Story
	switch given[0] {
	case "stories":
		stories = readStoryList(body, loc, p)
	case "text":
		text, ok := body.requiredString("text", game.MaxImportBytes, []any{"body"}, p)
		if !ok {
			return nil
		}
		read, rejected := game.ParseStoryLines(text)
		addRowErrors(rejected, loc, p)
		stories = read
	case "csv":
		text, ok := body.requiredString("csv", game.MaxImportBytes, []any{"body"}, p)
		if !ok {
			return nil
		}
		read, rejected, err := game.ImportStoriesCSV(strings.NewReader(text))
		if err != nil {
			p.add("value_error", loc, "Value error, "+messageOf(err), nil)
			return nil
		}
		addRowErrors(rejected, loc, p)
		stories = read
	}
	if len(*p) == 0 && len(stories) == 0 {
		p.add("value_error", loc, "Value error, there is no story in it", nil)
	}
	return stories
}

// addRowErrors reports each line that could not be read, under loc and its line.
func addRowErrors(rejected []game.RowError, loc []any, p *problems) {
	for _, r := range rejected {
		p.add("value_error", at(loc, r.Line), "Value error, line "+strconv.Itoa(r.Line)+": "+r.Message, nil)
	}
}

// readStoryList reads "stories": a list of {"title"?, "key"?, "link"?}, each checked as
// the room checks a story, so that every bad one is named, by its place, at once.
func readStoryList(body jsonObject, loc []any, p *problems) []game.Story {
	items, isList := body.value("stories").([]any)
	switch {
	case !isList:
		p.add("list_type", loc, "Input should be a valid list", body.value("stories"))
		return nil
	case len(items) > game.MaxBacklogStories:
		p.add("too_long", loc, "List should have at most "+strconv.Itoa(game.MaxBacklogStories)+" items after validation, not "+strconv.Itoa(len(items)), nil)
		return nil
	}
	stories := make([]game.Story, 0, len(items))
	for i, item := range items {
		itemLoc := at(loc, i)
		fields, isObject := item.(map[string]any)
		if !isObject {
			p.add("model_type", itemLoc, "Input should be a valid dictionary", item)
			continue
		}
		obj := jsonObject{fields: rawFields(fields), input: fields}
		before := len(*p)
		var s game.Story
		s.Title = obj.optionalText("title", game.MaxStoryTitleLength, itemLoc, p)
		s.Key = obj.optionalText("key", game.MaxStoryKeyLength, itemLoc, p)
		if link, isString := obj.value("link").(string); isString {
			normal, err := game.NormalizeTicketURL(link)
			if err != nil {
				p.add("url_parsing", at(itemLoc, "link"), "Value error, "+messageOf(err), link)
				continue
			}
			s.Link = &normal
		} else if obj.value("link") != nil {
			p.add("string_type", at(itemLoc, "link"), "Input should be a valid string", obj.value("link"))
			continue
		}
		if len(*p) > before {
			continue
		}
		if s.IsZero() {
			p.add("value_error", itemLoc, "Value error, a story needs a title or a link", item)
			continue
		}
		stories = append(stories, s)
	}
	return stories
}

// optionalText reads a string field that may be missing or null (""), cleaned as the
// room cleans what everyone sees (game.CleanName), at most maxLen characters once clean.
func (o jsonObject) optionalText(name string, maxLen int, loc []any, p *problems) string {
	switch v := o.value(name).(type) {
	case nil:
		return ""
	case string:
		s := game.CleanName(v)
		if utf8.RuneCountInString(s) > maxLen {
			p.add("string_too_long", at(loc, name), "String should have at most "+strconv.Itoa(maxLen)+" characters", v)
			return ""
		}
		return s
	default:
		p.add("string_type", at(loc, name), "Input should be a valid string", v)
		return ""
	}
}

// readOrder reads "order": a list of story ids.
func readOrder(body jsonObject, p *problems) []int {
	loc := []any{"body", "order"}
	if !body.has("order") {
		p.add("missing", loc, "Field required", body.input)
		return nil
	}
	items, isList := body.value("order").([]any)
	if !isList {
		p.add("list_type", loc, "Input should be a valid list", body.value("order"))
		return nil
	}
	if len(items) > game.MaxBacklogStories {
		p.add("too_long", loc, "List should have at most "+strconv.Itoa(game.MaxBacklogStories)+" items after validation, not "+strconv.Itoa(len(items)), nil)
		return nil
	}
	order := make([]int, 0, len(items))
	for i, item := range items {
		n, ok := wholeNumber(item, at(loc, i), p)
		if ok {
			order = append(order, int(n))
		}
	}
	return order
}

// requiredUUID reads a field that must be present and a UUID in any common form.
func (o jsonObject) requiredUUID(name string, loc []any, p *problems) (uuid.UUID, bool) {
	if !o.has(name) {
		p.add("missing", at(loc, name), "Field required", o.input)
		return uuid.Nil, false
	}
	return o.optionalUUID(name, loc, p)
}

// messageOf is a domain error's user-safe message.
func messageOf(err error) string {
	var dom *game.Error
	if errors.As(err, &dom) {
		return dom.Message
	}
	return "it cannot be read"
}
