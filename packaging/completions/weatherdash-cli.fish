# SPDX-License-Identifier: MIT
# fish completion for weatherdash-cli. Installed in share/fish/vendor_completions.d, where
# fish loads it on first use. Every option of `weatherdash-cli --help` is here: ctest
# packaging_completion_options checks that.

complete -c weatherdash-cli -s h -l help -d 'Display help on command-line options'
complete -c weatherdash-cli -l help-all -d 'Display help including Qt specific options'
complete -c weatherdash-cli -s v -l version -d 'Display version information'
complete -c weatherdash-cli -l json -d 'One JSON object per city, one per line'
complete -c weatherdash-cli -l provider -x -a 'open-meteo\t"default, no key" openweathermap\t"needs an API key"' -d 'Weather provider'
complete -c weatherdash-cli -l units -x -a 'metric\t"°C, km/h, hPa, mm" imperial\t"°F, mph, inHg, in" celsius fahrenheit kmh ms mph kn beaufort hpa inhg mmhg mm in' -d 'Units of measurement (comma-separated)'
complete -c weatherdash-cli -l daily -d 'Also print the coming days'
complete -c weatherdash-cli -l hourly -d 'Also print the next 48 hours'
complete -c weatherdash-cli -l api-key -x -d 'OpenWeatherMap API key'
complete -c weatherdash-cli -l api-key-file -r -F -d 'Read the OpenWeatherMap API key from a file'
complete -c weatherdash-cli -l ttl -x -d 'Seconds current conditions stay fresh (1 to 3153600000)'
complete -c weatherdash-cli -l force-refresh -d 'Bypass the cache and ask the provider'
complete -c weatherdash-cli -l stats -d 'Print the cache statistics at the end'
complete -c weatherdash-cli -l cache-dir -x -a '(__fish_complete_directories)' -d 'Cache folder'
# The rest are city names: nothing to suggest, and no file names either.
complete -c weatherdash-cli -f
complete -c weatherdash-cli -l redis -x -d 'Share the cache through Redis (URL)'
complete -c weatherdash-cli -l redis-password-file -r -F -d 'Read the Redis password from a file'
complete -c weatherdash-cli -l format -x -a 'waybar\t"JSON for a Waybar custom module" i3blocks\t"full_text, short_text, colour"' -d 'A line for a status bar'
complete -c weatherdash-cli -l watch -d 'Print the line again at every renewal'
complete -c weatherdash-cli -l here -d 'The weather where you are'
complete -c weatherdash-cli -l here-timeout -x -d 'Seconds to wait for the position'
