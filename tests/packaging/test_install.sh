#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_install.sh BUILD_DIR APP_ID WITH_GUI: `cmake --install` into a scratch DESTDIR puts
# every file where the desktop, man, and the three shells look for it, under the one
# application id, and what is installed works from there: AppStream finds the desktop file
# beside the metainfo, the desktop file names an installed icon, man renders the pages, and
# the bash completion completes.
set -euo pipefail
build=$1
app_id=$2
with_gui=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}

DESTDIR="$scratch/root" cmake --install "$build" --prefix /usr >"$scratch/install.log" \
    || { cat "$scratch/install.log" >&2; exit 1; }
usr=$scratch/root/usr

expected=(
    bin/weatherdash-cli
    share/man/man1/weatherdash-cli.1.gz
    share/bash-completion/completions/weatherdash-cli
    share/zsh/vendor-completions/_weatherdash-cli
    share/fish/vendor_completions.d/weatherdash-cli.fish
    share/doc/weatherdash/copyright
    share/doc/weatherdash/changelog.gz
)
if [[ $with_gui == ON ]]; then
    expected+=(
        bin/weatherdash
        share/man/man1/weatherdash.1.gz
        "share/applications/$app_id.desktop"
        "share/metainfo/$app_id.metainfo.xml"
        "share/icons/hicolor/scalable/apps/$app_id.svg"
    )
fi
for f in "${expected[@]}"; do
    [[ -f $usr/$f ]] || fail "cmake --install did not install /usr/$f"
done
[[ -x $usr/bin/weatherdash-cli ]] || fail "/usr/bin/weatherdash-cli is not executable"

if [[ $with_gui == ON ]]; then
    desktop=$usr/share/applications/$app_id.desktop
    metainfo=$usr/share/metainfo/$app_id.metainfo.xml
    # One id everywhere: the metainfo's <id> and <launchable>, the desktop file's Icon=.
    grep -q "<id>$app_id</id>" "$metainfo" || fail "the metainfo's <id> is not $app_id"
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
        || fail "the metainfo does not launch $app_id.desktop"
    icon=$(sed -n 's/^Icon=//p' "$desktop")
    [[ $icon == "$app_id" ]] || fail "the desktop file's Icon= is \"$icon\", not $app_id"
    [[ -f $usr/share/icons/hicolor/scalable/apps/$icon.svg ]] \
        || fail "the icon \"$icon\" the desktop file names is not installed"
    exec_line=$(sed -n 's/^Exec=//p' "$desktop")
    [[ -x $usr/bin/${exec_line%% *} ]] || fail "Exec=$exec_line is not an installed program"
    desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the installed file"
    # validate-tree checks the metainfo together with the desktop file it launches.
    appstreamcli validate-tree --no-net --strict "$scratch/root" \
        || fail "appstreamcli validate-tree rejects the installed tree"
fi

# man reads the installed, compressed pages; each says what it is in its NAME line.
for page in "$usr"/share/man/man1/*.1.gz; do
    name=$(basename "$page" .1.gz)
    text=$(MANWIDTH=80 man -l "$page" 2>"$scratch/man.err" | col -bx) \
        || fail "man -l $page failed"
    [[ -s $scratch/man.err ]] && { cat "$scratch/man.err" >&2; fail "man -l $page warns"; }
    grep -qE "^ +$name +- " <<<"$text" || fail "man -l $page shows no NAME line for $name"
done

# The installed bash completion, loaded the way bash-completion does (sourcing the file).
reply=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(weatherdash-cli --forc);
    COMP_CWORD=1; _weatherdash_cli; printf "%s\n" "${COMPREPLY[@]}"' bash \
    "$usr/share/bash-completion/completions/weatherdash-cli")
[[ $reply == --force-refresh ]] || fail "the installed bash completion gives [$reply] for --forc"

[[ $status -eq 0 ]] && echo "installed ${#expected[@]} files under /usr, all in place and working"
exit $status
