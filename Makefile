# gorewrite: two commands do everything on a fresh machine.
#   make demo   run gorewrite on the example in testdata/demo
#   make test   vet and test (what CI runs)

GO ?= go
BIN := bin/gorewrite

.PHONY: build test demo bench bench-mutate bench-mutate-whole bench-stub bench-otel bench-record fuzz corpus elements clean

build:
	$(GO) build -o $(BIN) .

# -race on everything but the standard-library corpus, which type-checks
# many packages and runs without -race (it is the slow part either way).
test:
	$(GO) vet ./...
	$(GO) test -race -short ./...
	$(GO) test -run 'TestCorpus' ./rewrite/swap/ ./rewrite/pattern/

demo: build
	./testdata/demo/demo.sh

# Vendor mutation-testing-elements (the report app of mutate --html) at the
# version pinned in rewrite/mutate/internal/elements, checksum checked.
elements:
	./rewrite/mutate/internal/elements/update.sh

# Benchmarks, not tests: gorewrite against gofmt -r on all of $GOROOT/src,
# gorewrite cover against go tool cover and go test -cover, in one run,
# gorewrite trace's cost (ns a call against a runtime.Stack tracer; test
# suites of x/mod, cobra and go-humanize traced, and built with the overlay
# and tracing off, against plain go test), and the engine's Go benchmarks.
bench: build
	$(GO) run ./testdata/bench/gofmtcmp -gorewrite $(BIN)
	$(GO) run ./testdata/bench/covercmp -gorewrite $(BIN)
	$(GO) run ./testdata/bench/tracecmp -gorewrite $(BIN)
	$(GO) test -run XXX -bench . -benchtime 3x ./rewrite/...

# gorewrite mutate, --strategy schemata and --strategy overlay, against
# gremlins v0.6.0 (fetched through the module proxy) on packages with fast
# tests: mutants by status, mutants tested per minute, wall time and memory,
# whether the two strategies give every mutant the same status, and where
# gorewrite's and gremlins' statuses differ. Several minutes; -modules,
# -strategies, -runs and -workers choose what and how.
bench-mutate: build
	$(GO) run ./testdata/bench/mutatecmp -gorewrite $(BIN)

# gorewrite mutate on whole multi-package modules (participle, goldmark,
# expr, through the module proxy; one shard of ten): --own-tests against
# every covering test of the module (statuses, wall times, which mutants
# change status), then --incremental on goldmark: a second run unchanged,
# after editing a function, after editing a test, and a run stopped by
# --max-time then resumed. Some 15-25 minutes; -modules, -shard and
# -incremental-module choose.
bench-mutate-whole: build
	$(GO) run ./testdata/bench/wholecmp -gorewrite $(BIN)

# gorewrite stub against gotests v1.8.0 (built through the module proxy) on
# real modules: time to stub every package, and how many generated tests
# compile, pass and vet. About a minute; -modules and -runs choose.
# trace --otel on six real modules from the module proxy: spans written
# (with --get), vet and tests, idempotence, removal byte for byte. A few
# minutes; needs the module proxy.
bench-otel: build
	GOREWRITE=$(CURDIR)/$(BIN) ./testdata/bench/otel/realmods.sh

bench-stub: build
	$(GO) run ./testdata/bench/stubcmp -gorewrite $(BIN)

# stub --record on three real modules: rows written, vet, go test -count=10,
# idempotence, and the mutation score before and after (minutes per module).
bench-record: build
	GOREWRITE=$(CURDIR)/$(BIN) ./testdata/bench/record/realmods.sh

# Short, bounded fuzzing: the engine's invariants, that pattern rewrites
# come out as the trees the rules mean, that instrumented code parses, that
# every mutant type-checks, that every test stub type-checks, and that
# OpenTelemetry spans keep line numbers and come out byte for byte.
fuzz:
	$(GO) test -run XXX -fuzz FuzzRewrite -fuzztime 30s ./rewrite/
	$(GO) test -run XXX -fuzz FuzzTree -fuzztime 30s ./rewrite/pattern/
	$(GO) test -run XXX -fuzz FuzzInstrument -fuzztime 30s ./rewrite/cover/
	$(GO) test -run XXX -fuzz FuzzEnumerate -fuzztime 30s ./rewrite/mutate/
	$(GO) test -run XXX -fuzz FuzzGenerate -fuzztime 30s ./rewrite/stub/
	$(GO) test -run XXX -fuzz FuzzRoundTrip -fuzztime 30s ./rewrite/trace/otel/

# The whole standard library: every swap still type-checks, no comment lost;
# coverage profiles equal go test's on every package of the parity list;
# gorewrite trace, every function and closure hooked, leaves the tests of
# 28 standard-library packages passing and their logs whole;
# mutants type-checked in batches are exactly those that type-check alone;
# testdata/trust and testdata/fates give the same statuses in ten runs;
# test stubs for 54 standard-library packages compile, vet and pass.
corpus:
	$(GO) test -run TestCorpus -timeout 60m -v ./rewrite/swap/ ./rewrite/pattern/ -args -corpus=std
	$(GO) test -run TestParity -timeout 30m -v ./rewrite/cover/ -args -allstd
	$(GO) test -run TestStdCorpus -timeout 30m -v ./rewrite/trace/ -args -allstd
	$(GO) test -run TestStdRoundTrip -timeout 30m -v ./rewrite/trace/otel/ -args -allstd
	$(GO) test -run 'TestBatchedChecks|TestSureChecks' -timeout 60m -v ./rewrite/mutate/ -args -allstd
	$(GO) test -run TestTrust -timeout 30m -v ./rewrite/mutate/ -args -trust-runs 10
	$(GO) test -run 'TestFates$$' -count 10 -timeout 30m ./rewrite/mutate/
	$(GO) test -run TestStubCompiles -timeout 30m -v ./cmd/ -args -stubstd

clean:
	rm -rf bin
