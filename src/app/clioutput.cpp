// SPDX-License-Identifier: MIT
#include "clioutput.h"
#include "weather/displayescape.h"

#include "weather/weathercondition.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Cli {

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

/**
 * Text from outside (a provider, a server, the command line) made safe for a terminal: no
 * escape sequences, bells, carriage returns or C1 controls (all of which a terminal obeys),
 * no bidi overrides or isolates; line breaks and tabs become spaces, runs of space one space.
 */
QString terminalSafe(const QString &text)
{
    return DisplayEscape::terminal(text);
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
        if (u == 0x7F || (u >= 0x80 && u <= 0x9F) || DisplayEscape::isDirectionalControl(u)
            || u == 0x2028 || u == 0x2029)
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
    return ExitUsage;
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

QString number(const std::optional<double> &v, int decimals)
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
            {u"dew_point"_s, jsonNumber(c.dewPoint)},
            // In the person's distance unit (unit_symbols.visibility), like every other number.
            {u"visibility"_s, jsonNumber(c.visibility ? std::optional<double>(
                                             metresTo(*c.visibility, distanceUnit(c.units)))
                                                      : std::nullopt)},
            {u"cloud_cover"_s, jsonNumber(c.cloudCover)},
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
            {u"precipitation"_s, precipitationUnitText(units.precipitation)},
            {u"visibility"_s, distanceUnitText(distanceUnit(units))}};
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

} // namespace Cli
