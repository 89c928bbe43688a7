#!/usr/bin/env bash
# update.sh: vendor mutation-testing-elements (make elements). Fetches the
# npm package at the version pinned in elements.go, checks its SHA-256
# against the one pinned here, and copies the script and the license.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' "$here/elements.go")
sha256=e4c3a603e57a827d680ec37261d069a4357cdf006e42b00c25587e1078ed016b # of mutation-testing-elements-3.9.0.tgz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
url=$(npm view "mutation-testing-elements@$version" dist.tarball)
curl -fsSL "$url" -o "$tmp/p.tgz"
echo "$sha256  $tmp/p.tgz" | sha256sum -c --quiet
tar -xzf "$tmp/p.tgz" -C "$tmp"
cp "$tmp/package/dist/mutation-test-elements.js" "$tmp/package/LICENSE" "$here/"
echo "mutation-testing-elements $version vendored in $here"
