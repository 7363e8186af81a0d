#!/usr/bin/env bash
# Tests scripts/version.sh on a scratch git repository: each tag shape gives the version the
# packages need, and Debian orders them as releases should (rc before release before later
# commits). Run by make test-dist.
set -euo pipefail
script=$(cd "$(dirname "$0")" && pwd)/version.sh
repo=$(mktemp -d)
trap 'rm -rf "$repo"' EXIT
mkdir "$repo/scripts" && cp "$script" "$repo/scripts/version.sh"
cd "$repo"
git init -q && git config user.email t@t && git config user.name t
echo one >file && git add -A && git commit -qm one

fail() { echo "version-test: FAIL: $*" >&2; exit 1; }
expect() { # expect WANT [ARGS]: scripts/version.sh ARGS prints WANT
  local want=$1 got; shift
  got=$(scripts/version.sh "$@")
  [ "$got" = "$want" ] || fail "version.sh $* printed $got, want $want"
}
hash() { git rev-parse --short HEAD; }

expect "0.0.0+git1.g$(hash)"            # no tag yet
git tag v1.2.3
expect 1.2.3
expect 1.2.3 --numeric
echo two >file
expect 1.2.3.dirty                       # uncommitted changes say so
git commit -qam two
expect "1.2.3+git1.g$(hash)"
expect 1.2.3 --numeric
git tag v2.0.0-rc1
expect 2.0.0~rc1
expect 2.0.0 --numeric
git tag other-tag                        # tags that are not versions are ignored
expect 2.0.0~rc1

dpkg --compare-versions 2.0.0~rc1 lt 2.0.0 || fail "Debian sorts 2.0.0~rc1 after 2.0.0"
dpkg --compare-versions 1.2.3 lt "1.2.3+git1.g$(hash)" || fail "Debian sorts a later commit before its tag"
rpm_lt() { [ "$(rpm --eval "%{lua: print(rpm.vercmp('$1', '$2'))}")" = -1 ]; }
rpm_lt 2.0.0~rc1 2.0.0 || fail "RPM sorts 2.0.0~rc1 after 2.0.0"
rpm_lt 1.2.3 "1.2.3+git1.g$(hash)" || fail "RPM sorts a later commit before its tag"
echo "version-test: ok"
