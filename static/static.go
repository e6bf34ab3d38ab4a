// Package static holds the browser assets, embedded in the binary so that pokerd needs no
// files beside it and no CDN. Each asset is served under a URL that carries a hash of its
// content, so browsers may cache it for ever and still see a new version at once.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
)

//go:embed *.css *.js *.svg vendor/*.js
var files embed.FS

// FS holds the assets by name ("pokerd.css", "vendor/htmx.min.js").
var FS fs.FS = files

// eachAsset calls f with each embedded asset's name and content.
func eachAsset(f func(name string, data []byte)) {
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		f(name, data)
		return nil
	})
}

// hashes maps each asset's name to the first hex digits of its SHA-256.
var hashes = func() map[string]string {
	out := map[string]string{}
	eachAsset(func(name string, data []byte) {
		sum := sha256.Sum256(data)
		out[name] = hex.EncodeToString(sum[:6])
	})
	return out
}()

// Prefix is where the assets are served.
const Prefix = "/static/"

// URL returns the content-addressed URL of an asset: /static/<hash>/<name>.
func URL(name string) string {
	return Prefix + hashes[name] + "/" + name
}

// Lookup splits a path below Prefix ("<hash>/<name>") and reports whether it names an
// asset, and whether the hash is the current one (a stale hash may still be served, but
// must not be cached for ever).
func Lookup(rest string) (name string, current, ok bool) {
	dir, file := path.Split(rest)
	if dir == "" {
		return "", false, false
	}
	hash, sub, _ := cut(dir)
	name = path.Join(sub, file)
	h, ok := hashes[name]
	return name, ok && h == hash, ok
}

func cut(dir string) (first, rest string, found bool) {
	for i := 0; i < len(dir); i++ {
		if dir[i] == '/' {
			return dir[:i], dir[i+1:], true
		}
	}
	return dir, "", false
}
