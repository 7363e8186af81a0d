#!/usr/bin/env bash
# Prints Echoscope's version from git tags, in a form every package format accepts
# (Debian, RPM and NSIS all take digits, dots and '+'; none takes a leading 'v').
#   tag v1.2.3 on HEAD          -> 1.2.3
#   3 commits after v1.2.3      -> 1.2.3+git3.gabc1234
#   no v* tag yet               -> 0.0.0+git<commits>.g<hash>
#   uncommitted changes         -> the above with .dirty
# --numeric prints only the leading x.y.z (what Windows version resources want).
set -euo pipefail
cd "$(dirname "$0")/.."

if desc=$(git describe --tags --match 'v[0-9]*' --long --dirty 2>/dev/null); then
  # v1.2.3-4-gabc1234[-dirty]
  dirty=''
  [[ $desc == *-dirty ]] && dirty=.dirty && desc=${desc%-dirty}
  hash=${desc##*-}; rest=${desc%-*}
  count=${rest##*-}; tag=${rest%-*}
  base=${tag#v}; base=${base//-/"~"}   # v1.2.3-rc1: Debian and RPM sort 1.2.3~rc1 before 1.2.3
  if [ "$count" = 0 ]; then version=$base$dirty; else version=$base+git$count.$hash$dirty; fi
elif hash=$(git rev-parse --short HEAD 2>/dev/null); then
  count=$(git rev-list --count HEAD)
  dirty=''
  git diff --quiet HEAD 2>/dev/null || dirty=.dirty
  version=0.0.0+git$count.g$hash$dirty
else
  version=0.0.0  # not a git checkout (a source tarball): nothing better to say
fi

if [ "${1:-}" = --numeric ]; then
  echo "${version%%[+~-]*}"
else
  echo "$version"
fi
