// SPDX-License-Identifier: MIT
// weatherdash-cli: the weather for scripts and status bars, from the same cache as the app.
#include "position/herelocator.h" // "Here" (issue 24)
#include "position/positionsource.h"
#include "store/persistentstore.h"
#include "store/redisurl.h"
#include "store/sharedcache.h"
#include "store/sqlitetier.h"
#include "weather/reversegeocoder.h"
#include "weather/settings.h"
#include "weather/statusformat.h"
#include "weather/translations.h"
#include "weather/weatherprovider.h"
#include "weather/weatherservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__SANITIZE_ADDRESS__)
#define WEATHERDASH_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEATHERDASH_LSAN 1
#endif
#endif
#ifdef WEATHERDASH_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using namespace Qt::StringLiterals;

namespace {

enum ExitCode { ExitOk = 0, ExitNotAnswered = 1, ExitUsage = 2 };

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

/** Longest a city (or any echo of user input) appears in a message; the rest is "…". */
constexpr qsizetype kMaxEchoLength = 60;
/** How far ahead --hourly and the JSON's `hourly` go. */
constexpr int kHourlyHours = 48;
/** --ttl: at most a century, the cache's own bound for "never expires". */
constexpr qint64 kMaxTtlSeconds = 100LL * 365 * 24 * 3600;

/** Directional formatting that can make text read differently from what it is (U+202E ...). */
bool isBidiControl(char16_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
           || (c >= 0x2066 && c <= 0x2069);
}

/**
 * Text from outside (a provider, a server, the command line) made safe for a terminal: no
 * escape sequences, bells, carriage returns or C1 controls (all of which a terminal obeys),
 * no bidi overrides or isolates; line breaks and tabs become spaces, runs of space one space.
 */
QString terminalSafe(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n' || u == u'\r' || u == u'\t' || u == u'\v' || u == u'\f' || u == 0x0085
            || u == 0x2028 || u == 0x2029)
            safe.append(u' ');
        else if (c.category() == QChar::Other_Control || isBidiControl(u))
            continue;
        else
            safe.append(c);
    }
    return safe.simplified();
}

/**
 * Compact JSON with the characters QJsonDocument leaves raw but a terminal acts on (DEL, C1
 * controls, bidi controls, line and paragraph separators) written as \uXXXX: the same JSON
 * value, safe to print. They can only occur inside strings, so escaping them is exact.
 */
QByteArray terminalSafeJson(const QJsonObject &object)
{
    const QString json = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    QString safe;
    safe.reserve(json.size());
    for (const QChar c : json) {
        const char16_t u = c.unicode();
        if (u == 0x7F || (u >= 0x80 && u <= 0x9F) || isBidiControl(u) || u == 0x2028 || u == 0x2029)
            safe += u"\\u"_s + QString::number(u, 16).rightJustified(4, u'0');
        else
            safe.append(c);
    }
    return safe.toUtf8();
}

/** User input echoed in a message: terminal-safe, and at most kMaxEchoLength characters. */
QString echo(const QString &text)
{
    QString safe = terminalSafe(text);
    if (safe.size() <= kMaxEchoLength)
        return safe;
    qsizetype cut = kMaxEchoLength;
    if (safe.at(cut - 1).isHighSurrogate())
        --cut;
    return safe.left(cut) + u'…';
}

/** One line on stderr, at once (a script reading it sees each problem as it happens). */
void complain(const QString &line)
{
    err() << line << '\n';
    err().flush();
}

/** A usage error: the message, the usual hint, exit status 2. */
int usageError(const QString &message)
{
    complain(u"weatherdash-cli: "_s + message);
    complain(u"Try 'weatherdash-cli --help' for more information."_s);
    return 2;
}

/**
 * The command line as typed, for the parser, and whether a secret was in it. Every user of
 * the computer can read a process's arguments (ps, /proc/PID/cmdline), so a secret given
 * there (--api-key KEY, a password in --redis URL) is overwritten with 'x' in the process's
 * own argument memory as the first thing main() does, as mysql does: from then on ps shows
 * "xxxx". The copy here is what the options are read from.
 */
struct CommandLine
{
    QStringList arguments;
    bool hadSecret = false;
};

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

/** "1 minute", "3 hours": English plurals without a translation file. */
QString humanAge(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return s == 1 ? QCoreApplication::translate("cli", "1 second")
                      : QCoreApplication::translate("cli", "%1 seconds").arg(s);
    if (s < 3600)
        return s / 60 == 1 ? QCoreApplication::translate("cli", "1 minute")
                           : QCoreApplication::translate("cli", "%1 minutes").arg(s / 60);
    if (s < 48 * 3600)
        return s / 3600 == 1 ? QCoreApplication::translate("cli", "1 hour")
                             : QCoreApplication::translate("cli", "%1 hours").arg(s / 3600);
    return QCoreApplication::translate("cli", "%1 days").arg(s / 86400);
}

QString sourceName(AnswerSource source)
{
    switch (source) {
    case AnswerSource::Network:
        return u"network"_s;
    case AnswerSource::Cache:
        return u"cache"_s;
    case AnswerSource::Stale:
        return u"stale"_s;
    }
    return {};
}

QString number(const std::optional<double> &v, int decimals = 1)
{
    return v ? QString::number(*v, 'f', decimals) : u"?"_s;
}

QJsonValue jsonNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject toJson(const Location &l)
{
    return {{u"name"_s, l.name},         {u"region"_s, l.region},
            {u"country"_s, l.country},   {u"country_code"_s, l.countryCode},
            {u"latitude"_s, l.latitude}, {u"longitude"_s, l.longitude},
            {u"timezone"_s, l.timezone}, {u"display_name"_s, l.displayName()}};
}

/** A time in the place's own offset ("2026-06-15T14:00:00+02:00"), UTC ("…Z") without one. */
QJsonValue jsonTime(const QDateTime &utc, std::optional<int> offsetSeconds)
{
    if (!utc.isValid())
        return QJsonValue(QJsonValue::Null);
    const QDateTime t = offsetSeconds ? utc.toOffsetFromUtc(*offsetSeconds) : utc.toUTC();
    return t.toString(Qt::ISODate);
}

/** "14:00" in the place's own time. */
QString placeClock(const QDateTime &utc, std::optional<int> offsetSeconds)
{
    if (!utc.isValid())
        return u"?"_s;
    return utc.toUTC().addSecs(offsetSeconds.value_or(0)).toString(u"HH:mm"_s);
}

QJsonObject toJson(const CurrentConditions &c, std::optional<int> offsetSeconds)
{
    return {{u"temperature"_s, jsonNumber(c.temperature)},
            {u"feels_like"_s, jsonNumber(c.feelsLike)},
            {u"humidity"_s, jsonNumber(c.humidity)},
            {u"pressure"_s, jsonNumber(c.pressure)},
            {u"wind_speed"_s, jsonNumber(c.windSpeed)},
            {u"wind_direction"_s, jsonNumber(c.windDirection)},
            {u"wind_gusts"_s, jsonNumber(c.windGusts)},
            {u"precipitation"_s, jsonNumber(c.precipitation)},
            {u"sunrise"_s, jsonTime(c.sunrise, offsetSeconds)},
            {u"sunset"_s, jsonTime(c.sunset, offsetSeconds)},
            {u"description"_s, c.description},
            {u"condition"_s, weatherConditionToString(c.condition)},
            {u"icon"_s, c.iconName()},
            {u"is_day"_s, c.isDay},
            {u"observed_at"_s, c.observationTime.isValid()
                                   ? QJsonValue(c.observationTime.toString(Qt::ISODate))
                                   : QJsonValue(QJsonValue::Null)}};
}

QJsonObject toJson(const DailyForecast &d)
{
    return {{u"date"_s, d.date.toString(Qt::ISODate)},
            {u"min"_s, jsonNumber(d.minTemp)},
            {u"max"_s, jsonNumber(d.maxTemp)},
            {u"condition"_s, weatherConditionToString(d.condition)},
            {u"description"_s, d.description},
            {u"precipitation_sum"_s, jsonNumber(d.precipitationSum)},
            {u"precipitation_probability_max"_s, jsonNumber(d.precipitationProbabilityMax)},
            {u"sunrise"_s, jsonTime(d.sunrise, d.utcOffsetSeconds)},
            {u"sunset"_s, jsonTime(d.sunset, d.utcOffsetSeconds)},
            {u"uv_index_max"_s, jsonNumber(d.uvIndexMax)}};
}

QJsonObject toJson(const HourlyForecast &h)
{
    return {{u"time"_s, jsonTime(h.time, h.utcOffsetSeconds)},
            {u"period_hours"_s, h.periodHours},
            {u"temperature"_s, jsonNumber(h.temperature)},
            {u"precipitation_probability"_s, jsonNumber(h.precipitationProbability)},
            {u"precipitation"_s, jsonNumber(h.precipitation)},
            {u"condition"_s, weatherConditionToString(h.condition)},
            {u"description"_s, h.description}};
}

/** "metric", "imperial", or "custom" for a mix; the unit of each quantity beside it. */
QString unitsName(const UnitSet &units)
{
    const auto preset = units.matchingPreset();
    return preset ? unitsToString(*preset) : u"custom"_s;
}

QJsonObject unitSymbols(const UnitSet &units)
{
    return {{u"temperature"_s, temperatureUnitText(units.temperature)},
            {u"wind_speed"_s, windSpeedUnitText(units.windSpeed)},
            {u"pressure"_s, pressureUnitText(units.pressure)},
            {u"precipitation"_s, precipitationUnitText(units.precipitation)}};
}

QJsonObject toJson(const WeatherError &e)
{
    QJsonObject o{{u"kind"_s, WeatherError::kindName(e.kind())}, {u"message"_s, e.message()}};
    if (e.retryAfter() >= 0)
        o.insert(u"retry_after_seconds"_s, e.retryAfter());
    return o;
}

QJsonObject toJson(const CacheStats &s)
{
    return {{u"hits"_s, qint64(s.hits)},
            {u"misses"_s, qint64(s.misses)},
            {u"hit_ratio"_s, s.hitRatio()},
            {u"stale_serves"_s, qint64(s.staleServes)},
            {u"negative_hits"_s, qint64(s.negativeHits)},
            {u"loads_succeeded"_s, qint64(s.loadsSucceeded)},
            {u"loads_failed"_s, qint64(s.loadsFailed)},
            {u"coalesced"_s, qint64(s.coalesced)},
            {u"expirations"_s, qint64(s.expirations)},
            {u"evictions"_s, qint64(s.evictions)},
            {u"mean_load_ms"_s, s.meanLoadTimeMs()},
            {u"max_load_ms"_s, s.maxLoadTimeMs},
            {u"entries"_s, s.entries},
            {u"bytes"_s, s.bytes}};
}

/** Where the answers came from: memory, each tier by name, the provider. */
QJsonObject toJson(const LayeredCacheStats &s)
{
    QJsonObject o{{u"memory"_s, qint64(s.memoryAnswers)},
                  {u"provider"_s, qint64(s.loaderAnswers)},
                  {u"provider_failures"_s, qint64(s.loaderFailures)}};
    for (const TierStats &t : s.tiers)
        o.insert(t.name, qint64(t.hits));
    return o;
}

/** Looks up the cities one after another and prints each as it is answered. */
class Run : public QObject
{
public:
    Run(WeatherService *service, SqliteTier *disk, QStringList cities, bool json, bool force,
        bool stats, bool daily, bool hourly)
        : m_service(service)
        , m_disk(disk)
        , m_cities(std::move(cities))
        , m_json(json)
        , m_force(force)
        , m_stats(stats)
        , m_daily(daily || json)
        , m_hourly(hourly || json)
    { }

    void start() { next(); }
    // --- "Here" (issue 24): the city kHereQuery is the position's place, found by `lookup` ---
    static inline const QString kHereQuery = QStringLiteral("--here");
    using HereLookup = std::function<QFuture<WeatherAnswer<QList<Location>>>()>;
    void setHere(HereLookup lookup) { m_here = std::move(lookup); }
    /** --format: each city's answer becomes a status-bar line instead. */
    /** A status-bar line; its tooltip's next hours and %p come from the hourly entry. */
    void setStatusFormat(const StatusFormat &format)
    {
        m_format = format;
        m_hourly = true;
    }

private:
    void next()
    {
        if (m_index >= m_cities.size()) {
            finish();
            return;
        }
        const QString city = m_cities.at(m_index++);
        (city == kHereQuery && m_here ? m_here() : m_service->searchLocations(city, m_force))
            .then(this, [this, city](const WeatherAnswer<QList<Location>> &found) {
                if (!found.ok() || found.value->isEmpty()) {
                    report(city, nullptr, {}, found.error, nullptr);
                    next();
                    return;
                }
                const QList<Location> candidates = *found.value;
                m_service->current(candidates.first(), m_force)
                    .then(this,
                          [this, city, candidates](const WeatherAnswer<CurrentConditions> &w) {
                              fetchDays(city, candidates, w);
                          });
            });
    }

    /** The days and the hours, each through its own cache entry, when they are printed. */
    void fetchDays(const QString &city, const QList<Location> &candidates,
                   const WeatherAnswer<CurrentConditions> &w)
    {
        m_days.reset();
        m_hours.reset();
        const Location place = candidates.first();
        const auto hours = [this, city, candidates, w, place] {
            if (!m_hourly || !w.ok()) {
                finishCity(city, candidates, w);
                return;
            }
            m_service->hourly(place, m_force)
                .then(this,
                      [this, city, candidates, w](const WeatherAnswer<HourlyForecastList> &h) {
                          m_hours = h;
                          finishCity(city, candidates, w);
                      });
        };
        if (!m_daily || !w.ok()) {
            hours();
            return;
        }
        m_service->forecast(place, m_force)
            .then(this, [this, hours](const WeatherAnswer<DailyForecastList> &d) {
                m_days = d;
                hours();
            });
    }

    void finishCity(const QString &city, const QList<Location> &candidates,
                    const WeatherAnswer<CurrentConditions> &w)
    {
        report(city, &candidates.first(), candidates, w.error, &w);
        next();
    }

    /** The place's offset: the forecast's, else the place's own when the geocoder said. */
    std::optional<int> placeOffset(const Location &location) const
    {
        if (m_days && m_days->ok() && !m_days->value->isEmpty()
            && m_days->value->constFirst().utcOffsetSeconds)
            return m_days->value->constFirst().utcOffsetSeconds;
        if (m_hours && m_hours->ok() && !m_hours->value->isEmpty()
            && m_hours->value->constFirst().utcOffsetSeconds)
            return m_hours->value->constFirst().utcOffsetSeconds;
        return location.utcOffsetSeconds;
    }

    DailyForecastList shownDays(const Location &location) const
    {
        if (!m_days || !m_days->ok())
            return {};
        return upcomingDays(*m_days->value, QDateTime::currentDateTimeUtc(),
                            location.utcOffsetSeconds);
    }

    HourlyForecastList shownHours() const
    {
        if (!m_hours || !m_hours->ok())
            return {};
        return upcomingHours(*m_hours->value, QDateTime::currentDateTimeUtc(), kHourlyHours);
    }

    void printDaily(const Location &location, const UnitSet &units) const
    {
        if (!m_days || !m_days->ok()) {
            out() << "  " << tr("Daily: not available") << '\n';
            return;
        }
        const QString unit = temperatureUnitText(units.temperature);
        const QString rain = precipitationUnitText(units.precipitation);
        const int rainDecimals = precipitationDecimals(units.precipitation);
        out() << "  " << tr("Daily:") << '\n';
        for (const DailyForecast &d : shownDays(location)) {
            out() << "    " << d.date.toString(u"ddd yyyy-MM-dd"_s) << "  " << number(d.minTemp, 0)
                  << " / " << number(d.maxTemp, 0) << ' ' << unit << "  "
                  << terminalSafe(d.description.isEmpty() ? u"?"_s : d.description) << " · "
                  << tr("precipitation") << ' ' << number(d.precipitationSum, rainDecimals) << ' '
                  << rain << ' ' << '(' << number(d.precipitationProbabilityMax, 0) << " %) · "
                  << tr("UV") << ' ' << number(d.uvIndexMax, 0) << " · " << tr("sun") << ' '
                  << placeClock(d.sunrise, d.utcOffsetSeconds) << "–"
                  << placeClock(d.sunset, d.utcOffsetSeconds) << '\n';
        }
    }

    void printHourly(const UnitSet &units) const
    {
        if (!m_hours || !m_hours->ok()) {
            out() << "  " << tr("Hourly: not available") << '\n';
            return;
        }
        const QString unit = temperatureUnitText(units.temperature);
        const QString rain = precipitationUnitText(units.precipitation);
        const int rainDecimals = precipitationDecimals(units.precipitation);
        out() << "  " << tr("Hourly:") << '\n';
        for (const HourlyForecast &h : shownHours()) {
            out() << "    " << h.localTime().toString(u"ddd HH:mm"_s) << "  "
                  << number(h.temperature) << ' ' << unit << "  "
                  << number(h.precipitationProbability, 0) << " %  "
                  << number(h.precipitation, rainDecimals) << ' ' << rain << "  "
                  << terminalSafe(h.description.isEmpty() ? u"?"_s : h.description) << '\n';
        }
    }

    void report(const QString &city, const Location *location, const QList<Location> &candidates,
                const WeatherError &error, const WeatherAnswer<CurrentConditions> *weather)
    {
        const bool answered = weather && weather->ok();
        if (!answered)
            m_failed = true;
        if (m_format) {
            StatusInput input = StatusInput::fromAnswer(city, location, error, weather);
            for (const HourlyForecast &shown : shownHours()) {
                const HourlyForecast h = shown.convertedTo(UnitSet::metric()); // %p is in mm
                input.hourly.append({shown.localTime(), shown.temperature, h.condition, h.isDay,
                                     h.precipitationProbability, h.precipitation});
            }
            out() << m_format->render(input) << '\n';
            out().flush();
            m_failed = m_failed && m_format->failureSetsExitStatus();
            if (error.isError())
                complainAbout(city, error);
            return;
        }
        if (m_json) {
            const UnitSet units = m_service->config().units;
            QJsonObject o{{u"query"_s, city},
                          {u"provider"_s, m_service->provider()->id()},
                          {u"units"_s, unitsName(units)},
                          {u"unit_symbols"_s, unitSymbols(units)}};
            if (location) {
                o.insert(u"location"_s, toJson(*location));
                if (city == kHereQuery) // the name is OpenStreetMap's: its credit goes with it
                    o.insert(u"location_attribution"_s, HereLocator::attribution());
                QJsonArray others;
                for (qsizetype i = 1; i < candidates.size(); ++i)
                    others.append(candidates.at(i).displayName());
                o.insert(u"other_matches"_s, others);
            }
            if (answered) {
                o.insert(u"current"_s, toJson(*weather->value, placeOffset(*location)));
                o.insert(u"source"_s, sourceName(weather->source));
                o.insert(u"age_seconds"_s, weather->ageMs / 1000);
                // Days already past and hours already over are left out; none known: null.
                QJsonValue daily(QJsonValue::Null);
                if (m_days && m_days->ok()) {
                    QJsonArray days;
                    for (const DailyForecast &d : shownDays(*location))
                        days.append(toJson(d));
                    daily = days;
                }
                QJsonValue hourly(QJsonValue::Null);
                if (m_hours && m_hours->ok()) {
                    QJsonArray hours;
                    for (const HourlyForecast &h : shownHours())
                        hours.append(toJson(h));
                    hourly = hours;
                }
                o.insert(u"daily"_s, daily);
                o.insert(u"hourly"_s, hourly);
            }
            o.insert(u"error"_s,
                     error.isError() ? QJsonValue(toJson(error)) : QJsonValue(QJsonValue::Null));
            out() << terminalSafeJson(o) << '\n';
            out().flush();
            if (error.isError())
                complainAbout(city, error);
            return;
        }
        if (!answered) {
            complainAbout(city, error);
            return;
        }
        const CurrentConditions &c = *weather->value;
        const UnitSet units = c.units;
        const QString windUnit = windSpeedUnitText(units.windSpeed);
        const int windDecimals = units.windSpeed == WindSpeedUnit::Beaufort ? 0 : 1;
        out() << terminalSafe(location->displayName()) << '\n';
        if (city == kHereQuery)
            out() << "  " << tr("Here · place name %1").arg(HereLocator::attribution()) << '\n';
        if (candidates.size() > 1) {
            out() << "  "
                  << tr("(first of %1 matches; also: %2)")
                         .arg(candidates.size())
                         .arg(terminalSafe(candidates.at(1).displayName())
                              + (candidates.size() > 2 ? u", …"_s : QString()))
                  << '\n';
        }
        out() << "  " << number(c.temperature) << ' ' << temperatureUnitText(units) << ", "
              << tr("feels like") << ' ' << number(c.feelsLike) << ' ' << temperatureUnitText(units)
              << " · " << terminalSafe(c.description) << '\n';
        out() << "  " << tr("Humidity") << ' ' << number(c.humidity, 0) << " % · " << tr("Wind")
              << ' ' << number(c.windSpeed, windDecimals) << ' ' << windUnit
              << (c.windDirection ? u" "_s + compassPoint(*c.windDirection) : QString());
        if (c.windGusts)
            out() << ", " << tr("gusts") << ' ' << number(c.windGusts, windDecimals) << ' '
                  << windUnit;
        out() << " · " << tr("Pressure") << ' '
              << number(c.pressure, pressureDecimals(units.pressure)) << ' '
              << pressureUnitText(units.pressure) << '\n';
        out() << "  " << tr("Precipitation") << ' '
              << number(c.precipitation, precipitationDecimals(units.precipitation)) << ' '
              << precipitationUnitText(units.precipitation) << '\n';
        if (m_daily)
            printDaily(*location, units);
        if (m_hourly)
            printHourly(units);
        switch (weather->source) {
        case AnswerSource::Network:
            out() << "  " << tr("Source: network (%1)").arg(m_service->provider()->displayName());
            break;
        case AnswerSource::Cache:
            out() << "  " << tr("Source: cache, %1 old").arg(humanAge(weather->ageMs));
            break;
        case AnswerSource::Stale:
            out() << "  " << tr("Source: stale, %1 old").arg(humanAge(weather->ageMs));
            break;
        }
        out() << '\n';
        out().flush();
        if (error.isError())
            complainAbout(city, error);
    }

    /** "<city>: <why>", one line, flushed. Names the city as typed, never the cache's key. */
    static void complainAbout(const QString &city, WeatherError error)
    {
        if (error.kind() == WeatherError::CityNotFound)
            error.setDetail(echo(city));
        complain(echo(city) + u": "_s + terminalSafe(error.message()));
    }

    void finish()
    {
        if (!m_stats) {
            exit();
            return;
        }
        // The disk's size is read on the tier's thread, after the writes of this run.
        m_disk->fileSize().then(this, [this](qint64 diskBytes) {
            const CacheStats s = m_service->cache()->stats();
            if (m_json) {
                QJsonObject stats = toJson(s);
                stats.insert(u"answered"_s, toJson(m_service->layers()->stats()));
                QJsonObject o{{u"stats"_s, stats}};
                if (diskBytes > 0)
                    o.insert(u"store_bytes"_s, diskBytes);
                out() << terminalSafeJson(o) << '\n';
            } else {
                out() << tr("Cache: %1 hits, %2 misses (%3% hit ratio), %4 loads (%5 failed), "
                            "%6 coalesced, %7 stale serves, %8 entries, %9 bytes in memory")
                             .arg(s.hits)
                             .arg(s.misses)
                             .arg(s.hitRatio() * 100.0, 0, 'f', 0)
                             .arg(s.loadsSucceeded + s.loadsFailed)
                             .arg(s.loadsFailed)
                             .arg(s.coalesced)
                             .arg(s.staleServes)
                             .arg(s.entries)
                             .arg(s.bytes)
                      << '\n';
                const LayeredCacheStats layers = m_service->layers()->stats();
                QStringList parts{tr("%1 from memory").arg(layers.memoryAnswers)};
                for (const TierStats &t : layers.tiers) {
                    parts << (t.name == u"shared"_s ? tr("%1 from the shared cache").arg(t.hits)
                                                    : tr("%1 from %2").arg(t.hits).arg(t.name));
                }
                parts << tr("%1 by %2")
                             .arg(layers.loaderAnswers)
                             .arg(m_service->provider()->displayName());
                out() << tr("Answered: %1").arg(parts.join(u", "_s)) << '\n';
                if (diskBytes > 0)
                    out() << tr("Disk: %1 (%2 bytes)")
                                 .arg(terminalSafe(m_disk->directory() + u'/'
                                                   + PersistentStore::fileName()))
                                 .arg(diskBytes)
                          << '\n';
            }
            exit();
        });
    }

    void exit()
    {
        out().flush();
        // What this run fetched reaches every tier (the shared one above all) before it ends;
        // each tier bounds its own wait (the disk's busy timeout, Redis's command timeout).
        WeatherLayers *layers = m_service->layers();
        if (layers->pendingTierWrites() > 0) {
            connect(layers, &LayeredCacheBase::tierWritesSettled, this, &Run::exit,
                    Qt::SingleShotConnection);
            return;
        }
        QCoreApplication::exit(m_failed ? ExitNotAnswered : ExitOk);
    }

    // lupdate files this class's tr() texts under "Run": the context must say the same.
    Q_DECLARE_TR_FUNCTIONS(Run)

    WeatherService *m_service;
    SqliteTier *m_disk;
    QStringList m_cities;
    qsizetype m_index = 0;
    bool m_json;
    bool m_force;
    bool m_stats;
    bool m_daily;
    bool m_hourly;
    bool m_failed = false;
    std::optional<StatusFormat> m_format;
    std::optional<WeatherAnswer<DailyForecastList>> m_days; // of the city being answered
    std::optional<WeatherAnswer<HourlyForecastList>> m_hours;
    HereLookup m_here;
};

} // namespace

namespace {

/** Everything but the process exit: parse, run the event loop, tear down in order. */
int runCli(QCoreApplication &app, const CommandLine &commandLine)
{
    // The CLI says what went wrong with a tier (the disk, the shared cache) itself, in one
    // sentence; the developer logs say the same again with detail. QT_LOGGING_RULES (read after
    // this) can turn them back on.
    QLoggingCategory::setFilterRules(u"weatherdash.store.warning=false\n"
                                     "weatherdash.redis.warning=false\n"
                                     "weatherdash.cache.warning=false"_s);

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
    const QCommandLineOption provider(
        u"provider"_s,
        QCoreApplication::translate("cli", "open-meteo (default, no key) or openweathermap."),
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
    if (cities.isEmpty() && !parser.isSet(stats))
        return usageError(u"no city given. Try: weatherdash-cli Berlin"_s);

    std::optional<StatusFormat> statusFormat;
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
    WeatherService::Config config = settings.serviceConfig();
    if (parser.isSet(provider)) {
        const QString p = parser.value(provider).toLower();
        if (p != u"open-meteo"_s && p != u"openweathermap"_s) {
            return usageError(u"unknown provider \"%1\"; use open-meteo or openweathermap."_s.arg(
                echo(parser.value(provider))));
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
        redisUrl = RedisUrl::parse(redisText, &why);
        if (!redisUrl && parser.isSet(redis)) // the sentence never quotes a password
            return usageError(terminalSafe(why));
        if (!redisUrl)
            sharedOff
                = QCoreApplication::translate("cli", "No shared cache this time: %1").arg(why);
    }
    if (redisUrl && redisUrl->tls) {
        redisUrl->tlsCaFile = settings.sharedCacheTlsCaFile();
        redisUrl->tlsCertFile = settings.sharedCacheTlsCertFile();
        redisUrl->tlsKeyFile = settings.sharedCacheTlsKeyFile();
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

    // Destroyed in reverse: the service before the disk tier it borrows, whose destructor
    // hands the writes of this run to the disk before the process leaves.
    QNetworkAccessManager network;
    const QString dir
        = parser.isSet(cacheDir) ? parser.value(cacheDir) : PersistentStore::defaultDirectory();
    SqliteTier disk(dir);
    std::unique_ptr<SharedCache> shared; // made below, when one is set
    WeatherService service(&network);
    service.setConfig(config);
    disk.setPurgeHorizon(config.staleHorizonMs);
    // No warm start: a run asks for a few keys, and each is read from the disk when asked.
    service.addTier(&disk);
    // Then the machines' shared cache: what another machine fetched is not fetched again.
    if (redisUrl)
        shared = SharedCache::attach(&service, *redisUrl, settings.sharedCacheLeaseMs());
    // Every request to the provider is noted on disk, so the app's panel counts the CLI's too.
    service.setRequestLogStore(&disk);

    // A problem with the disk is said once, whether opening or a later write found it.
    auto said = std::make_shared<QSet<QString>>();
    const auto sayOnce = [said](const QString &message) {
        if (!message.isEmpty() && !said->contains(message)) {
            said->insert(message);
            complain(terminalSafe(message));
        }
    };
    sayOnce(sharedOff);
    disk.opened().then(&app, [sayOnce](const TierResult<QString> &opened) {
        sayOnce(opened.ok() ? opened.value : opened.error);
    });
    QObject::connect(&service, &WeatherService::storeWarning, &app, sayOnce);

    Run run(&service, &disk, cities, parser.isSet(json), parser.isSet(force), parser.isSet(stats),
            parser.isSet(daily), parser.isSet(hourly));
    if (statusFormat)
        run.setStatusFormat(*statusFormat);
    // --- "Here" (issue 24): asked only with --here; nothing touches GeoClue otherwise ---
    std::unique_ptr<PositionSource> position;
    std::unique_ptr<ReverseGeocoder> geocoder;
    std::unique_ptr<HereLocator> locator;
    if (parser.isSet(here)) {
        bool ok = false;
        const int seconds = parser.value(hereTimeout).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 300)
            return usageError(QCoreApplication::translate(
                "cli", "--here-timeout takes a number of seconds from 1 to 300."));
        position = std::make_unique<PositionSource>();
        geocoder = std::make_unique<ReverseGeocoder>(&network, service.layers(), Clock::system());
        geocoder->setLanguage(service.config().language);
        locator = std::make_unique<HereLocator>(position.get(), geocoder.get());
        run.setHere([&locator, seconds] {
            return locator->locateOnce(seconds * 1000).then([](const WeatherAnswer<Location> &a) {
                WeatherAnswer<QList<Location>> found{{}, a.error, a.source, a.ageMs};
                if (a.value)
                    found.value = QList<Location>{*a.value};
                return found;
            });
        });
    }
    QMetaObject::invokeMethod(&run, &Run::start, Qt::QueuedConnection);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // First of all: a secret on the command line leaves the argument memory that ps reads.
    const CommandLine commandLine = takeCommandLine(argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"WeatherDash"_s);
    QCoreApplication::setOrganizationName(u"WeatherDash"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(WEATHERDASH_VERSION));
    Translations::install(&app); // before the options are described: --help is translated too

    const int exitCode = runCli(app, commandLine);
    out().flush();
    err().flush();
    std::fflush(stdout);
    std::fflush(stderr);
    // Everything is printed, the settings and the disk cache are closed. A DNS lookup that the
    // request timeout gave up on may still block a resolver thread in getaddrinfo() (glibc's
    // own timeouts and retries: 90 s and more when the DNS server never answers), and Qt
    // waits for that thread when the application object goes. Nothing is left to do that is
    // worth that wait, so leave now. (A leak check still runs in sanitizer builds.)
#ifdef WEATHERDASH_LSAN
    __lsan_do_leak_check();
#endif
    std::_Exit(exitCode);
}
