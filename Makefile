GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     ?= bin/pokerd
IMAGE   ?= pokerd

.PHONY: run build container-proof test check lint fmt vet templ-check generate bench bench-load fuzz docker clean

## run: start the server on :8000 (flags: make run ARGS="--addr :9000")
run:
	$(GO) run ./cmd/pokerd $(ARGS)

## build: a static binary (bin/pokerd, or BIN=...); the Dockerfile builds with this target
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/pokerd

## container-proof: build as the image does, run the binary alone in an empty root, play a round
container-proof:
	$(GO) test -count=1 -run '^TestBinaryRunsAloneInAnEmptyRoot$$' -v ./cmd/pokerd/

## test: every test, with the race detector (fuzz seed corpora included)
test:
	$(GO) test -race -count=1 -timeout 10m ./...

## check: formatting, vet, generated templ files up to date, then every test
check: lint test

lint: fmt vet templ-check

fmt:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## generate: regenerate the templ components (*_templ.go, committed)
generate:
	$(GO) tool templ generate

templ-check: generate
	@if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "generated templ files differ from their .templ sources; run make generate and commit:"; \
		git status --porcelain -- '*_templ.go'; exit 1; fi

## bench: the Go benchmarks, with allocations, then a short load run against a freshly
## built server beside the baseline (flags for pokerload: make bench LOAD_ARGS="--mode ramp")
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...
	scripts/bench-load.sh $(LOAD_ARGS)

## bench-load: the load run of bench alone
bench-load: build
	scripts/bench-load.sh $(LOAD_ARGS)

## fuzz: run every fuzzer of every package in turn, FUZZTIME each (default 60s); extra
## flags in FUZZFLAGS (make fuzz FUZZTIME=10m FUZZFLAGS=-parallel=1)
FUZZTIME  ?= 60s
FUZZFLAGS ?=
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for name in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$name ($$pkg) for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$pkg; \
		done; \
	done

## docker: build the container image (needs a Docker engine)
docker:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE):$(VERSION) .

clean:
	rm -rf bin
