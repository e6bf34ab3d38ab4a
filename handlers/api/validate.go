package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// problem is one validation failure, in the shape FastAPI gives them, so that the
// reference's clients read our 422 bodies like its own.
type problem struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input"`
}

// problems collects the failures of one request; it becomes a 422 when not empty.
type problems []problem

func (p *problems) add(typ string, loc []any, msg string, input any) {
	*p = append(*p, problem{Type: typ, Loc: loc, Msg: msg, Input: echoable(input)})
}

// Bounds on what a problem echoes of its input, so that an answer never grows with what
// was sent beyond a constant per problem: a string or a number's text keeps its first
// maxEchoedText characters, an object or a list whose JSON is longer than
// maxEchoedJSON becomes the start of that JSON, as a string. Both end in "…" when cut.
// A passcode is never echoed (see withoutPasscodes).
const (
	maxEchoedText = 100
	maxEchoedJSON = 1024
)

func echoable(input any) any {
	switch v := input.(type) {
	case string:
		return web.TruncateText(v, maxEchoedText)
	case json.Number:
		if len(v) > maxEchoedText {
			return web.TruncateText(string(v), maxEchoedText) // a cut number is no number: a string
		}
	case map[string]any, []any:
		input, _ = withoutPasscodes(v)
		data, err := json.Marshal(input)
		if err != nil || len(data) > maxEchoedJSON {
			return web.TruncateText(string(data), maxEchoedText)
		}
	}
	return input
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &web.Error{Status: http.StatusUnprocessableEntity, Detail: []problem(p)}
}

// jsonObject is a decoded request body: its fields by name, and what was sent, to echo
// in problems.
type jsonObject struct {
	fields map[string]json.RawMessage
	input  any
}

// readObject decodes the request body as a JSON object. A body that is not JSON, not an
// object, or empty is a validation problem (422), never a 400. The error is for a body
// that could not be read at all (over the size limit: 413).
func readObject(c echo.Context, p *problems) (jsonObject, bool, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonObject{}, false, err
	}
	if !isJSONContentType(c.Request().Header.Get(echo.HeaderContentType)) {
		// As FastAPI: only a JSON body is read as one. This also keeps other sites from
		// posting forms here through their visitors' browsers without a CORS preflight.
		p.add("model_attributes_type", []any{"body"}, "Input should be a valid dictionary or object to extract fields from", bodyWithoutPasscodes(body))
		return jsonObject{}, false, nil
	}
	var input any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if len(bytes.TrimSpace(body)) == 0 {
		p.add("missing", []any{"body"}, "Field required", nil)
		return jsonObject{}, false, nil
	}
	if err := dec.Decode(&input); err != nil || !json.Valid(body) {
		p.add("json_invalid", []any{"body", 0}, "JSON decode error", map[string]any{})
		return jsonObject{}, false, nil
	}
	if _, isObject := input.(map[string]any); !isObject {
		p.add("model_attributes_type", []any{"body"}, "Input should be a valid dictionary or object to extract fields from", input)
		return jsonObject{}, false, nil
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body, &fields)
	return jsonObject{fields: fields, input: input}, true, nil
}

// isJSONContentType accepts a missing type, application/json and any +json type.
func isJSONContentType(contentType string) bool {
	if contentType == "" {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mediaType == echo.MIMEApplicationJSON || (strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json"))
}

func (o jsonObject) value(name string) any { return o.input.(map[string]any)[name] }

func (o jsonObject) has(name string) bool { _, ok := o.fields[name]; return ok }

// requiredString reads a required string field, at most maxLen characters (0: any).
func (o jsonObject) requiredString(name string, maxLen int, loc []any, p *problems) (string, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		p.add("missing", loc, "Field required", o.input)
		return "", false
	}
	s, ok := o.value(name).(string)
	if !ok {
		p.add("string_type", loc, "Input should be a valid string", o.value(name))
		return "", false
	}
	if maxLen > 0 && utf8.RuneCountInString(s) > maxLen {
		p.add("string_too_long", loc, "String should have at most "+strconv.Itoa(maxLen)+" characters", s)
		return "", false
	}
	return s, true
}

// requiredName reads a required name field, cleaned as the room cleans names (see
// game.CleanName), and refuses it when it is longer than maxLen characters once clean.
func (o jsonObject) requiredName(name string, maxLen int, loc []any, p *problems) (string, bool) {
	s, ok := o.requiredString(name, 0, loc, p)
	if !ok {
		return "", false
	}
	s = game.CleanName(s)
	if utf8.RuneCountInString(s) > maxLen {
		p.add("string_too_long", at(loc, name), "String should have at most "+strconv.Itoa(maxLen)+" characters", s)
		return "", false
	}
	return s, true
}

// maxNumberText bounds the text of a number read from outside, checked before it is
// parsed: no whole number we take needs more, and work on it never grows with what was sent.
const maxNumberText = 64

// wholeNumber reads a value that must be a whole number that fits in 64 bits. Like
// pydantic's lax mode it takes 3, 3.0, 3e2 and "3". Larger numbers (or longer text) are
// refused as pydantic refuses an integer string that is too long, before any work that
// grows with them.
func wholeNumber(v any, loc []any, p *problems) (int64, bool) {
	var text string
	switch v := v.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	default:
		p.add("int_type", loc, "Input should be a valid integer", v)
		return 0, false
	}
	if len(text) > maxNumberText {
		p.add("int_parsing_size", loc, tooLargeMessage, v)
		return 0, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err == nil {
		return n, true
	}
	if errors.Is(err, strconv.ErrRange) {
		p.add("int_parsing_size", loc, tooLargeMessage, v)
		return 0, false
	}
	// 3.0 and 3e2: a number with no fraction. ParseFloat's work does not grow with the
	// exponent, and a float that large has no fraction but is out of range anyway. Only
	// decimal text is read so: ParseFloat would also take "inf", "NaN" and "0x1p4".
	f, err := strconv.ParseFloat(text, 64)
	switch {
	case strings.Trim(text, "+-.0123456789eE") != "", err != nil && !errors.Is(err, strconv.ErrRange):
		p.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", v)
	case math.IsInf(f, 0) || f >= math.MaxInt64 || f < math.MinInt64:
		p.add("int_parsing_size", loc, tooLargeMessage, v)
	case f != math.Trunc(f):

		p.add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", v)
	default:
		return int64(f), true
	}
	return 0, false
}

// tooLargeMessage explains int_parsing_size.
const tooLargeMessage = "Input should be a valid integer, this number is too large"

// requiredInt reads a required whole-number field; null counts as missing a value.
func (o jsonObject) requiredInt(name string, loc []any, p *problems) (int64, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		p.add("missing", loc, "Field required", o.input)
		return 0, false
	}
	return wholeNumber(o.value(name), loc, p)
}

// intBetween reads an optional whole-number field with a default, within [min, max].
func (o jsonObject) intBetween(name string, def, min, max int, loc []any, p *problems) (int, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		return def, true
	}
	n, ok := wholeNumber(o.value(name), loc, p)
	if !ok {
		return 0, false
	}
	return checkBetween(n, min, max, o.value(name), loc, p)
}

// checkBetween refuses n outside [min, max] as pydantic's ge and le constraints do.
func checkBetween(n int64, min, max int, input any, loc []any, p *problems) (int, bool) {
	switch {
	case n < int64(min):
		p.add("greater_than_equal", loc, "Input should be greater than or equal to "+strconv.Itoa(min), input)
		return 0, false
	case n > int64(max):
		p.add("less_than_equal", loc, "Input should be less than or equal to "+strconv.Itoa(max), input)
		return 0, false
	}
	return int(n), true
}

// object reads a field that must be a JSON object.
func (o jsonObject) object(name string, loc []any, p *problems) (jsonObject, bool) {
	loc = at(loc, name)
	v, isObject := o.value(name).(map[string]any)
	if !isObject {
		p.add("model_type", loc, "Input should be a valid dictionary", o.value(name))
		return jsonObject{}, false
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(o.fields[name], &fields)
	return jsonObject{fields: fields, input: v}, true
}

// optionalUUID reads a field that, when present, must be a UUID in any common form.
func (o jsonObject) optionalUUID(name string, loc []any, p *problems) (uuid.UUID, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		return uuid.New(), true
	}
	s, isString := o.value(name).(string)
	if !isString {
		p.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", o.value(name))
		return uuid.Nil, false
	}
	id, err := uuid.Parse(s)
	if err != nil {
		p.add("uuid_parsing", loc, "Input should be a valid UUID", s)
		return uuid.Nil, false
	}
	return id, true
}

// checkCodeParam checks the {code} path parameter's shape.
func checkCodeParam(code string, p *problems) {
	if !game.ValidCode(code) {
		p.add("string_pattern_mismatch", []any{"path", "code"}, "String should match pattern '"+game.CodePattern.String()+"'", code)
	}
}

// at extends loc with more, always into a new slice: problems keep their loc, so two
// fields must never share one backing array.
func at(loc []any, more ...any) []any { return append(slices.Clip(loc), more...) }

// optionalInt reads a whole-number field that may be missing or null (present false then).
func (o jsonObject) optionalInt(name string, loc []any, p *problems) (n int64, present, ok bool) {
	if o.value(name) == nil {
		return 0, false, true
	}
	n, ok = wholeNumber(o.value(name), at(loc, name), p)
	return n, ok, ok
}

// optionalIntBetween reads a whole-number field within [min, max]; missing or null gives 0.
func (o jsonObject) optionalIntBetween(name string, min, max int, loc []any, p *problems) (int, bool) {
	n, present, ok := o.optionalInt(name, loc, p)
	if !ok || !present {
		return 0, ok
	}
	return checkBetween(n, min, max, o.value(name), at(loc, name), p)
}

// laxBooleans are the spellings pydantic's lax mode reads as booleans, besides true and
// false themselves.
var laxBooleans = map[string]bool{
	"0": false, "off": false, "f": false, "false": false, "n": false, "no": false,
	"1": true, "on": true, "t": true, "true": true, "y": true, "yes": true,
}

// optionalBool reads a boolean field; missing or null is false. Like pydantic's lax mode
// it also takes 0 and 1 and the usual words ("yes", "off", ...).
func (o jsonObject) optionalBool(name string, loc []any, p *problems) bool {
	switch v := o.value(name).(type) {
	case nil:
		return false
	case bool:
		return v
	case json.Number:
		if b, ok := laxBooleans[v.String()]; ok {
			return b
		}
		p.add("bool_parsing", at(loc, name), "Input should be a valid boolean, unable to interpret input", v)
	case string:
		if b, ok := laxBooleans[strings.ToLower(strings.TrimSpace(v))]; ok {
			return b
		}
		p.add("bool_parsing", at(loc, name), "Input should be a valid boolean, unable to interpret input", v)
	default:
		p.add("bool_type", at(loc, name), "Input should be a valid boolean", v)
	}
	return false
}
