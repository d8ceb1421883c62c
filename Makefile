# mnet: `make test` is what CI runs (.ci/run).
GO      ?= go
GOFILES := $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go')

.PHONY: all build test vet fmt-check unit race purego bench fuzz clean

all: build test

build:
	$(GO) build -o . ./cmd/...

## test: vet, gofmt check, all unit tests, the pure-Go kernel path, and the
## race detector on the packages where it is cheap.
test: vet fmt-check unit purego race

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test ./...

purego:
	$(GO) test -tags purego ./exec/...

race:
	$(GO) test -race ./spec/... ./analyze/... ./cmd/...

## bench: the speed benchmarks (analysis speed; kernels and whole networks).
bench:
	$(GO) test -run '^$$' -bench . -count 5 ./analyze/... ./exec/...

## fuzz: a short run of every fuzz target (FUZZTIME=1m for longer).
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseResolve -fuzztime $(FUZZTIME) ./spec/

clean:
	rm -f mnet mnet-analyze
