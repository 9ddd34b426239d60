package layer

import (
	"io"
)

// Member is a foreign member of a FeatureCollection, written after the
// features; its value goes through encoding/json.
type Member struct {
	Name  string
	Value any
}

// WriteGeoJSON writes an answer as the API's FeatureCollection (RFC
// 7946): the features, numberMatched and numberReturned for a paged
// layer, the members given (next), then the provenance as the member
// "hotspot".
func WriteGeoJSON(w io.Writer, a *Answer, members ...Member) error {
	if a.Schema.Paged {
		members = append([]Member{{"numberMatched", a.Matched}, {"numberReturned", len(a.Features)}}, members...)
	}
	return writeCollection(w, a, false, members)
}

// WriteItems writes an answer as an OGC API – Features items page: each
// feature with its id, then numberMatched, numberReturned, the members
// given (timeStamp, links) and the provenance.
func WriteItems(w io.Writer, a *Answer, members ...Member) error {
	all := append([]Member{{"numberMatched", a.Matched}, {"numberReturned", len(a.Features)}}, members...)
	return writeCollection(w, a, true, all)
}

// WriteItem writes one feature of an answer as an OGC feature with links.
func WriteItem(w io.Writer, s *Schema, f *Feature, links any) error {
	j := newJSONWriter(w)
	j.feature(fieldKeys(s), f, true, false)
	j.raw(`,"links":`)
	j.any(links)
	j.raw("}\n")
	return j.close()
}

func writeCollection(w io.Writer, a *Answer, ids bool, members []Member) error {
	j := newJSONWriter(w)
	j.raw(`{"type":"FeatureCollection","features":[`)
	keys := fieldKeys(a.Schema)
	for i := range a.Features {
		if i > 0 {
			j.raw(",")
		}
		j.feature(keys, &a.Features[i], ids, true)
	}
	j.raw("]")
	for _, m := range members {
		j.raw(`,"` + m.Name + `":`)
		j.any(m.Value)
	}
	j.raw(`,"hotspot":`)
	j.any(a.Provenance)
	j.raw("}\n")
	return j.close()
}

// fieldKeys spells each property's name as a JSON member's key, once
// an answer rather than once a feature: `"gi_z":`.
func fieldKeys(s *Schema) []string {
	keys := make([]string, len(s.Fields))
	for i, fd := range s.Fields {
		keys[i] = string(append(appendString(nil, fd.Name), ':'))
	}
	return keys
}

// feature writes one Feature object, its properties named by keys
// (fieldKeys); closed false leaves it open for more members.
func (j *jsonWriter) feature(keys []string, f *Feature, id, closed bool) {
	j.raw(`{"type":"Feature"`)
	if id {
		j.raw(`,"id":`)
		j.str(f.ID)
	}
	j.raw(`,"geometry":`)
	j.bytes(f.appendGeoJSON(j.w.AvailableBuffer()))
	j.raw(`,"properties":{`)
	for i, v := range f.Values {
		if i > 0 {
			j.raw(",")
		}
		j.raw(keys[i])
		j.value(v)
	}
	j.raw("}")
	if closed {
		j.raw("}")
	}
}
