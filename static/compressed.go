package static

import (
	"bytes"
	"compress/gzip"
)

// gzipped holds each asset compressed once, at start: the assets never change while the
// process runs, so no request pays for compressing them. Only assets that shrink by a
// useful amount are kept.
var gzipped = func() map[string][]byte {
	out := map[string][]byte{}
	eachAsset(func(name string, data []byte) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
		_, _ = zw.Write(data)                                    // a bytes.Buffer does not fail
		_ = zw.Close()
		if buf.Len() < len(data)*9/10 {
			out[name] = buf.Bytes()
		}
	})
	return out
}()

// Gzipped returns the asset compressed with gzip, if it is worth sending so.
func Gzipped(name string) ([]byte, bool) {
	data, ok := gzipped[name]
	return data, ok
}
