package sqlite

import (
	"os"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the store's figures for /metrics.
type metrics struct {
	log           *Log
	bytes         *prometheus.Desc
	queueDepth    prometheus.Gauge
	commitSeconds prometheus.Histogram
	batchEvents   prometheus.Histogram
	failures      prometheus.Counter
	overflows     prometheus.Counter
}

func newMetrics(l *Log) *metrics {
	return &metrics{
		log: l,
		bytes: prometheus.NewDesc("pokerd_store_bytes",
			"Size of the store on disk: the database file and its write-ahead log.", nil, nil),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pokerd_store_queue_depth", Help: "Records waiting for the store's writer.",
		}),
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pokerd_store_commit_seconds",
			Help:    "Time to write and commit one group of records.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14), // 0.5 ms to about 4 s
		}),
		batchEvents: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pokerd_store_commit_batch_events",
			Help:    "Records written by one group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12), // 1 to 2048
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pokerd_store_write_failures_total",
			Help: "Group commits that failed (disk full, I/O error); their rooms went on in memory.",
		}),
		overflows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pokerd_store_queue_overflows_total",
			Help: "Records not written because the writer's queue was full.",
		}),
	}
}

// Collector gives the store's metrics, to register beside the server's.
func (l *Log) Collector() prometheus.Collector { return l.metrics }

func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.bytes
	m.queueDepth.Describe(ch)
	m.commitSeconds.Describe(ch)
	m.batchEvents.Describe(ch)
	m.failures.Describe(ch)
	m.overflows.Describe(ch)
}

func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	var size int64
	for _, name := range []string{m.log.file, m.log.file + "-wal"} {
		if info, err := os.Stat(name); err == nil {
			size += info.Size()
		}
	}
	ch <- prometheus.MustNewConstMetric(m.bytes, prometheus.GaugeValue, float64(size))
	m.log.mu.Lock()
	depth := len(m.log.queue)
	m.log.mu.Unlock()
	m.queueDepth.Set(float64(depth))
	m.queueDepth.Collect(ch)
	m.commitSeconds.Collect(ch)
	m.batchEvents.Collect(ch)
	m.failures.Collect(ch)
	m.overflows.Collect(ch)
}
