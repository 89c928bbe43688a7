#!/usr/bin/env bash
# realmods.sh: gorewrite trace --otel on real modules from the module proxy.
# For each: the module's vet and tests before; --otel --record-panics --get -w
# (timed); vet and tests with the spans in; a second run changes nothing;
# --remove -w gives every .go file back byte for byte. Prints a table.
#   testdata/bench/otel/realmods.sh [MODULE@VERSION...]
set -uo pipefail
bin=${GOREWRITE:-$(cd "$(dirname "$0")/../../.." && pwd)/bin/gorewrite}
mods=("$@")
if [ ${#mods[@]} -eq 0 ]; then
	mods=(golang.org/x/sync@v0.25.0 github.com/jackc/puddle/v2@v2.2.4 github.com/hashicorp/go-retryablehttp@v0.7.8
		golang.org/x/oauth2@v0.38.0 github.com/sethvargo/go-retry@v0.5.0 golang.org/x/time@v0.16.0)
fi
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
printf '%-40s %5s %6s %6s %5s %8s %6s %6s %6s %7s\n' module funcs errors notrec kept time vet test again removal
for m in "${mods[@]}"; do
	dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$m" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	name=$(basename "${m%@*}")
	cp -r "$dir" "$work/$name.orig" && cp -r "$dir" "$work/$name" && chmod -R u+w "$work/$name" "$work/$name.orig"
	cd "$work/$name"
	start=$(date +%s.%N)
	"$bin" trace --otel --record-panics --get -w ./... > /dev/null 2> "$work/$name.err"
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	sum=$(grep -E '^gorewrite: [0-9]+ functions? get' "$work/$name.err")
	funcs=$(echo "$sum" | sed -E 's/^gorewrite: ([0-9]+) .*/\1/')
	errs=$(echo "$sum" | sed -E 's/.*; ([0-9]+) error results? recorded.*/\1/')
	notrec=$(grep -c 'error result not recorded' "$work/$name.err")
	kept=$(grep -c ": keeps the caller's context (" "$work/$name.err")
	vet=ok; timeout 600 go vet ./... > /dev/null 2>&1 || vet=FAIL
	test=ok; timeout 900 go test -count=1 ./... > "$work/$name.test" 2>&1 || test=FAIL
	cp -r "$work/$name" "$work/$name.once"
	"$bin" trace --otel --record-panics -w ./... > /dev/null 2>&1
	again=same; diff -r "$work/$name.once" "$work/$name" > /dev/null || again=CHANGED
	"$bin" trace --remove -w ./... > /dev/null 2> "$work/$name.remove"
	removal=same; diff -r --exclude=go.mod --exclude=go.sum "$work/$name.orig" "$work/$name" > /dev/null || removal=DIFFERS
	grep -q warning "$work/$name.remove" && removal="$removal+warn"
	printf '%-40s %5s %6s %6s %5s %7.2fs %6s %6s %6s %7s\n' "$m" "$funcs" "$errs" "$notrec" "$kept" "$secs" "$vet" "$test" "$again" "$removal"
	cd "$work"
done
