// Package allocs bounds the work a test input may cost, by the heap bytes it allocates:
// for the fuzz tests of the handlers' decoders of outside input.
package allocs

import (
	runtimemetrics "runtime/metrics"
	"testing"
)

// allocated is the process's total of heap bytes allocated so far.
func allocated() uint64 {
	s := []runtimemetrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	runtimemetrics.Read(s)
	return s[0].Value.Uint64()
}

// Bounded runs fn and fails t when it allocated more than perByte bytes for each
// byte of input plus base: work that grows faster than the input (a number's exponent
// expanded, a message repeated) shows up here long before it shows in time. The count
// is the process's, so the fuzzing engine's own allocations can land in it: fn is run
// again, up to three times in all, and only the smallest count is judged.
func Bounded(t testing.TB, inputLen int, base, perByte uint64, fn func()) {
	t.Helper()
	limit := base + perByte*uint64(inputLen)
	var least uint64
	for attempt := range 3 {
		before := allocated()
		fn()
		used := allocated() - before
		if attempt == 0 || used < least {
			least = used
		}
		if least <= limit {
			return
		}
	}
	t.Fatalf("%d bytes of input cost %d bytes of allocation", inputLen, least)
}
