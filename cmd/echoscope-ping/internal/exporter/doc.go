// Package exporter is `echoscope-ping exporter`: a Prometheus exporter that pings a list of
// targets forever with the monitor engine (probe.NewMonitor: one raw socket per family
// shared by every target, sends spread over the interval) and serves what it counts on
// /metrics, named as smokeping_prober names them (smokeping_requests_total,
// smokeping_response_duration_seconds, ...) so existing dashboards work, plus Echoscope's
// own counts: every received message by class, ICMP errors by type and code, sent,
// received and lost requests.
//
// Memory is bounded: the exporter keeps a fixed set of series per target and no packet;
// the engine keeps only the requests within their timeout. The targets come from the
// command line and an optional file, read again on SIGHUP: targets added or removed, the
// others' counters carried on (their series are the same series).
package exporter
