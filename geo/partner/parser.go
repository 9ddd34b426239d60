package partner

// Raw is one row of a partner file as NextRaw split it, before parsing.
type Raw struct {
	Line   int // where the row starts
	Fields []string
}

// Parser parses the rows a Reader splits, on another goroutine: parsing
// (times, grid references, pseudonyms) is most of reading a partner file,
// and a file is one stream, so splitting it on one goroutine and parsing
// on several is how one large file uses every core. Each Parser keeps its
// own interned strings and pseudonymiser; it is not safe for concurrent
// use, but any number may parse rows of the same Reader at once.
type Parser struct{ r Reader }

// Parser returns a parser for the rows of r. Call it after the first
// NextRaw that returned a row: the parser takes the header read then.
func (r *Reader) Parser() (*Parser, error) {
	p := &Parser{r: *r}
	p.r.rows = nil // splitting stays with r
	p.r.strs = make(map[string]string, 256)
	p.r.days = dayOffsets{}
	if r.pseu != nil {
		pseu, err := NewPseudonymiser(r.key)
		if err != nil {
			return nil, err
		}
		p.r.pseu = pseu
	}
	return p, nil
}

// Parse returns raw's record, or the *ParseError that rejects it, exactly
// as Read would have.
func (p *Parser) Parse(raw Raw) (*Record, error) {
	p.r.line = raw.Line
	return p.r.parse(raw.Fields)
}

// ParseInto is Parse into a record of the caller's: a million records
// each allocated only to be copied into the caller's own type were a
// tenth of a partner import's allocations. It returns nil or the
// *ParseError; out is undefined after an error.
func (p *Parser) ParseInto(raw Raw, out *Record) error {
	p.r.line = raw.Line
	if pe := p.r.parseInto(raw.Fields, out); pe != nil {
		return pe
	}
	return nil
}
