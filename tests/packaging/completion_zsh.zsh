#!/usr/bin/env zsh
# SPDX-License-Identifier: MIT
# completion_zsh.zsh DIR: with DIR (holding _weatherdash-cli) on $fpath, compinit binds the
# completion to weatherdash-cli, and an interactive zsh (driven through zsh/zpty, as a user
# pressing Tab) completes option prefixes and the values of --provider and --units.
emulate -L zsh
dir=${1:A}
zmodload zsh/zpty || { print -u2 "FAIL: zsh/zpty is not available"; exit 1 }

# Bound at all? (Catches a broken #compdef line without a terminal.)
bound=$(zsh -f -c "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D; print -r -- \$_comps[weatherdash-cli]")
if [[ $bound != _weatherdash-cli ]]; then
    print -u2 "FAIL: compinit binds weatherdash-cli to [$bound], not _weatherdash-cli"
    exit 1
fi

# complete LINE: what Tab offers after LINE, one candidate a line. Inside the pty, compadd
# is wrapped to print each candidate between markers instead of inserting it, and ^X ends
# the shell once the completion has run. The markers are spelt in two halves so the shell's
# echo of these very commands never matches them.
complete_line() {
    local line out=() cr=$'\r'
    zpty z zsh -f -i
    zpty -w z "PROMPT=; RPROMPT=; unsetopt beep zle_bracketed_paste 2>/dev/null; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
    zpty -w z 'compadd () { if [[ ${@[1,(i)(-(|-)|-O|-A|-D)]} == *-[OAD]* ]]; then builtin compadd "$@"; return; fi; local -a hits; builtin compadd -A hits "$@"; (( $#hits )) || return; print -lr -- "<wd""hit>"${^hits}; builtin compadd -Q -U ""; }'
    zpty -w z 'zle -C wd-end .complete-word wd-end-widget; wd-end-widget () { print "<wd""done>"; exit }; bindkey "^X" wd-end; bindkey "^I" complete-word'
    zpty -n -w z "$1"$'\t'
    zpty -n -w z $'\C-X'
    while zpty -r z line; do
        [[ $line == *'<wddone>'* ]] && break
        [[ $line == *'<wdhit>'* ]] && out+=("${${line##*<wdhit>}%%$cr*}")
    done
    zpty -d z
    print -l -- ${(o)out}
}

typeset -i failed=0
expect() {
    local got=${(j: :)${(f)"$(complete_line "$1")"}}
    if [[ $got != "$2" ]]; then
        print -u2 "FAIL: \"$1\" completes to [$got], expected [$2]"
        failed=1
    else
        print "ok: \"$1\" -> [$got]"
    fi
}
expect "weatherdash-cli --pro" "--provider"
expect "weatherdash-cli --force-" "--force-refresh"
expect "weatherdash-cli --format " "i3blocks waybar"
expect "weatherdash-cli --provider " "open-meteo openweathermap"
expect "weatherdash-cli --provider=openw" "openweathermap"
expect "weatherdash-cli --units " "beaufort celsius fahrenheit hpa imperial in inhg kmh kn metric mm mmhg mph ms"
exit $failed
