package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Reference is the document as a page shows it: every operation with its parameters,
// bodies and responses, and every named schema as a table of fields. It covers the
// parts of OpenAPI that pokerd's document uses; a part it does not know is an error, so
// that the page never leaves something out silently.
type Reference struct {
	Title       string
	Version     string // the API's version, from info.version
	Summary     string
	Description []Block
	Operations  []Operation
	Schemas     []Schema
}

// Operation is one method on one path.
type Operation struct {
	Method      string // upper case
	Path        string
	ID          string // operationId, also the page anchor
	Summary     string
	Description []Block
	Parameters  []Parameter
	Body        *Body
	Responses   []Response
}

// Parameter is a path, query or header parameter, or a response header.
type Parameter struct {
	Name        string
	In          string
	Required    bool
	Type        Type
	Description []Span
}

// Body is a request body.
type Body struct {
	Required bool
	Media    []Media
}

// Media is one content type with its schema.
type Media struct {
	ContentType string
	Type        Type
}

// Response is one status an operation answers.
type Response struct {
	Status      string // "200", or a component's name
	Description []Span
	Headers     []Parameter
	Media       []Media
}

// Schema is a named schema of components.schemas.
type Schema struct {
	Name        string
	Description []Span
	Type        Type    // what it is, when it is not an object with fields
	Fields      []Field // an object's properties, in name order
}

// Field is one property of an object schema.
type Field struct {
	Name        string
	Required    bool
	Type        Type
	Description []Span
}

// Type describes a schema in words: pieces of text, some naming another schema (Ref)
// that the page links to, and the constraints ("pattern ^[a-z]$", "1 to 1000").
type Type struct {
	Parts       []TypePart
	Constraints string
}

// TypePart is a piece of a Type's text; Ref is set when it names a schema.
type TypePart struct {
	Text string
	Ref  string
}

// The parts of an OpenAPI 3.1 document that the page reads.
type (
	document31 struct {
		OpenAPI string                   `json:"openapi"`
		Info    info                     `json:"info"`
		Paths   ordered[ordered[*rawOp]] `json:"paths"`
		Comps   components               `json:"components"`
	}
	info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	}
	components struct {
		Parameters map[string]*rawParam    `json:"parameters"`
		Responses  map[string]*rawResponse `json:"responses"`
		Schemas    ordered[*rawSchema]     `json:"schemas"`
	}
	rawOp struct {
		OperationID string                `json:"operationId"`
		Summary     string                `json:"summary"`
		Description string                `json:"description"`
		Parameters  []*rawParam           `json:"parameters"`
		RequestBody *rawBody              `json:"requestBody"`
		Responses   ordered[*rawResponse] `json:"responses"`
	}
	rawParam struct {
		Ref         string     `json:"$ref"`
		Name        string     `json:"name"`
		In          string     `json:"in"`
		Required    bool       `json:"required"`
		Description string     `json:"description"`
		Schema      *rawSchema `json:"schema"`
	}
	rawBody struct {
		Required bool              `json:"required"`
		Content  ordered[rawMedia] `json:"content"`
	}
	rawMedia struct {
		Schema *rawSchema `json:"schema"`
	}
	rawResponse struct {
		Ref         string             `json:"$ref"`
		Description string             `json:"description"`
		Headers     ordered[*rawParam] `json:"headers"`
		Content     ordered[rawMedia]  `json:"content"`
	}
	rawSchema struct {
		Ref         string              `json:"$ref"`
		Type        typeList            `json:"type"`
		Description string              `json:"description"`
		Properties  ordered[*rawSchema] `json:"properties"`
		Required    []string            `json:"required"`
		Items       *rawSchema          `json:"items"`
		AnyOf       []*rawSchema        `json:"anyOf"`
		// AdditionalProperties is a schema (a map's values) or false (no other fields).
		AdditionalProperties json.RawMessage `json:"additionalProperties"`
		Enum                 []any           `json:"enum"`
		Const                any             `json:"const"`
		Format               string          `json:"format"`
		Pattern              string          `json:"pattern"`
		Minimum              *float64        `json:"minimum"`
		Maximum              *float64        `json:"maximum"`
		MinLength            *int            `json:"minLength"`
		MaxLength            *int            `json:"maxLength"`
		MinItems             *int            `json:"minItems"`
		MaxItems             *int            `json:"maxItems"`
		Default              any             `json:"default"`
	}
)

// typeList is a schema's "type": one name or, since OpenAPI 3.1, a list of them.
type typeList []string

func (t *typeList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*t = typeList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return fmt.Errorf("type must be a string or a list of strings: %s", data)
	}
	*t = many
	return nil
}

// methods are the keys of a path item that the page reads: its operations.
var methods = []string{"get", "put", "post", "patch", "delete", "head", "options", "trace"}

// Parse reads an OpenAPI 3.1 document into a Reference.
func Parse(data []byte) (*Reference, error) {
	var doc document31
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		return nil, fmt.Errorf("the document is OpenAPI %q, the page reads 3.1", doc.OpenAPI)
	}
	r := &Reference{
		Title:       doc.Info.Title,
		Version:     doc.Info.Version,
		Summary:     doc.Info.Summary,
		Description: Blocks(doc.Info.Description),
	}
	p := parser{comps: doc.Comps}
	for _, path := range doc.Paths.keys {
		item := doc.Paths.values[path]
		for _, method := range item.keys {
			if !slices.Contains(methods, method) {
				return nil, fmt.Errorf("path %s: unknown method %q", path, method)
			}
			r.Operations = append(r.Operations, p.operation(strings.ToUpper(method), path, item.values[method]))
		}
	}
	for _, name := range doc.Comps.Schemas.keys {
		r.Schemas = append(r.Schemas, p.schema(name, doc.Comps.Schemas.values[name]))
	}
	if p.err != nil {
		return nil, p.err
	}
	return r, nil
}

// parser resolves references against the document's components and keeps the first
// problem it meets.
type parser struct {
	comps components
	err   error
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *parser) operation(method, path string, op *rawOp) Operation {
	out := Operation{
		Method:      method,
		Path:        path,
		ID:          op.OperationID,
		Summary:     op.Summary,
		Description: Blocks(op.Description),
	}
	if out.ID == "" {
		p.fail("%s %s has no operationId", method, path)
	}
	for _, param := range op.Parameters {
		out.Parameters = append(out.Parameters, p.parameter(param, ""))
	}
	if b := op.RequestBody; b != nil {
		out.Body = &Body{Required: b.Required, Media: p.media(b.Content)}
	}
	for _, status := range op.Responses.keys {
		out.Responses = append(out.Responses, p.response(status, op.Responses.values[status]))
	}
	if len(out.Responses) == 0 {
		p.fail("%s %s has no responses", method, path)
	}
	return out
}

// parameter reads a parameter or, with a name, a response header.
func (p *parser) parameter(param *rawParam, name string) Parameter {
	if param.Ref != "" {
		target, ok := p.comps.Parameters[strings.TrimPrefix(param.Ref, "#/components/parameters/")]
		if !ok {
			p.fail("unknown parameter %s", param.Ref)
			return Parameter{}
		}
		param = target
	}
	if name == "" {
		name = param.Name
	}
	return Parameter{
		Name:        name,
		In:          param.In,
		Required:    param.Required,
		Type:        p.typeOf(param.Schema),
		Description: Inline(param.Description),
	}
}

func (p *parser) media(content ordered[rawMedia]) []Media {
	var out []Media
	for _, ct := range content.keys {
		out = append(out, Media{ContentType: ct, Type: p.typeOf(content.values[ct].Schema)})
	}
	return out
}

// response reads a response; a reference takes the shared response's content, and its
// own description when it has one (OpenAPI 3.1 lets it override the shared one).
func (p *parser) response(status string, resp *rawResponse) Response {
	description := resp.Description
	if resp.Ref != "" {
		target, ok := p.comps.Responses[strings.TrimPrefix(resp.Ref, "#/components/responses/")]
		if !ok {
			p.fail("unknown response %s", resp.Ref)
			return Response{Status: status}
		}
		if description == "" {
			description = target.Description
		}
		resp = target
	}
	out := Response{Status: status, Description: Inline(description), Media: p.media(resp.Content)}
	for _, name := range resp.Headers.keys {
		out.Headers = append(out.Headers, p.parameter(resp.Headers.values[name], name))
	}
	return out
}

func (p *parser) schema(name string, s *rawSchema) Schema {
	out := Schema{Name: name, Description: Inline(s.Description)}
	if len(s.Properties.keys) == 0 {
		out.Type = p.typeOf(s)
		return out
	}
	for _, field := range s.Properties.keys {
		fs := s.Properties.values[field]
		out.Fields = append(out.Fields, Field{
			Name:        field,
			Required:    slices.Contains(s.Required, field),
			Type:        p.typeOf(fs),
			Description: Inline(fs.Description),
		})
	}
	return out
}

// typeOf describes a schema in words.
func (p *parser) typeOf(s *rawSchema) Type {
	if s == nil {
		return Type{Parts: []TypePart{{Text: "any"}}}
	}
	var t Type
	p.describe(s, &t.Parts)
	t.Constraints = constraints(s)
	return t
}

func (p *parser) describe(s *rawSchema, parts *[]TypePart) {
	add := func(text string) { *parts = append(*parts, TypePart{Text: text}) }
	switch {
	case s.Ref != "":
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		if _, ok := p.comps.Schemas.values[name]; !ok {
			p.fail("unknown schema %s", s.Ref)
		}
		*parts = append(*parts, TypePart{Text: name, Ref: name})
	case len(s.AnyOf) > 0:
		for i, alt := range s.AnyOf {
			if i > 0 {
				add(" or ")
			}
			p.describe(alt, parts)
		}
	case s.Const != nil:
		add(literal(s.Const))
	case len(s.Enum) > 0:
		words := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			words[i] = literal(v)
		}
		add("one of " + strings.Join(words, ", "))
	case len(s.Type) == 0 || isAnyType(s.Type):
		add("any")
	default:
		for i, name := range s.Type {
			if i > 0 {
				add(" or ")
			}
			switch name {
			case "array":
				add("array of ")
				if s.Items == nil {
					add("any")
				} else {
					p.describe(s.Items, parts)
				}
			case "object":
				if values := p.mapValues(s); values != nil {
					add("object of ")
					p.describe(values, parts)
				} else {
					add("object")
				}
			default:
				add(name)
			}
		}
	}
}

// isAnyType tells a list of types that allows every JSON value. (The document spells
// "any" so rather than with the empty schema, which kin-openapi's fallback to OpenAPI
// 3.0 rules reads as "anything but null".)
func isAnyType(types typeList) bool {
	for _, t := range []string{"null", "boolean", "number", "string", "array", "object"} {
		if !slices.Contains(types, t) {
			return false
		}
	}
	return true
}

// mapValues returns the schema of a map's values, nil when the object is not a map.
func (p *parser) mapValues(s *rawSchema) *rawSchema {
	if len(s.AdditionalProperties) == 0 || s.AdditionalProperties[0] != '{' {
		return nil
	}
	var values rawSchema
	if err := json.Unmarshal(s.AdditionalProperties, &values); err != nil {
		p.fail("additionalProperties: %v", err)
		return nil
	}
	return &values
}

// constraints says in words what a schema allows beyond its type.
func constraints(s *rawSchema) string {
	var out []string
	if s.Format != "" {
		out = append(out, "format "+s.Format)
	}
	if s.Pattern != "" {
		out = append(out, "pattern "+s.Pattern)
	}
	out = appendRange(out, "", s.Minimum, s.Maximum)
	out = appendRange(out, " characters", intPtr(s.MinLength), intPtr(s.MaxLength))
	out = appendRange(out, " items", intPtr(s.MinItems), intPtr(s.MaxItems))
	if s.Default != nil {
		out = append(out, "default "+literal(s.Default))
	}
	return strings.Join(out, "; ")
}

func appendRange(out []string, unit string, lo, hi *float64) []string {
	num := func(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) }
	switch {
	case lo != nil && hi != nil:
		return append(out, num(lo)+" to "+num(hi)+unit)
	case lo != nil:
		return append(out, "at least "+num(lo)+unit)
	case hi != nil:
		return append(out, "at most "+num(hi)+unit)
	}
	return out
}

func intPtr(n *int) *float64 {
	if n == nil {
		return nil
	}
	f := float64(*n)
	return &f
}

// literal writes a JSON value as the document has it: "INIT", true, 5.
func literal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// ordered is a JSON object read in the order it is written: the document's authors
// chose the order of its paths, schemas and fields for reading.
type ordered[V any] struct {
	keys   []string
	values map[string]V
}

func (o *ordered[V]) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("want an object, got %.40s", data)
	}
	o.keys, o.values = nil, map[string]V{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // an object's tokens alternate: a key, then its value
		var v V
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if _, seen := o.values[key]; !seen {
			o.keys = append(o.keys, key)
		}
		o.values[key] = v
	}
	_, err := dec.Token() // the closing brace
	return err
}
