package content

import (
	"strings"
	"unicode"
)

// Kind is what a section holds: the owner's own text, or one of JSON
// Resume's sections.
type Kind int

// The kinds of Section and Entry, in JSON Resume's order.
const (
	Free Kind = iota
	Work
	Volunteer
	Education
	Awards
	Certificates
	Publications
	Skills
	Languages
	Interests
	References
	Projects
)

// kinds holds, for each Kind, its JSON Resume key, the heading an export
// gives it, and the whole heading names that mean it, in the languages
// whose month names the dates read. A heading means a kind only when it
// is one of these names whole: "Network Engineer" is not Work, nor
// "Training Manager" Education.
var kinds = [...]struct {
	key, heading string
	names        []string
}{
	Free: {},
	Work: {"work", "Experience", []string{
		"experience", "work", "work experience", "work history", "employment", "employment history",
		"career", "career history", "professional experience", "relevant experience", "professional history",
		"positions", "roles", "jobs", "berufserfahrung", "berufliche erfahrung", "erfahrung", "berufspraxis",
		"expérience", "expériences", "expérience professionnelle", "expériences professionnelles", "parcours professionnel",
		"experiencia", "experiencia laboral", "experiencia profesional",
	}},
	Volunteer: {"volunteer", "Volunteering", []string{
		"volunteer", "volunteering", "volunteer experience", "volunteer work", "ehrenamt", "ehrenamtliches engagement",
		"engagement", "bénévolat", "voluntariado",
	}},
	Education: {"education", "Education", []string{
		"education", "education and training", "academic background", "qualifications", "training",
		"ausbildung", "bildung", "bildungsweg", "studium", "schulbildung", "formation", "formations", "éducation",
		"educación", "formación", "formación académica", "estudios",
	}},
	Awards: {"awards", "Awards", []string{
		"awards", "honors", "honours", "awards and honours", "awards and honors", "honors and awards",
		"honours and awards", "achievements", "auszeichnungen", "prix", "distinctions", "prix et distinctions", "premios",
	}},
	Certificates: {"certificates", "Certificates", []string{
		"certificates", "certifications", "certificates and licenses", "licenses and certifications",
		"licences and certifications", "zertifikate", "zertifizierungen", "certificats", //nolint:misspell // French
		"certificaciones",
	}},
	Publications: {"publications", "Publications", []string{
		"publications", "papers", "selected publications", "veröffentlichungen", "publikationen", "publicaciones",
	}},
	Skills: {"skills", "Skills", []string{
		"skills", "technical skills", "core skills", "key skills", "competencies", "core competencies",
		"technologies", "tech stack", "kenntnisse", "fähigkeiten", "it-kenntnisse", "fachkenntnisse",
		"compétences", "compétences techniques", "habilidades", "aptitudes", "conocimientos",
	}},
	Languages: {"languages", "Languages", []string{
		"languages", "language skills", "spoken languages", "sprachen", "sprachkenntnisse", "langues", "idiomas",
	}},
	Interests: {"interests", "Interests", []string{
		"interests", "hobbies", "hobbies and interests", "interests and hobbies", "interessen", "hobbys",
		"centres d'intérêt", "centres d’intérêt", "loisirs", "intereses", "aficiones",
	}},
	References: {"references", "References", []string{
		"references", "referenzen", "références", "referencias",
	}},
	Projects: {"projects", "Projects", []string{
		"projects", "side projects", "selected projects", "personal projects", "open source", "open-source",
		"projekte", "projets", "proyectos",
	}},
}

// String is the kind's JSON Resume key ("work", "education"), or "free".
func (k Kind) String() string {
	if k <= Free || int(k) >= len(kinds) {
		return "free"
	}
	return kinds[k].key
}

// Heading is the heading an export gives a section of this kind when the
// owner gave none: "Experience", "Education".
func (k Kind) Heading() string {
	if k <= Free || int(k) >= len(kinds) {
		return ""
	}
	return kinds[k].heading
}

// sectionKind is the kind a heading names when its whole text is one of
// the kinds' names, and Free otherwise.
func sectionKind(heading string) Kind {
	h := normalHeading(heading)
	for k := Work; int(k) < len(kinds); k++ {
		for _, n := range kinds[k].names {
			if h == n {
				return k
			}
		}
	}
	return Free
}

// normalHeading is a heading as its name is compared: lower case, its
// emphasis, closing colon and surrounding space gone, "&" read as "and",
// spaces folded, and a leading "my" dropped.
func normalHeading(s string) string {
	s = strings.ToLower(strings.Trim(s, " \t:*_#"))
	s = strings.ReplaceAll(s, "&", " and ")
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimPrefix(s, "my ")
}

// Entry is one entry of a résumé: a role, a degree, an award, a skill.
// Its Kind says which, and each kind uses the fields JSON Resume gives
// it:
//
//	kind          Title            Organisation   other fields
//	Work          position         name           Location, URL, Description, dates, Notes (summary), Highlights
//	Volunteer     position         organization   URL, dates, Notes (summary), Highlights
//	Education     studyType        institution    Area, URL, dates, Score, Courses
//	Awards        title            awarder        date (Start = End), Notes (summary)
//	Certificates  name             issuer         date, URL
//	Publications  name             publisher      date (releaseDate), URL, Notes (summary)
//	Skills        name                            Level, Keywords
//	Languages     language                        Fluency
//	Interests     name                            Keywords
//	References    name                            Notes (reference)
//	Projects      name             entity         Type, URL, dates, Notes (description), Highlights, Keywords, Roles
type Entry struct {
	Kind         Kind
	Title        string
	Organisation string
	// Location is where the role was: "Leeds", "Remote".
	Location string
	URL      string
	// Start and End are the entry's dates. End is the zero Date while it
	// is current; a single date (an award's) is Start == End; an undated
	// entry has a zero Start.
	Start Date
	End   Date
	// Area is a degree's subject: "Computer Science".
	Area string
	// Score is a degree's grade: "Distinction", "3.9/4.0".
	Score string
	// Level is a skill's: "Expert".
	Level string
	// Fluency is a language's: "Native speaker".
	Fluency string
	// Type is a project's: "application".
	Type string
	// Description is a role's organisation described: "Card payments".
	Description string
	Keywords    []string
	Courses     []string
	// Roles are a project's: "Author", "Maintainer".
	Roles []string
	// Highlights are the entry's bullets, inline Markdown kept as spans.
	Highlights []Item
	// Notes are the other blocks written under the entry (its summary,
	// a reference's text, a project's description), kept so that nothing
	// in a document is dropped.
	Notes []Block
	// Line is the 1-based line of the entry's title in the source.
	Line int
}

// Dated reports whether the entry has dates.
func (e Entry) Dated() bool { return !e.Start.IsZero() }

// Dates is the entry's dates as every view writes them: "Mar 2019 –
// Present", "Jun 2021", or "" when it has none.
func (e Entry) Dates() string {
	if !e.Dated() {
		return ""
	}
	return FormatRange(e.Start, e.End)
}

// Head is the entry's first line as views show it: the title, and the
// organisation after it; for a degree, "MSc in Computer Science".
func (e Entry) Head() string {
	title := e.Title
	if e.Kind == Education && e.Area != "" {
		title = joinNonEmpty(" in ", e.Title, e.Area)
	}
	if e.Kind == Languages && e.Fluency != "" {
		title += " (" + e.Fluency + ")"
	}
	return title
}

// Facts are the entry's other fields as labelled lines, in the order
// every export writes them: "Score: Distinction", "Keywords: Go, Rust".
func (e Entry) Facts() []Fact {
	var out []Fact
	add := func(label, value string) {
		if value != "" {
			out = append(out, Fact{label, value})
		}
	}
	add("Description", e.Description)
	add("Score", e.Score)
	add("Level", e.Level)
	add("Type", e.Type)
	add("Roles", joinList(e.Roles))
	add("Keywords", joinList(e.Keywords))
	add("Courses", joinList(e.Courses))
	return out
}

// Fact is one labelled field of an entry.
type Fact struct{ Label, Value string }

// joinList writes a list as "a, b, c", or "a; b" when an item has a
// comma of its own, so that splitList reads it back.
func joinList(items []string) string {
	sep := ", "
	for _, it := range items {
		if strings.Contains(it, ",") {
			sep = "; "
		}
	}
	return strings.Join(items, sep)
}

// splitList reads "a, b, c" or "a; b" (when there is a ";") as items.
func splitList(s string) []string {
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for _, it := range strings.Split(s, sep) {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// readsAsName reports whether an opening heading reads as a person's
// name: a few words, each starting with a capital letter (or a letter of
// a script with no case) or a particle such as "van" or "de", with no
// digits and no sentence's punctuation.
// "What is Rackspace?" and "Curriculum Vitae" are not names.
func readsAsName(s string) bool {
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 6 || strings.ContainsAny(s, "?!:;()[]|@/0123456789") || strings.HasSuffix(s, ".") {
		return false
	}
	switch normalHeading(s) {
	case "curriculum vitae", "cv", "resume", "résumé", "lebenslauf", "about", "about me", "profile", "summary":
		return false
	}
	capitals := 0
	for _, w := range words {
		r := []rune(w)[0]
		switch {
		case unicode.IsUpper(r) || (unicode.IsLetter(r) && !unicode.IsLower(r)):
			capitals++ // a capital, or a letter of a script with no case (李, سارا)
		case particles[strings.ToLower(w)]:
		default:
			return false
		}
	}
	return capitals > 0 && sectionKind(s) == Free
}

// particles are the lower-case words a name may hold.
var particles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true, "di": true, "du": true,
	"la": true, "le": true, "del": true, "della": true, "dos": true, "das": true, "ter": true, "ten": true,
	"bin": true, "binti": true, "al": true, "el": true, "y": true, "e": true, "zu": true, "af": true,
}
