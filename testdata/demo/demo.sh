#!/usr/bin/env bash
# make demo: gorewrite on the example module in testdata/demo/example, on a
# copy, so the repository is never changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${GOREWRITE:-$here/../../bin/gorewrite}
# What the demo leaves for you to open (the timeline) goes next to the binary.
out=$(cd "$(dirname "$bin")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/example/." "$work"
cd "$work"

step() {
	if [ -t 1 ]; then printf '\n\033[1m$ %s\033[0m\n' "$*"; else printf '\n$ %s\n' "$*"; fi
}

step go run .
go run .

step "gorewrite swap '+:*' -d ./..."
"$bin" swap '+:*' -d ./...

step "gorewrite swap '>:>=' --at calc/calc.go:14 -d"
"$bin" swap '>:>=' --at calc/calc.go:14 -d

step "gorewrite rewrite -e 'bytes.Compare(a, b) == 0 -> bytes.Equal(a, b)' -d ./..."
"$bin" rewrite -e 'bytes.Compare(a, b) == 0 -> bytes.Equal(a, b)' -d ./...

step "gorewrite cover --mode count ./... && go tool cover -func=coverage.out"
"$bin" cover --mode count ./...
go tool cover -func=coverage.out

step "gorewrite cover --branch ./calc"
"$bin" cover --branch ./calc

step "gorewrite mutate --list ./calc"
"$bin" mutate --list ./calc

step "gorewrite mutate --html demo-mutate.html --markdown demo-mutate.md ./calc"
"$bin" mutate --html "$out/demo-mutate.html" --markdown "$out/demo-mutate.md" ./calc
echo "(the report: $out/demo-mutate.html, on Stryker's report app; the CI summary: $out/demo-mutate.md)"

step "gorewrite trace --timeline demo-trace.json ./..."
"$bin" trace --timeline "$out/demo-trace.json" ./...

step "gorewrite trace --overlay ov ./... && go build -overlay ov/overlay.json -o demo . && GOREWRITE_TRACE=trace.log ./demo && gorewrite trace report trace.log"
"$bin" trace --overlay ov ./...
go build -overlay ov/overlay.json -o demo .
GOREWRITE_TRACE=trace.log ./demo
"$bin" trace report trace.log

# Spans written into the source, then taken out again (another module:
# testdata/demo/otel).
cp -r "$here/otel" "$work/otel"
cp "$work/otel/store/store.go" "$work/store.go.orig"
step "cd otel && gorewrite trace --otel -d ./..."
(cd otel && "$bin" trace --otel -d ./...)

step "gorewrite trace --otel -w ./... && gorewrite trace --remove -w ./... && cmp store/store.go store.go.orig"
(cd otel && "$bin" trace --otel -w ./... 2>/dev/null && "$bin" trace --remove -w ./... && cmp store/store.go ../store.go.orig && echo "store/store.go is back byte for byte")

step "gorewrite stub --record -d ./calc"
"$bin" stub --record -d ./calc

step "gorewrite stub -d ./calc"
"$bin" stub -d ./calc

step "gorewrite stub -w --fuzz ./calc && go test ./calc"
"$bin" stub -w --fuzz ./calc
go test ./calc

step "gorewrite swap '+:*' -w ./... && go run ."
"$bin" swap '+:*' -w ./...
go run .
