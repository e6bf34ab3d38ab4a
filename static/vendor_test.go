package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
)

// The vendored libraries are exactly the released files recorded in VERSIONS.md.
func TestVendoredChecksums(t *testing.T) {
	want := map[string]string{
		"vendor/htmx.min.js": "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717",
		"vendor/sse.min.js":  "98a46496de0c3605fbffdce9167ba427bdd9553184f83f149c261891a92c0136",
	}
	for name, sum := range want {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s has SHA-256 %x, want %s", name, got, sum)
		}
	}
}

func TestAssetURLsCarryTheContentHash(t *testing.T) {
	url := URL("pokerd.css")
	rest, ok := strings.CutPrefix(url, Prefix)
	if !ok {
		t.Fatalf("URL %q", url)
	}
	name, current, found := Lookup(rest)
	if name != "pokerd.css" || !current || !found {
		t.Fatalf("Lookup(%q) = %q %v %v", rest, name, current, found)
	}
	if _, current, found := Lookup("0000/pokerd.css"); current || !found {
		t.Fatal("an old hash must be found but not current")
	}
	if _, _, found := Lookup("pokerd.css"); found {
		t.Fatal("a URL without a hash is not an asset")
	}
	if name, _, found := Lookup(strings.TrimPrefix(URL("vendor/htmx.min.js"), Prefix)); !found || name != "vendor/htmx.min.js" {
		t.Fatalf("nested asset: %q %v", name, found)
	}
}
