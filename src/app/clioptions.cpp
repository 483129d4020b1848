// SPDX-License-Identifier: MIT
#include "clioptions.h"
#include "clirun.h" // Run::kHereQuery

#include "clioutput.h"
#include "store/persistentstore.h"
#include "weather/providerfactory.h"
#include "weather/redisurl.h"
#include "weather/settings.h"
#include "weather/units.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Cli {

namespace {

/** --ttl: at most a century, the cache's own bound for "never expires". */
constexpr qint64 kMaxTtlSeconds = 100LL * 365 * 24 * 3600;

/** Overwrites [from, to) with 'x'; true when there was something to overwrite. */
bool blank(char *from, char *to)
{
    if (from >= to)
        return false;
    std::memset(from, 'x', size_t(to - from));
    return true;
}

/** The password in a Redis URL ("redis://user:PASSWORD@host", "unix://PASSWORD@/path"). */
bool blankUrlPassword(char *url)
{
    char *start = std::strstr(url, "://");
    char *at = std::strrchr(url, '@'); // the last: a password may hold a raw '@'
    if (!start || !at || at < start + 3)
        return false;
    start += 3;
    // "user:password@" or "password@" (Redis's requirepass alone).
    char *colon = static_cast<char *>(std::memchr(start, ':', size_t(at - start)));
    return blank(colon ? colon + 1 : start, at);
}

/** The first line of `path`, trimmed: a key or a password kept in a file of its own. */
std::optional<QString> secretFromFile(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = QCoreApplication::translate("cli", "cannot read %1: %2")
                   .arg(terminalSafe(path), file.errorString());
        return std::nullopt;
    }
    const QString secret = QString::fromUtf8(file.readLine(64 * 1024)).trimmed();
    if (secret.isEmpty()) {
        *why = QCoreApplication::translate("cli", "%1 is empty.").arg(terminalSafe(path));
        return std::nullopt;
    }
    return secret;
}

} // namespace

CommandLine takeCommandLine(int argc, char *argv[])
{
    CommandLine line;
    for (int i = 0; i < argc; ++i)
        line.arguments << QString::fromLocal8Bit(argv[i]);
    for (int i = 1; i < argc; ++i) {
        char *arg = argv[i];
        if (std::strcmp(arg, "--") == 0)
            break;
        for (const auto &[option, isUrl] :
             {std::pair{"--api-key", false}, std::pair{"--redis", true}}) {
            const size_t length = std::strlen(option);
            if (std::strncmp(arg, option, length) != 0)
                continue;
            char *value = nullptr;
            if (arg[length] == '=')
                value = arg + length + 1;
            else if (arg[length] == '\0' && i + 1 < argc)
                value = argv[++i];
            if (value)
                line.hadSecret
                    |= isUrl ? blankUrlPassword(value) : blank(value, value + std::strlen(value));
            break;
        }
    }
    return line;
}

std::variant<Options, int> parseOptions(const CommandLine &commandLine)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "cli",
        "Prints the current weather for each CITY, through the same cache as the WeatherDash "
        "app. Run it as often as you like: within the TTL the answer comes from the cache and "
        "no request is made."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption json(
        u"json"_s, QCoreApplication::translate("cli", "One JSON object per city, one per line."));
    QStringList providerChoices;
    for (const ProviderInfo &info : providers()) {
        providerChoices << (info.id == defaultProviderId() && !info.requiresKey
                                ? QCoreApplication::translate("cli", "%1 (default, no key)")
                            : info.requiresKey
                                ? QCoreApplication::translate("cli", "%1 (needs an API key)")
                                : QCoreApplication::translate("cli", "%1 (no key)"))
                               .arg(info.id);
    }
    const QCommandLineOption provider(
        u"provider"_s,
        QCoreApplication::translate("cli", "The weather provider: %1.")
            .arg(providerChoices.join(u", "_s)),
        u"name"_s);
    const QCommandLineOption units(
        u"units"_s,
        QCoreApplication::translate(
            "cli", "metric (°C, km/h, hPa, mm) or imperial (°F, mph, inHg, in), and/or units per "
                   "quantity, comma-separated: celsius, fahrenheit; kmh, ms, mph, kn, beaufort; "
                   "hpa, inhg, "
                   "mmhg; mm, in. E.g. metric,kn. Unnamed quantities keep the settings' unit."),
        u"units"_s);
    const QCommandLineOption daily(
        u"daily"_s,
        QCoreApplication::translate("cli", "Also print the coming days (in --json always there)."));
    const QCommandLineOption hourly(
        u"hourly"_s, QCoreApplication::translate(
                         "cli", "Also print the next 48 hours (in --json always there)."));
    const QCommandLineOption apiKey(
        u"api-key"_s,
        QCoreApplication::translate("cli", "OpenWeatherMap key (else settings, else "
                                           "OPENWEATHERMAP_API_KEY). Other users can see a command "
                                           "line: prefer --api-key-file or the variable."),
        u"key"_s);
    const QCommandLineOption apiKeyFile(
        u"api-key-file"_s,
        QCoreApplication::translate("cli", "Read the OpenWeatherMap key from <file>."), u"file"_s);
    const QCommandLineOption ttl(
        u"ttl"_s,
        QCoreApplication::translate("cli",
                                    "How long current conditions stay fresh (1 to %1, a century).")
            .arg(kMaxTtlSeconds),
        u"seconds"_s);
    const QCommandLineOption force(
        u"force-refresh"_s,
        QCoreApplication::translate("cli", "Bypass the cache and ask the provider."));
    const QCommandLineOption stats(
        u"stats"_s, QCoreApplication::translate("cli", "Print the cache statistics at the end."));
    const QCommandLineOption cacheDir(
        u"cache-dir"_s,
        QCoreApplication::translate(
            "cli", "Cache folder (else WEATHERDASH_CACHE_DIR, else the user cache)."),
        u"dir"_s);
    const QCommandLineOption redis(
        u"redis"_s,
        QCoreApplication::translate(
            "cli", "Share the cache through Redis (redis://[user:password@]host:port/db or "
                   "unix:///path/redis.sock; else WEATHERDASH_REDIS_URL, else settings). "
                   "Other users can see a command line: give a password with "
                   "--redis-password-file."),
        u"url"_s);
    const QCommandLineOption redisPasswordFile(
        u"redis-password-file"_s,
        QCoreApplication::translate("cli", "Read the Redis password from <file>."), u"file"_s);
    const QCommandLineOption format(
        u"format"_s,
        QCoreApplication::translate("cli",
                                    "A line for a status bar: waybar, i3blocks, or a template "
                                    "such as '%l: %t %c' (%l %L %t %f %c %C %h %w %P %p %%, see "
                                    "the manual page)."),
        u"format"_s);
    parser.addOptions({json, provider, units, daily, hourly, apiKey, apiKeyFile, ttl, force, stats,
                       cacheDir, redis, redisPasswordFile, format});
    // --- "Here" (issue 24) ---
    const QCommandLineOption here(
        u"here"_s, QCoreApplication::translate("cli", "The weather where you are (GeoClue, or the "
                                                      "NMEA log in WEATHERDASH_NMEA_FILE)."));
    const QCommandLineOption hereTimeout(
        u"here-timeout"_s,
        QCoreApplication::translate("cli", "Seconds to wait for --here's position (default 5)."),
        u"seconds"_s, u"5"_s);
    parser.addOptions({here, hereTimeout});
    // --- --watch (issue 25) ---
    const QCommandLineOption watch(
        u"watch"_s,
        QCoreApplication::translate(
            "cli", "Keep running: print the city's line (--format, else '%l: %t %C') at once and "
                   "again whenever any WeatherDash process renews that answer, and when it "
                   "turns stale. For status bars, instead of an interval."));
    parser.addOption(watch);
    parser.addPositionalArgument(u"CITY"_s, u"City names, e.g. Berlin \"London, GB\"."_s,
                                 u"CITY..."_s);
    // parse(), not process(): process() exits with 1 on an unknown option, we promise 2.
    if (!parser.parse(commandLine.arguments))
        return usageError(terminalSafe(parser.errorText()));
    if (commandLine.hadSecret)
        complain(QCoreApplication::translate(
            "cli", "weatherdash-cli: warning: other users of this computer can read a command "
                   "line; the secret in it is blanked now, but use --api-key-file, "
                   "--redis-password-file or the environment instead."));
    if (parser.isSet(help))
        parser.showHelp(ExitOk);
    if (parser.isSet(version))
        parser.showVersion();

    QStringList cities = parser.positionalArguments();
    if (parser.isSet(here)) // "Here" (issue 24): first, like a city
        cities.prepend(Run::kHereQuery);
    int hereTimeoutSeconds = 5;
    if (parser.isSet(here)) {
        bool ok = false;
        hereTimeoutSeconds = parser.value(hereTimeout).toInt(&ok);
        if (!ok || hereTimeoutSeconds < 1 || hereTimeoutSeconds > 300)
            return usageError(QCoreApplication::translate(
                "cli", "--here-timeout takes a number of seconds from 1 to 300."));
    }
    if (cities.isEmpty() && !parser.isSet(stats))
        return usageError(u"no city given. Try: weatherdash-cli Berlin"_s);

    std::optional<StatusFormat> statusFormat;
    if (parser.isSet(watch)) {
        if (parser.isSet(json) || parser.isSet(stats) || parser.isSet(daily) || parser.isSet(hourly)
            || parser.isSet(force) || parser.isSet(here))
            return usageError(QCoreApplication::translate(
                "cli", "--watch prints a status line; --json, --stats, --daily, --hourly, "
                       "--force-refresh and --here do not go with it."));
        if (cities.size() != 1)
            return usageError(
                QCoreApplication::translate("cli", "--watch shows one city; give one."));
        if (!parser.isSet(format)) {
            QString why;
            statusFormat = StatusFormat::parse(u"%l: %t %C"_s, &why);
        }
    }
    if (parser.isSet(format)) {
        QString why;
        statusFormat = StatusFormat::parse(parser.value(format), &why);
        if (!statusFormat)
            return usageError(why);
        if (parser.isSet(json))
            return usageError(QCoreApplication::translate(
                "cli", "--format and --json do not go together; pick one."));
        if (parser.isSet(stats)) // a status bar reads one line
            return usageError(QCoreApplication::translate(
                "cli", "--format and --stats do not go together; pick one."));
        if (statusFormat->isSinglePlace() && cities.size() > 1)
            return usageError(
                QCoreApplication::translate("cli", "--format %1 shows one city; give one.")
                    .arg(parser.value(format)));
    }

    Settings settings;
    ServiceConfig config = settings.serviceConfig();
    if (parser.isSet(provider)) {
        const QString p = parser.value(provider).toLower();
        if (!findProvider(p)) {
            QStringList ids;
            for (const ProviderInfo &info : providers())
                ids << info.id;
            return usageError(u"unknown provider \"%1\"; use %2."_s.arg(
                echo(parser.value(provider)), ids.join(u" or "_s)));
        }
        config.providerId = p;
    }
    if (parser.isSet(units)) {
        // Left to right on top of the settings: "imperial,hpa" is imperial with hPa.
        UnitSet chosen = config.units;
        const QStringList tokens = parser.value(units).split(u',');
        for (const QString &token : tokens) {
            if (!applyUnitToken(token, chosen)) {
                return usageError(
                    u"unknown units \"%1\"; use metric, imperial, or celsius, fahrenheit, kmh, "
                    "ms, mph, kn, beaufort, hpa, inhg, mmhg, mm, in."_s.arg(echo(token)));
            }
        }
        config.units = chosen;
    }
    if (parser.isSet(apiKey))
        config.apiKey = parser.value(apiKey).trimmed();
    if (parser.isSet(apiKeyFile)) {
        QString why;
        const std::optional<QString> key = secretFromFile(parser.value(apiKeyFile), &why);
        if (!key)
            return usageError(u"--api-key-file: "_s + why);
        config.apiKey = *key;
    }
    if (parser.isSet(ttl)) {
        bool ok = false;
        const qint64 seconds = parser.value(ttl).toLongLong(&ok);
        // Checked before multiplying: 9223372036854775807 s is no TTL, and no overflow.
        if (!ok || seconds <= 0 || seconds > kMaxTtlSeconds) {
            return usageError(
                u"--ttl takes a whole number of seconds from 1 to %1 (a century)."_s.arg(
                    kMaxTtlSeconds));
        }
        config.currentTtlMs = seconds * 1000;
    }

    const QString redisText
        = parser.isSet(redis) ? parser.value(redis).trimmed() : settings.sharedCacheUrl();
    std::optional<RedisUrl> redisUrl;
    QString sharedOff; // a bad address from the settings or the environment costs sharing only
    if (!redisText.isEmpty()) {
        QString why;
        redisUrl = WeatherStack::sharedCacheUrl(redisText, settings, &why);
        if (!redisUrl && parser.isSet(redis)) // the sentence never quotes a password
            return usageError(terminalSafe(why));
        if (!redisUrl)
            sharedOff
                = QCoreApplication::translate("cli", "No shared cache this time: %1").arg(why);
    }
    if (parser.isSet(redisPasswordFile)) {
        if (!redisUrl)
            return usageError(QCoreApplication::translate(
                "cli", "--redis-password-file needs a Redis address (--redis, "
                       "WEATHERDASH_REDIS_URL or the settings)."));
        QString why;
        const std::optional<QString> password
            = secretFromFile(parser.value(redisPasswordFile), &why);
        if (!password)
            return usageError(u"--redis-password-file: "_s + why);
        redisUrl->password = *password;
    }

    Options options;
    options.cities = cities;
    options.airQualityScale = settings.airQualityScale();
    options.here = parser.isSet(here);
    options.hereTimeoutSeconds = hereTimeoutSeconds;
    options.json = parser.isSet(json);
    options.force = parser.isSet(force);
    options.stats = parser.isSet(stats);
    options.daily = parser.isSet(daily);
    options.hourly = parser.isSet(hourly);
    options.statusFormat = statusFormat;
    options.watch = parser.isSet(watch);
    options.stack.config = config;
    options.stack.cacheDirectory
        = parser.isSet(cacheDir) ? parser.value(cacheDir) : PersistentStore::defaultDirectory();
    options.stack.sharedCache = redisUrl;
    options.stack.sharedLeaseMs = settings.sharedCacheLeaseMs();
    options.sharedOff = sharedOff;
    return options;
}

} // namespace Cli
