package content

import (
	"bytes"
	"fmt"
	"strings"
)

// frontMatter reads the owner's details from YAML front matter at the top
// of a Markdown document, between two "---" lines:
//
//	---
//	name: Ann Example
//	label: Staff SRE
//	email: ann@example.com
//	url: https://ann.example.com
//	phone: +44 20 7946 0000
//	location: Leeds, UK
//	card: url            # what the card's QR holds: url (the default) or vcard
//	profiles:
//	  - network: GitHub
//	    username: annexample
//	    url: https://github.com/annexample
//	---
//
// It is the small part of YAML these need: keys with plain or quoted
// values, and the list of profiles. It returns src with the front matter
// blanked out (its lines kept, so that line numbers stay right), and an
// unknown key or a bad line as a ParseError naming its line.
func frontMatter(name string, src []byte) (Person, string, []byte, error) {
	var p Person
	card := ""
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return p, card, src, nil
	}
	lines := strings.Split(string(src), "\n")
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], "\r ") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return p, card, nil, &ParseError{File: name, Line: 1, Msg: "front matter starts with --- but no --- line ends it"}
	}
	fail := func(i int, format string, a ...any) error {
		return &ParseError{File: name, Line: i + 1, Msg: "front matter: " + fmt.Sprintf(format, a...)}
	}
	inProfiles := false // reading the indented items of profiles:
	for i := 1; i < end; i++ {
		line := stripComment(strings.TrimRight(lines[i], "\r"))
		if strings.TrimSpace(line) == "" {
			continue
		}
		item := strings.TrimSpace(line)
		if line[0] == ' ' || line[0] == '\t' {
			if !inProfiles {
				return p, card, nil, fail(i, "unexpected indented line %q", item)
			}
			if rest, ok := strings.CutPrefix(item, "- "); ok {
				p.Profiles = append(p.Profiles, Profile{})
				item = rest
			}
			if len(p.Profiles) == 0 {
				return p, card, nil, fail(i, "a profile starts with \"- \"")
			}
			k, v, ok := keyValue(item)
			if !ok {
				return p, card, nil, fail(i, "want \"key: value\", not %q", item)
			}
			pr := &p.Profiles[len(p.Profiles)-1]
			switch k {
			case "network":
				pr.Network = v
			case "username":
				pr.Username = v
			case "url":
				pr.URL = v
			default:
				return p, card, nil, fail(i, "unknown profile key %q (network, username, url)", k)
			}
			continue
		}
		inProfiles = false
		k, v, ok := keyValue(item)
		if !ok {
			return p, card, nil, fail(i, "want \"key: value\", not %q", item)
		}
		switch k {
		case "name":
			p.Name = v
		case "label", "headline":
			p.Label = v
		case "email":
			p.Email = v
		case "phone":
			p.Phone = v
		case "url", "website":
			p.URL = v
		case "location":
			p.Location = &Location{City: v}
		case "card":
			if v != "url" && v != "vcard" {
				return p, card, nil, fail(i, "card is url or vcard, not %q", v)
			}
			card = v
		case "profiles":
			if v != "" {
				return p, card, nil, fail(i, "profiles is a list, one \"- network: …\" per line under it")
			}
			inProfiles = true
		default:
			return p, card, nil, fail(i, "unknown key %q (name, label, email, phone, url, location, card, profiles)", k)
		}
	}
	blank := []byte(strings.Repeat("\n", end+1))
	return p, card, append(blank, []byte(strings.Join(lines[end+1:], "\n"))...), nil
}

// keyValue reads "key: value", unquoting a quoted value.
func keyValue(s string) (string, string, bool) {
	k, v, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(k) == "" || strings.ContainsAny(strings.TrimSpace(k), " \t") {
		return "", "", false
	}
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = v[1 : len(v)-1]
	}
	return strings.ToLower(strings.TrimSpace(k)), v, true
}

// stripComment drops a "# comment" that follows a space, outside quotes.
func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}
