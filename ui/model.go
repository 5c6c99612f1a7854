package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// MinWidth and MinHeight are the smallest window the browser lays out in;
// below them it shows one line asking for a larger window.
const (
	MinWidth  = 40
	MinHeight = 10
)

// wideWidth is where the list and the detail start to sit side by side.
const wideWidth = 100

type page int

const (
	pageRoles page = iota
	pageAbout
	pageTimeline
	pageHelp
	pageCard
	pageHello
)

type focus int

const (
	focusList focus = iota
	focusDetail
)

// Model is the browser's root model. It is a value: Update returns the
// next one.
type Model struct {
	doc      *content.Resume
	keys     *KeyMap    // shared by every session
	styles   *Styles    // the palette for the background: one of palettes
	palettes *[2]Styles // light and dark, shared by every session
	dark     bool
	now      func() time.Time

	width, height int
	page, back    page
	sel           int      // the selected role
	list          roleList // the role list, which scrolls on its own
	timeline      timelinePart
	focus         focus
	detailOpen    bool // narrow layout: the detail fills the window
	// Each page that scrolls keeps its own place.
	detail, about, help, read pager
	reader                    bool

	search search
	demo   demo
	copied bool // the card said it copied the contact
	// stillThere asks whether the visitor is still there (StillThereMsg),
	// until their next key or click.
	stillThere bool

	notes func(Note) (int64, error) // saves a visitor's note; nil: no form
	hello *hello                    // the form, once opened

	hay      []string  // each role's searchable text, and the about page's
	renderer *Renderer // shared by every session of a server
}

// New is a browser over doc, which it only reads.
func New(doc *content.Resume, opts ...Option) Model {
	m := Model{
		doc: doc, keys: defaultKeys(), dark: true, now: time.Now,
		width: 80, height: 24,
		demo: demo{idle: 45 * time.Second, step: 6 * time.Second},
	}
	for _, o := range opts {
		o(&m)
	}
	if m.palettes == nil {
		m.palettes = defaultPalettes()
	}
	if noCard, noHello := !m.hasCard(), m.notes == nil; noCard || noHello {
		if m.keys == defaultKeys() {
			m.keys = defaultVariants()[b2i(noCard)][b2i(noHello)]
		} else {
			m.keys = without(m.keys, noCard, noHello)
		}
	}
	if m.renderer == nil {
		m.renderer = NewRenderer(1 << 20)
	}
	m.setTheme(m.dark)
	m.hay = m.renderer.haystacks(doc)
	return m
}

func (m *Model) setTheme(dark bool) {
	m.dark = dark
	m.styles = &m.palettes[0]
	if dark {
		m.styles = &m.palettes[1]
	}
}

// Init returns tea.RequestBackgroundColor, which a tea.Program, and the
// server's loop, send to the terminal, and starts the demo's idle timer
// when there is one. The answer arrives as a tea.BackgroundColorMsg,
// whenever it does.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.demo.wait())
}

// StillThereMsg tells the browser that the visitor has sent nothing for a
// while and the session ends soon without a key: it asks "still there?"
// until the next key or click.
type StillThereMsg struct{}

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg.(type) {
	case StillThereMsg:
		m.stillThere = true
		return m, nil
	case tea.KeyPressMsg, tea.MouseClickMsg, tea.MouseWheelMsg:
		m.stillThere = false
	}
	if m.promptsOpen() {
		switch msg := msg.(type) {
		case tea.WindowSizeMsg:
			return m.resize(msg), nil
		case tea.KeyPressMsg:
			if match(msg, m.keys.ForceQuit) {
				return m, tea.Quit
			}
		}
		return m.updatePrompts(msg)
	}
	if m.formOpen() {
		// The form takes everything (its own messages too) but the size,
		// the theme, ctrl+c and what saving came to.
		switch msg := msg.(type) {
		case tea.WindowSizeMsg:
			return m.resize(msg), nil
		case tea.BackgroundColorMsg:
			m.setTheme(msg.IsDark())
			return m, nil
		case savedMsg:
			return m.saved(msg), nil
		case tea.KeyPressMsg:
			if match(msg, m.keys.ForceQuit) {
				return m, tea.Quit
			}
		}
		m, cmd = m.updateHello(msg)
		m.clamp()
		return m, cmd
	}
	switch msg := msg.(type) {
	case savedMsg:
		m = m.saved(msg)
	case tea.WindowSizeMsg:
		m = m.resize(msg)
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
	case idleMsg, tourMsg:
		m, cmd = m.updateDemo(msg)
	case tea.KeyPressMsg:
		if m, cmd, handled := m.interrupt(msg); handled {
			return m, cmd
		}
		m, cmd = m.updateKey(msg)
		cmd = tea.Batch(cmd, m.demo.wait())
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m, cmd, handled := m.interrupt(msg); handled {
			return m, cmd
		}
		m = m.updateMouse(msg.(tea.MouseMsg))
		cmd = m.demo.wait()
	}
	m.clamp()
	return m, cmd
}

// resize fits the model, and the hello form if it has one, to the window.
func (m Model) resize(msg tea.WindowSizeMsg) Model {
	m.width, m.height = msg.Width, msg.Height
	if m.hello != nil {
		h := m.hello.SetSize(m.width, m.bodyHeight())
		m.hello = &h
	}
	return m
}

// interrupt lets input stop the demo's tour first; the key that stops it
// does nothing else.
func (m Model) interrupt(msg tea.Msg) (Model, tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok && match(k, m.keys.ForceQuit) {
		return m, tea.Quit, true
	}
	if !m.demo.on {
		return m, nil, false
	}
	m.demo.gen++ // any input makes pending timers stale
	if m.demo.touring {
		m = m.stopTour()
		m.clamp()
		return m, m.demo.wait(), true
	}
	return m, nil, false
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.search.typing {
		return m.updateSearch(msg), nil
	}
	m.copied = false // the card's "copied" lasts until the next key
	if match(msg, k.Quit) {
		if m.demo.on {
			return m, nil
		}
		return m, tea.Quit
	}
	if m.tooSmall() {
		return m, nil
	}
	if match(msg, k.Reader) {
		m.reader, m.read = !m.reader, pager{}
		return m, nil
	}
	if m.reader && match(msg, k.Hello) {
		return m.openPrompts(), nil
	}
	if m.reader {
		return m.scroll(msg), nil
	}
	switch {
	case match(msg, k.Help):
		if m.page == pageHelp {
			m.page = m.back
			return m, nil
		}
		return m.open(pageHelp), nil
	case match(msg, k.Timeline):
		return m.open(pageTimeline), nil
	case match(msg, k.About):
		return m.open(pageAbout), nil
	case match(msg, k.Card):
		return m.open(pageCard), nil
	case match(msg, k.Hello):
		return m.openHello(), nil
	case match(msg, k.Copy) && m.page == pageCard:
		return m.copyContact()
	case match(msg, k.Copy) && m.page == pageRoles:
		return m.copyLink()
	case match(msg, k.Search):
		m.page = pageRoles
		m = m.startSearch()
		return m, nil
	}
	if m.search.query != "" && (m.page == pageRoles || m.page == pageAbout) && (match(msg, k.Next) || match(msg, k.Prev)) {
		return m.nextMatch(match(msg, k.Prev)), nil
	}
	switch m.page {
	case pageTimeline:
		return m.updateTimeline(msg), nil
	case pageAbout, pageHelp, pageCard, pageHello:
		if match(msg, k.Back) {
			m.page = pageRoles
			return m, nil
		}
		return m.scroll(msg), nil
	}
	return m.updateRoles(msg), nil
}

// open shows page p, as its key does.
func (m Model) open(p page) Model {
	if p == pageHelp && m.page != pageHelp {
		m.back, m.help = m.page, pager{}
	}
	m.page = p
	return m
}

// clamp keeps the selection, the list window and the scroll offset inside
// what there is to show.
func (m *Model) clamp() {
	n := len(m.doc.Roles)
	m.sel = max(0, min(m.sel, n-1))
	m.list = m.list.follow(m.entries(), m.sel, m.listRows())
	if p, h, lines := m.pane(); p != nil {
		*p = p.clamp(h, len(lines))
	}
}

func (m Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

func (m Model) wide() bool { return m.width >= wideWidth }

// bodyHeight is the height between the header and the footer.
func (m Model) bodyHeight() int { return max(0, m.height-3) }

// View draws the window: exactly as many lines as it is high, none wider
// than it is wide.
func (m Model) View() tea.View {
	if m.page == pageHello {
		return m.draw() // the form changes in place: its screens are not memoised
	}
	return m.renderer.memoised(m.viewKey(), m.draw)
}

func (m Model) draw() tea.View {
	var v tea.View
	if m.promptsOpen() && !m.tooSmall() {
		s, cur := m.renderPrompts()
		v = tea.NewView(s)
		v.Cursor = cur
	} else {
		v = tea.NewView(m.render())
	}
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = printable(m.doc.Title())
	return v
}

func (m Model) render() string {
	if m.tooSmall() {
		return m.tooSmallLine()
	}
	if m.reader {
		return m.renderReader()
	}
	var body []string
	switch m.page {
	case pageAbout:
		body = m.about.View(m.aboutLines(), m.bodyHeight())
	case pageTimeline:
		body = m.timelineLines()
	case pageHelp:
		body = m.help.View(m.helpLines(), m.bodyHeight())
	case pageHello:
		body = m.helloLines()
	case pageCard:
		body = m.card().lines
		if m.copied {
			body = append(body, "", "  "+m.styles.Accent.Render("Copied — if your terminal allows it."))
		}
	default:
		body = m.rolesLines()
	}
	return frame(append(append(m.header(), fit(body, m.width, m.bodyHeight())...), m.footer()), m.width, m.height)
}

func match(msg tea.KeyPressMsg, b key.Binding) bool { return key.Matches(msg, b) }

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
