package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/big"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
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
	*p = append(*p, problem{Type: typ, Loc: loc, Msg: msg, Input: input})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &apiError{status: http.StatusUnprocessableEntity, detail: []problem(p)}
}

func marshalDetail(detail any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"detail": detail}); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
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
		p.add("model_attributes_type", []any{"body"}, "Input should be a valid dictionary or object to extract fields from", string(body))
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

// wholeNumber reads a value that must be a whole number, of any size. Like pydantic's
// lax mode it takes 3, 3.0 and "3".
func wholeNumber(v any, loc []any, p *problems) (*big.Int, bool) {
	var text string
	switch v := v.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	default:
		p.add("int_type", loc, "Input should be a valid integer", v)
		return nil, false
	}
	if n, ok := new(big.Int).SetString(text, 10); ok {
		return n, true
	}
	if f, _, err := big.ParseFloat(text, 10, 0, big.ToNearestEven); err == nil && f.IsInt() {
		n, _ := f.Int(nil)
		return n, true
	}
	p.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", v)
	return nil, false
}

// fitInt narrows n to 32 bits, saturating: minutes that large all mean "very long".
func fitInt(n *big.Int) int {
	switch {
	case n.Cmp(big.NewInt(math.MaxInt32)) > 0:
		return math.MaxInt32
	case n.Cmp(big.NewInt(math.MinInt32)) < 0:
		return math.MinInt32
	}
	return int(n.Int64())
}

// requiredInt reads a required whole-number field; null counts as missing a value.
func (o jsonObject) requiredInt(name string, loc []any, p *problems) (*big.Int, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		p.add("missing", loc, "Field required", o.input)
		return nil, false
	}
	return wholeNumber(o.value(name), loc, p)
}

// intAtLeast reads an optional whole-number field with a default and a lower bound.
func (o jsonObject) intAtLeast(name string, def, min int, loc []any, p *problems) (int, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		return def, true
	}
	n, ok := wholeNumber(o.value(name), loc, p)
	if !ok {
		return 0, false
	}
	if n.Cmp(big.NewInt(int64(min))) < 0 {
		p.add("greater_than_equal", loc, "Input should be greater than or equal to "+strconv.Itoa(min), o.value(name))
		return 0, false
	}
	return fitInt(n), true
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

// optionalInt reads a whole-number field that may be missing or null (nil then).
func (o jsonObject) optionalInt(name string, loc []any, p *problems) (*big.Int, bool) {
	if o.value(name) == nil {
		return nil, true
	}
	return wholeNumber(o.value(name), at(loc, name), p)
}

// optionalIntBetween reads a whole-number field within [min, max]; missing or null gives 0.
func (o jsonObject) optionalIntBetween(name string, min, max int, loc []any, p *problems) (int, bool) {
	n, ok := o.optionalInt(name, loc, p)
	if !ok || n == nil {
		return 0, ok
	}
	loc = at(loc, name)
	switch {
	case n.Cmp(big.NewInt(int64(min))) < 0:
		p.add("greater_than_equal", loc, "Input should be greater than or equal to "+strconv.Itoa(min), o.value(name))
		return 0, false
	case n.Cmp(big.NewInt(int64(max))) > 0:
		p.add("less_than_equal", loc, "Input should be less than or equal to "+strconv.Itoa(max), o.value(name))
		return 0, false
	}
	return int(n.Int64()), true
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
