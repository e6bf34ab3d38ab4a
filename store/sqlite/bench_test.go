package sqlite

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAppendCommitted measures what an acknowledged action waits for: Append, then
// Committed, from many rooms at once (32 per CPU), as the server's acknowledgements do.
// ns/op is the throughput (per event, all rooms together); the latency percentiles are
// from one Append to its Committed.
func BenchmarkAppendCommitted(b *testing.B) {
	l := openLog(b, "", Config{})
	var room atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	data := make([]byte, 200) // about a vote's encoding
	b.SetParallelism(32)      // 32 rooms per CPU, each waiting for its acknowledgement
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		code := fmt.Sprintf("B%05d", room.Add(1))
		var mine []time.Duration
		for seq := uint64(1); pb.Next(); seq++ {
			start := time.Now()
			l.Append(code, eventWith(seq, data))
			<-l.Committed(code, seq)
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(latencies)
	at := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	count, sum := histogramCount(b, l.metrics.batchEvents)
	if count > 0 {
		b.ReportMetric(sum/float64(count), "events/commit")
	}
}
