package web

import (
	"cmp"

	"github.com/resume-ssh/resume/content"
)

// The page's JSON-LD: a schema.org ProfilePage whose main entity is the
// owner, so that search engines read who the page is about from the same
// model the page shows.
type (
	profilePage struct {
		Context    string `json:"@context"`
		Type       string `json:"@type"`
		MainEntity person `json:"mainEntity"`
	}
	person struct {
		Type          string          `json:"@type"`
		Name          string          `json:"name,omitempty"`
		JobTitle      string          `json:"jobTitle,omitempty"`
		Email         string          `json:"email,omitempty"`
		Telephone     string          `json:"telephone,omitempty"`
		URL           string          `json:"url,omitempty"`
		Address       *postalAddress  `json:"address,omitempty"`
		SameAs        []string        `json:"sameAs,omitempty"`
		WorksFor      []organization  `json:"worksFor,omitempty"`
		HasOccupation []occupation    `json:"hasOccupation,omitempty"`
		AlumniOf      []organization  `json:"alumniOf,omitempty"`
		KnowsAbout    []string        `json:"knowsAbout,omitempty"`
		KnowsLanguage []string        `json:"knowsLanguage,omitempty"`
		Description   string          `json:"description,omitempty"`
		Award         []string        `json:"award,omitempty"`
		HasCredential []credentialRef `json:"hasCredential,omitempty"`
	}
	postalAddress struct {
		Type            string `json:"@type"`
		StreetAddress   string `json:"streetAddress,omitempty"`
		AddressLocality string `json:"addressLocality,omitempty"`
		AddressRegion   string `json:"addressRegion,omitempty"`
		PostalCode      string `json:"postalCode,omitempty"`
		AddressCountry  string `json:"addressCountry,omitempty"`
	}
	organization struct {
		Type string `json:"@type"`
		Name string `json:"name"`
	}
	occupation struct {
		Type string `json:"@type"`
		Name string `json:"name"`
	}
	credentialRef struct {
		Type string `json:"@type"`
		Name string `json:"name"`
	}
)

// jsonLD is doc as a ProfilePage: current roles are worksFor (their
// organisation) and hasOccupation (their title), education's
// institutions alumniOf, skills and their keywords knowsAbout.
func jsonLD(doc *content.Resume) profilePage {
	p := doc.Person
	who := person{
		Type: "Person", Name: doc.Title(), JobTitle: p.Label, Email: p.Email, Telephone: p.Phone,
		URL: cmp.Or(p.URL, doc.PageURL),
	}
	if l := p.Location; l != nil {
		who.Address = &postalAddress{
			Type: "PostalAddress", StreetAddress: l.Address, AddressLocality: l.City,
			AddressRegion: l.Region, PostalCode: l.PostalCode, AddressCountry: l.CountryCode,
		}
	}
	for _, pr := range p.Profiles {
		if pr.URL != "" {
			who.SameAs = append(who.SameAs, pr.URL)
		}
	}
	seen := map[string]bool{}
	once := func(kind, s string) bool {
		if s == "" || seen[kind+"\x00"+s] {
			return false
		}
		seen[kind+"\x00"+s] = true
		return true
	}
	for _, r := range doc.Roles {
		if !r.Current() || !r.Dated() {
			continue
		}
		if once("org", r.Organisation) {
			who.WorksFor = append(who.WorksFor, organization{"Organization", r.Organisation})
		}
		if once("job", r.Title) {
			who.HasOccupation = append(who.HasOccupation, occupation{"Occupation", r.Title})
		}
	}
	for _, s := range doc.Sections {
		for _, e := range s.Entries {
			switch e.Kind {
			case content.Education:
				if once("school", e.Organisation) {
					who.AlumniOf = append(who.AlumniOf, organization{"EducationalOrganization", e.Organisation})
				}
			case content.Skills:
				if once("skill", e.Title) {
					who.KnowsAbout = append(who.KnowsAbout, e.Title)
				}
				for _, k := range e.Keywords {
					if once("skill", k) {
						who.KnowsAbout = append(who.KnowsAbout, k)
					}
				}
			case content.Languages:
				if once("lang", e.Title) {
					who.KnowsLanguage = append(who.KnowsLanguage, e.Title)
				}
			case content.Awards:
				if once("award", e.Title) {
					who.Award = append(who.Award, e.Title)
				}
			case content.Certificates:
				if once("cert", e.Title) {
					who.HasCredential = append(who.HasCredential, credentialRef{"EducationalOccupationalCredential", e.Title})
				}
			}
		}
	}
	return profilePage{Context: "https://schema.org", Type: "ProfilePage", MainEntity: who}
}
