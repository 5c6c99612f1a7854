package content

import (
	"fmt"
	"strings"
)

// VCard is the owner's contact card as vCard 4.0 (RFC 6350), lines ending
// in CR LF, or "" when the résumé names nobody.
func (r *Resume) VCard() string {
	p := r.Person
	if p.Name == "" {
		return ""
	}
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`).Replace
	lines := []string{"BEGIN:VCARD", "VERSION:4.0", "FN:" + esc(p.Name)}
	if p.Label != "" {
		lines = append(lines, "TITLE:"+esc(p.Label))
	}
	if p.Email != "" {
		lines = append(lines, "EMAIL:"+esc(p.Email))
	}
	if p.Phone != "" {
		lines = append(lines, "TEL:"+esc(p.Phone))
	}
	if p.URL != "" {
		lines = append(lines, "URL:"+p.URL)
	}
	for _, pr := range p.Profiles {
		if pr.URL != "" {
			lines = append(lines, "URL:"+pr.URL)
		}
	}
	if l := p.Location; l != nil {
		lines = append(lines, "ADR:;;"+esc(l.Address)+";"+esc(l.City)+";"+esc(l.Region)+";"+esc(l.PostalCode)+";"+esc(l.CountryCode))
	}
	lines = append(lines, "END:VCARD")
	return strings.Join(lines, "\r\n") + "\r\n"
}

// CardPayload is what the contact card's QR code holds: the vCard when
// the document asks for it (card: vcard), else the owner's URL, a
// profile's, or a mailto: link; "" when there is none.
func (r *Resume) CardPayload() string {
	if r.Card == "vcard" {
		if v := r.VCard(); v != "" {
			return v
		}
	}
	return r.CardURL()
}

// CardURL is the short payload: the owner's URL, else the résumé's web
// page when it is public, else their first profile's, else a mailto:
// link.
func (r *Resume) CardURL() string {
	p := r.Person
	switch {
	case p.URL != "":
		return p.URL
	case r.PageURL != "":
		return r.PageURL
	case len(p.Profiles) > 0 && p.Profiles[0].URL != "":
		return p.Profiles[0].URL
	case p.Email != "":
		return "mailto:" + p.Email
	}
	return ""
}

// Contact is the owner's details as plain lines: the name, the headline,
// then a line for each way to get in touch.
func (r *Resume) Contact() []string {
	p := r.Person
	var out []string
	if t := r.Title(); t != "" {
		out = append(out, t)
	}
	if p.Label != "" {
		out = append(out, p.Label)
	}
	field := func(name, value string) {
		if value != "" {
			out = append(out, fmt.Sprintf("%-9s%s", name, value))
		}
	}
	field("email", p.Email)
	field("phone", p.Phone)
	field("web", p.URL)
	for _, pr := range p.Profiles {
		field(strings.ToLower(pr.Network), firstNonEmpty(pr.URL, pr.Username))
	}
	return out
}
