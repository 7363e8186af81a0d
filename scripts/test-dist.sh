#!/usr/bin/env bash
# make test-dist: the packages `make dist` made, installed and used the way a person does.
#   .deb     apt-get install ./dist/...deb; as the unprivileged user nobody: getcap shows the
#            capability, echoscope-ping -V and -c 2 127.0.0.1 work, and the installed .desktop
#            file's Exec line starts the app under Xvfb with only a desktop session's
#            environment (env -i), from /, without a terminal; the window comes up with the
#            desktop file's WM class, and the app logs that it pings through the helper with raw
#            sockets. The copyright file names the SQLite compiled into the app. Then apt-get
#            purge, and every file of the package must be gone.
#   .tar.gz  install.sh per user (as nobody, HOME in a temp dir), then --uninstall leaves nothing.
#   .rpm     rpm -qlp / --scripts / --requires / version (no rpm-based system to install on here).
# Needs root (apt-get, setpriv). Leaves the machine as it found it: the package is purged on
# failure too.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(scripts/version.sh)
deb=dist/echoscope_${version}_amd64.deb
rpm=dist/echoscope-$version.x86_64.rpm
tarball=dist/echoscope-$version-linux-amd64.tar.gz
appid=io.github.echoscope.Echoscope
desktop=/usr/share/applications/$appid.desktop
deadline_s=${TEST_DIST_DEADLINE:-90} # a deadline for failing, not a speed assertion
user=nobody
uid=$(id -u $user) gid=$(id -g $user)

fail() { echo "test-dist: FAIL: $*" >&2; exit 1; }
step() { echo "test-dist: $*"; }
[ "$(id -u)" = 0 ] || fail "needs root (apt-get install, and setpriv to drop to $user)"
for f in "$deb" "$rpm" "$tarball"; do [ -f "$f" ] || fail "$f is missing: run make dist"; done
if dpkg-query -W -f '${Status}' echoscope 2>/dev/null | grep -q installed; then
  fail "an echoscope package is already installed; this test installs and purges its own (apt-get purge echoscope first)"
fi

work=$(mktemp -d)
chmod 0755 "$work"
app_pid='' xvfb_pid='' installed=''
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  [ -n "$installed" ] && apt-get purge -y -q echoscope >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# as_user runs a command as $user with no capabilities and no supplementary groups.
as_user() { setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- "$@"; }

step "SHA256SUMS covers every artefact and matches it"
(cd dist && sha256sum --check --quiet SHA256SUMS) || fail "SHA256SUMS does not match dist/"
for f in dist/*; do
  [ "$f" = dist/SHA256SUMS ] || grep -qF "  ${f#dist/}" dist/SHA256SUMS || fail "SHA256SUMS does not list $f"
done

step "version.sh on a scratch repository"
scripts/version-test.sh

# --- the .rpm, inspected ------------------------------------------------------------------------
step "rpm: files, scripts, requirements"
rpm_files=$(rpm -qlp "$rpm")
for f in /usr/bin/echoscope /usr/bin/echoscope-ping "$desktop" /usr/share/metainfo/$appid.metainfo.xml \
  /usr/share/icons/hicolor/48x48/apps/echoscope.png /usr/share/icons/hicolor/scalable/apps/echoscope.svg \
  /usr/share/man/man1/echoscope.1.gz /usr/share/man/man1/echoscope-ping.1.gz /usr/share/doc/echoscope/copyright; do
  grep -qxF "$f" <<<"$rpm_files" || fail "rpm lacks $f"
done
rpm -qp --scripts "$rpm" | grep -q '^if setcap cap_net_raw=ep /usr/bin/echoscope-ping' ||
  fail "rpm %post does not setcap echoscope-ping"
# The one setcap command (comments and messages aside) is that one: nothing else is raised.
[ "$(rpm -qp --scripts "$rpm" | grep -v '^[[:space:]]*#' | grep -v 'echo ' | grep -c 'setcap ')" = 1 ] ||
  fail "rpm scripts run setcap on something else too"
requires=$(rpm -qp --requires "$rpm")
for r in gtk3 webkit2gtk4.1 libcap; do grep -qx "$r" <<<"$requires" || fail "rpm does not require $r"; done
[ "$(rpm -qp --qf '%{VERSION}' "$rpm")" = "$version" ] || fail "rpm version is not $version"

# --- the .deb, installed ------------------------------------------------------------------------
step "apt-get install ./$deb"
# The dpkg lock may be held by another apt run on this machine: wait for it rather than fail.
apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "./$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; fail "apt-get install"; }
installed=1
dpkg -L echoscope | sort >"$work/files"
grep -qxF "$desktop" "$work/files" || fail "dpkg -L lacks $desktop"

step "copyright: SQLite, compiled into the app, has its notice"
# The SQLite go-sqlite3 compiles in carries its source id in the binary (sqlite3_sourceid()):
# the copyright file must name that same SQLite, with its public-domain notice.
sqlite_line=$(grep -m1 '^SQLite [0-9]' /usr/share/doc/echoscope/copyright) ||
  fail "the copyright file has no SQLite stanza, though go-sqlite3 compiles SQLite into echoscope"
sqlite_source=$(sed -n 's/^SQLite [0-9.]* (source id \(.*\))$/\1/p' <<<"$sqlite_line")
[ -n "$sqlite_source" ] && grep -qaF "$sqlite_source" /usr/bin/echoscope ||
  fail "the copyright file names '$sqlite_line', not the SQLite in /usr/bin/echoscope"
grep -qF 'The author disclaims copyright to this source code.' /usr/share/doc/echoscope/copyright ||
  fail "the copyright file lacks SQLite's public-domain notice"

step "getcap: the capability is on the helper, and only there"
[ "$(getcap /usr/bin/echoscope-ping)" = "/usr/bin/echoscope-ping cap_net_raw=ep" ] ||
  fail "getcap /usr/bin/echoscope-ping says '$(getcap /usr/bin/echoscope-ping)'"
[ -z "$(getcap /usr/bin/echoscope)" ] || fail "the GUI has capabilities: $(getcap /usr/bin/echoscope)"

step "postinst where setcap fails: says so, and the install still succeeds"
# ramfs has no extended attributes, so setcap fails there for real. In a private mount namespace
# a ramfs copy of the helper is bound over /usr/bin/echoscope-ping and the installed postinst
# runs against it; the real file and its capability are untouched.
unshare --mount --propagation private sh -c '
  set -e; mkdir "$1/ramfs"; mount -t ramfs ramfs "$1/ramfs"
  cp /usr/bin/echoscope-ping "$1/ramfs/"; mount --bind "$1/ramfs/echoscope-ping" /usr/bin/echoscope-ping
  /var/lib/dpkg/info/echoscope.postinst configure' sh "$work" >"$work/postinst.log" 2>&1 ||
  { cat "$work/postinst.log" >&2; fail "postinst failed where setcap cannot work"; }
grep -q 'setcap could not give /usr/bin/echoscope-ping the cap_net_raw capability' "$work/postinst.log" ||
  { cat "$work/postinst.log" >&2; fail "postinst did not say that setcap failed"; }
[ "$(getcap /usr/bin/echoscope-ping)" = "/usr/bin/echoscope-ping cap_net_raw=ep" ] || fail "the real helper lost its capability"

step "echoscope-ping as $user"
as_user /usr/bin/echoscope-ping -V | grep -qxF "echoscope-ping from Echoscope $version" ||
  fail "echoscope-ping -V does not say $version"
as_user /usr/bin/echoscope-ping -c 2 127.0.0.1 >"$work/ping.txt" 2>&1 || { cat "$work/ping.txt" >&2; fail "echoscope-ping -c 2 127.0.0.1"; }
grep -q '2 packets transmitted, 2 received' "$work/ping.txt" || { cat "$work/ping.txt" >&2; fail "not 2 replies"; }
# --socket raw refuses rather than falling back: it passes only if the capability works.
as_user /usr/bin/echoscope-ping --socket raw -c 1 127.0.0.1 >"$work/raw.txt" 2>&1 ||
  { cat "$work/raw.txt" >&2; fail "echoscope-ping --socket raw as $user"; }

# --- the app, started from the menu entry -------------------------------------------------------
step "the desktop file's Exec line under Xvfb, as $user, env -i"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
# Field codes (%U, %f...) stand for files a menu passes; the menu passes none here.
read -r -a argv <<<"${exec_line//%[fFuUick]/}"
wmclass=$(sed -n 's/^StartupWMClass=//p' "$desktop")
home=$work/home runtime=$work/runtime
mkdir -m 0700 "$home" "$runtime"
chown "$uid:$gid" "$home" "$runtime"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start"
display=:$(head -n1 "$work/display")
# What a desktop session gives a program it starts from the menu, and nothing else (no terminal:
# setsid and stdin from /dev/null; no working directory to rely on: /).
# WEBKIT_DISABLE_DMABUF_RENDERER: Xvfb has no GPU for WebKit's DMA-BUF renderer; a real
# session does not need it.
(cd / && exec setsid env -i HOME="$home" USER=$user LOGNAME=$user SHELL=/bin/sh \
  PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$display" \
  XDG_RUNTIME_DIR="$runtime" XDG_SESSION_TYPE=x11 XDG_CURRENT_DESKTOP=X-Generic \
  XDG_DATA_DIRS=/usr/local/share:/usr/share XDG_CONFIG_DIRS=/etc/xdg \
  WEBKIT_DISABLE_DMABUF_RENDERER=1 \
  setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- "${argv[@]}" \
  </dev/null >"$work/app.log" 2>&1) &
app_pid=$!

started=$SECONDS window=''
while [ -z "$window" ]; do
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; fail "the app exited"; }
  [ $((SECONDS - started)) -lt "$deadline_s" ] || { cat "$work/app.log" >&2; fail "no window after ${deadline_s}s"; }
  window=$(DISPLAY=$display xdotool search --onlyvisible --name '^Echoscope$' 2>/dev/null | head -n1 || true)
  [ -n "$window" ] || sleep 0.5
done
class=$(DISPLAY=$display xprop -id "$window" WM_CLASS | sed 's/.*= //')
grep -qF "\"$wmclass\"" <<<"$class" || fail "window WM_CLASS $class does not contain StartupWMClass $wmclass"
step "window $window is up, WM_CLASS $class"

# The engine is chosen when the page asks for it, just after the window shows.
until grep -q 'ping engine selected\|no ping engine' "$work/app.log"; do
  [ $((SECONDS - started)) -lt "$deadline_s" ] || { cat "$work/app.log" >&2; fail "no engine log line after ${deadline_s}s"; }
  sleep 0.5
done
engine=$(grep -m1 'ping engine' "$work/app.log")
step "app log: $engine"
for want in 'kind=agent-raw' 'helper=/usr/bin/echoscope-ping' 'cap_net_raw'; do
  grep -qF "$want" <<<"$engine" || fail "the app did not choose the helper with raw sockets ($want missing)"
done
# The app runs as $user, and its helper as $user too (raised only by the file capability).
helper_pid=$(pgrep -u "$uid" -f '^/usr/bin/echoscope-ping --agent' | head -n1) || fail "no helper process running as $user"
grep -q '^CapEff:.*0000000000002000$' /proc/"$helper_pid"/status || fail "the helper does not hold exactly CAP_NET_RAW"
grep -q '^CapEff:.*0000000000000000$' /proc/"$(pgrep -u "$uid" -x echoscope | head -n1)"/status ||
  fail "the GUI holds capabilities"
[ -d "$home/.local/share/echoscope" ] || fail "no history store in the user's data directory"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=''
kill "$xvfb_pid"; wait "$xvfb_pid" 2>/dev/null || true; xvfb_pid=''

# --- purge: nothing of the package is left ------------------------------------------------------
step "apt-get purge echoscope"
apt-get purge -y -q -o DPkg::Lock::Timeout=300 echoscope >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get purge"; }
installed=''
dpkg-query -W -f '${Status}' echoscope 2>/dev/null | grep -q 'installed\|config-files' && fail "dpkg still knows echoscope after purge"
left=0
while read -r path; do
  if [ -f "$path" ] || [ -L "$path" ]; then echo "left behind: $path" >&2; left=1; fi
  # A directory is ours alone when no other package lists it; it must be gone.
  if [ -d "$path" ] && ! dpkg -S "$path" >/dev/null 2>&1 && [ -z "$(ls -A "$path")" ]; then
    echo "left behind (empty directory): $path" >&2; left=1
  fi
done <"$work/files"
[ "$left" = 0 ] || fail "purge left files behind"

# --- the tarball's install.sh, per user ---------------------------------------------------------
step "tar.gz: install.sh as $user, then --uninstall"
thome=$work/tarhome
mkdir "$thome" && chown "$uid:$gid" "$thome"
as_user tar -C "$thome" -xzf "$tarball"
tdir=$thome/echoscope-$version-linux-amd64
as_user env HOME="$thome" "$tdir/install.sh" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "install.sh"; }
as_user env HOME="$thome" "$thome/.local/bin/echoscope-ping" -V | grep -qF "$version" || fail "installed echoscope-ping -V"
grep -qxF "Exec=$thome/.local/bin/echoscope" "$thome/.local/share/applications/$appid.desktop" ||
  fail "install.sh did not point the menu entry at $thome/.local/bin/echoscope"
[ -f "$thome/.local/share/icons/hicolor/256x256/apps/echoscope.png" ] || fail "install.sh did not install the icons"
as_user env HOME="$thome" "$tdir/install.sh" --uninstall >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "install.sh --uninstall"; }
if [ -e "$thome/.local" ] && [ -n "$(find "$thome/.local" -type f)" ]; then
  find "$thome/.local" -type f >&2
  fail "install.sh --uninstall left files"
fi

step "ok (deb installed, used as $user and purged; tarball installed and removed; rpm inspected)"
