# SPDX-License-Identifier: MIT
# bash completion for weatherdash-cli. Installed as
# share/bash-completion/completions/weatherdash-cli, where bash-completion loads it on first
# use; works without bash-completion too (`source` it). Every option of `weatherdash-cli
# --help` is here: ctest packaging_completion_options checks that.

_weatherdash_cli()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--units=imp": bash splits at "=" (COMP_WORDBREAKS) into "--units" "=" "imp"; right after
    # the "=" the word being completed is "=" itself, and stands for nothing typed yet.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    case $prev in
    --provider)
        COMPREPLY=($(compgen -W 'open-meteo openweathermap' -- "$cur"))
        return
        ;;
    --units)
        # A comma-separated list: complete the item after the last comma.
        local done_=
        [[ $cur == *,* ]] && done_=${cur%,*},
        COMPREPLY=($(compgen -P "$done_" -W 'metric imperial celsius fahrenheit kmh ms mph kn
            beaufort hpa inhg mmhg mm in' -- "${cur##*,}"))
        return
        ;;
    --cache-dir)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --api-key-file | --redis-password-file)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --format)
        # Or a template such as '%l: %t %c': typed, not suggested.
        COMPREPLY=($(compgen -W 'waybar i3blocks' -- "$cur"))
        return
        ;;
    --api-key | --ttl | --redis | --here-timeout)
        # A key, a number of seconds or a URL: nothing to suggest.
        COMPREPLY=()
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '-h --help --help-all -v --version --json --provider
            --units --daily --hourly --api-key --api-key-file --ttl --force-refresh --stats --cache-dir
            --redis --redis-password-file --format --watch --here --here-timeout' -- "$cur"))
        return
    fi
    # A CITY: any name, so no suggestions.
    COMPREPLY=()
}
complete -F _weatherdash_cli weatherdash-cli
