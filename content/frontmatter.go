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
//	location: Leeds, UK  # or its parts on indented lines: city, region, …
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
func frontMatter(name string, src []byte) (frontMatterInfo, []byte, error) {
	var fm frontMatterInfo
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return fm, src, nil
	}
	fm.present = true
	warn := func(line int, msg string) { fm.warnings = append(fm.warnings, Warning{line, msg}) }
	person, card, named, body, err := readFrontMatter(name, src, warn)
	fm.person, fm.card, fm.named = person, card, named
	return fm, body, err
}

// frontMatterInfo is what front matter said: the owner, the card, whether
// there was any, and whether it named the owner (even as "").
type frontMatterInfo struct {
	person         Person
	card           string
	present, named bool
	// warnings are the keys it left unread.
	warnings []Warning
}

// frontMatterKeys are the keys front matter is read for.
var frontMatterKeys = []string{"name", "label", "headline", "email", "phone", "url", "website", "image", "location", "card", "profiles"}

func readFrontMatter(name string, src []byte, warn func(line int, msg string)) (Person, string, bool, []byte, error) {
	var p Person
	card, named := "", false
	lines := strings.Split(string(src), "\n")
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], "\r ") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return p, card, named, nil, &ParseError{File: name, Line: 1, Msg: "front matter starts with --- but no --- line ends it"}
	}
	fail := func(i int, format string, a ...any) error {
		return &ParseError{File: name, Line: i + 1, Msg: "front matter: " + fmt.Sprintf(format, a...)}
	}
	block := "" // the key whose indented lines are being read: profiles or location
	for i := 1; i < end; i++ {
		line := stripComment(strings.TrimRight(lines[i], "\r"))
		if strings.TrimSpace(line) == "" {
			continue
		}
		item := strings.TrimSpace(line)
		if (line[0] == ' ' || line[0] == '\t') && block == "location" {
			k, v, ok := keyValue(item)
			if !ok {
				return p, card, named, nil, fail(i, "want \"key: value\", not %q", item)
			}
			l := p.Location
			switch k {
			case "address":
				l.Address = v
			case "postalcode":
				l.PostalCode = v
			case "city":
				l.City = v
			case "region":
				l.Region = v
			case "countrycode":
				l.CountryCode = v
			default:
				return p, card, named, nil, fail(i, "unknown location key %q (address, postalCode, city, region, countryCode)", k)
			}
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && block == "skip" {
			continue // under a key that is not read
		}
		if line[0] == ' ' || line[0] == '\t' {
			if block != "profiles" {
				return p, card, named, nil, fail(i, "unexpected indented line %q", item)
			}
			if rest, ok := strings.CutPrefix(item, "- "); ok {
				p.Profiles = append(p.Profiles, Profile{})
				item = rest
			}
			if len(p.Profiles) == 0 {
				return p, card, named, nil, fail(i, "a profile starts with \"- \"")
			}
			k, v, ok := keyValue(item)
			if !ok {
				return p, card, named, nil, fail(i, "want \"key: value\", not %q", item)
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
				return p, card, named, nil, fail(i, "unknown profile key %q (network, username, url)", k)
			}
			continue
		}
		block = ""
		k, v, ok := keyValue(item)
		if !ok {
			return p, card, named, nil, fail(i, "want \"key: value\", not %q", item)
		}
		switch k {
		case "name":
			p.Name, named = v, true
		case "label", "headline":
			p.Label = v
		case "email":
			p.Email = v
		case "phone":
			p.Phone = v
		case "url", "website":
			p.URL = v
		case "image":
			p.Image = v
		case "location":
			p.Location = &Location{City: v}
			if v == "" {
				block = "location" // its parts on indented lines
			}
		case "card":
			if v != "url" && v != "vcard" {
				return p, card, named, nil, fail(i, "card is url or vcard, not %q", v)
			}
			card = v
		case "profiles":
			if v != "" {
				return p, card, named, nil, fail(i, "profiles is a list, one \"- network: …\" per line under it")
			}
			block = "profiles"
		default:
			// A key one slip from a known one is a typo that would lose the
			// owner's details; any other (a site generator's "layout",
			// "title") is left unread, and said so.
			for _, known := range frontMatterKeys {
				if editDistance(k, known) <= 2 && len(k) > 2 {
					return p, card, named, nil, fail(i, "unknown key %q: did you mean %q?", k, known)
				}
			}
			warn(i+1, fmt.Sprintf("front matter: key %q is not read (the keys read are %s)", k, strings.Join(frontMatterKeys, ", ")))
			if v == "" {
				block = "skip"
			}
		}
	}
	blank := []byte(strings.Repeat("\n", end+1))
	return p, card, named, append(blank, []byte(strings.Join(lines[end+1:], "\n"))...), nil
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
