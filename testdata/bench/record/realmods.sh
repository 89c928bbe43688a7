#!/usr/bin/env bash
# realmods.sh: gorewrite stub --record on real modules from the module proxy,
# and what the recorded tests are worth. For each module: the mutation score
# of its own tests (gorewrite mutate); stub --record -w (timed); the recorded
# tests vet, pass 10 times in a row (go test -count=10), and a second
# --record -w changes nothing; then the mutation score with them, and the
# mutants only the recorded tests kill, named in $out/MODULE.killed.
#   testdata/bench/record/realmods.sh [MODULE@VERSION...]
# The mutation runs take minutes per module; RECORD_NO_MUTATE=1 skips them.
set -uo pipefail
bin=${GOREWRITE:-$(cd "$(dirname "$0")/../../.." && pwd)/bin/gorewrite}
mods=("$@")
if [ ${#mods[@]} -eq 0 ]; then
	mods=(github.com/dustin/go-humanize@v1.1.0 github.com/Masterminds/semver/v3@v3.5.0
		github.com/google/shlex@v0.0.0-20191202100458-e7afc7fbc510)
fi
work=$(mktemp -d)
out=${RECORD_OUT:-$work}
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
printf '%-52s %6s %5s %7s %4s %6s %6s %9s %9s %6s\n' module calls rows time vet test10 again before after gained
for m in "${mods[@]}"; do
	dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$m" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	name=$(basename "${m%@*}")
	[ "$name" = v3 ] && name=semver
	cp -r "$dir" "$work/$name" && chmod -R u+w "$work/$name"
	cd "$work/$name"
	before=-
	if [ -z "${RECORD_NO_MUTATE:-}" ]; then
		timeout 1800 "$bin" mutate --json "$out/$name.before.json" ./... > /dev/null 2>&1
		before=$(python3 -c "import json,sys;r=json.load(open(sys.argv[1]));ms=[m for f in r['files'].values() for m in f['mutants']];k=sum(m['status'] in('Killed','Timeout') for m in ms);v=sum(m['status'] in('Killed','Timeout','Survived','NoCoverage') for m in ms);print('%.1f%%'%(100*k/v))" "$out/$name.before.json")
	fi
	start=$(date +%s.%N)
	"$bin" stub --record -w ./... > /dev/null 2> "$out/$name.record.err"
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	calls=$(sed -nE 's/^gorewrite: recorded ([0-9]+) distinct calls.*/\1/p' "$out/$name.record.err")
	rows=$(grep -rhoE '\{name: "recorded [0-9]+"' --include='*_test.go' . | wc -l)
	vet=ok; timeout 600 go vet ./... > /dev/null 2>&1 || vet=FAIL
	test=ok; timeout 900 go test -count=10 ./... > "$out/$name.test" 2>&1 || test=FAIL
	cp -r "$work/$name" "$work/$name.once"
	"$bin" stub --record -w ./... > /dev/null 2>&1
	again=same; diff -r "$work/$name.once" "$work/$name" > /dev/null || again=CHANGED
	after=- gained=-
	if [ -z "${RECORD_NO_MUTATE:-}" ]; then
		timeout 1800 "$bin" mutate --json "$out/$name.after.json" ./... > /dev/null 2>&1
		read -r after gained < <(python3 - "$out/$name.before.json" "$out/$name.after.json" "$out/$name.killed" <<'PY'
import json, sys
def load(p):
    r = json.load(open(p))
    return {m['id']: (f, m) for f, fl in r['files'].items() for m in fl['mutants']}
b, a = load(sys.argv[1]), load(sys.argv[2])
dead = ('Killed', 'Timeout')
valid = dead + ('Survived', 'NoCoverage')
ms = [m for _, m in a.values() if m['status'] in valid]
score = 100 * sum(m['status'] in dead for m in ms) / len(ms)
gained = []
for i, (f, m) in sorted(a.items(), key=lambda x: (x[1][0], x[1][1]['location']['start']['line'])):
    if m['status'] in dead and i in b and b[i][1]['status'] not in dead:
        loc = m['location']['start']
        gained.append('%s:%d:%d: %s %s killed by %s' % (f, loc['line'], loc['column'], m['mutatorName'], m.get('replacement', ''), ', '.join(t.rsplit('.', 1)[-1] for t in m.get('killedBy', []))))
open(sys.argv[3], 'w').write('\n'.join(gained) + '\n')
print('%.1f%% %d' % (score, len(gained)))
PY
)
	fi
	printf '%-52s %6s %5s %6.2fs %4s %6s %6s %9s %9s %6s\n' "$m" "$calls" "$rows" "$secs" "$vet" "$test" "$again" "$before" "$after" "$gained"
	cd "$work"
done
