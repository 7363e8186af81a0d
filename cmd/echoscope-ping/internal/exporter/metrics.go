package exporter

import (
	"net/netip"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Names as smokeping_prober's (namespace "smokeping", labels ip, host, source), so its
// dashboards and alerts read ours; Echoscope's own counts under "echoscope_ping".
const (
	smokepingNamespace = "smokeping"
	echoscopeNamespace = "echoscope_ping"
	exporterNamespace  = "echoscope_exporter"
)

// targetLabels are smokeping_prober's, in its order.
var targetLabels = []string{"ip", "host", "source"}

// defaultBuckets are smokeping_prober's: 50 us doubling up to 26 s (20 buckets), wide
// enough for loopback and for a satellite link.
var defaultBuckets = prometheus.ExponentialBuckets(0.00005, 2, 20)

// classes are the engine's classes of a received message, each a value of the class label
// (pre-created, so a class that never happened reads 0 rather than missing).
var classes = []probe.Class{probe.ClassOnTime, probe.ClassOutOfOrder, probe.ClassLate,
	probe.ClassDuplicate, probe.ClassCorrupt, probe.ClassForeign, probe.ClassICMPError}

// metrics are the exporter's collectors, registered in reg.
type metrics struct {
	reg *prometheus.Registry
	// mu makes a scrape one moment: the recorder holds it while one event updates its
	// counters (a reply moves requests, received and the histogram together), and
	// Gather holds it for the whole scrape, so no scrape sees half of an event (client_golang
	// reads each family at its own moment: a loss counted between reading requests and
	// lost made requests - received - lost read -1 in one test run).
	mu sync.Mutex

	requests   *prometheus.CounterVec
	rtt        *prometheus.HistogramVec
	ttl        *prometheus.GaugeVec
	duplicates *prometheus.CounterVec
	sendErrors *prometheus.CounterVec
	recvErrors prometheus.Counter

	sent, received, lost *prometheus.CounterVec
	messages             *prometheus.CounterVec
	icmpErrors           *prometheus.CounterVec

	targets        prometheus.Gauge
	reloads        *prometheus.CounterVec
	reloadOK       prometheus.Gauge
	reloadLastTime prometheus.Gauge
	restarts       prometheus.Counter
}

func newMetrics(buckets []float64) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	counter := func(ns, name, help string, labels ...string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help},
			append(append([]string(nil), targetLabels...), labels...))
		m.reg.MustRegister(v)
		return v
	}
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: exporterNamespace, Name: name, Help: help})
		m.reg.MustRegister(g)
		return g
	}
	m.requests = counter(smokepingNamespace, "requests_total",
		"Echo requests whose outcome is known: answered within the timeout, or lost at it (requests in flight are not counted yet, so 1 - replies/requests is the loss at every scrape).")
	m.rtt = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: smokepingNamespace,
		Name: "response_duration_seconds", Help: "A histogram of latencies for ping responses (first replies within the timeout; from the send time taken just before the send call to the kernel's receive timestamp where the socket gives one).",
		Buckets: buckets}, targetLabels)
	m.reg.MustRegister(m.rtt)
	m.ttl = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: smokepingNamespace, Name: "response_ttl",
		Help: "The last response Time To Live (TTL)."}, targetLabels)
	m.reg.MustRegister(m.ttl)
	m.duplicates = counter(smokepingNamespace, "response_duplicates_total", "The number of duplicated response packets.")
	m.sendErrors = counter(smokepingNamespace, "send_errors_total", "The number of errors when sending echo requests (each also a lost request).")
	m.recvErrors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: smokepingNamespace, Name: "receive_errors_total",
		Help: "The number of times reading the ICMP socket failed and the engine was restarted."})
	m.reg.MustRegister(m.recvErrors)

	m.sent = counter(echoscopeNamespace, "sent_total", "Echo requests sent (counted as they leave, requests in flight included).")
	m.received = counter(echoscopeNamespace, "received_total", "Requests answered within the timeout (first replies: on time or out of order).")
	m.lost = counter(echoscopeNamespace, "lost_total", "Requests without a reply by their timeout (those answered only by an ICMP error included).")
	m.messages = counter(echoscopeNamespace, "messages_total",
		"Received ICMP messages tied to this target, by Echoscope's class: on-time, out-of-order, late, duplicate, corrupt, foreign, icmp-error.", "class")
	m.icmpErrors = counter(echoscopeNamespace, "icmp_errors_total",
		"ICMP error messages quoting one of this target's requests, by ICMP type and code.", "type", "code")

	m.targets = gauge("targets", "Targets being pinged.")
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: exporterNamespace, Name: "reloads_total",
		Help: "Reloads of the targets (SIGHUP), by result."}, []string{"result"})
	m.reg.MustRegister(m.reloads)
	m.reloads.WithLabelValues("success")
	m.reloads.WithLabelValues("failure")
	m.reloadOK = gauge("last_reload_successful", "Whether the last reload of the targets succeeded (1 before any reload).")
	m.reloadOK.Set(1)
	m.reloadLastTime = gauge("last_reload_success_timestamp_seconds", "When the targets were last loaded successfully.")
	m.restarts = prometheus.NewCounter(prometheus.CounterOpts{Namespace: exporterNamespace, Name: "engine_restarts_total",
		Help: "Times the ping engine was started again after it stopped on its own (a socket failed)."})
	m.reg.MustRegister(m.restarts)

	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// seriesKey names one target's series: a host name that resolves elsewhere after a reload
// is another set of series.
type seriesKey struct {
	host   string
	ip     netip.Addr
	source string
}

// targetSeries are one target's metrics, looked up once so that an event costs no label
// hashing.
type targetSeries struct {
	key                              seriesKey
	fam                              wire.Family
	requests, duplicates, sendErrors prometheus.Counter
	sent, received, lost             prometheus.Counter
	rtt                              prometheus.Observer
	ttl                              prometheus.Gauge
	byClass                          map[probe.Class]prometheus.Counter
	ipLabel                          string
}

func (m *metrics) newSeries(k seriesKey) *targetSeries {
	ip := k.ip.String()
	lv := []string{ip, k.host, k.source}
	s := &targetSeries{key: k, ipLabel: ip, fam: wire.IPv4,
		requests: m.requests.WithLabelValues(lv...), duplicates: m.duplicates.WithLabelValues(lv...),
		sendErrors: m.sendErrors.WithLabelValues(lv...), sent: m.sent.WithLabelValues(lv...),
		received: m.received.WithLabelValues(lv...), lost: m.lost.WithLabelValues(lv...),
		rtt: m.rtt.WithLabelValues(lv...), ttl: m.ttl.WithLabelValues(lv...),
		byClass: make(map[probe.Class]prometheus.Counter, len(classes))}
	if k.ip.Is6() && !k.ip.Is4In6() {
		s.fam = wire.IPv6
	}
	for _, c := range classes {
		s.byClass[c] = m.messages.WithLabelValues(ip, k.host, k.source, string(c))
	}
	return s
}

// deleteSeries removes a target's series (a target taken out of the list).
func (m *metrics) deleteSeries(k seriesKey) {
	labels := prometheus.Labels{"ip": k.ip.String(), "host": k.host, "source": k.source}
	for _, v := range []*prometheus.MetricVec{m.requests.MetricVec, m.duplicates.MetricVec,
		m.sendErrors.MetricVec, m.sent.MetricVec, m.received.MetricVec, m.lost.MetricVec,
		m.messages.MetricVec, m.icmpErrors.MetricVec, m.rtt.MetricVec, m.ttl.MetricVec} {
		v.DeletePartialMatch(labels)
	}
}

// icmpError counts an ICMP error quoting one of s's requests. Its labels are the wire
// package's names of the type and code, a bounded set (unknown ones read "Unknown type N").
func (m *metrics) icmpError(s *targetSeries, typ, code int) {
	t, c := uint8(typ), uint8(code)
	m.icmpErrors.WithLabelValues(s.ipLabel, s.key.host, s.key.source,
		wire.TypeName(s.fam, t), wire.CodeName(s.fam, t, c)).Inc()
}

// Gather is the registry's, under mu (see metrics.mu); promhttp serves it.
func (m *metrics) Gather() ([]*dto.MetricFamily, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reg.Gather()
}
