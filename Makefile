# mnet: `make test` is what CI runs (.ci/run).
GO      ?= go
GOFILES := $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go')

.PHONY: all build test vet fmt-check staticcheck unit race purego sim test-arm64 asm-test bench fuzz clean test-e2e plots generate-check golden release

all: build test

build:
	$(GO) build -o . ./cmd/...

## test: vet, gofmt check, all unit tests, the pure-Go kernel
## path, the AVX-512 kernels in the instruction simulator, the arm64 (NEON)
## kernels under qemu, the generators' own tests (the arm64 encodings), the
## race detector on the packages where it is cheap, and staticcheck (last).
test: vet fmt-check unit purego sim test-arm64 asm-test race staticcheck

vet:
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./exec/...

## staticcheck: at a pinned version, fetched through the Go module proxy.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
staticcheck:
	$(GO) run $(STATICCHECK) ./...

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test ./...

purego:
	$(GO) test -tags purego ./exec/...

## sim: the kernel and executor tests with the AVX-512 set in the
## instruction simulator even where the CPU has AVX-512, so an AVX-512
## machine also checks the path an AVX2-only machine takes (which simulates
## it anyway).
sim:
	MNET_SIMULATE=avx512 $(GO) test ./exec/...

## test-arm64: the kernel and executor tests built for arm64 and run under
## qemu-aarch64-static (Debian's qemu-user-static), so the NEON sets go
## through every kernel and executor test, guard bands and thread-count
## determinism included. Skipped, saying so, where qemu is not installed;
## required under CI ($$CI set), where .ci/run installs it.
QEMU_ARM64 ?= qemu-aarch64-static
test-arm64:
	@if command -v $(QEMU_ARM64) >/dev/null 2>&1; then \
		echo "GOARCH=arm64 $(GO) test -timeout 30m -exec $(QEMU_ARM64) ./exec/..."; \
		GOARCH=arm64 $(GO) test -timeout 30m -exec $(QEMU_ARM64) ./exec/...; \
	elif [ -n "$$CI" ]; then \
		echo "test-arm64: $(QEMU_ARM64) is required under CI (apt-get install qemu-user-static)" >&2; exit 1; \
	else \
		echo "test-arm64: SKIPPED: $(QEMU_ARM64) not installed (apt-get install qemu-user-static)"; \
	fi

## asm-test: the kernel generators' module (exec/internal/kernels/_asm):
## every arm64 WORD encoding against golang.org/x/arch's disassembler.
asm-test:
	cd exec/internal/kernels/_asm && $(GO) test ./...

race:
	$(GO) test -race ./tensor/... ./model/... ./spec/... ./analyze/... ./cmd/... ./tui/...

## test-e2e: drive `mnet tui` in tmux at 80x24 and check the numbers it
## shows against mnet analyze (skips, saying so, without tmux).
test-e2e:
	GO=$(GO) sh tui/e2e/run.sh

## generate-check: the committed assembly is exactly what the avo
## generators (exec/internal/kernels/_asm, a module of its own) write.
generate-check:
	$(GO) generate ./exec/internal/kernels
	git diff --exit-code -- exec/internal/kernels

## bench: the speed benchmarks (analysis speed; kernels and whole networks).
bench:
	$(GO) test -run '^$$' -bench . -count 5 ./analyze/... ./exec/...

## fuzz: a short run of every fuzz target (FUZZTIME=1m for longer): the
## spec parser and shape inference, the TFLite reader, and the integer
## quantization arithmetic.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseResolve -fuzztime $(FUZZTIME) ./spec/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./spec/tflite/
	$(GO) test -run '^$$' -fuzz FuzzMultiplyByQuantizedMultiplier -fuzztime $(FUZZTIME) ./internal/qmath/
	$(GO) test -run '^$$' -fuzz FuzzQuantizeMultiplier -fuzztime $(FUZZTIME) ./internal/qmath/
	$(GO) test -run '^$$' -fuzz FuzzExpOnNegativeValues -fuzztime $(FUZZTIME) ./internal/qmath/

clean:
	rm -f mnet mnet-analyze
	rm -rf dist

## release: static binaries (CGO_ENABLED=0) of mnet and mnet-analyze for
## linux/amd64, linux/arm64 and darwin/arm64 in dist/, each checked to
## start: `mnet exec mobilenet_v1 --runs 3` and `mnet-analyze` run natively
## (linux/amd64) and under qemu-aarch64-static (linux/arm64); the darwin
## binaries are only built, and their file type checked.
release:
	GO=$(GO) QEMU_ARM64=$(QEMU_ARM64) sh .ci/release.sh dist

## golden: rewrite every golden file (testdata/<Test>/) from the current
## output with go test -update, in each package whose tests use
## internal/golden; review the result with git diff.
GOLDEN_PKGS = $(shell $(GO) list -f '{{range .TestImports}}{{if eq . "mnet.dev/mnet/internal/golden"}}{{$$.ImportPath}}{{end}}{{end}}{{range .XTestImports}}{{if eq . "mnet.dev/mnet/internal/golden"}}{{$$.ImportPath}}{{end}}{{end}}' ./...)
golden:
	$(GO) test $(GOLDEN_PKGS) -update

## plots: regenerate the README's charts in docs/images/ with `mnet plot`.
## The measured ones (pareto, *-measured, grid-latency) time this machine.
PLOTDIR ?= docs/images
plots: build
	mkdir -p $(PLOTDIR)
	./mnet plot tradeoff -o $(PLOTDIR)/tradeoff.png
	./mnet plot params -o $(PLOTDIR)/params.png
	./mnet plot generations -o $(PLOTDIR)/generations.png
	./mnet plot bytype -o $(PLOTDIR)/bytype.png
	./mnet plot layers -o $(PLOTDIR)/layers.png
	./mnet plot grid --alphas 0.2:1.4:0.1 --resolutions 96:320:32 -o $(PLOTDIR)/grid.png
	./mnet plot bytype --measure --runs 30 -o $(PLOTDIR)/bytype-measured.png
	./mnet plot layers --measure --runs 30 -o $(PLOTDIR)/layers-measured.png
	./mnet plot grid --measure --runs 40 -o $(PLOTDIR)/grid-latency.png
	./mnet plot pareto --runs 40 -o $(PLOTDIR)/pareto.png
	./mnet plot generations --measure --threads 1 --runs 20 -o $(PLOTDIR)/generations-measured.png
