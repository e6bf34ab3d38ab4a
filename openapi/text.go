package openapi

import "strings"

// The document's descriptions are CommonMark, as OpenAPI has them. The page needs only
// the little of it that the document uses: paragraphs, "- " lists, pipe tables, `code`
// and **bold**. Everything else is shown as the text it is, never as HTML.

// Block is a paragraph, a list or a table of a description.
type Block struct {
	Kind  BlockKind
	Text  []Span     // a paragraph
	Items [][]Span   // a list's items
	Head  [][]Span   // a table's header cells
	Rows  [][][]Span // a table's rows of cells
}

// BlockKind tells blocks apart.
type BlockKind int

// The kinds of blocks.
const (
	Paragraph BlockKind = iota
	List
	Table
)

// Span is a run of text, shown as code or in bold when it was marked so.
type Span struct {
	Text string
	Code bool
	Bold bool
}

// Blocks splits a description into blocks: lines starting with "- " make a list, lines
// starting with "|" a table, other lines paragraphs; blank lines end a block.
func Blocks(text string) []Block {
	var blocks []Block
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			blocks = append(blocks, block(lines))
			lines = nil
		}
	}
	kindOf := func(line string) BlockKind {
		switch {
		case strings.HasPrefix(line, "- "):
			return List
		case strings.HasPrefix(line, "|"):
			return Table
		}
		return Paragraph
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || (len(lines) > 0 && kindOf(line) != kindOf(lines[0])) {
			flush()
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	flush()
	return blocks
}

func block(lines []string) Block {
	switch {
	case strings.HasPrefix(lines[0], "- "):
		b := Block{Kind: List}
		for _, l := range lines {
			b.Items = append(b.Items, Inline(strings.TrimPrefix(l, "- ")))
		}
		return b
	case strings.HasPrefix(lines[0], "|"):
		b := Block{Kind: Table, Head: cells(lines[0])}
		for _, l := range lines[1:] {
			if isDelimiterRow(l) {
				continue
			}
			b.Rows = append(b.Rows, cells(l))
		}
		return b
	}
	return Block{Kind: Paragraph, Text: Inline(strings.Join(lines, " "))}
}

// cells splits a table row "| a | `b|c` |" into its cells; a pipe inside code does not
// split.
func cells(row string) [][]Span {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	var out [][]Span
	inCode := false
	start := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '`':
			inCode = !inCode
		case '|':
			if !inCode {
				out = append(out, Inline(strings.TrimSpace(row[start:i])))
				start = i + 1
			}
		}
	}
	return append(out, Inline(strings.TrimSpace(row[start:])))
}

func isDelimiterRow(row string) bool {
	return strings.Trim(row, "|-: ") == ""
}

// Inline splits text into spans at `code` and **bold** marks. A mark left open is
// shown as text.
func Inline(text string) []Span {
	var out []Span
	add := func(s Span) {
		if s.Text != "" {
			out = append(out, s)
		}
	}
	for text != "" {
		code := strings.IndexByte(text, '`')
		bold := strings.Index(text, "**")
		switch {
		case code >= 0 && (bold < 0 || code < bold):
			end := strings.IndexByte(text[code+1:], '`')
			if end < 0 {
				add(Span{Text: text})
				return out
			}
			add(Span{Text: text[:code]})
			add(Span{Text: text[code+1 : code+1+end], Code: true})
			text = text[code+2+end:]
		case bold >= 0:
			end := strings.Index(text[bold+2:], "**")
			if end < 0 {
				add(Span{Text: text})
				return out
			}
			add(Span{Text: text[:bold]})
			add(Span{Text: text[bold+2 : bold+2+end], Bold: true})
			text = text[bold+4+end:]
		default:
			add(Span{Text: text})
			return out
		}
	}
	return out
}
