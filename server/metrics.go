package server

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no global state: two servers in one process do not share counters).
type metrics struct {
	reg        *prometheus.Registry
	active     prometheus.Gauge
	sessions   *prometheus.CounterVec // by kind
	ended      *prometheus.CounterVec // by reason
	duration   prometheus.Histogram
	refused    *prometheus.CounterVec // by reason
	handshakes prometheus.Counter     // failed handshakes
	penalties  *prometheus.CounterVec // by reason
	bytes      prometheus.Counter
	overran    prometheus.Counter     // browser steps that overran their bound
	leaked     prometheus.Gauge       // abandoned steps not yet returned
	reloads    *prometheus.CounterVec // by result: ok, error
	notes      *prometheus.CounterVec // by result: saved, invalid, full, error
	notReady   prometheus.Counter     // /readyz checks that found the inbox down
	storeTime  prometheus.Histogram
	web        *prometheus.CounterVec // by route and status
	evictions  *prometheus.CounterVec // by reason
	lobbyWait  *prometheus.HistogramVec
	kexWait    prometheus.Histogram
}

// The kinds of session, as resume_sessions_total counts them.
const (
	kindBrowser = "browser"
	kindText    = "text"
	kindCommand = "command"
)

// newMetrics registers the server's metrics, reading lim's phase counts
// when scraped.
func newMetrics(lim *limiter) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "resume_sessions_active", Help: "Sessions open now.",
		}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_sessions_total", Help: "Sessions started, by kind (browser, text, command).",
		}, []string{"kind"}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_sessions_ended_total", Help: "Sessions ended, by reason.",
		}, []string{"reason"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "resume_session_duration_seconds", Help: "How long sessions last.",
			Buckets: []float64{0.01, 0.1, 1, 10, 30, 60, 300, 600, 1800, 3600},
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_connections_refused_total", Help: "Connections and sessions refused by a limit, by reason.",
		}, []string{"reason"}),
		handshakes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resume_handshake_failures_total", Help: "SSH handshakes that failed or timed out.",
		}),
		penalties: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_penalties_total", Help: "Penalties charged to sources, by reason.",
		}, []string{"reason"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resume_bytes_sent_total", Help: "Bytes sent to visitors.",
		}),
		overran: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resume_browser_steps_overran_total", Help: "Browser steps (an update and its screen) that ran past the step timeout; each ended its session.",
		}),
		notes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_inbox_notes_total", Help: "Notes visitors sent, by result: saved, invalid, full, error (storage).",
		}, []string{"result"}),
		notReady: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resume_inbox_unreachable_total", Help: "Readiness checks (/readyz) that found the inbox's storage not answering.",
		}),
		storeTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "resume_inbox_store_seconds", Help: "How long storing a note took, to its commit.",
			Buckets: []float64{0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5},
		}),
		web: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_http_requests_total", Help: "Web page requests answered, by route (other for unknown paths) and status.",
		}, []string{"route", "code"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_document_reloads_total", Help: "Reloads of the résumé file, by result (ok, error: the last good one is kept).",
		}, []string{"result"}),
		evictions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resume_evictions_total", Help: "Seats given from an idle visitor to a newcomer, by reason.",
		}, []string{"reason"}),
		lobbyWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "resume_lobby_wait_seconds", Help: "How long visitors waited in the lobby for a seat, by outcome (seated, left, timeout).",
			Buckets: []float64{0.1, 1, 5, 10, 30, 60, 120},
		}, []string{"outcome"}),
		kexWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "resume_handshake_queue_wait_seconds", Help: "How long connections waited in the queue for a handshake slot.",
			Buckets: []float64{0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5},
		}),
		leaked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "resume_browser_steps_leaked", Help: "Goroutines of abandoned browser steps that have not returned.",
		}),
	}
	waiting := func(p phase, name string) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "resume_connections_waiting", Help: "Connections not yet authenticated, by phase: kex (key exchange) or login (a person at the host-key prompt).",
			ConstLabels: prometheus.Labels{"phase": name},
		}, func() float64 {
			kex, login, _ := lim.counts()
			return float64([]int{kex, login}[p])
		})
	}
	lobby := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "resume_lobby_waiting", Help: "Visitors waiting in the lobby for a seat.",
	}, func() float64 { return float64(lim.lobbyLen()) })
	fair := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "resume_fair_share_sessions", Help: "Seats each source wanting one may hold while the room is full: the seats divided between the sources holding or waiting for one.",
	}, func() float64 { return float64(lim.fairShare(netip.Prefix{})) })
	m.reg.MustRegister(m.active, m.sessions, m.ended, m.duration, m.refused, m.handshakes, m.penalties, m.bytes, m.overran, m.leaked, m.reloads, m.notes, m.notReady, m.storeTime, m.web,
		m.evictions, m.lobbyWait, m.kexWait, lobby, fair,
		waiting(phaseKex, "kex"), waiting(phaseLogin, "login"),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// readyTimeout bounds /readyz's wait for the inbox.
const readyTimeout = 2 * time.Second

// MetricsHandler serves /metrics (Prometheus), /healthz (liveness: 200
// while the server accepts connections, 503 once it is shutting down) and
// /readyz (readiness: /healthz, and the inbox's storage answering).
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if s.isClosing() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.isClosing() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		if s.cfg.Inbox != nil {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			if err := s.cfg.Inbox.Ready(ctx); err != nil {
				s.metrics.notReady.Inc()
				http.Error(w, "inbox: not reachable", http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}
