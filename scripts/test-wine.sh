#!/usr/bin/env bash
# make test-wine: the Windows build, run for real under wine (Debian's wine64 8.0), in a
# throwaway prefix and a network namespace of its own (only loopback, so nothing Windows
# programs or installers try can leave the machine):
#   echoscope-ping.exe decode ...            the codec on Windows
#   echoscope-ping.exe -c 3 127.0.0.1        the Windows engine (ICMP API) end to end
#   the NSIS installer /S                    files, Start-menu entry, uninstall registry key,
#                                            the installed helper's -V, then the uninstaller /S
#                                            removes them all
# Not run (wine cannot): the GUI itself, which needs Microsoft's WebView2 runtime; and the
# installer's WebView2 bootstrapper, which downloads the runtime from Microsoft: the prefix
# is given the registry value an installed runtime leaves, so the installer skips it.
# Needs root (the network namespace). Uses build/bin/echoscope-ping.exe and dist/ from make dist.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test-wine: FAIL: $*" >&2; exit 1; }
step() { echo "test-wine: $*"; }

if [ "${1:-}" != --inside ]; then
  [ "$(id -u)" = 0 ] || fail "needs root (a network namespace keeps wine on loopback)"
  wine=/usr/lib/wine/wine64
  [ -x "$wine" ] || fail "$wine is missing (apt-get install wine64; scripts/setup.sh does)"
  version=$(scripts/version.sh)
  installer=dist/echoscope-$version-windows-amd64-installer.exe
  for f in build/bin/echoscope-ping.exe "$installer"; do [ -f "$f" ] || fail "$f is missing: run make dist"; done
  # NSIS makes its (hidden) windows even when silent, so wine needs a display: xvfb-run.
  exec unshare --net sh -c 'ip link set lo up && exec xvfb-run -a "$0" --inside' "$0"
fi

# --- inside the namespace -----------------------------------------------------------------------
version=$(scripts/version.sh)
installer=$PWD/dist/echoscope-$version-windows-amd64-installer.exe
export WINEPREFIX WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES='mscoree,mshtml=' # no Mono/Gecko prompts
WINEPREFIX=$(mktemp -d)
wine=/usr/lib/wine/wine64
cleanup() { /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"; }
trap cleanup EXIT
work=$WINEPREFIX/work
mkdir "$work"

started=$SECONDS
"$wine" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log" >&2; fail "wineboot -i"; }
# The installer refuses anything older than Windows 10 (exit 64), and wine 8.0's new prefixes
# say Windows 7.
"$wine" winecfg -v win10 >/dev/null 2>&1
/usr/lib/wine/wineserver -w
step "prefix made in $((SECONDS - started))s"

# Go >= 1.22 needs ProcessPrng (see scripts/wine/bcryptprimitives.c): built here, test-only.
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c -lbcrypt

step "echoscope-ping.exe decode"
"$wine" build/bin/echoscope-ping.exe decode 080092bf000d00256563686f73636f7065206c6573736f6e >"$work/decode.txt" 2>&1 ||
  { cat "$work/decode.txt" >&2; fail "decode"; }
grep -q 'ICMPv4 Echo Request id=0x000d seq=37' "$work/decode.txt" || { cat "$work/decode.txt" >&2; fail "decode output"; }
grep -q 'checksum 0x92bf (correct)' "$work/decode.txt" || { cat "$work/decode.txt" >&2; fail "decode checksum"; }

step "echoscope-ping.exe -c 3 127.0.0.1"
"$wine" build/bin/echoscope-ping.exe -c 3 127.0.0.1 >"$work/ping.txt" 2>&1 || { cat "$work/ping.txt" >&2; fail "ping"; }
cat "$work/ping.txt"
grep -q '3 packets transmitted, 3 received' "$work/ping.txt" || fail "not 3 replies from 127.0.0.1"

step "installer /S"
# wine64 has no 32-bit side: the installer must be the 64-bit one project.nsi makes when NSIS
# has amd64 stubs (Debian's nsis package does).
file "$installer" | grep -q 'PE32+' ||
  fail "the installer is 32-bit (NSIS without amd64 stubs?), which Debian's wine64 cannot run"
# What an installed WebView2 runtime leaves in the registry (wails_tools.nsh checks this value).
"$wine" reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' \
  /v pv /t REG_SZ /d 120.0.0.0 /f >/dev/null 2>&1
"$wine" "$installer" /S >"$work/install.log" 2>&1 || { echo "exit $?"; cat "$work/install.log" >&2; fail "installer /S"; }
/usr/lib/wine/wineserver -w
dir="$WINEPREFIX/drive_c/Program Files/Echoscope/Echoscope"
for f in Echoscope.exe echoscope-ping.exe uninstall.exe; do
  [ -f "$dir/$f" ] || { find "$WINEPREFIX/drive_c/Program Files" -maxdepth 3 >&2; fail "installer did not install $f"; }
done
menu="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Echoscope.lnk"
[ -f "$menu" ] || fail "no Start-menu entry ($menu)"
uninst_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\EchoscopeEchoscope'
"$wine" reg query "$uninst_key" /v DisplayVersion >"$work/reg.txt" 2>&1 || { cat "$work/reg.txt" >&2; fail "no uninstall registry key"; }
grep -qF "$(scripts/version.sh --numeric)" "$work/reg.txt" || { cat "$work/reg.txt" >&2; fail "DisplayVersion is not the git version"; }
"$wine" "$dir/echoscope-ping.exe" -V 2>&1 | tr -d '\r' | grep -qxF "echoscope-ping from Echoscope $version" ||
  fail "the installed echoscope-ping.exe -V does not say $version"

step "uninstaller /S"
"$wine" "$dir/uninstall.exe" /S >"$work/uninstall.log" 2>&1 || { cat "$work/uninstall.log" >&2; fail "uninstaller /S"; }
# The NSIS uninstaller copies itself to a temporary folder and runs from there: wait for it.
/usr/lib/wine/wineserver -w
[ ! -e "$dir" ] || { find "$dir" >&2; fail "the uninstaller left $dir"; }
[ ! -e "$menu" ] || fail "the uninstaller left the Start-menu entry"
if "$wine" reg query "$uninst_key" >/dev/null 2>&1; then fail "the uninstaller left its registry key"; fi

step "ok in $((SECONDS - started))s (GUI not started: wine has no WebView2 runtime)"
