package server

import (
	"net/http"

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
	bytes      prometheus.Counter
}

// The kinds of session, as resume_sessions_total counts them.
const (
	kindBrowser = "browser"
	kindText    = "text"
	kindCommand = "command"
)

func newMetrics() *metrics {
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
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resume_bytes_sent_total", Help: "Bytes sent to visitors.",
		}),
	}
	m.reg.MustRegister(m.active, m.sessions, m.ended, m.duration, m.refused, m.handshakes, m.bytes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// MetricsHandler serves /metrics (Prometheus) and /healthz (200 while
// the server accepts connections, 503 once it is shutting down).
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		closing := s.closing
		s.mu.Unlock()
		if closing {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}
