<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AsyncCache</name>
    <message>
        <source>The load was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The load failed unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheChartWidget</name>
    <message>
        <source>Cache hits and misses over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No requests yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheEntryModel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remembered as not found for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fresh for %1, then kept %2 as offline backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fresh for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired — kept %1 as offline backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fresh for %1 after each fetch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheStatusPanel</name>
    <message>
        <source>What the cache did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests to the provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache is empty. Entries appear here as weather is fetched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drop entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the selected answer from the cache, so the next lookup fetches it again (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop every cached answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start every count in the summary and the chart again from zero; the cached answers stay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since WeatherDash started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered from memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of lookups the memory cache answered with a fresh answer, without loading anything. The others were loaded: from disk, or from the weather provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found in memory / loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lookups answered from memory, and lookups whose answer had to be loaded (from disk, or from the weather provider). A load is not always a request to the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers being loaded right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lookups that shared a request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lookups that came while the same answer was already being loaded, and waited for it instead of asking again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers that went out of date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers whose fresh time ran out. They are kept as an offline backup for a while, then dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped to save memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers removed because the cache reached its memory limit; the ones used least recently go first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many answers the memory cache holds now, fresh and expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory for answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The memory the cached answers take, of the limit set in Preferences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory of WeatherDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All the memory WeatherDash takes now (its resident size), the cache included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to load (average / longest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long loading an answer took, from disk or from the weather provider: on average, and the longest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lookups over time: found in memory, or loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lookups per %1 s: found in memory, or loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each bar is %1 seconds of lookups: the lower part found a fresh answer in memory, the upper part had to load it (from disk, or from the weather provider). Hatched bars are averages over a time the panel was hidden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch this answer again now, whatever its time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drop from cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop this answer, so the next lookup fetches it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the cache key of this answer to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lookups yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lookups, %2 to %3: %4 answered without asking it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A lookup is every time the app or a refresh asked for weather; a request is every time %1 was asked. Lookups answered from memory, from disk or from the shared cache cost %1 nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from the shared cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is being updated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refreshes in %2; its forecast in %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refreshes in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 waits for you: press F5 to try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (no published limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every request WeatherDash made to %1 on this computer, the command-line tool&apos;s included, against what its free plan allows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The requests this window made to %1, against what its free plan allows (there is no disk cache to count the others&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheTier</name>
    <message>
        <source>The %1 cache does not support leases.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ForecastDelegate</name>
    <message>
        <source>Tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ForecastModel</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 / %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2, between %3 and %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, high %3, low %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayeredCache</name>
    <message>
        <source>The load was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The load failed unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayeredCacheBase</name>
    <message>
        <source>The %1 cache stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LocationSuggestionModel</name>
    <message>
        <source>%1 (%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>WeatherDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Weather</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find City…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the latest weather, from the cache while it is fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Force Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch the weather again now, even if the cached copy is fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drop Selected Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear Cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About WeatherDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cache Status Panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not get the weather for %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No forecast: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped “%1” from the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” was fetched with other settings (provider, units or language); it is refreshed when those are in use again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking again for “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the Cache?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop every cached answer, in memory and on disk? The weather shown stays on screen; the next refresh fetches it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About WeatherDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;WeatherDash %1&lt;/h3&gt;&lt;p&gt;Current weather and the coming days for any city, with a live view of the cache that keeps requests to the weather service few.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;Built with Qt %3.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersistentStore</name>
    <message>
        <source>No folder was given for the weather cache. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 for the weather cache could not be created. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache file was damaged and has been set aside as %1; starting with an empty cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache file was not a WeatherDash cache and has been set aside as %1; starting with an empty cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache in %1 was written by a newer version of WeatherDash and is left as it is. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full: WeatherDash shows the weather saved in its cache but cannot save new forecasts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache file %1 is read-only: WeatherDash shows the weather saved in it but cannot save new forecasts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 is read-only: WeatherDash shows the weather saved there but cannot save new forecasts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full: the weather cache could not be saved. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 is read-only: the weather cache cannot be saved there. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache file %1 is damaged and could not be set aside. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache file %1 is damaged, and another WeatherDash is still using it. WeatherDash keeps working from memory and will start a new cache file next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache in %1 could not be opened. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache file is damaged. WeatherDash keeps working from memory and will start a new cache file next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another WeatherDash program kept the weather cache busy, so it could not be used just now. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather cache could not be used. WeatherDash keeps working from memory.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weather provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own OpenWeatherMap key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Units:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep current conditions for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep forecasts for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show old data when offline for up to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redis address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (e.g. redis://192.168.1.10:6379/0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machines that share one Redis ask the provider once for all of them. Takes effect the next time WeatherDash starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open-Meteo (free, no key needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenWeatherMap (needs your own API key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric (°C, km/h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imperial (°F, mph)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using OPENWEATHERMAP_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using WEATHERDASH_REDIS_URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your OpenWeatherMap API key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered: %2 in London right now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedisConnection</name>
    <message>
        <source>The shared cache at %1 was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no socket file is there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no server listens on the socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this user may not open the socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing answers on that port (connection refused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host name is not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network is unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 has no password, but its address gives one: remove the password from the address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 refused the user or password in its address (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 needs a password: give it in the address, as in redis://:password@%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 has no database %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is starting up and loading its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 refused the connection (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 is too slow: %2 requests already wait for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 sent more than this computer can hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 does not answer like a Redis server (%2); check the address of the shared cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 sent a reply larger than %2 MiB; check the address of the shared cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 answered a question it was not asked; check the address of the shared cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 is not reachable: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it did not answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 is full (it reached its memory limit and evicts nothing): new entries are not shared until room is made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 is a read-only replica: point the address at the primary server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 refuses writes because it cannot save its data to its disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 does not allow this user to do that (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 answered with an error (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 does not answer like a Redis server; check the address of the shared cache.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedisReplyReader</name>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a reply with more than %1 parts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedisTier</name>
    <message>
        <source>The shared cache at %1 was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 is too slow: %2 requests already wait for it to be cleared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache at %1 holds more than %2 entries; WeatherDash reads them one by one instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedisUrl</name>
    <message>
        <source>The database in the shared cache address must be a number from 0 up, as in redis://127.0.0.1:6379/2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache address names a user but no password; write it as redis://user:password@host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache address has options after the host, which WeatherDash does not understand; give the database as a path, as in redis://127.0.0.1:6379/2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The IPv6 address in the shared cache address lacks its closing bracket, as in redis://[::1]:6379.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache address has something after the IPv6 address that is not a port, as in redis://[::1]:6379.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address in brackets in the shared cache address is not an IPv6 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An IPv6 address in the shared cache address must be in brackets, as in redis://[::1]:6379.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host in the shared cache address has characters a host name cannot have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port in the shared cache address must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The socket in a unix:// address must be an absolute path, as in unix:///run/redis/redis-server.sock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A unix:// address understands only the option db=N after the path, as in unix:///run/redis.sock?db=2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The socket in a unix:// address must be the absolute path of a file, as in unix:///run/redis/redis-server.sock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The socket path in the shared cache address is too long: a Unix socket path has at most %1 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No address of the shared cache was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache address starts with rediss:// (Redis over TLS), which WeatherDash does not support; use redis:// on a trusted network or through a tunnel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared cache address must start with redis:// or unix://, as in redis://127.0.0.1:6379/0.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Run</name>
    <message>
        <source>(first of %1 matches; also: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feels like</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Humidity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source: network (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source: cache, %1 old</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source: stale, %1 old</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache: %1 hits, %2 misses (%3% hit ratio), %4 loads (%5 failed), %6 coalesced, %7 stale serves, %8 entries, %9 bytes in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from the shared cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: %1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Search for a city, e.g. “London” or “Paris, FR”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the weather in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SqliteTier</name>
    <message>
        <source>The disk cache is closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeatherCard</name>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No city yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a city in the search field above and press Enter, or pick one of the suggestions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Humidity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coming days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forecast is not available right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Conditions unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feels like %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather provider&apos;s terms ask for this credit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — showing data from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not updated — showing data from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated %1 · from cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · retrying in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · next update in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeatherCondition</name>
    <message>
        <source>Clear sky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mainly clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partly cloudy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Depositing rime fog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light drizzle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderate drizzle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dense drizzle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light freezing drizzle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dense freezing drizzle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slight rain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderate rain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heavy rain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light freezing rain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heavy freezing rain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slight snow fall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderate snow fall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heavy snow fall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snow grains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slight rain showers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderate rain showers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Violent rain showers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slight snow showers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heavy snow showers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thunderstorm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thunderstorm with slight hail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thunderstorm with heavy hail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown weather</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeatherError</name>
    <message>
        <source>over a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weather service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>try again in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>try again in a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No place called “%1” was found. Check the spelling, or add the country, for example “London, GB”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That place was not found. Check the spelling, or add the country, for example “London, GB”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs an API key. Enter your own key in the settings or set OPENWEATHERMAP_API_KEY.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected the API key. A new key can take up to two hours to become active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 asked us to slow down; %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach %1. Check your internet connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer in time. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is having problems right now (server error %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is having problems right now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent an answer WeatherDash could not read. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent an unexpectedly large answer, so WeatherDash stopped reading it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing on the network intercepts secure connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on the network intercepts secure connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not accept the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not accept the request: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeatherService</name>
    <message>
        <source>Search “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · current conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · forecast</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeatherSession</name>
    <message>
        <source>The weather service stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Read and write settings in &lt;file&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current weather and forecast, with a live cache view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shared cache this time: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weather is kept in memory only this time: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
