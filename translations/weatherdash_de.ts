<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <source>WeatherDash %1</source>
        <translation>WeatherDash %1</translation>
    </message>
    <message>
        <source>Current weather, the coming hours and days for any city, with a live view of the cache that keeps requests to the weather service few.</source>
        <translation>Aktuelles Wetter, die nächsten Stunden und Tage für jede Stadt, mit einem Live-Blick auf den Cache, der die Anfragen an den Wetterdienst gering hält.</translation>
    </message>
    <message>
        <source>Free software under the %1. © 2026 The WeatherDash developers.</source>
        <translation>Freie Software unter der %1. © 2026 Die WeatherDash-Entwickler.</translation>
    </message>
    <message>
        <source>MIT licence</source>
        <translation>MIT-Lizenz</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Weather by %1, under CC BY 4.0</source>
        <translation>Wetter von %1, unter CC BY 4.0</translation>
    </message>
    <message>
        <source>Weather by %1 (with your own key), under CC BY-SA 4.0</source>
        <translation>Wetter von %1 (mit Ihrem eigenen Schlüssel), unter CC BY-SA 4.0</translation>
    </message>
    <message>
        <source>Place names for “Here”: %1, under the ODbL</source>
        <translation>Ortsnamen für „Hier“: %1, unter der ODbL</translation>
    </message>
    <message>
        <source>In use now: %1</source>
        <translation>Jetzt in Gebrauch: %1</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Website</translation>
    </message>
    <message>
        <source>Report a problem</source>
        <translation>Ein Problem melden</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>Gebaut mit Qt %1, läuft mit Qt %2.</translation>
    </message>
    <message>
        <source>About WeatherDash</source>
        <translation>Über WeatherDash</translation>
    </message>
    <message>
        <source>WeatherDash icon</source>
        <translation>WeatherDash-Symbol</translation>
    </message>
</context>
<context>
    <name>AirQuality</name>
    <message>
        <source>good</source>
        <translation>gut</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>mittelmäßig</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>mäßig</translation>
    </message>
    <message>
        <source>poor</source>
        <translation>schlecht</translation>
    </message>
    <message>
        <source>very poor</source>
        <translation>sehr schlecht</translation>
    </message>
    <message>
        <source>extremely poor</source>
        <translation>extrem schlecht</translation>
    </message>
    <message>
        <source>unhealthy for sensitive groups</source>
        <translation>ungesund für empfindliche Gruppen</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>ungesund</translation>
    </message>
    <message>
        <source>very unhealthy</source>
        <translation>sehr ungesund</translation>
    </message>
    <message>
        <source>hazardous</source>
        <translation>gefährlich</translation>
    </message>
    <message>
        <source>PM2.5</source>
        <translation>PM2,5</translation>
    </message>
    <message>
        <source>PM10</source>
        <translation>PM10</translation>
    </message>
    <message>
        <source>ozone</source>
        <translation>Ozon</translation>
    </message>
    <message>
        <source>nitrogen dioxide</source>
        <translation>Stickstoffdioxid</translation>
    </message>
    <message>
        <source>sulphur dioxide</source>
        <translation>Schwefeldioxid</translation>
    </message>
    <message>
        <source>carbon monoxide</source>
        <translation>Kohlenmonoxid</translation>
    </message>
    <message>
        <source>alder</source>
        <translation>Erle</translation>
    </message>
    <message>
        <source>birch</source>
        <translation>Birke</translation>
    </message>
    <message>
        <source>grass</source>
        <translation>Gräser</translation>
    </message>
    <message>
        <source>mugwort</source>
        <translation>Beifuß</translation>
    </message>
    <message>
        <source>olive</source>
        <translation>Olive</translation>
    </message>
    <message>
        <source>ragweed</source>
        <translation>Ambrosia</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>low</source>
        <translation>gering</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>very high</source>
        <translation>sehr hoch</translation>
    </message>
</context>
<context>
    <name>AirQualityView</name>
    <message>
        <source>Air quality</source>
        <translation>Luftqualität</translation>
    </message>
    <message>
        <source>European index</source>
        <translation>Europäischer Index</translation>
    </message>
    <message>
        <source>US AQI</source>
        <translation>US-AQI</translation>
    </message>
    <message>
        <source>Air quality: no index (%1)</source>
        <translation>Luftqualität: kein Index (%1)</translation>
    </message>
    <message>
        <source>Air quality %1 (%2)</source>
        <translation>Luftqualität %1 (%2)</translation>
    </message>
    <message>
        <source>Mostly %1</source>
        <translation>Vor allem %1</translation>
    </message>
    <message>
        <source>Pollen: %1</source>
        <translation>Pollen: %1</translation>
    </message>
    <message>
        <source>Air quality not available: %1</source>
        <translation>Luftqualität nicht verfügbar: %1</translation>
    </message>
</context>
<context>
    <name>AirReport</name>
    <message>
        <source>Air quality %1, mostly %2</source>
        <translation>Luftqualität %1, vor allem %2</translation>
    </message>
    <message>
        <source>Air quality %1</source>
        <translation>Luftqualität %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Air quality: no index</source>
        <translation>Luftqualität: kein Index</translation>
    </message>
    <message>
        <source>Pollen: %1</source>
        <translation>Pollen: %1</translation>
    </message>
    <message>
        <source>Air quality: not available (%1)</source>
        <translation>Luftqualität: nicht verfügbar (%1)</translation>
    </message>
    <message>
        <source>Rain in the next two hours: not available (%1)</source>
        <translation>Regen in den nächsten zwei Stunden: nicht verfügbar (%1)</translation>
    </message>
    <message>
        <source>US AQI</source>
        <translation>US-AQI</translation>
    </message>
</context>
<context>
    <name>AlertBand</name>
    <message>
        <source>⚠ %1: %2</source>
        <extracomment>An alert band&apos;s first line: &quot;⚠ Severe: Gale warning&quot;</extracomment>
        <translation>⚠ %1: %2</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Show what the warning says and what to do</source>
        <translation>Zeigen, was die Warnung sagt und was zu tun ist</translation>
    </message>
</context>
<context>
    <name>AlertFormat</name>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>from %1 until %2</source>
        <translation>von %1 bis %2</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>ab %1</translation>
    </message>
    <message>
        <source>until further notice</source>
        <translation>bis auf Weiteres</translation>
    </message>
</context>
<context>
    <name>AlertNotifier</name>
    <message>
        <source>%1: %2 in %3</source>
        <extracomment>A notification&apos;s title: severity in words, the event, the place.</extracomment>
        <translation>%1: %2 in %3</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
</context>
<context>
    <name>AlertProvider</name>
    <message>
        <source>FOSS Public Alert Server</source>
        <translation>FOSS Public Alert Server</translation>
    </message>
    <message>
        <source>Weather alerts: national weather services, via KDE&apos;s FOSS Public Alert Server</source>
        <translation>Wetterwarnungen: nationale Wetterdienste, über den FOSS Public Alert Server von KDE</translation>
    </message>
    <message>
        <source>Those coordinates are not on Earth.</source>
        <translation>Diese Koordinaten liegen nicht auf der Erde.</translation>
    </message>
    <message>
        <source>The alert server offers no weather forecasts.</source>
        <translation>Der Warnungsserver bietet keine Wettervorhersagen.</translation>
    </message>
    <message>
        <source>The alert server answered HTTP %1.</source>
        <translation>Der Warnungsserver hat mit HTTP %1 geantwortet.</translation>
    </message>
</context>
<context>
    <name>AsyncCache</name>
    <message>
        <source>The load was cancelled.</source>
        <translation>Das Laden wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The load failed unexpectedly.</source>
        <translation>Das Laden ist unerwartet fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>CacheEntryModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>fresh</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>nicht gefunden</translation>
    </message>
    <message>
        <source>remembered as not found for %1</source>
        <translation>noch %1 als „nicht gefunden“ vermerkt</translation>
    </message>
    <message>
        <source>not found · %1</source>
        <translation>nicht gefunden · %1</translation>
    </message>
    <message>
        <source>fresh for %1, then kept %2 as offline backup</source>
        <translation>noch %1 aktuell, danach %2 als Offline-Reserve aufbewahrt</translation>
    </message>
    <message>
        <source>fresh for %1</source>
        <translation>noch %1 aktuell</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>expired — kept %1 as offline backup</source>
        <translation>abgelaufen — noch %1 als Offline-Reserve aufbewahrt</translation>
    </message>
    <message>
        <source>kept %1</source>
        <translation>noch %1 aufbewahrt</translation>
    </message>
    <message>
        <source>Fresh for %1 after each fetch</source>
        <translation>Nach jedem Abruf %1 lang aktuell</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>CachePlaceModel</name>
    <message>
        <source>Searches</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Place searches kept for 30 days, so the same search costs no request.</source>
        <translation>Ortssuchen werden 30 Tage behalten, damit dieselbe Suche keine Anfrage kostet.</translation>
    </message>
    <message>
        <source>Searches while typing (%1)</source>
        <translation>Suchen beim Tippen (%1)</translation>
    </message>
    <message>
        <source>Suggestions looked up while a name was being typed (“lon”, “lond”…). They are kept for a short time only.</source>
        <translation>Vorschläge, die beim Tippen eines Namens abgefragt wurden („lon“, „lond“ …). Sie werden nur kurz behalten.</translation>
    </message>
</context>
<context>
    <name>CacheStatusPanel</name>
    <message>
        <source>What the cache did</source>
        <translation>Was der Cache getan hat</translation>
    </message>
    <message>
        <source>Next updates</source>
        <translation>Nächste Aktualisierungen</translation>
    </message>
    <message>
        <source>Requests to the provider</source>
        <translation>Anfragen an den Anbieter</translation>
    </message>
    <message>
        <source>This minute</source>
        <translation>Diese Minute</translation>
    </message>
    <message>
        <source>This hour</source>
        <translation>Diese Stunde</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>The cache is empty. Entries appear here as weather is fetched.</source>
        <translation>Der Cache ist leer. Einträge erscheinen hier, sobald Wetterdaten abgerufen werden.</translation>
    </message>
    <message>
        <source>&amp;Drop entry</source>
        <translation>Eintrag ent&amp;fernen</translation>
    </message>
    <message>
        <source>Drop the selected answer from the cache, so the next lookup fetches it again (Delete)</source>
        <translation>Die ausgewählte Antwort aus dem Cache entfernen, damit der nächste Zugriff sie neu abruft (Entf)</translation>
    </message>
    <message>
        <source>&amp;Clear…</source>
        <translation>&amp;Leeren…</translation>
    </message>
    <message>
        <source>Drop every cached answer</source>
        <translation>Alle zwischengespeicherten Antworten entfernen</translation>
    </message>
    <message>
        <source>&amp;Reset statistics</source>
        <translation>Statistik &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Since WeatherDash started</source>
        <translation>Seit dem Start von WeatherDash</translation>
    </message>
    <message>
        <source>Answered from memory</source>
        <translation>Aus dem Speicher beantwortet</translation>
    </message>
    <message>
        <source>The share of lookups the memory cache answered with a fresh answer, without loading anything. The others were loaded: from disk, or from the weather provider.</source>
        <translation>Der Anteil der Zugriffe, die der Speicher-Cache mit einer aktuellen Antwort beantwortet hat, ohne etwas zu laden. Die übrigen wurden geladen: von der Festplatte oder vom Wetteranbieter.</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Found in memory / loaded</source>
        <translation>Im Speicher gefunden / geladen</translation>
    </message>
    <message>
        <source>Lookups answered from memory, and lookups whose answer had to be loaded (from disk, or from the weather provider). A load is not always a request to the provider.</source>
        <translation>Zugriffe, die der Speicher beantwortet hat, und Zugriffe, deren Antwort geladen werden musste (von der Festplatte oder vom Wetteranbieter). Nicht jeder Ladevorgang ist eine Anfrage an den Anbieter.</translation>
    </message>
    <message>
        <source>Loading now</source>
        <translation>Wird gerade geladen</translation>
    </message>
    <message>
        <source>Answers being loaded right now.</source>
        <translation>Antworten, die gerade geladen werden.</translation>
    </message>
    <message>
        <source>Lookups that shared a request</source>
        <translation>Zugriffe mit geteilter Anfrage</translation>
    </message>
    <message>
        <source>Lookups that came while the same answer was already being loaded, and waited for it instead of asking again.</source>
        <translation>Zugriffe, die eintrafen, während dieselbe Antwort schon geladen wurde, und auf sie gewartet haben, statt erneut anzufragen.</translation>
    </message>
    <message>
        <source>Answers that went out of date</source>
        <translation>Abgelaufene Antworten</translation>
    </message>
    <message>
        <source>Answers whose fresh time ran out. They are kept as an offline backup for a while, then dropped.</source>
        <translation>Antworten, deren Aktualitätsdauer abgelaufen ist. Sie werden eine Weile als Offline-Reserve aufbewahrt und dann verworfen.</translation>
    </message>
    <message>
        <source>Dropped to save memory</source>
        <translation>Verworfen, um Speicher zu sparen</translation>
    </message>
    <message>
        <source>Answers removed because the cache reached its memory limit; the ones used least recently go first.</source>
        <translation>Antworten, die entfernt wurden, weil der Cache seine Speichergrenze erreicht hat; die am längsten nicht genutzten zuerst.</translation>
    </message>
    <message>
        <source>Answers in memory</source>
        <translation>Antworten im Speicher</translation>
    </message>
    <message>
        <source>How many answers the memory cache holds now, fresh and expired.</source>
        <translation>Wie viele Antworten der Speicher-Cache jetzt enthält, aktuelle und abgelaufene.</translation>
    </message>
    <message>
        <source>Memory for answers</source>
        <translation>Speicher für Antworten</translation>
    </message>
    <message>
        <source>The memory the cached answers take, of the limit set in Preferences.</source>
        <translation>Der Speicher, den die zwischengespeicherten Antworten belegen, gemessen an der in den Einstellungen festgelegten Grenze.</translation>
    </message>
    <message>
        <source>Memory of WeatherDash</source>
        <translation>Speicher von WeatherDash</translation>
    </message>
    <message>
        <source>All the memory WeatherDash takes now (its resident size), the cache included.</source>
        <translation>Der gesamte Speicher, den WeatherDash gerade belegt (residente Größe), einschließlich des Caches.</translation>
    </message>
    <message>
        <source>Time to load (average / longest)</source>
        <translation>Ladezeit (Durchschnitt / längste)</translation>
    </message>
    <message>
        <source>How long loading an answer took, from disk or from the weather provider: on average, and the longest.</source>
        <translation>Wie lange das Laden einer Antwort von der Festplatte oder vom Wetteranbieter gedauert hat: im Durchschnitt und am längsten.</translation>
    </message>
    <message>
        <source>&amp;Refresh now</source>
        <translation>Jetzt &amp;aktualisieren</translation>
    </message>
    <message>
        <source>Fetch this answer again now, whatever its time left</source>
        <translation>Diese Antwort jetzt neu abrufen, unabhängig von ihrer Restzeit</translation>
    </message>
    <message>
        <source>&amp;Drop from cache</source>
        <translation>Aus dem Cache &amp;entfernen</translation>
    </message>
    <message>
        <source>Drop this answer, so the next lookup fetches it again</source>
        <translation>Diese Antwort entfernen, damit der nächste Zugriff sie neu abruft</translation>
    </message>
    <message>
        <source>&amp;Copy key</source>
        <translation>Schlüssel &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the cache key of this answer to the clipboard</source>
        <translation>Den Cache-Schlüssel dieser Antwort in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Seit %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 / %2 ms</source>
        <translation>%1 / %2 ms</translation>
    </message>
    <message>
        <source>No lookups yet.</source>
        <translation>Noch keine Zugriffe.</translation>
    </message>
    <message>
        <source>%1 from memory</source>
        <translation>%1 aus dem Speicher</translation>
    </message>
    <message>
        <source>%1 from the shared cache</source>
        <translation>%1 aus dem gemeinsamen Cache</translation>
    </message>
    <message>
        <source>%1 from disk</source>
        <translation>%1 von der Festplatte</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Answers: %1.</source>
        <translation>Antworten: %1.</translation>
    </message>
    <message>
        <source>%1 is being updated.</source>
        <translation>%1 wird gerade aktualisiert.</translation>
    </message>
    <message>
        <source>%1 refreshes in %2; its forecast in %3.</source>
        <translation>%1 wird in %2 aktualisiert, die Vorhersage in %3.</translation>
    </message>
    <message>
        <source>%1 refreshes in %2.</source>
        <translation>%1 wird in %2 aktualisiert.</translation>
    </message>
    <message>
        <source>%1 waits for you: press F5 to try again.</source>
        <translation>%1 wartet auf Sie: Drücken Sie F5, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>%1 (no published limit)</source>
        <translation>%1 (kein veröffentlichtes Limit)</translation>
    </message>
    <message>
        <source>Requests to %1</source>
        <translation>Anfragen an %1</translation>
    </message>
    <message>
        <source>Every request WeatherDash made to %1 on this computer, the command-line tool&apos;s included, against what its free plan allows.</source>
        <translation>Alle Anfragen, die WeatherDash auf diesem Computer an %1 gestellt hat, einschließlich derer des Befehlszeilenwerkzeugs, verglichen mit dem, was der kostenlose Tarif erlaubt.</translation>
    </message>
    <message>
        <source>The requests this window made to %1, against what its free plan allows (there is no disk cache to count the others&apos;).</source>
        <translation>Die Anfragen, die dieses Fenster an %1 gestellt hat, verglichen mit dem, was der kostenlose Tarif erlaubt (ohne Festplatten-Cache lassen sich die Anfragen der anderen nicht zählen).</translation>
    </message>
    <message>
        <source>Cached answers by place</source>
        <translation>Zwischengespeicherte Antworten nach Ort</translation>
    </message>
    <message>
        <source>Start every count in the summary and the timeline again from zero; the cached answers stay</source>
        <translation>Alle Zähler der Übersicht und der Zeitleiste wieder bei null beginnen; die zwischengespeicherten Antworten bleiben</translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation>10 Minuten</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>Timeline span</source>
        <translation>Zeitraum der Zeitleiste</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Cache entries</source>
        <translation>Cache-Einträge</translation>
    </message>
    <message>
        <source>The shown place only. Widen the panel, or float it, for every place, the requests and the statistics.</source>
        <translation>Nur der angezeigte Ort. Verbreitern Sie das Panel oder lösen Sie es ab, um alle Orte, die Anfragen und die Statistik zu sehen.</translation>
    </message>
    <message>
        <source>Show the &amp;last</source>
        <translation>Zeige die le&amp;tzten</translation>
    </message>
    <message>
        <source>weather alerts</source>
        <translation>Wetterwarnungen</translation>
    </message>
    <message>
        <source>When the other places are updated next</source>
        <translation>Wann die anderen Orte als Nächstes aktualisiert werden</translation>
    </message>
    <message>
        <source>Lookups and requests over time</source>
        <translation>Zugriffe und Anfragen im Zeitverlauf</translation>
    </message>
    <message>
        <source>%1, %2: %3.</source>
        <translation>%1, %2: %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n lookup</source>
        <comment>singular</comment>
        <translation>
            <numerusform>%n Zugriff</numerusform>
            <numerusform>%n Zugriffe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lookups</source>
        <translation>
            <numerusform>%n Zugriff</numerusform>
            <numerusform>%n Zugriffe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n still loading.</source>
        <translation>
            <numerusform>; %n lädt noch.</numerusform>
            <numerusform>; %n laden noch.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide the other places</source>
        <translation>Die anderen Orte ausblenden</translation>
    </message>
    <message numerus="yes">
        <source>%n other place…</source>
        <comment>singular</comment>
        <translation>
            <numerusform>%n weiterer Ort…</numerusform>
            <numerusform>%n weitere Orte…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other places…</source>
        <translation>
            <numerusform>%n weiterer Ort…</numerusform>
            <numerusform>%n weitere Orte…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request to a server</source>
        <comment>singular</comment>
        <translation>
            <numerusform>%n Anfrage an einen Server</numerusform>
            <numerusform>%n Anfragen an Server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n requests to servers</source>
        <translation>
            <numerusform>%n Anfrage an einen Server</numerusform>
            <numerusform>%n Anfragen an Server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answered from the cache</source>
        <translation>
            <numerusform>%n aus dem Cache beantwortet</numerusform>
            <numerusform>%n aus dem Cache beantwortet</numerusform>
        </translation>
    </message>
    <message>
        <source>A lookup is every time the app or a refresh asked for weather; a request is every time a server was asked: %1 for the weather, and the air-quality and alert servers where those are shown. Lookups answered from memory, from disk or from the shared cache cost the servers nothing. The bars below count the requests to %1 against its limits.</source>
        <translation>Ein Zugriff ist jedes Mal, wenn die App oder eine Aktualisierung nach Wetter gefragt hat; eine Anfrage jedes Mal, wenn ein Server gefragt wurde: %1 für das Wetter, dazu die Server für Luftqualität und Warnungen, wo diese angezeigt werden. Zugriffe, die aus dem Arbeitsspeicher, von der Festplatte oder aus dem gemeinsamen Cache beantwortet wurden, kosten die Server nichts. Die Balken darunter zählen die Anfragen an %1 gegen dessen Grenzen.</translation>
    </message>
</context>
<context>
    <name>CacheTier</name>
    <message>
        <source>The %1 cache does not support leases.</source>
        <translation>Der Cache „%1“ unterstützt keine Leases.</translation>
    </message>
    <message>
        <source>The %1 cache answers through futures only.</source>
        <translation>Der Cache „%1“ antwortet nur über Futures.</translation>
    </message>
</context>
<context>
    <name>CliAlerts</name>
    <message>
        <source>no answer in time</source>
        <translation>keine Antwort rechtzeitig</translation>
    </message>
    <message>
        <source>Weather alerts: not available (%1)</source>
        <translation>Wetterwarnungen: nicht verfügbar (%1)</translation>
    </message>
    <message>
        <source>Some weather alerts could not be read: %1</source>
        <translation>Einige Wetterwarnungen konnten nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>Compass</name>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>NNE</source>
        <translation>NNO</translation>
    </message>
    <message>
        <source>NE</source>
        <translation>NO</translation>
    </message>
    <message>
        <source>ENE</source>
        <translation>ONO</translation>
    </message>
    <message>
        <source>E</source>
        <translation>O</translation>
    </message>
    <message>
        <source>ESE</source>
        <translation>OSO</translation>
    </message>
    <message>
        <source>SE</source>
        <translation>SO</translation>
    </message>
    <message>
        <source>SSE</source>
        <translation>SSO</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <source>SSW</source>
        <translation>SSW</translation>
    </message>
    <message>
        <source>SW</source>
        <translation>SW</translation>
    </message>
    <message>
        <source>WSW</source>
        <translation>WSW</translation>
    </message>
    <message>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <source>WNW</source>
        <translation>WNW</translation>
    </message>
    <message>
        <source>NW</source>
        <translation>NW</translation>
    </message>
    <message>
        <source>NNW</source>
        <translation>NNW</translation>
    </message>
</context>
<context>
    <name>DisplayText</name>
    <message>
        <source>%1 your time</source>
        <extracomment>A time on the reader&apos;s clock, said about a place that keeps another one</extracomment>
        <translation>%1 bei Ihnen</translation>
    </message>
</context>
<context>
    <name>ForecastDelegate</name>
    <message>
        <source>Tomorrow</source>
        <translation>Morgen</translation>
    </message>
</context>
<context>
    <name>ForecastModel</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Morgen</translation>
    </message>
    <message>
        <source>%1 — %2, between %3 and %4</source>
        <translation>%1 — %2, zwischen %3 und %4</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>%1 %2: %3 / %4, precipitation %5</source>
        <translation>%1 %2: %3 / %4, Niederschlag %5</translation>
    </message>
    <message>
        <source>%1, %2, %3, high %4, low %5, precipitation %6</source>
        <translation>%1, %2, %3, Höchstwert %4, Tiefstwert %5, Niederschlag %6</translation>
    </message>
</context>
<context>
    <name>HereLocator</name>
    <message>
        <source>%1° N</source>
        <translation>%1° N</translation>
    </message>
    <message>
        <source>%1° S</source>
        <translation>%1° S</translation>
    </message>
    <message>
        <source>%1° E</source>
        <translation>%1° O</translation>
    </message>
    <message>
        <source>%1° W</source>
        <translation>%1° W</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>HourlyChartWidget</name>
    <message>
        <source>Next 48 hours</source>
        <translation>Die nächsten 48 Stunden</translation>
    </message>
    <message>
        <source>Point at an hour, or use the arrow keys, to read it out</source>
        <translation>Auf eine Stunde zeigen oder die Pfeiltasten nutzen, um sie vorzulesen</translation>
    </message>
    <message>
        <source>Next 48 hours: %1</source>
        <translation>Nächste 48 Stunden: %1</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Chance of precipitation</source>
        <translation>Niederschlagswahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Amount (%1)</source>
        <translation>Menge (%1)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Morgen</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
</context>
<context>
    <name>HourlyModel</name>
    <message>
        <source>conditions unknown</source>
        <translation>Wetterlage unbekannt</translation>
    </message>
    <message numerus="yes">
        <source>%1 for %n hours: %2, %3, precipitation %4</source>
        <translation>
            <numerusform>%1 für %n Stunde: %2, %3, Niederschlag %4</numerusform>
            <numerusform>%1 für %n Stunden: %2, %3, Niederschlag %4</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2, %3, precipitation %4</source>
        <translation>%1: %2, %3, Niederschlag %4</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>rain %1</source>
        <translation>Regen %1</translation>
    </message>
    <message>
        <source>wind %1</source>
        <translation>Wind %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 for %n hours: %2, %3, precipitation %4, wind %5</source>
        <translation>
            <numerusform>%1 für %n Stunde: %2, %3, Niederschlag %4, Wind %5</numerusform>
            <numerusform>%1 für %n Stunden: %2, %3, Niederschlag %4, Wind %5</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2, %3, precipitation %4, wind %5</source>
        <translation>%1: %2, %3, Niederschlag %4, Wind %5</translation>
    </message>
</context>
<context>
    <name>LayeredCacheBase</name>
    <message>
        <source>The %1 cache stopped answering.</source>
        <translation>Der Cache „%1“ antwortet nicht mehr.</translation>
    </message>
    <message>
        <source>The load was cancelled.</source>
        <translation>Das Laden wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The load failed unexpectedly.</source>
        <translation>Das Laden ist unerwartet fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>LocationSuggestionModel</name>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Ort</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>WeatherDash</source>
        <translation>WeatherDash</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Weather</source>
        <translation>&amp;Wetter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Cache status</source>
        <translation>Cache-Status</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Find City…</source>
        <translation>&amp;Stadt suchen…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Show the latest weather, from the cache while it is fresh</source>
        <translation>Das neueste Wetter anzeigen, aus dem Cache, solange er aktuell ist</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>Fetch the weather again now, even if the cached copy is fresh</source>
        <translation>Das Wetter jetzt neu abrufen, auch wenn die zwischengespeicherte Kopie noch aktuell ist</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>&amp;Drop Selected Entry</source>
        <translation>Ausgewählten Eintrag &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Clear Cache…</source>
        <translation>Cache &amp;leeren…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;About WeatherDash</source>
        <translation>&amp;Über WeatherDash</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Could not get the weather for %1. %2</source>
        <translation>Das Wetter für %1 konnte nicht abgerufen werden. %2</translation>
    </message>
    <message>
        <source>No forecast: %1</source>
        <translation>Keine Vorhersage: %1</translation>
    </message>
    <message>
        <source>Dropped “%1” from the cache.</source>
        <translation>„%1“ wurde aus dem Cache entfernt.</translation>
    </message>
    <message>
        <source>“%1” was fetched with other settings (provider, units or language); it is refreshed when those are in use again.</source>
        <translation>„%1“ wurde mit anderen Einstellungen abgerufen (Anbieter, Einheiten oder Sprache); der Eintrag wird aktualisiert, sobald diese wieder verwendet werden.</translation>
    </message>
    <message>
        <source>Asking again for “%1”…</source>
        <translation>„%1“ wird erneut angefragt…</translation>
    </message>
    <message>
        <source>Clear the Cache?</source>
        <translation>Cache leeren?</translation>
    </message>
    <message>
        <source>The cache is empty.</source>
        <translation>Der Cache ist leer.</translation>
    </message>
    <message>
        <source>C&amp;ache</source>
        <translation>&amp;Cache</translation>
    </message>
    <message>
        <source>Places</source>
        <translation>Orte</translation>
    </message>
    <message>
        <source>Add to &amp;Places</source>
        <translation>Zu den &amp;Orten hinzufügen</translation>
    </message>
    <message>
        <source>Keep the shown place in the Places list</source>
        <translation>Den angezeigten Ort in der Ortsliste behalten</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>&amp;Places</source>
        <translation>&amp;Orte</translation>
    </message>
    <message numerus="yes">
        <source>The Places list is full (%n places): remove one first.</source>
        <translation>
            <numerusform>Die Ortsliste ist voll (%n Ort): Entfernen Sie zuerst einen.</numerusform>
            <numerusform>Die Ortsliste ist voll (%n Orte): Entfernen Sie zuerst einen.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was added to your places.</source>
        <translation>%1 wurde zu Ihren Orten hinzugefügt.</translation>
    </message>
    <message>
        <source>%1 %2 — WeatherDash</source>
        <translation>%1 %2 — WeatherDash</translation>
    </message>
    <message>
        <source>Looking up %1…</source>
        <translation>Suche nach %1…</translation>
    </message>
    <message>
        <source>Already up to date; next update in %1</source>
        <translation>Bereits aktuell; nächste Aktualisierung in %1</translation>
    </message>
    <message>
        <source>F&amp;orce Refresh</source>
        <translation>&amp;Neu abrufen (Cache umgehen)</translation>
    </message>
    <message>
        <source>Looking for where you are…</source>
        <translation>Ihr Standort wird gesucht…</translation>
    </message>
    <message>
        <source>&amp;Cache status</source>
        <translation>&amp;Cache-Status</translation>
    </message>
    <message>
        <source>in memory</source>
        <translation>im Speicher</translation>
    </message>
    <message>
        <source>on disk</source>
        <translation>auf der Festplatte</translation>
    </message>
    <message>
        <source>in the shared cache, for every computer that uses it</source>
        <translation>im gemeinsamen Cache, für jeden Rechner, der ihn nutzt</translation>
    </message>
    <message>
        <source>Drop every cached answer?</source>
        <translation>Alle zwischengespeicherten Antworten verwerfen?</translation>
    </message>
    <message>
        <source>Lost: every answer kept %1: the weather, forecasts and place searches. Each place&apos;s next update asks %2 again, and until then there is no older weather to show offline.</source>
        <translation>Verloren: jede Antwort %1 – Wetter, Vorhersagen und Ortssuchen. Die nächste Aktualisierung jedes Ortes fragt wieder %2, und bis dahin gibt es offline kein älteres Wetter zu zeigen.</translation>
    </message>
    <message>
        <source>Kept: the weather on screen, your places and their names, your settings, and the statistics (Reset statistics clears those).</source>
        <translation>Behalten: das angezeigte Wetter, Ihre Orte und deren Namen, Ihre Einstellungen und die Statistik (die leert „Statistik zurücksetzen“).</translation>
    </message>
    <message>
        <source>C&amp;lear Cache</source>
        <translation>Cache &amp;leeren</translation>
    </message>
</context>
<context>
    <name>Moon</name>
    <message>
        <source>New moon</source>
        <translation>Neumond</translation>
    </message>
    <message>
        <source>Waxing crescent</source>
        <translation>Zunehmende Sichel</translation>
    </message>
    <message>
        <source>First quarter</source>
        <translation>Erstes Viertel</translation>
    </message>
    <message>
        <source>Waxing gibbous</source>
        <translation>Zunehmender Mond</translation>
    </message>
    <message>
        <source>Full moon</source>
        <translation>Vollmond</translation>
    </message>
    <message>
        <source>Waning gibbous</source>
        <translation>Abnehmender Mond</translation>
    </message>
    <message>
        <source>Last quarter</source>
        <translation>Letztes Viertel</translation>
    </message>
    <message>
        <source>Waning crescent</source>
        <translation>Abnehmende Sichel</translation>
    </message>
</context>
<context>
    <name>NominatimParser</name>
    <message>
        <source>© OpenStreetMap contributors</source>
        <translation>© OpenStreetMap-Mitwirkende</translation>
    </message>
    <message>
        <source>OpenStreetMap Nominatim refused the request (HTTP 403): it blocks programs that break its usage policy.</source>
        <translation>OpenStreetMap Nominatim hat die Anfrage abgelehnt (HTTP 403): Es sperrt Programme, die gegen seine Nutzungsrichtlinie verstoßen.</translation>
    </message>
</context>
<context>
    <name>NominatimProvider</name>
    <message>
        <source>OpenStreetMap Nominatim names places only.</source>
        <translation>OpenStreetMap Nominatim benennt nur Orte.</translation>
    </message>
</context>
<context>
    <name>NowcastStrip</name>
    <message>
        <source>Rain in the next two hours</source>
        <translation>Regen in den nächsten zwei Stunden</translation>
    </message>
    <message>
        <source>Rain in the next two hours not available: %1</source>
        <translation>Regen in den nächsten zwei Stunden nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Rain in the next two hours: no data for now</source>
        <translation>Regen in den nächsten zwei Stunden: derzeit keine Daten</translation>
    </message>
    <message>
        <source>in</source>
        <translation>in</translation>
    </message>
    <message>
        <source>mm</source>
        <translation>mm</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <translation>%1: %2 %3</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>OpenMeteoProvider</name>
    <message>
        <source>Weather data by Open-Meteo.com</source>
        <translation>Wetterdaten von Open-Meteo.com</translation>
    </message>
    <message>
        <source>The place has no valid coordinates.</source>
        <translation>Der Ort hat keine gültigen Koordinaten.</translation>
    </message>
</context>
<context>
    <name>OpenWeatherMapProvider</name>
    <message>
        <source>Weather data by OpenWeatherMap</source>
        <translation>Wetterdaten von OpenWeatherMap</translation>
    </message>
    <message>
        <source>The place has no valid coordinates.</source>
        <translation>Der Ort hat keine gültigen Koordinaten.</translation>
    </message>
</context>
<context>
    <name>OutageAlert</name>
    <message>
        <source>The weather for %1 could not be updated for a minute. %2</source>
        <translation>Das Wetter für %1 konnte seit einer Minute nicht aktualisiert werden. %2</translation>
    </message>
    <message>
        <source>The weather for %1 could not be updated for %2 minutes. %3</source>
        <translation>Das Wetter für %1 konnte seit %2 Minuten nicht aktualisiert werden. %3</translation>
    </message>
    <message>
        <source>No weather updates</source>
        <translation>Keine Wetteraktualisierungen</translation>
    </message>
</context>
<context>
    <name>PersistentStore</name>
    <message>
        <source>No folder was given for the weather cache. WeatherDash keeps working from memory.</source>
        <translation>Für den Wetter-Cache wurde kein Ordner angegeben. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The folder %1 for the weather cache could not be created. WeatherDash keeps working from memory.</source>
        <translation>Der Ordner %1 für den Wetter-Cache konnte nicht angelegt werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The cache file was damaged and has been set aside as %1; starting with an empty cache.</source>
        <translation>Die Cache-Datei war beschädigt und wurde als %1 beiseitegelegt; es wird mit einem leeren Cache begonnen.</translation>
    </message>
    <message>
        <source>The cache file was not a WeatherDash cache and has been set aside as %1; starting with an empty cache.</source>
        <translation>Die Cache-Datei war kein WeatherDash-Cache und wurde als %1 beiseitegelegt; es wird mit einem leeren Cache begonnen.</translation>
    </message>
    <message>
        <source>The weather cache in %1 was written by a newer version of WeatherDash and is left as it is. WeatherDash keeps working from memory.</source>
        <translation>Der Wetter-Cache in %1 wurde von einer neueren Version von WeatherDash geschrieben und bleibt unverändert. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The disk is full: WeatherDash shows the weather saved in its cache but cannot save new forecasts.</source>
        <translation>Der Datenträger ist voll: WeatherDash zeigt das im Cache gespeicherte Wetter an, kann aber keine neuen Vorhersagen speichern.</translation>
    </message>
    <message>
        <source>The weather cache file %1 is read-only: WeatherDash shows the weather saved in it but cannot save new forecasts.</source>
        <translation>Die Wetter-Cache-Datei %1 ist schreibgeschützt: WeatherDash zeigt das darin gespeicherte Wetter an, kann aber keine neuen Vorhersagen speichern.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only: WeatherDash shows the weather saved there but cannot save new forecasts.</source>
        <translation>Der Ordner %1 ist schreibgeschützt: WeatherDash zeigt das dort gespeicherte Wetter an, kann aber keine neuen Vorhersagen speichern.</translation>
    </message>
    <message>
        <source>The disk is full: the weather cache could not be saved. WeatherDash keeps working from memory.</source>
        <translation>Der Datenträger ist voll: Der Wetter-Cache konnte nicht gespeichert werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only: the weather cache cannot be saved there. WeatherDash keeps working from memory.</source>
        <translation>Der Ordner %1 ist schreibgeschützt: Der Wetter-Cache kann dort nicht gespeichert werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The weather cache file %1 is damaged and could not be set aside. WeatherDash keeps working from memory.</source>
        <translation>Die Wetter-Cache-Datei %1 ist beschädigt und konnte nicht beiseitegelegt werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The weather cache file %1 is damaged, and another WeatherDash is still using it. WeatherDash keeps working from memory and will start a new cache file next time.</source>
        <translation>Die Wetter-Cache-Datei %1 ist beschädigt, und ein anderes WeatherDash verwendet sie noch. WeatherDash arbeitet im Arbeitsspeicher weiter und legt beim nächsten Mal eine neue Cache-Datei an.</translation>
    </message>
    <message>
        <source>The weather cache in %1 could not be opened. WeatherDash keeps working from memory.</source>
        <translation>Der Wetter-Cache in %1 konnte nicht geöffnet werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The weather cache file is damaged. WeatherDash keeps working from memory and will start a new cache file next time.</source>
        <translation>Die Wetter-Cache-Datei ist beschädigt. WeatherDash arbeitet im Arbeitsspeicher weiter und legt beim nächsten Mal eine neue Cache-Datei an.</translation>
    </message>
    <message>
        <source>Another WeatherDash program kept the weather cache busy, so it could not be used just now. WeatherDash keeps working from memory.</source>
        <translation>Ein anderes WeatherDash-Programm hat den Wetter-Cache belegt, daher konnte er gerade nicht verwendet werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
    <message>
        <source>The weather cache could not be used. WeatherDash keeps working from memory.</source>
        <translation>Der Wetter-Cache konnte nicht verwendet werden. WeatherDash arbeitet im Arbeitsspeicher weiter.</translation>
    </message>
</context>
<context>
    <name>PlacesDelegate</name>
    <message>
        <source>A place needs a name: type one, or press Esc to keep the old one.</source>
        <translation>Ein Ort braucht einen Namen: Geben Sie einen ein, oder drücken Sie Esc, um den alten zu behalten.</translation>
    </message>
    <message>
        <source>Name of the place</source>
        <translation>Name des Ortes</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Neuer Name</translation>
    </message>
    <message>
        <source>Enter keeps the new name, Esc the old one</source>
        <translation>Eingabe behält den neuen Namen, Esc den alten</translation>
    </message>
</context>
<context>
    <name>PlacesModel</name>
    <message>
        <source>Place</source>
        <translation>Ort</translation>
    </message>
    <message numerus="yes">
        <source>%n weather alert(s): %1</source>
        <extracomment>A Places row&apos;s alert badge, said and shown in its tooltip: &quot;2 weather alerts: Gale warning&quot;</extracomment>
        <translation>
            <numerusform>%n Wetterwarnung: %1</numerusform>
            <numerusform>%n Wetterwarnungen: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Here · %1</source>
        <translation>Hier · %1</translation>
    </message>
    <message>
        <source>place name %1</source>
        <translation>Ortsname %1</translation>
    </message>
    <message>
        <source>Place name %1</source>
        <translation>Ortsname %1</translation>
    </message>
    <message>
        <source>the weather service</source>
        <translation>der Wetterdienst</translation>
    </message>
    <message>
        <source>Could not reach %1 — showing older data</source>
        <translation>%1 nicht erreichbar — ältere Daten</translation>
    </message>
    <message>
        <source>Could not reach %1 — showing data from %2</source>
        <translation>%1 nicht erreichbar — Daten von %2</translation>
    </message>
    <message>
        <source>Not updated (%1) — showing older data</source>
        <translation>Nicht aktualisiert (%1) — ältere Daten</translation>
    </message>
    <message>
        <source>Not updated (%1) — showing data from %2</source>
        <translation>Nicht aktualisiert (%1) — Daten von %2</translation>
    </message>
</context>
<context>
    <name>PlacesPanel</name>
    <message>
        <source>Move &amp;Up</source>
        <translation>Nach &amp;oben verschieben</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>Nach u&amp;nten verschieben</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>Re&amp;move from Places</source>
        <translation>Aus den Orten &amp;entfernen</translation>
    </message>
    <message>
        <source>Places</source>
        <translation>Orte</translation>
    </message>
    <message>
        <source>Saved places</source>
        <translation>Gespeicherte Orte</translation>
    </message>
    <message>
        <source>No saved places yet. Show a place and choose “Add to Places” (Ctrl+D) to keep its weather here.</source>
        <translation>Noch keine gespeicherten Orte. Zeigen Sie einen Ort an und wählen Sie „Zu den Orten hinzufügen“ (Ctrl+D), um sein Wetter hier im Blick zu behalten.</translation>
    </message>
</context>
<context>
    <name>PositionSource</name>
    <message>
        <source>The NMEA log in WEATHERDASH_NMEA_FILE cannot be read.</source>
        <translation>Das NMEA-Protokoll in WEATHERDASH_NMEA_FILE kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The NMEA log in WEATHERDASH_NMEA_FILE holds no position.</source>
        <translation>Das NMEA-Protokoll in WEATHERDASH_NMEA_FILE enthält keine Position.</translation>
    </message>
    <message>
        <source>Location is off. Turn on “Use my location” to see the weather where you are.</source>
        <translation>Der Standort ist aus. Schalten Sie „Meinen Standort verwenden“ ein, um das Wetter dort zu sehen, wo Sie sind.</translation>
    </message>
    <message>
        <source>Your desktop did not let WeatherDash know where you are. Turn on location services in the system&apos;s privacy settings and allow WeatherDash.</source>
        <translation>Ihre Arbeitsumgebung hat WeatherDash Ihren Standort nicht mitgeteilt. Schalten Sie die Ortungsdienste in den Datenschutzeinstellungen des Systems ein und erlauben Sie sie WeatherDash.</translation>
    </message>
    <message>
        <source>Location services stopped answering. WeatherDash keeps the last place it knew.</source>
        <translation>Die Ortungsdienste antworten nicht mehr. WeatherDash behält den zuletzt bekannten Ort.</translation>
    </message>
    <message>
        <source>No location service is available: WeatherDash needs GeoClue (the “geoclue-2.0” package and Qt&apos;s geoclue2 positioning plugin).</source>
        <translation>Kein Ortungsdienst verfügbar: WeatherDash braucht GeoClue (das Paket „geoclue-2.0“ und Qts Positionierungs-Plugin geoclue2).</translation>
    </message>
    <message>
        <source>No position came in time. Location services may be off, or still looking.</source>
        <translation>Keine Position kam rechtzeitig. Die Ortungsdienste sind vielleicht aus oder suchen noch.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Weather provider</source>
        <translation>Wetteranbieter</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Anbieter:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Your own OpenWeatherMap key</source>
        <translation>Ihr eigener OpenWeatherMap-Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Test key</source>
        <translation>Schlüssel &amp;testen</translation>
    </message>
    <message>
        <source>&amp;Units:</source>
        <translation>&amp;Einheiten:</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>Cache</translation>
    </message>
    <message>
        <source>Keep current conditions for:</source>
        <translation>Aktuelles Wetter behalten für:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Keep forecasts for:</source>
        <translation>Vorhersagen behalten für:</translation>
    </message>
    <message>
        <source>Show old data when offline for up to:</source>
        <translation>Alte Daten offline anzeigen bis zu:</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Memory limit:</source>
        <translation>Speichergrenze:</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Shared cache</source>
        <translation>Gemeinsamer Cache</translation>
    </message>
    <message>
        <source>None (e.g. redis://192.168.1.10:6379/0)</source>
        <translation>Keine (z. B. redis://192.168.1.10:6379/0)</translation>
    </message>
    <message>
        <source>Machines that share one Redis ask the provider once for all of them. Takes effect the next time WeatherDash starts.</source>
        <translation>Rechner, die sich einen Redis-Server teilen, fragen den Anbieter nur einmal für alle an. Wirksam ab dem nächsten Start von WeatherDash.</translation>
    </message>
    <message>
        <source>Using OPENWEATHERMAP_API_KEY</source>
        <translation>OPENWEATHERMAP_API_KEY wird verwendet</translation>
    </message>
    <message>
        <source>Using WEATHERDASH_REDIS_URL</source>
        <translation>WEATHERDASH_REDIS_URL wird verwendet</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Enter your OpenWeatherMap API key first.</source>
        <translation>Geben Sie zuerst Ihren OpenWeatherMap-API-Schlüssel ein.</translation>
    </message>
    <message>
        <source>Asking %1…</source>
        <translation>Anfrage an %1…</translation>
    </message>
    <message>
        <source>%1 answered: %2 in London right now.</source>
        <translation>%1 hat geantwortet: derzeit %2 in London.</translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation>Desktop</translation>
    </message>
    <message>
        <source>This desktop has no system tray: closing the window quits WeatherDash.</source>
        <translation>Diese Arbeitsumgebung hat keinen Systemabschnitt der Kontrollleiste: Das Schließen des Fensters beendet WeatherDash.</translation>
    </message>
    <message>
        <source>&amp;Notify me when the weather could not be updated for</source>
        <translation>&amp;Benachrichtigen, wenn das Wetter nicht aktualisiert werden konnte seit</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Einheiten</translation>
    </message>
    <message>
        <source>&amp;Wind:</source>
        <translation>&amp;Wind:</translation>
    </message>
    <message>
        <source>P&amp;ressure:</source>
        <translation>&amp;Luftdruck:</translation>
    </message>
    <message>
        <source>Pre&amp;cipitation:</source>
        <translation>&amp;Niederschlag:</translation>
    </message>
    <message>
        <source>OpenWeatherMap needs an API key: enter yours, or choose Open-Meteo, which needs none.</source>
        <translation>OpenWeatherMap benötigt einen API-Schlüssel: Geben Sie Ihren ein oder wählen Sie Open-Meteo, das keinen benötigt.</translation>
    </message>
    <message>
        <source>OpenWeatherMap rejected this key. A new key can take up to two hours to become active: press OK again to save it anyway.</source>
        <translation>OpenWeatherMap hat diesen Schlüssel abgelehnt. Ein neuer Schlüssel kann bis zu zwei Stunden brauchen, bis er aktiv ist: Drücken Sie erneut auf OK, um ihn trotzdem zu speichern.</translation>
    </message>
    <message>
        <source>Metric (°C, km/h, hPa, mm)</source>
        <translation>Metrisch (°C, km/h, hPa, mm)</translation>
    </message>
    <message>
        <source>Imperial (°F, mph, inHg, in)</source>
        <translation>Imperial (°F, mph, inHg, in)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Celsius (°C)</source>
        <translation>Celsius (°C)</translation>
    </message>
    <message>
        <source>Fahrenheit (°F)</source>
        <translation>Fahrenheit (°F)</translation>
    </message>
    <message>
        <source>Kilometres per hour (km/h)</source>
        <translation>Kilometer pro Stunde (km/h)</translation>
    </message>
    <message>
        <source>Metres per second (m/s)</source>
        <translation>Meter pro Sekunde (m/s)</translation>
    </message>
    <message>
        <source>Miles per hour (mph)</source>
        <translation>Meilen pro Stunde (mph)</translation>
    </message>
    <message>
        <source>Knots (kn)</source>
        <translation>Knoten (kn)</translation>
    </message>
    <message>
        <source>Beaufort scale (Bft)</source>
        <translation>Beaufort-Skala (Bft)</translation>
    </message>
    <message>
        <source>Hectopascals (hPa)</source>
        <translation>Hektopascal (hPa)</translation>
    </message>
    <message>
        <source>Inches of mercury (inHg)</source>
        <translation>Zoll Quecksilbersäule (inHg)</translation>
    </message>
    <message>
        <source>Millimetres of mercury (mmHg)</source>
        <translation>Millimeter Quecksilbersäule (mmHg)</translation>
    </message>
    <message>
        <source>Millimetres (mm)</source>
        <translation>Millimeter (mm)</translation>
    </message>
    <message>
        <source>Inches (in)</source>
        <translation>Zoll (in)</translation>
    </message>
    <message>
        <source>The system&apos;s CAs (for a rediss:// address)</source>
        <translation>Die Zertifizierungsstellen des Systems (für eine rediss://-Adresse)</translation>
    </message>
    <message>
        <source>A PEM file with the CA that signed the Redis server&apos;s certificate, for a rediss:// address. Empty: the CAs this computer trusts.</source>
        <translation>Eine PEM-Datei mit der Zertifizierungsstelle, die das Zertifikat des Redis-Servers signiert hat, für eine rediss://-Adresse. Leer: die Zertifizierungsstellen, denen dieser Computer vertraut.</translation>
    </message>
    <message>
        <source>Using WEATHERDASH_REDIS_TLS_CA</source>
        <translation>WEATHERDASH_REDIS_TLS_CA wird verwendet</translation>
    </message>
    <message>
        <source>The TLS CA file cannot be read: %1.</source>
        <translation>Die TLS-CA-Datei kann nicht gelesen werden: %1.</translation>
    </message>
    <message>
        <source>The TLS CA file holds no PEM certificate.</source>
        <translation>Die TLS-CA-Datei enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Te&amp;mperature:</source>
        <translation>Te&amp;mperatur:</translation>
    </message>
    <message>
        <source>Re&amp;dis address:</source>
        <translation>&amp;Redis-Adresse:</translation>
    </message>
    <message>
        <source>TLS CA &amp;file:</source>
        <translation>TLS-CA-&amp;Datei:</translation>
    </message>
    <message>
        <source>Br&amp;owse…</source>
        <translation>Durchs&amp;uchen…</translation>
    </message>
    <message>
        <source>Choose the PEM file with the CA that signed the Redis server&apos;s certificate</source>
        <translation>Die PEM-Datei mit der Zertifizierungsstelle wählen, die das Zertifikat des Redis-Servers signiert hat</translation>
    </message>
    <message>
        <source>Keep running in the tra&amp;y when the window is closed</source>
        <translation>Beim Schließen des Fensters im Systemabschnitt der &amp;Kontrollleiste weiterlaufen</translation>
    </message>
    <message>
        <source>Notify me when rain starts within the &amp;hour at a saved place</source>
        <translation>Benachrichtigen, wenn an einem gespeicherten &amp;Ort innerhalb der nächsten Stunde Regen einsetzt</translation>
    </message>
    <message>
        <source>%1 (needs your own API key)</source>
        <translation>%1 (braucht Ihren eigenen API-Schlüssel)</translation>
    </message>
    <message>
        <source>%1 (free, no key needed)</source>
        <translation>%1 (kostenlos, kein Schlüssel nötig)</translation>
    </message>
    <message>
        <source>TLS CA File</source>
        <translation>TLS-CA-Datei</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Notify me of official weather &amp;alerts:</source>
        <translation>Be&amp;i amtlichen Unwetterwarnungen benachrichtigen:</translation>
    </message>
    <message>
        <source>Warnings from the national weather services for your places, once each</source>
        <translation>Warnungen der nationalen Wetterdienste für Ihre Orte, jede einmal</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Extreme only</source>
        <translation>Nur extreme</translation>
    </message>
    <message>
        <source>Severe and extreme</source>
        <translation>Schwere und extreme</translation>
    </message>
    <message>
        <source>Moderate and above</source>
        <translation>Ab mäßigen</translation>
    </message>
    <message>
        <source>Any alert</source>
        <translation>Jede Warnung</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>Use my &amp;location: “Here” at the top of Places</source>
        <translation>Meinen Standort &amp;verwenden: „Hier“ oben in den Orten</translation>
    </message>
    <message>
        <source>Your desktop (GeoClue) says where you are; OpenStreetMap Nominatim names the place, once per kilometre. Nothing is asked until this is on.</source>
        <translation>Ihre Arbeitsumgebung (GeoClue) sagt, wo Sie sind; OpenStreetMap Nominatim benennt den Ort, einmal pro Kilometer. Bevor dies eingeschaltet ist, wird nichts gefragt.</translation>
    </message>
    <message>
        <source>Air &amp;quality index:</source>
        <translation>Luft&amp;qualitätsindex:</translation>
    </message>
    <message>
        <source>European (EEA, 0–100+)</source>
        <translation>Europäisch (EUA, 0–100+)</translation>
    </message>
    <message>
        <source>US (EPA AQI, 0–500)</source>
        <translation>US (EPA-AQI, 0–500)</translation>
    </message>
</context>
<context>
    <name>RainAlert</name>
    <message>
        <source>Rain soon in %1</source>
        <translation>Bald Regen in %1</translation>
    </message>
    <message>
        <source>%1 % chance</source>
        <translation>%1 % Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>%1 mm</source>
        <translation>%1 mm</translation>
    </message>
    <message>
        <source>%1 your time</source>
        <translation>%1 bei Ihnen</translation>
    </message>
    <message>
        <source>%1 local time</source>
        <translation>%1 Ortszeit</translation>
    </message>
    <message>
        <source>%1 your time, %2 there</source>
        <translation>%1 bei Ihnen, %2 dort</translation>
    </message>
    <message>
        <source>Rain in %1 in about %n min (%2).</source>
        <translation>Regen in %1 in etwa %n Min. (%2).</translation>
    </message>
    <message>
        <source>Rain in %1 in about %n min (%2): %3.</source>
        <translation>Regen in %1 in etwa %n Min. (%2): %3.</translation>
    </message>
</context>
<context>
    <name>RainOutlook</name>
    <message>
        <source>No rain for the next %1 hours</source>
        <translation>Kein Regen in den nächsten %1 Stunden</translation>
    </message>
    <message>
        <source>No rain for the next %1 minutes</source>
        <translation>Kein Regen in den nächsten %1 Minuten</translation>
    </message>
    <message>
        <source>Rain in %1 min</source>
        <translation>Regen in %1 Min.</translation>
    </message>
    <message>
        <source>Rain stops in %1 min</source>
        <translation>Regen endet in %1 Min.</translation>
    </message>
    <message>
        <source>Rain for the next %1 hours</source>
        <translation>Regen in den nächsten %1 Stunden</translation>
    </message>
    <message>
        <source>Rain for the next %1 minutes</source>
        <translation>Regen in den nächsten %1 Minuten</translation>
    </message>
    <message>
        <source>Rain in %1 in about %2 minutes</source>
        <translation>Regen in %1 in etwa %2 Minuten</translation>
    </message>
</context>
<context>
    <name>RedisConnection</name>
    <message>
        <source>The shared cache at %1 was closed.</source>
        <translation>Der gemeinsame Cache unter %1 wurde geschlossen.</translation>
    </message>
    <message>
        <source>no socket file is there</source>
        <translation>dort gibt es keine Socket-Datei</translation>
    </message>
    <message>
        <source>no server listens on the socket</source>
        <translation>am Socket lauscht kein Server</translation>
    </message>
    <message>
        <source>it closed the connection</source>
        <translation>der Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>this user may not open the socket</source>
        <translation>dieser Benutzer darf den Socket nicht öffnen</translation>
    </message>
    <message>
        <source>nothing answers on that port (connection refused)</source>
        <translation>an diesem Port antwortet nichts (Verbindung abgelehnt)</translation>
    </message>
    <message>
        <source>the host name is not known</source>
        <translation>der Hostname ist unbekannt</translation>
    </message>
    <message>
        <source>the network is unreachable</source>
        <translation>das Netzwerk ist nicht erreichbar</translation>
    </message>
    <message>
        <source>The shared cache at %1 has no password, but its address gives one: remove the password from the address.</source>
        <translation>Der gemeinsame Cache unter %1 hat kein Passwort, aber seine Adresse enthält eines: Entfernen Sie das Passwort aus der Adresse.</translation>
    </message>
    <message>
        <source>The shared cache at %1 refused the user or password in its address (%2).</source>
        <translation>Der gemeinsame Cache unter %1 hat den Benutzer oder das Passwort in seiner Adresse abgelehnt (%2).</translation>
    </message>
    <message>
        <source>The shared cache at %1 needs a password: give it in the address, as in redis://:password@%1.</source>
        <translation>Der gemeinsame Cache unter %1 benötigt ein Passwort: Geben Sie es in der Adresse an, wie in redis://:Passwort@%1.</translation>
    </message>
    <message>
        <source>The shared cache at %1 has no database %2 (%3).</source>
        <translation>Der gemeinsame Cache unter %1 hat keine Datenbank %2 (%3).</translation>
    </message>
    <message>
        <source>it is starting up and loading its data</source>
        <translation>der Server startet gerade und lädt seine Daten</translation>
    </message>
    <message>
        <source>The shared cache at %1 refused the connection (%2).</source>
        <translation>Der gemeinsame Cache unter %1 hat die Verbindung abgelehnt (%2).</translation>
    </message>
    <message>
        <source>The shared cache at %1 is too slow: %2 requests already wait for it.</source>
        <translation>Der gemeinsame Cache unter %1 ist zu langsam: Bereits %2 Anfragen warten auf ihn.</translation>
    </message>
    <message>
        <source>The shared cache at %1 sent more than this computer can hold.</source>
        <translation>Der gemeinsame Cache unter %1 hat mehr gesendet, als dieser Computer aufnehmen kann.</translation>
    </message>
    <message>
        <source>The server at %1 does not answer like a Redis server (%2); check the address of the shared cache.</source>
        <translation>Der Server unter %1 antwortet nicht wie ein Redis-Server (%2); prüfen Sie die Adresse des gemeinsamen Caches.</translation>
    </message>
    <message>
        <source>The server at %1 sent a reply larger than %2 MiB; check the address of the shared cache.</source>
        <translation>Der Server unter %1 hat eine Antwort gesendet, die größer als %2 MiB ist; prüfen Sie die Adresse des gemeinsamen Caches.</translation>
    </message>
    <message>
        <source>The server at %1 answered a question it was not asked; check the address of the shared cache.</source>
        <translation>Der Server unter %1 hat auf eine Frage geantwortet, die ihm nicht gestellt wurde; prüfen Sie die Adresse des gemeinsamen Caches.</translation>
    </message>
    <message>
        <source>The shared cache at %1 is not reachable: %2.</source>
        <translation>Der gemeinsame Cache unter %1 ist nicht erreichbar: %2.</translation>
    </message>
    <message>
        <source>it did not answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <source>The shared cache at %1 is full (it reached its memory limit and evicts nothing): new entries are not shared until room is made.</source>
        <translation>Der gemeinsame Cache unter %1 ist voll (er hat seine Speichergrenze erreicht und verdrängt nichts): Neue Einträge werden erst wieder geteilt, wenn Platz geschaffen wurde.</translation>
    </message>
    <message>
        <source>The shared cache at %1 is a read-only replica: point the address at the primary server.</source>
        <translation>Der gemeinsame Cache unter %1 ist ein schreibgeschütztes Replikat: Richten Sie die Adresse auf den primären Server.</translation>
    </message>
    <message>
        <source>The shared cache at %1 refuses writes because it cannot save its data to its disk.</source>
        <translation>Der gemeinsame Cache unter %1 verweigert Schreibzugriffe, weil er seine Daten nicht auf seinem Datenträger speichern kann.</translation>
    </message>
    <message>
        <source>The shared cache at %1 does not allow this user to do that (%2).</source>
        <translation>Der gemeinsame Cache unter %1 erlaubt diesem Benutzer diese Aktion nicht (%2).</translation>
    </message>
    <message>
        <source>The shared cache at %1 answered with an error (%2).</source>
        <translation>Der gemeinsame Cache unter %1 hat mit einem Fehler geantwortet (%2).</translation>
    </message>
    <message>
        <source>The server at %1 does not answer like a Redis server; check the address of the shared cache.</source>
        <translation>Der Server unter %1 antwortet nicht wie ein Redis-Server; prüfen Sie die Adresse des gemeinsamen Caches.</translation>
    </message>
    <message>
        <source>the TLS handshake failed (%1)</source>
        <translation>der TLS-Verbindungsaufbau ist fehlgeschlagen (%1)</translation>
    </message>
    <message>
        <source>The shared cache at %1 is reached over TLS (rediss://), but this computer&apos;s Qt has no TLS support.</source>
        <translation>Der gemeinsame Cache unter %1 wird über TLS (rediss://) erreicht, aber das Qt dieses Computers unterstützt kein TLS.</translation>
    </message>
    <message>
        <source>The CA file for the shared cache at %1 cannot be read: %2 (%3).</source>
        <translation>Die CA-Datei für den gemeinsamen Cache unter %1 kann nicht gelesen werden: %2 (%3).</translation>
    </message>
    <message>
        <source>The CA file for the shared cache at %1 holds no PEM certificate: %2.</source>
        <translation>Die CA-Datei für den gemeinsamen Cache unter %1 enthält kein PEM-Zertifikat: %2.</translation>
    </message>
    <message>
        <source>A client certificate for the shared cache needs both a certificate file (WEATHERDASH_REDIS_TLS_CERT) and its key file (WEATHERDASH_REDIS_TLS_KEY).</source>
        <translation>Ein Client-Zertifikat für den gemeinsamen Cache braucht sowohl eine Zertifikatsdatei (WEATHERDASH_REDIS_TLS_CERT) als auch die Datei mit seinem Schlüssel (WEATHERDASH_REDIS_TLS_KEY).</translation>
    </message>
    <message>
        <source>The client certificate for the shared cache at %1 cannot be read: %2 (%3).</source>
        <translation>Das Client-Zertifikat für den gemeinsamen Cache unter %1 kann nicht gelesen werden: %2 (%3).</translation>
    </message>
    <message>
        <source>The client certificate for the shared cache holds no PEM certificate: %1.</source>
        <translation>Die Datei des Client-Zertifikats für den gemeinsamen Cache enthält kein PEM-Zertifikat: %1.</translation>
    </message>
    <message>
        <source>The client key for the shared cache at %1 cannot be read: %2 (%3).</source>
        <translation>Der Client-Schlüssel für den gemeinsamen Cache unter %1 kann nicht gelesen werden: %2 (%3).</translation>
    </message>
    <message>
        <source>The client key for the shared cache is not a PEM key without a passphrase: %1.</source>
        <translation>Der Client-Schlüssel für den gemeinsamen Cache ist kein PEM-Schlüssel ohne Passphrase: %1.</translation>
    </message>
    <message>
        <source>The shared cache at %1 is not used: its TLS certificate cannot be trusted (%2).</source>
        <translation>Der gemeinsame Cache unter %1 wird nicht verwendet: Seinem TLS-Zertifikat kann nicht vertraut werden (%2).</translation>
    </message>
    <message>
        <source>The shared cache at %1 refused the TLS connection (%2); if it asks for a client certificate, set WEATHERDASH_REDIS_TLS_CERT and WEATHERDASH_REDIS_TLS_KEY.</source>
        <translation>Der gemeinsame Cache unter %1 hat die TLS-Verbindung abgelehnt (%2); falls er ein Client-Zertifikat verlangt, setzen Sie WEATHERDASH_REDIS_TLS_CERT und WEATHERDASH_REDIS_TLS_KEY.</translation>
    </message>
</context>
<context>
    <name>RedisReplyReader</name>
    <message>
        <source>out of memory</source>
        <translation>nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <source>a reply with more than %1 parts</source>
        <translation>eine Antwort mit mehr als %1 Teilen</translation>
    </message>
</context>
<context>
    <name>RedisTier</name>
    <message>
        <source>The shared cache at %1 was closed.</source>
        <translation>Der gemeinsame Cache unter %1 wurde geschlossen.</translation>
    </message>
    <message>
        <source>The shared cache at %1 is too slow: %2 requests already wait for it to be cleared.</source>
        <translation>Der gemeinsame Cache unter %1 ist zu langsam: Bereits %2 Anfragen warten darauf, dass er geleert wird.</translation>
    </message>
    <message>
        <source>The shared cache at %1 holds more than %2 entries; WeatherDash reads them one by one instead.</source>
        <translation>Der gemeinsame Cache unter %1 enthält mehr als %2 Einträge; WeatherDash liest sie stattdessen einzeln.</translation>
    </message>
</context>
<context>
    <name>RedisUrl</name>
    <message>
        <source>The database in the shared cache address must be a number from 0 up, as in redis://127.0.0.1:6379/2.</source>
        <translation>Die Datenbank in der Adresse des gemeinsamen Caches muss eine Zahl ab 0 sein, wie in redis://127.0.0.1:6379/2.</translation>
    </message>
    <message>
        <source>The shared cache address names a user but no password; write it as redis://user:password@host:port.</source>
        <translation>Die Adresse des gemeinsamen Caches nennt einen Benutzer, aber kein Passwort; schreiben Sie sie als redis://Benutzer:Passwort@Host:Port.</translation>
    </message>
    <message>
        <source>The shared cache address has options after the host, which WeatherDash does not understand; give the database as a path, as in redis://127.0.0.1:6379/2.</source>
        <translation>Die Adresse des gemeinsamen Caches enthält nach dem Host Optionen, die WeatherDash nicht versteht; geben Sie die Datenbank als Pfad an, wie in redis://127.0.0.1:6379/2.</translation>
    </message>
    <message>
        <source>The IPv6 address in the shared cache address lacks its closing bracket, as in redis://[::1]:6379.</source>
        <translation>Der IPv6-Adresse in der Adresse des gemeinsamen Caches fehlt die schließende Klammer; richtig ist z. B. redis://[::1]:6379.</translation>
    </message>
    <message>
        <source>The shared cache address has something after the IPv6 address that is not a port, as in redis://[::1]:6379.</source>
        <translation>Die Adresse des gemeinsamen Caches enthält nach der IPv6-Adresse etwas, das kein Port ist; richtig ist z. B. redis://[::1]:6379.</translation>
    </message>
    <message>
        <source>The address in brackets in the shared cache address is not an IPv6 address.</source>
        <translation>Die Adresse in eckigen Klammern in der Adresse des gemeinsamen Caches ist keine IPv6-Adresse.</translation>
    </message>
    <message>
        <source>An IPv6 address in the shared cache address must be in brackets, as in redis://[::1]:6379.</source>
        <translation>Eine IPv6-Adresse in der Adresse des gemeinsamen Caches muss in eckigen Klammern stehen, wie in redis://[::1]:6379.</translation>
    </message>
    <message>
        <source>The host in the shared cache address has characters a host name cannot have.</source>
        <translation>Der Host in der Adresse des gemeinsamen Caches enthält Zeichen, die in einem Hostnamen nicht vorkommen dürfen.</translation>
    </message>
    <message>
        <source>The port in the shared cache address must be a number from 1 to 65535.</source>
        <translation>Der Port in der Adresse des gemeinsamen Caches muss eine Zahl von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <source>The socket in a unix:// address must be an absolute path, as in unix:///run/redis/redis-server.sock.</source>
        <translation>Der Socket in einer unix://-Adresse muss ein absoluter Pfad sein, wie in unix:///run/redis/redis-server.sock.</translation>
    </message>
    <message>
        <source>A unix:// address understands only the option db=N after the path, as in unix:///run/redis.sock?db=2.</source>
        <translation>Eine unix://-Adresse versteht nach dem Pfad nur die Option db=N, wie in unix:///run/redis.sock?db=2.</translation>
    </message>
    <message>
        <source>The socket in a unix:// address must be the absolute path of a file, as in unix:///run/redis/redis-server.sock.</source>
        <translation>Der Socket in einer unix://-Adresse muss der absolute Pfad einer Datei sein, wie in unix:///run/redis/redis-server.sock.</translation>
    </message>
    <message>
        <source>The socket path in the shared cache address is too long: a Unix socket path has at most %1 bytes.</source>
        <translation>Der Socket-Pfad in der Adresse des gemeinsamen Caches ist zu lang: Ein Unix-Socket-Pfad hat höchstens %1 Bytes.</translation>
    </message>
    <message>
        <source>No address of the shared cache was given.</source>
        <translation>Es wurde keine Adresse für den gemeinsamen Cache angegeben.</translation>
    </message>
    <message>
        <source>The shared cache address must start with redis://, rediss:// (over TLS) or unix://, as in redis://127.0.0.1:6379/0.</source>
        <translation>Die Adresse des gemeinsamen Caches muss mit redis://, rediss:// (über TLS) oder unix:// beginnen, etwa redis://127.0.0.1:6379/0.</translation>
    </message>
</context>
<context>
    <name>RequestTimelineWidget</name>
    <message>
        <source>Request timeline</source>
        <translation>Zeitleiste der Anfragen</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last %1 minutes</source>
        <translation>Letzte %1 Minuten</translation>
    </message>
    <message>
        <source>1 request to %2</source>
        <translation>1 Anfrage an %2</translation>
    </message>
    <message>
        <source>%1 requests to %2</source>
        <translation>%1 Anfragen an %2</translation>
    </message>
    <message>
        <source>(%1 forced)</source>
        <translation>(%1 erzwungen)</translation>
    </message>
    <message>
        <source>no requests to the provider</source>
        <translation>keine Anfragen an den Anbieter</translation>
    </message>
    <message>
        <source>1 cache answer</source>
        <translation>1 Antwort aus dem Cache</translation>
    </message>
    <message>
        <source>%1 cache answers</source>
        <translation>%1 Antworten aus dem Cache</translation>
    </message>
    <message>
        <source>1 answer went out of date</source>
        <translation>1 Antwort ist veraltet</translation>
    </message>
    <message>
        <source>%1 answers went out of date</source>
        <translation>%1 Antworten sind veraltet</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 Fehler</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 Fehler</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <source>Tall ticks: requests to the provider; a triangle on top: a forced refresh; a cross: a failed request; the grey band: answers the cache gave without asking; small circles: answers that went out of date.</source>
        <translation>Hohe Striche: Anfragen an den Anbieter; ein Dreieck darauf: ein erzwungenes Neuabrufen; ein Kreuz: eine fehlgeschlagene Anfrage; das graue Band: Antworten, die der Cache ohne Anfrage gab; kleine Kreise: Antworten, die veraltet sind.</translation>
    </message>
    <message>
        <source>request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>forced</source>
        <translation>erzwungen</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>out of date</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>cache answers</source>
        <translation>Antworten aus dem Cache</translation>
    </message>
    <message>
        <source>from cache</source>
        <translation>aus dem Cache</translation>
    </message>
    <message>
        <source>1 h ago</source>
        <translation>vor 1 h</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 min</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>ReverseGeocoder</name>
    <message>
        <source>That is no position on Earth.</source>
        <translation>Das ist keine Position auf der Erde.</translation>
    </message>
</context>
<context>
    <name>Run</name>
    <message>
        <source>(first of %1 matches; also: %2)</source>
        <translation>(erster von %1 Treffern; außerdem: %2)</translation>
    </message>
    <message>
        <source>feels like</source>
        <translation>gefühlt</translation>
    </message>
    <message>
        <source>Humidity</source>
        <translation>Luftfeuchtigkeit</translation>
    </message>
    <message>
        <source>Wind</source>
        <translation>Wind</translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation>Luftdruck</translation>
    </message>
    <message>
        <source>Source: network (%1)</source>
        <translation>Quelle: Netzwerk (%1)</translation>
    </message>
    <message>
        <source>Source: cache, %1 old</source>
        <translation>Quelle: Cache, %1 alt</translation>
    </message>
    <message>
        <source>Source: stale, %1 old</source>
        <translation>Quelle: veraltet, %1 alt</translation>
    </message>
    <message>
        <source>Cache: %1 hits, %2 misses (%3% hit ratio), %4 loads (%5 failed), %6 coalesced, %7 stale serves, %8 entries, %9 bytes in memory</source>
        <translation>Cache: %1 Treffer, %2 Fehlschläge (%3 % Trefferquote), %4 Ladevorgänge (%5 fehlgeschlagen), %6 zusammengefasst, %7-mal veraltet ausgeliefert, %8 Einträge, %9 Bytes im Speicher</translation>
    </message>
    <message>
        <source>%1 from memory</source>
        <translation>%1 aus dem Speicher</translation>
    </message>
    <message>
        <source>%1 from the shared cache</source>
        <translation>%1 aus dem gemeinsamen Cache</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Answered: %1</source>
        <translation>Beantwortet: %1</translation>
    </message>
    <message>
        <source>Disk: %1 (%2 bytes)</source>
        <translation>Festplatte: %1 (%2 Bytes)</translation>
    </message>
    <message>
        <source>Daily: not available</source>
        <translation>Täglich: nicht verfügbar</translation>
    </message>
    <message>
        <source>Daily:</source>
        <translation>Täglich:</translation>
    </message>
    <message>
        <source>precipitation</source>
        <translation>Niederschlag</translation>
    </message>
    <message>
        <source>UV</source>
        <translation>UV</translation>
    </message>
    <message>
        <source>sun</source>
        <translation>Sonne</translation>
    </message>
    <message>
        <source>Hourly: not available</source>
        <translation>Stündlich: nicht verfügbar</translation>
    </message>
    <message>
        <source>Hourly:</source>
        <translation>Stündlich:</translation>
    </message>
    <message>
        <source>gusts</source>
        <translation>Böen</translation>
    </message>
    <message>
        <source>Precipitation</source>
        <translation>Niederschlag</translation>
    </message>
    <message>
        <source>Here · place name %1</source>
        <translation>Hier · Ortsname %1</translation>
    </message>
    <message>
        <source>Dew point</source>
        <translation>Taupunkt</translation>
    </message>
    <message>
        <source>Visibility</source>
        <translation>Sichtweite</translation>
    </message>
    <message>
        <source>Cloud cover</source>
        <translation>Bewölkung</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Search for a city, e.g. “London” or “Paris, FR”</source>
        <translation>Nach einer Stadt suchen, z. B. „London“ oder „Paris, FR“</translation>
    </message>
    <message>
        <source>Recent:</source>
        <translation>Zuletzt:</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>Show the weather in %1</source>
        <translation>Das Wetter in %1 anzeigen</translation>
    </message>
    <message>
        <source>Search for a city</source>
        <translation>Nach einer Stadt suchen</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>The running WeatherDash did not answer.</source>
        <translation>Das laufende WeatherDash hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>Another program answers on WeatherDash&apos;s socket.</source>
        <translation>Ein anderes Programm antwortet auf dem Socket von WeatherDash.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>%1 is a symbolic link or not a folder.</source>
        <translation>%1 ist ein symbolischer Link oder kein Ordner.</translation>
    </message>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>The folder %1 belongs to another user (uid %2).</source>
        <translation>Der Ordner %1 gehört einem anderen Benutzer (UID %2).</translation>
    </message>
    <message>
        <source>Cannot make the folder %1 private: %2</source>
        <translation>Der Ordner %1 kann nicht privat gemacht werden: %2</translation>
    </message>
    <message>
        <source>Other users can write to the folder %1.</source>
        <translation>Andere Benutzer können in den Ordner %1 schreiben.</translation>
    </message>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 ist kein Ordner.</translation>
    </message>
    <message>
        <source>Cannot tell who listens on %1; not handing anything over.</source>
        <translation>Es lässt sich nicht feststellen, wer an %1 lauscht; es wird nichts übergeben.</translation>
    </message>
    <message>
        <source>Another user (uid %1) listens on %2; not handing anything over.</source>
        <translation>Ein anderer Benutzer (UID %1) lauscht an %2; es wird nichts übergeben.</translation>
    </message>
</context>
<context>
    <name>SqliteTier</name>
    <message>
        <source>The disk cache is closed.</source>
        <translation>Der Festplatten-Cache ist geschlossen.</translation>
    </message>
</context>
<context>
    <name>StatusFormat</name>
    <message>
        <source>unknown format &quot;%1&quot;; use waybar, i3blocks or a template such as &apos;%l: %t %c&apos; (placeholders in the manual page).</source>
        <translation>unbekanntes Format „%1“; verwenden Sie waybar, i3blocks oder eine Vorlage wie &apos;%l: %t %c&apos; (Platzhalter in der Handbuchseite).</translation>
    </message>
    <message>
        <source>the format ends in a lone %; write %% for a percent sign.</source>
        <translation>das Format endet mit einem einzelnen %; schreiben Sie %% für ein Prozentzeichen.</translation>
    </message>
    <message>
        <source>%l  the place&apos;s name</source>
        <translation>%l  der Name des Ortes</translation>
    </message>
    <message>
        <source>%L  the place with region and country</source>
        <translation>%L  der Ort mit Region und Land</translation>
    </message>
    <message>
        <source>%t  the temperature</source>
        <translation>%t  die Temperatur</translation>
    </message>
    <message>
        <source>%f  the temperature it feels like</source>
        <translation>%f  die gefühlte Temperatur</translation>
    </message>
    <message>
        <source>%c  the condition as an emoji</source>
        <translation>%c  das Wetter als Emoji</translation>
    </message>
    <message>
        <source>%C  the condition in words</source>
        <translation>%C  das Wetter in Worten</translation>
    </message>
    <message>
        <source>%h  the relative humidity</source>
        <translation>%h  die relative Luftfeuchtigkeit</translation>
    </message>
    <message>
        <source>%w  the wind speed and direction</source>
        <translation>%w  Windgeschwindigkeit und -richtung</translation>
    </message>
    <message>
        <source>%P  the air pressure</source>
        <translation>%P  der Luftdruck</translation>
    </message>
    <message>
        <source>%p  the chance of rain in the coming hour (? without hourly data)</source>
        <translation>%p  die Regenwahrscheinlichkeit in der kommenden Stunde (? ohne stündliche Daten)</translation>
    </message>
    <message>
        <source>%%  a percent sign</source>
        <translation>%%  ein Prozentzeichen</translation>
    </message>
    <message>
        <source>(%1 min old)</source>
        <translation>(%1 min alt)</translation>
    </message>
    <message>
        <source>(%1 h old)</source>
        <translation>(%1 h alt)</translation>
    </message>
    <message>
        <source>(%1 d old)</source>
        <translation>(%1 Tg. alt)</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>nicht gefunden</translation>
    </message>
    <message>
        <source>no API key</source>
        <translation>kein API-Schlüssel</translation>
    </message>
    <message>
        <source>API key rejected</source>
        <translation>API-Schlüssel abgelehnt</translation>
    </message>
    <message>
        <source>rate limited</source>
        <translation>Anfragelimit erreicht</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>server error</source>
        <translation>Serverfehler</translation>
    </message>
    <message>
        <source>no secure connection</source>
        <translation>keine sichere Verbindung</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>%1, %2 (feels like %3)</source>
        <translation>%1, %2 (gefühlt %3)</translation>
    </message>
    <message>
        <source>Humidity %1 · Wind %2 · Pressure %3</source>
        <translation>Luftfeuchtigkeit %1 · Wind %2 · Luftdruck %3</translation>
    </message>
    <message>
        <source>Not updated %1: %2</source>
        <translation>Nicht aktualisiert %1: %2</translation>
    </message>
    <message>
        <source>%1 rain</source>
        <translation>%1 Regen</translation>
    </message>
    <message>
        <source>Next hours (time in %1):</source>
        <translation>Nächste Stunden (Uhrzeit in %1):</translation>
    </message>
    <message>
        <source>%A  the most severe live weather alert, +N for more (empty for none, ? when unknown)</source>
        <translation>%A  die schwerste aktuelle Wetterwarnung, +N für weitere (leer für keine, ? wenn unbekannt)</translation>
    </message>
    <message>
        <source>Air quality %1 · %2</source>
        <translation>Luftqualität %1 · %2</translation>
    </message>
    <message>
        <source>unknown placeholder %%1 in the format; known: %l %L %t %f %c %C %h %w %P %p %A %m %M %a %r %%.</source>
        <translation>unbekannter Platzhalter %%1 im Format; bekannt sind: %l %L %t %f %c %C %h %w %P %p %A %m %M %a %r %%.</translation>
    </message>
    <message>
        <source>%m  the moon&apos;s phase as an emoji</source>
        <translation>%m  die Mondphase als Emoji</translation>
    </message>
    <message>
        <source>%M  the moon&apos;s age in days since new moon</source>
        <translation>%M  das Mondalter in Tagen seit Neumond</translation>
    </message>
    <message>
        <source>%a  the European air-quality index and its band (? without one)</source>
        <translation>%a  der europäische Luftqualitätsindex und seine Stufe (? ohne ihn)</translation>
    </message>
    <message>
        <source>%r  rain in the next two hours, from the nowcast (? without one)</source>
        <translation>%r  Regen in den nächsten zwei Stunden, aus der Kurzfristvorhersage (? ohne sie)</translation>
    </message>
    <message>
        <source>Air quality %1 · %2 (US AQI)</source>
        <translation>Luftqualität %1 · %2 (US-AQI)</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>unknown temperature</source>
        <translation>unbekannte Temperatur</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1: %2, %3</translation>
    </message>
    <message>
        <source>Not updated: the last weather WeatherDash could get.</source>
        <translation>Nicht aktualisiert: das letzte Wetter, das WeatherDash abrufen konnte.</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Force Refresh</source>
        <translation>&amp;Neu abrufen (Cache umgehen)</translation>
    </message>
    <message>
        <source>&amp;Show/Hide Window</source>
        <translation>Fenster &amp;zeigen/verbergen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>⚠ %1: %2</source>
        <extracomment>The tray tooltip&apos;s line per alert: &quot;⚠ Severe: Gale warning&quot;</extracomment>
        <translation>⚠ %1: %2</translation>
    </message>
</context>
<context>
    <name>UseLocationButton</name>
    <message>
        <source>WeatherDash asks your desktop (GeoClue) where you are, and OpenStreetMap Nominatim once per kilometre for the place&apos;s name. Nothing guesses from your IP address.</source>
        <translation>WeatherDash fragt Ihre Arbeitsumgebung (GeoClue), wo Sie sind, und OpenStreetMap Nominatim einmal pro Kilometer nach dem Namen des Ortes. Nichts wird aus Ihrer IP-Adresse erraten.</translation>
    </message>
    <message>
        <source>Here: %1</source>
        <translation>Hier: %1</translation>
    </message>
    <message>
        <source>%1 (place name %2)</source>
        <translation>%1 (Ortsname %2)</translation>
    </message>
    <message>
        <source>Stop using my location</source>
        <translation>Meinen Standort nicht mehr verwenden</translation>
    </message>
    <message>
        <source>Use my location</source>
        <translation>Meinen Standort verwenden</translation>
    </message>
</context>
<context>
    <name>WeatherAlert</name>
    <message>
        <source>Extreme</source>
        <translation>Extrem</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>Schwer</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>Mäßig</translation>
    </message>
    <message>
        <source>Minor</source>
        <translation>Gering</translation>
    </message>
    <message>
        <source>Severity unknown</source>
        <translation>Schwere unbekannt</translation>
    </message>
</context>
<context>
    <name>WeatherCard</name>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
    <message>
        <source>✕</source>
        <translation>✕</translation>
    </message>
    <message>
        <source>No city yet</source>
        <translation>Noch keine Stadt</translation>
    </message>
    <message>
        <source>Type a city in the search field above and press Enter, or pick one of the suggestions.</source>
        <translation>Geben Sie oben im Suchfeld eine Stadt ein und drücken Sie die Eingabetaste, oder wählen Sie einen der Vorschläge.</translation>
    </message>
    <message>
        <source>Humidity</source>
        <translation>Luftfeuchtigkeit</translation>
    </message>
    <message>
        <source>Wind</source>
        <translation>Wind</translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation>Luftdruck</translation>
    </message>
    <message>
        <source>Coming days</source>
        <translation>Die nächsten Tage</translation>
    </message>
    <message>
        <source>The forecast is not available right now.</source>
        <translation>Die Vorhersage ist derzeit nicht verfügbar.</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n Min.</numerusform>
            <numerusform>vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n Std.</numerusform>
            <numerusform>vor %n Std.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Conditions unknown</source>
        <translation>Wetterlage unbekannt</translation>
    </message>
    <message>
        <source>Feels like %1</source>
        <translation>Gefühlt %1</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 aus %2</translation>
    </message>
    <message>
        <source>The weather provider&apos;s terms ask for this credit.</source>
        <translation>Die Nutzungsbedingungen des Wetteranbieters verlangen diesen Quellenhinweis.</translation>
    </message>
    <message>
        <source>Offline — showing data from %1</source>
        <translation>Offline — angezeigter Stand: %1</translation>
    </message>
    <message>
        <source>Not updated — showing data from %1</source>
        <translation>Nicht aktualisiert — angezeigter Stand: %1</translation>
    </message>
    <message>
        <source>Updated %1 · from cache</source>
        <translation>Aktualisiert %1 · aus dem Cache</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Aktualisiert %1</translation>
    </message>
    <message>
        <source> · retrying in %1</source>
        <translation> · neuer Versuch in %1</translation>
    </message>
    <message>
        <source> · next update in %1</source>
        <translation> · nächste Aktualisierung in %1</translation>
    </message>
    <message>
        <source>Show this place&apos;s answers in the cache panel</source>
        <translation>Die Antworten dieses Ortes im Cache-Statusbereich zeigen</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Wird geladen</translation>
    </message>
    <message>
        <source>Add to &amp;Places</source>
        <translation>Zu den &amp;Orten hinzufügen</translation>
    </message>
    <message>
        <source>Keep this place in the Places list, with its weather kept current</source>
        <translation>Diesen Ort in der Ortsliste behalten und sein Wetter aktuell halten</translation>
    </message>
    <message>
        <source>Weather icon</source>
        <translation>Wettersymbol</translation>
    </message>
    <message>
        <source>Air pressure reduced to sea level, as weather maps show it</source>
        <translation>Auf Meereshöhe reduzierter Luftdruck, wie ihn Wetterkarten zeigen</translation>
    </message>
    <message>
        <source>Gusts</source>
        <translation>Böen</translation>
    </message>
    <message>
        <source>Precipitation</source>
        <translation>Niederschlag</translation>
    </message>
    <message>
        <source>Sunrise / sunset</source>
        <translation>Sonnenaufgang / Sonnenuntergang</translation>
    </message>
    <message>
        <source>UV index today</source>
        <translation>UV-Index heute</translation>
    </message>
    <message>
        <source>Forecast for the coming days</source>
        <translation>Vorhersage für die nächsten Tage</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>Wetter</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>mäßig</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>very high</source>
        <translation>sehr hoch</translation>
    </message>
    <message>
        <source>extreme</source>
        <translation>extrem</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Local time in %1</source>
        <translation>Ortszeit in %1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Moon</source>
        <translation>Mond</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 % of the disc lit</source>
        <translation>%1 % der Scheibe beleuchtet</translation>
    </message>
    <message>
        <source>Dew point</source>
        <translation>Taupunkt</translation>
    </message>
    <message>
        <source>The temperature at which the air would be saturated: above about 16 °C it feels muggy</source>
        <translation>Die Temperatur, bei der die Luft gesättigt wäre: über etwa 16 °C fühlt es sich schwül an</translation>
    </message>
    <message>
        <source>Visibility</source>
        <translation>Sichtweite</translation>
    </message>
    <message>
        <source>How far one can see: under 1 km is fog</source>
        <translation>Wie weit man sieht: unter 1 km ist Nebel</translation>
    </message>
    <message>
        <source>Cloud cover</source>
        <translation>Bewölkung</translation>
    </message>
    <message>
        <source>How much of the sky the clouds cover</source>
        <translation>Wie viel des Himmels die Wolken bedecken</translation>
    </message>
    <message>
        <source>Day at %1</source>
        <translation>Tag in %1</translation>
    </message>
    <message>
        <source>Night at %1</source>
        <translation>Nacht in %1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <extracomment>The card&apos;s heading for a place the person renamed: &quot;Home — Tokyo, JP&quot;</extracomment>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>WeatherCondition</name>
    <message>
        <source>Clear sky</source>
        <translation>Klarer Himmel</translation>
    </message>
    <message>
        <source>Mainly clear</source>
        <translation>Überwiegend klar</translation>
    </message>
    <message>
        <source>Partly cloudy</source>
        <translation>Teilweise bewölkt</translation>
    </message>
    <message>
        <source>Overcast</source>
        <translation>Bedeckt</translation>
    </message>
    <message>
        <source>Fog</source>
        <translation>Nebel</translation>
    </message>
    <message>
        <source>Depositing rime fog</source>
        <translation>Nebel mit Reifablagerung</translation>
    </message>
    <message>
        <source>Light drizzle</source>
        <translation>Leichter Nieselregen</translation>
    </message>
    <message>
        <source>Moderate drizzle</source>
        <translation>Mäßiger Nieselregen</translation>
    </message>
    <message>
        <source>Dense drizzle</source>
        <translation>Starker Nieselregen</translation>
    </message>
    <message>
        <source>Light freezing drizzle</source>
        <translation>Leichter gefrierender Nieselregen</translation>
    </message>
    <message>
        <source>Dense freezing drizzle</source>
        <translation>Starker gefrierender Nieselregen</translation>
    </message>
    <message>
        <source>Slight rain</source>
        <translation>Leichter Regen</translation>
    </message>
    <message>
        <source>Moderate rain</source>
        <translation>Mäßiger Regen</translation>
    </message>
    <message>
        <source>Heavy rain</source>
        <translation>Starker Regen</translation>
    </message>
    <message>
        <source>Light freezing rain</source>
        <translation>Leichter gefrierender Regen</translation>
    </message>
    <message>
        <source>Heavy freezing rain</source>
        <translation>Starker gefrierender Regen</translation>
    </message>
    <message>
        <source>Slight snow fall</source>
        <translation>Leichter Schneefall</translation>
    </message>
    <message>
        <source>Moderate snow fall</source>
        <translation>Mäßiger Schneefall</translation>
    </message>
    <message>
        <source>Heavy snow fall</source>
        <translation>Starker Schneefall</translation>
    </message>
    <message>
        <source>Snow grains</source>
        <translation>Schneegriesel</translation>
    </message>
    <message>
        <source>Slight rain showers</source>
        <translation>Leichte Regenschauer</translation>
    </message>
    <message>
        <source>Moderate rain showers</source>
        <translation>Mäßige Regenschauer</translation>
    </message>
    <message>
        <source>Violent rain showers</source>
        <translation>Heftige Regenschauer</translation>
    </message>
    <message>
        <source>Slight snow showers</source>
        <translation>Leichte Schneeschauer</translation>
    </message>
    <message>
        <source>Heavy snow showers</source>
        <translation>Starke Schneeschauer</translation>
    </message>
    <message>
        <source>Thunderstorm</source>
        <translation>Gewitter</translation>
    </message>
    <message>
        <source>Thunderstorm with slight hail</source>
        <translation>Gewitter mit leichtem Hagel</translation>
    </message>
    <message>
        <source>Thunderstorm with heavy hail</source>
        <translation>Gewitter mit starkem Hagel</translation>
    </message>
    <message>
        <source>Unknown weather</source>
        <translation>Unbekanntes Wetter</translation>
    </message>
</context>
<context>
    <name>WeatherError</name>
    <message>
        <source>over a day</source>
        <translation>mehr als einem Tag</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 Sekunde</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 Sekunden</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 Minuten</translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation>%1 Stunden</translation>
    </message>
    <message>
        <source>The weather service</source>
        <translation>Der Wetterdienst</translation>
    </message>
    <message>
        <source>try again in %1</source>
        <translation>versuchen Sie es in %1 erneut</translation>
    </message>
    <message>
        <source>try again in a minute</source>
        <translation>versuchen Sie es in einer Minute erneut</translation>
    </message>
    <message>
        <source>No place called “%1” was found. Check the spelling, or add the country, for example “London, GB”.</source>
        <translation>Es wurde kein Ort namens „%1“ gefunden. Prüfen Sie die Schreibweise oder ergänzen Sie das Land, zum Beispiel „London, GB“.</translation>
    </message>
    <message>
        <source>That place was not found. Check the spelling, or add the country, for example “London, GB”.</source>
        <translation>Dieser Ort wurde nicht gefunden. Prüfen Sie die Schreibweise oder ergänzen Sie das Land, zum Beispiel „London, GB“.</translation>
    </message>
    <message>
        <source>%1 needs an API key. Enter your own key in the settings or set OPENWEATHERMAP_API_KEY.</source>
        <translation>%1 benötigt einen API-Schlüssel. Geben Sie Ihren eigenen Schlüssel in den Einstellungen ein oder setzen Sie OPENWEATHERMAP_API_KEY.</translation>
    </message>
    <message>
        <source>%1 rejected the API key. A new key can take up to two hours to become active.</source>
        <translation>%1 hat den API-Schlüssel abgelehnt. Ein neuer Schlüssel kann bis zu zwei Stunden brauchen, bis er aktiv ist.</translation>
    </message>
    <message>
        <source>%1 asked us to slow down; %2.</source>
        <translation>%1 bittet um weniger Anfragen; %2.</translation>
    </message>
    <message>
        <source>Could not reach %1. Check your internet connection.</source>
        <translation>%1 ist nicht erreichbar. Prüfen Sie Ihre Internetverbindung.</translation>
    </message>
    <message>
        <source>%1 did not answer in time. Try again in a moment.</source>
        <translation>%1 hat nicht rechtzeitig geantwortet. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>%1 is having problems right now (server error %2)</source>
        <translation>%1 hat gerade Probleme (Serverfehler %2)</translation>
    </message>
    <message>
        <source>%1 is having problems right now</source>
        <translation>%1 hat gerade Probleme</translation>
    </message>
    <message>
        <source>%1 sent an answer WeatherDash could not read. Try again later.</source>
        <translation>%1 hat eine Antwort gesendet, die WeatherDash nicht lesen konnte. Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>%1 sent an unexpectedly large answer, so WeatherDash stopped reading it.</source>
        <translation>%1 hat eine unerwartet große Antwort gesendet, daher hat WeatherDash das Lesen abgebrochen.</translation>
    </message>
    <message>
        <source>%1 did not accept the request.</source>
        <translation>%1 hat die Anfrage nicht angenommen.</translation>
    </message>
    <message>
        <source>%1 did not accept the request: %2</source>
        <translation>%1 hat die Anfrage nicht angenommen: %2</translation>
    </message>
    <message>
        <source>The server&apos;s certificate for %1 was not accepted (%2), so WeatherDash did not connect. Check that the computer&apos;s date and time are right and that nothing on the network intercepts secure connections.</source>
        <translation>Das Zertifikat des Servers für %1 wurde nicht akzeptiert (%2), daher hat WeatherDash keine Verbindung hergestellt. Prüfen Sie, ob Datum und Uhrzeit des Computers stimmen und ob nichts im Netzwerk sichere Verbindungen abfängt.</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be set up, so WeatherDash did not connect. Check that the computer&apos;s date and time are right and that nothing on the network intercepts secure connections.</source>
        <translation>Eine sichere Verbindung zu %1 konnte nicht aufgebaut werden, daher hat WeatherDash keine Verbindung hergestellt. Prüfen Sie, ob Datum und Uhrzeit des Computers stimmen und ob nichts im Netzwerk sichere Verbindungen abfängt.</translation>
    </message>
</context>
<context>
    <name>WeatherProvider</name>
    <message>
        <source>Type the name of a place.</source>
        <translation>Geben Sie den Namen eines Ortes ein.</translation>
    </message>
    <message>
        <source>That place name is too long; use at most %1 characters.</source>
        <translation>Dieser Ortsname ist zu lang; verwenden Sie höchstens %1 Zeichen.</translation>
    </message>
</context>
<context>
    <name>WeatherService</name>
    <message>
        <source>Search “%1”</source>
        <translation>Suche „%1“</translation>
    </message>
    <message>
        <source>%1 · current conditions</source>
        <translation>%1 · aktuelles Wetter</translation>
    </message>
    <message>
        <source>%1 · forecast</source>
        <translation>%1 · Vorhersage</translation>
    </message>
    <message>
        <source>%1 · hourly forecast</source>
        <translation>%1 · stündliche Vorhersage</translation>
    </message>
    <message>
        <source>%1 · weather alerts</source>
        <translation>%1 · Wetterwarnungen</translation>
    </message>
    <message>
        <source>Weather alert %1</source>
        <translation>Wetterwarnung %1</translation>
    </message>
    <message>
        <source>%1 · air quality</source>
        <translation>%1 · Luftqualität</translation>
    </message>
    <message>
        <source>%1 · rain soon</source>
        <translation>%1 · Regen bald</translation>
    </message>
</context>
<context>
    <name>WeatherSession</name>
    <message>
        <source>The weather service stopped answering.</source>
        <translation>Der Wetterdienst antwortet nicht mehr.</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>1 second</source>
        <translation>1 Sekunde</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 Sekunden</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 Minute</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation>%1 Stunden</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 Tage</translation>
    </message>
    <message>
        <source>A line for a status bar: waybar, i3blocks, or a template such as &apos;%l: %t %c&apos; (%l %L %t %f %c %C %h %w %P %p %%, see the manual page).</source>
        <translation>Eine Zeile für eine Statusleiste: waybar, i3blocks oder eine Vorlage wie &apos;%l: %t %c&apos; (%l %L %t %f %c %C %h %w %P %p %%, siehe Handbuchseite).</translation>
    </message>
    <message>
        <source>--format and --json do not go together; pick one.</source>
        <translation>--format und --json passen nicht zusammen; wählen Sie eines.</translation>
    </message>
    <message>
        <source>--format and --stats do not go together; pick one.</source>
        <translation>--format und --stats passen nicht zusammen; wählen Sie eines.</translation>
    </message>
    <message>
        <source>--format %1 shows one city; give one.</source>
        <translation>--format %1 zeigt eine Stadt; geben Sie eine an.</translation>
    </message>
    <message>
        <source>Prints the current weather for each CITY, through the same cache as the WeatherDash app. Run it as often as you like: within the TTL the answer comes from the cache and no request is made.</source>
        <translation>Gibt das aktuelle Wetter für jede STADT aus, über denselben Cache wie die WeatherDash-App. Rufen Sie es so oft auf, wie Sie möchten: Innerhalb der TTL kommt die Antwort aus dem Cache, und es wird keine Anfrage gestellt.</translation>
    </message>
    <message>
        <source>One JSON object per city, one per line.</source>
        <translation>Ein JSON-Objekt pro Stadt, eines pro Zeile.</translation>
    </message>
    <message>
        <source>metric (°C, km/h, hPa, mm) or imperial (°F, mph, inHg, in), and/or units per quantity, comma-separated: celsius, fahrenheit; kmh, ms, mph, kn, beaufort; hpa, inhg, mmhg; mm, in. E.g. metric,kn. Unnamed quantities keep the settings&apos; unit.</source>
        <translation>metric (°C, km/h, hPa, mm) oder imperial (°F, mph, inHg, in) und/oder Einheiten pro Größe, durch Kommas getrennt: celsius, fahrenheit; kmh, ms, mph, kn, beaufort; hpa, inhg, mmhg; mm, in. Z. B. metric,kn. Nicht genannte Größen behalten die Einheit aus den Einstellungen.</translation>
    </message>
    <message>
        <source>Also print the coming days (in --json always there).</source>
        <translation>Auch die nächsten Tage ausgeben (in --json immer enthalten).</translation>
    </message>
    <message>
        <source>Also print the next 48 hours (in --json always there).</source>
        <translation>Auch die nächsten 48 Stunden ausgeben (in --json immer enthalten).</translation>
    </message>
    <message>
        <source>How long current conditions stay fresh (1 to %1, a century).</source>
        <translation>Wie lange das aktuelle Wetter als aktuell gilt (1 bis %1, ein Jahrhundert).</translation>
    </message>
    <message>
        <source>Bypass the cache and ask the provider.</source>
        <translation>Den Cache umgehen und den Anbieter fragen.</translation>
    </message>
    <message>
        <source>Print the cache statistics at the end.</source>
        <translation>Am Ende die Cache-Statistik ausgeben.</translation>
    </message>
    <message>
        <source>Cache folder (else WEATHERDASH_CACHE_DIR, else the user cache).</source>
        <translation>Cache-Ordner (sonst WEATHERDASH_CACHE_DIR, sonst der Cache des Benutzers).</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 ist leer.</translation>
    </message>
    <message>
        <source>OpenWeatherMap key (else settings, else OPENWEATHERMAP_API_KEY). Other users can see a command line: prefer --api-key-file or the variable.</source>
        <translation>OpenWeatherMap-Schlüssel (sonst Einstellungen, sonst OPENWEATHERMAP_API_KEY). Andere Benutzer können eine Befehlszeile sehen: Verwenden Sie lieber --api-key-file oder die Variable.</translation>
    </message>
    <message>
        <source>Read the OpenWeatherMap key from &lt;file&gt;.</source>
        <translation>Den OpenWeatherMap-Schlüssel aus &lt;file&gt; lesen.</translation>
    </message>
    <message>
        <source>Share the cache through Redis (redis://[user:password@]host:port/db or unix:///path/redis.sock; else WEATHERDASH_REDIS_URL, else settings). Other users can see a command line: give a password with --redis-password-file.</source>
        <translation>Den Cache über Redis teilen (redis://[user:password@]host:port/db oder unix:///path/redis.sock; sonst WEATHERDASH_REDIS_URL, sonst Einstellungen). Andere Benutzer können eine Befehlszeile sehen: Geben Sie ein Passwort mit --redis-password-file an.</translation>
    </message>
    <message>
        <source>Read the Redis password from &lt;file&gt;.</source>
        <translation>Das Redis-Passwort aus &lt;file&gt; lesen.</translation>
    </message>
    <message>
        <source>weatherdash-cli: warning: other users of this computer can read a command line; the secret in it is blanked now, but use --api-key-file, --redis-password-file or the environment instead.</source>
        <translation>weatherdash-cli: Warnung: Andere Benutzer dieses Computers können eine Befehlszeile lesen; das Geheimnis darin ist jetzt unkenntlich gemacht, aber verwenden Sie stattdessen --api-key-file, --redis-password-file oder die Umgebung.</translation>
    </message>
    <message>
        <source>No shared cache this time: %1</source>
        <translation>Diesmal kein gemeinsamer Cache: %1</translation>
    </message>
    <message>
        <source>--redis-password-file needs a Redis address (--redis, WEATHERDASH_REDIS_URL or the settings).</source>
        <translation>--redis-password-file braucht eine Redis-Adresse (--redis, WEATHERDASH_REDIS_URL oder die Einstellungen).</translation>
    </message>
    <message>
        <source>%1 (default, no key)</source>
        <translation>%1 (Standard, kein Schlüssel)</translation>
    </message>
    <message>
        <source>%1 (needs an API key)</source>
        <translation>%1 (braucht einen API-Schlüssel)</translation>
    </message>
    <message>
        <source>%1 (no key)</source>
        <translation>%1 (kein Schlüssel)</translation>
    </message>
    <message>
        <source>The weather provider: %1.</source>
        <translation>Der Wetteranbieter: %1.</translation>
    </message>
    <message>
        <source>The weather where you are (GeoClue, or the NMEA log in WEATHERDASH_NMEA_FILE).</source>
        <translation>Das Wetter dort, wo Sie sind (GeoClue oder das NMEA-Protokoll in WEATHERDASH_NMEA_FILE).</translation>
    </message>
    <message>
        <source>Seconds to wait for --here&apos;s position (default 5).</source>
        <translation>Sekunden, die auf die Position für --here gewartet wird (Standard 5).</translation>
    </message>
    <message>
        <source>--here-timeout takes a number of seconds from 1 to 300.</source>
        <translation>--here-timeout erwartet eine Zahl von Sekunden zwischen 1 und 300.</translation>
    </message>
    <message>
        <source>Keep running: print the city&apos;s line (--format, else &apos;%l: %t %C&apos;) at once and again whenever any WeatherDash process renews that answer, and when it turns stale. For status bars, instead of an interval.</source>
        <translation>Weiterlaufen: die Zeile der Stadt (--format, sonst &apos;%l: %t %C&apos;) sofort ausgeben und wieder, sobald irgendein WeatherDash-Prozess diese Antwort erneuert und wenn sie veraltet. Für Statusleisten, statt eines Intervalls.</translation>
    </message>
    <message>
        <source>--watch prints a status line; --json, --stats, --daily, --hourly, --force-refresh and --here do not go with it.</source>
        <translation>--watch gibt eine Statuszeile aus; --json, --stats, --daily, --hourly, --force-refresh und --here passen nicht dazu.</translation>
    </message>
    <message>
        <source>--watch shows one city; give one.</source>
        <translation>--watch zeigt eine Stadt; geben Sie eine an.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Read and write settings in &lt;file&gt;.</source>
        <translation>Einstellungen in &lt;file&gt; lesen und schreiben.</translation>
    </message>
    <message>
        <source>Current weather and forecast, with a live cache view.</source>
        <translation>Aktuelles Wetter und Vorhersage, mit Live-Ansicht des Caches.</translation>
    </message>
    <message>
        <source>No shared cache this time: %1</source>
        <translation>Diesmal kein gemeinsamer Cache: %1</translation>
    </message>
    <message>
        <source>Weather is kept in memory only this time: %1</source>
        <translation>Wetterdaten werden diesmal nur im Arbeitsspeicher gehalten: %1</translation>
    </message>
    <message>
        <source>Open a window of its own even when WeatherDash is running (e.g. with --settings for a second profile).</source>
        <translation>Ein eigenes Fenster öffnen, auch wenn WeatherDash schon läuft (z. B. mit --settings für ein zweites Profil).</translation>
    </message>
    <message>
        <source>Show the weather for &lt;city&gt;; a WeatherDash already running shows it in its window.</source>
        <translation>Das Wetter für &lt;city&gt; zeigen; ein bereits laufendes WeatherDash zeigt es in seinem Fenster.</translation>
    </message>
</context>
</TS>
