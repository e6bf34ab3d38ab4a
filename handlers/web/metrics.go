package web

import (
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pokerd/pokerd/game"
)

// Metrics is what pokerd tells Prometheus. Each Server owns its registry, never the
// library's global one, so that tests can run several servers in one process.
//
// The hot path (every client frame, every frame written, every event delivered) only
// adds to counters resolved here once: no label lookup, no allocation per message.
// What can be read on demand (rooms, players, open sockets) is read on scrape.
type Metrics struct {
	Registry *prometheus.Registry

	wsIn      map[string]prometheus.Counter // by client message type
	WSInvalid prometheus.Counter            // frames that are not a protocol message
	WSLimited prometheus.Counter            // frames over the rate limit, not decoded
	WSOut     prometheus.Counter            // frames written to sockets
	WSEncoded prometheus.Counter            // events encoded into frames, shared by the sockets that carry them

	DropSlow, DropPing, DropWrite prometheus.Counter

	Fanout prometheus.Histogram // from a socket's Deliver to its frames written

	SSEStreams   prometheus.Gauge   // browsers reading a room's event stream
	SSEPublished prometheus.Counter // events published to rooms' streams
	SSEDropSlow  prometheus.Counter // streams dropped because their buffer was full
	SSEDropWrite prometheus.Counter // streams dropped because a write failed or timed out
}

// fanoutBuckets run from 100 µs (a socket whose writer was waiting) to 1 s (far past
// what a player would call live).
var fanoutBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}

// NewMetrics registers pokerd's metrics, the Go runtime's and the process's.
// openSockets is read on scrape; messageTypes are the WebSocket protocol's client
// message types, the labels that pokerd_websocket_messages_received_total has besides
// "invalid" and "rate_limited".
func NewMetrics(version string, rooms *game.Registry, openSockets func() int, messageTypes []string) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{Registry: reg, wsIn: map[string]prometheus.Counter{}}
	f := func(c prometheus.Collector) { reg.MustRegister(c) }

	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "pokerd_build_info",
		Help:        "Always 1; its labels tell the version of pokerd and of Go it was built with.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	}, func() float64 { return 1 }))
	f(roomsCollector{rooms})
	f(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pokerd_websocket_connections_open",
		Help: "WebSocket API connections open now.",
	}, func() float64 { return float64(openSockets()) }))

	in := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pokerd_websocket_messages_received_total",
		Help: "Client frames received over the WebSocket API, by message type; \"invalid\" for frames that are not a protocol message, \"rate_limited\" for frames over the client's rate, which are ignored.",
	}, []string{"type"})
	f(in)
	for _, typ := range messageTypes {
		m.wsIn[typ] = in.WithLabelValues(typ)
	}
	m.WSInvalid = in.WithLabelValues("invalid")
	m.WSLimited = in.WithLabelValues("rate_limited")

	m.WSOut = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "pokerd_websocket_messages_sent_total",
		Help: "Frames written to WebSocket API clients.",
	})
	f(m.WSOut)

	m.WSEncoded = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "pokerd_websocket_encodings_total",
		Help: "Events encoded into WebSocket API frames: once however many sockets carry them, twice when about one player (for that player's own sockets, which see its id, and for the others, which see its alias).",
	})
	f(m.WSEncoded)

	dropped := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pokerd_websocket_clients_dropped_total",
		Help: "WebSocket connections the server closed on a client's failure, by reason: slow_client (its outbox filled up), ping_timeout (no pong), write_failed.",
	}, []string{"reason"})
	f(dropped)
	m.DropSlow = dropped.WithLabelValues("slow_client")
	m.DropPing = dropped.WithLabelValues("ping_timeout")
	m.DropWrite = dropped.WithLabelValues("write_failed")

	m.Fanout = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "pokerd_websocket_fanout_seconds",
		Help:    "Time from a room handing an event to a WebSocket connection until the connection has written it.",
		Buckets: fanoutBuckets,
	})
	f(m.Fanout)

	m.SSEStreams = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "pokerd_sse_streams_open",
		Help: "Browser event streams (SSE) open now.",
	})
	f(m.SSEStreams)
	m.SSEPublished = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "pokerd_sse_events_published_total",
		Help: "Messages rendered for rooms' browser streams, each handed to every browser of its room that needs it (changes to those that show the room, the whole state to those that just came); keepalives not counted.",
	})
	f(m.SSEPublished)
	sseDropped := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pokerd_sse_streams_dropped_total",
		Help: "Browser event streams the server ended on a client's failure, by reason: slow_client (its buffer filled up), write_failed (a write failed or took longer than the write timeout).",
	}, []string{"reason"})
	f(sseDropped)
	m.SSEDropSlow = sseDropped.WithLabelValues("slow_client")
	m.SSEDropWrite = sseDropped.WithLabelValues("write_failed")
	return m
}

// Received counts one client frame that decoded as a message of type typ.
func (m *Metrics) Received(typ string) {
	if c, ok := m.wsIn[typ]; ok {
		c.Inc()
		return
	}
	m.WSInvalid.Inc()
}

// ObserveFanout records the time since an event was queued for a socket.
func (m *Metrics) ObserveFanout(queued time.Time) {
	m.Fanout.Observe(time.Since(queued).Seconds())
}

// Handler serves the metrics. A collector that fails (the process collector without a
// /proc, for one) leaves out its own metrics rather than failing the scrape.
func (m *Metrics) Handler() echo.HandlerFunc {
	h := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return echo.WrapHandler(h)
}

// roomsCollector reads the rooms and their players from the registry on scrape, so
// that joining and leaving cost nothing for metrics.
type roomsCollector struct{ rooms *game.Registry }

var (
	roomsDesc   = prometheus.NewDesc("pokerd_rooms_open", "Games open now.", nil, nil)
	playersDesc = prometheus.NewDesc("pokerd_players_seated", "Players seated in the open games, connected or not.", nil, nil)
)

func (c roomsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- roomsDesc
	ch <- playersDesc
}

func (c roomsCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.rooms.Stats()
	ch <- prometheus.MustNewConstMetric(roomsDesc, prometheus.GaugeValue, float64(st.Rooms))
	ch <- prometheus.MustNewConstMetric(playersDesc, prometheus.GaugeValue, float64(st.Players))
}
