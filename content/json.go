package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// JSON Resume (jsonresume.org, schema 1.x) as this package writes it.
type jsonResume struct {
	Basics    jsonBasics      `json:"basics"`
	Work      []jsonWork      `json:"work"`
	Education []jsonEducation `json:"education,omitempty"`
	Skills    []jsonSkill     `json:"skills,omitempty"`
	Languages []jsonLanguage  `json:"languages,omitempty"`
	Interests []jsonInterest  `json:"interests,omitempty"`
	Meta      jsonMeta        `json:"meta"`
}

type jsonBasics struct {
	Person
	Summary string `json:"summary,omitempty"`
}

type jsonWork struct {
	Name       string   `json:"name,omitempty"`
	Position   string   `json:"position"`
	StartDate  string   `json:"startDate"`
	EndDate    string   `json:"endDate,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	Highlights []string `json:"highlights"`
}

type jsonEducation struct {
	Institution string `json:"institution"`
}

type jsonSkill struct {
	Name     string   `json:"name"`
	Keywords []string `json:"keywords,omitempty"`
}

type jsonLanguage struct {
	Language string `json:"language"`
}

type jsonInterest struct {
	Name string `json:"name"`
}

type jsonMeta struct {
	// AboutHeading keeps the opening heading, which has no place of its
	// own in the schema.
	AboutHeading string `json:"aboutHeading,omitempty"`
	// Sections are the free sections with no schema field of their own.
	Sections []jsonSection `json:"sections,omitempty"`
}

type jsonSection struct {
	Heading string   `json:"heading"`
	Text    []string `json:"text"`
}

// JSON is the résumé in the JSON Resume schema: work[] from the roles
// (dates as YYYY-MM, endDate omitted while current, highlights as plain
// text with link URLs kept), basics.summary from the About section,
// sections headed Skills, Education, Languages or Interests in their
// schema fields, and every other section under meta.sections.
func (r *Resume) JSON() ([]byte, error) {
	out := jsonResume{
		Basics: jsonBasics{Person: r.Person, Summary: strings.Join(blockLines(r.About.Blocks), "\n\n")},
		Work:   make([]jsonWork, 0, len(r.Roles)),
		Meta:   jsonMeta{AboutHeading: r.About.Heading},
	}
	if r.About.Heading == r.Person.Name {
		out.Meta.AboutHeading = "" // basics.name says it
	}
	for _, role := range r.Roles {
		w := jsonWork{
			Name: role.Organisation, Position: role.Title,
			StartDate:  role.Start.ISO(),
			Summary:    strings.Join(blockLines(role.Notes), "\n\n"),
			Highlights: flatten(role.Highlights, nil),
		}
		if !role.Current() {
			w.EndDate = role.End.ISO()
		}
		out.Work = append(out.Work, w)
	}
	for _, s := range r.Sections {
		lines := blockLines(s.Blocks)
		switch kind := strings.ToLower(s.Heading); {
		case strings.Contains(kind, "skill"):
			for _, l := range lines {
				out.Skills = append(out.Skills, skill(l))
			}
		case strings.Contains(kind, "education"):
			for _, l := range lines {
				out.Education = append(out.Education, jsonEducation{Institution: l})
			}
		case strings.Contains(kind, "language"):
			for _, l := range lines {
				out.Languages = append(out.Languages, jsonLanguage{Language: l})
			}
		case strings.Contains(kind, "interest"):
			for _, l := range lines {
				out.Interests = append(out.Interests, jsonInterest{Name: l})
			}
		default:
			out.Meta.Sections = append(out.Meta.Sections, jsonSection{Heading: s.Heading, Text: nonNil(lines)})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" in a URL stays readable; this is not HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode json resume: %w", err)
	}
	return b.Bytes(), nil
}

// skill reads "Languages: Go, Rust, C" as a named skill with keywords.
func skill(line string) jsonSkill {
	name, list, ok := strings.Cut(line, ":")
	if !ok || strings.TrimSpace(list) == "" {
		return jsonSkill{Name: line}
	}
	var kws []string
	for _, k := range strings.Split(list, ",") {
		if k = strings.TrimSpace(k); k != "" {
			kws = append(kws, k)
		}
	}
	return jsonSkill{Name: strings.TrimSpace(name), Keywords: kws}
}

// blockLines is each paragraph, heading and list item of bs as one line
// of plain text.
func blockLines(bs []Block) []string {
	var out []string
	for _, b := range bs {
		switch b.Kind {
		case List:
			out = flatten(b.Items, out)
		case Rule:
		default:
			if t := b.Text.PlainWithURLs(); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// flatten appends each item and then its nested items, depth first.
func flatten(items []Item, out []string) []string {
	for _, it := range items {
		out = append(out, it.Text.PlainWithURLs())
		out = flatten(it.Items, out)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
