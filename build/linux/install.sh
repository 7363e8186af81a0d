#!/bin/sh
# Installs (or removes) Echoscope from this unpacked archive.
#   ./install.sh                   for you alone: ~/.local/bin and ~/.local/share
#   sudo ./install.sh --system     for everyone: /usr/local/bin and /usr/local/share, and gives
#                                  echoscope-ping (only it) the cap_net_raw capability
#   ./install.sh --uninstall       removes what the same kind of install put there
#   sudo ./install.sh --system --uninstall
# Without the capability Echoscope still pings, with unprivileged ICMP datagram sockets; its
# engine badge says how to get raw sockets. Your ping history (~/.local/share/echoscope) is
# never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

mode=user action=install
for arg in "$@"; do
	case $arg in
	--system) mode=system ;;
	--user) mode=user ;;
	--uninstall) action=uninstall ;;
	-h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "install.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
	esac
done
if [ "$mode" = system ]; then
	prefix=/usr/local
	[ "$(id -u)" = 0 ] || { echo "install.sh: --system needs root (sudo ./install.sh --system)" >&2; exit 1; }
else
	prefix=${HOME:?HOME is not set}/.local
fi
appid=io.github.echoscope.Echoscope

# The archive's own file list is the install's file list: what is installed is what is removed.
files=$(cd "$here" && find bin share -type f | sort)

refresh_caches() { # menus and icon themes notice the change now rather than at next login
	command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$prefix/share/applications" || true
	command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
}

if [ "$action" = uninstall ]; then
	for f in $files; do rm -f "$prefix/$f"; done
	# The caches the install refreshed go too when nothing is left for them to index.
	apps=$prefix/share/applications icons=$prefix/share/icons/hicolor
	if [ -n "$(find "$apps" -name '*.desktop' 2>/dev/null)" ] || [ -n "$(find "$icons" -type f ! -name icon-theme.cache 2>/dev/null)" ]; then
		refresh_caches
	fi
	[ -n "$(find "$apps" -name '*.desktop' 2>/dev/null)" ] || rm -f "$apps/mimeinfo.cache"
	[ -n "$(find "$icons" -type f ! -name icon-theme.cache 2>/dev/null)" ] || rm -f "$icons/icon-theme.cache"
	# Directories left empty, from the deepest up, never $prefix itself or anything above it.
	for f in $files; do
		d=$(dirname "$prefix/$f")
		while [ "$d" != "$prefix" ] && rmdir "$d" 2>/dev/null; do d=$(dirname "$d"); done
	done
	echo "Echoscope removed from $prefix."
	exit 0
fi

for f in $files; do
	mkdir -p "$(dirname "$prefix/$f")"
	case $f in bin/*) m=0755 ;; *) m=0644 ;; esac
	cp "$here/$f" "$prefix/$f" && chmod "$m" "$prefix/$f"
done
# The menu starts the app by absolute path: ~/.local/bin is not on every session's PATH.
sed -i "s|^Exec=echoscope\$|Exec=$prefix/bin/echoscope|" "$prefix/share/applications/$appid.desktop"
refresh_caches

echo "Echoscope installed in $prefix; it is in your applications menu."
if [ "$mode" = system ] && setcap cap_net_raw=ep "$prefix/bin/echoscope-ping" 2>/dev/null; then
	echo "echoscope-ping has cap_net_raw: Echoscope pings with raw sockets."
else
	echo "echoscope-ping has no cap_net_raw: Echoscope pings with unprivileged datagram sockets."
	echo "For raw sockets (every field, real identifiers): sudo setcap cap_net_raw=ep $prefix/bin/echoscope-ping"
	echo "(file capabilities are ignored on filesystems mounted nosuid, as some home directories are)."
fi
