// SPDX-License-Identifier: MIT
// weatherdash-cli: the weather for scripts and status bars, from the same cache as the app.
#include "store/persistentstore.h"
#include "weather/settings.h"
#include "weather/weatherprovider.h"
#include "weather/weatherservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <cmath>
#include <cstdio>

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

/** "1 minute", "3 hours": English plurals without a translation file. */
QString humanAge(qint64 ms)
{
    const qint64 s = ms / 1000;
    const auto count = [](qint64 n, const char *one, const char *many) -> QString {
        return QString::number(n) + u' ' + QString::fromLatin1(n == 1 ? one : many);
    };
    if (s < 60)
        return count(s, "second", "seconds");
    if (s < 3600)
        return count(s / 60, "minute", "minutes");
    if (s < 48 * 3600)
        return count(s / 3600, "hour", "hours");
    return count(s / 86400, "day", "days");
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

QJsonObject toJson(const CurrentConditions &c)
{
    return {{u"temperature"_s, jsonNumber(c.temperature)},
            {u"feels_like"_s, jsonNumber(c.feelsLike)},
            {u"humidity"_s, jsonNumber(c.humidity)},
            {u"pressure"_s, jsonNumber(c.pressure)},
            {u"wind_speed"_s, jsonNumber(c.windSpeed)},
            {u"wind_direction"_s, jsonNumber(c.windDirection)},
            {u"description"_s, c.description},
            {u"condition"_s, weatherConditionToString(c.condition)},
            {u"icon"_s, c.iconName()},
            {u"is_day"_s, c.isDay},
            {u"observed_at"_s, c.observationTime.isValid()
                                   ? QJsonValue(c.observationTime.toString(Qt::ISODate))
                                   : QJsonValue(QJsonValue::Null)}};
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

/** Looks up the cities one after another and prints each as it is answered. */
class Run : public QObject
{
public:
    Run(WeatherService *service, QStringList cities, bool json, bool force, bool stats)
        : m_service(service)
        , m_cities(std::move(cities))
        , m_json(json)
        , m_force(force)
        , m_stats(stats)
    { }

    void start() { next(); }

private:
    void next()
    {
        if (m_index >= m_cities.size()) {
            finish();
            return;
        }
        const QString city = m_cities.at(m_index++);
        m_service->searchLocations(city, m_force)
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
                              report(city, &candidates.first(), candidates, w.error, &w);
                              next();
                          });
            });
    }

    void report(const QString &city, const Location *location, const QList<Location> &candidates,
                const WeatherError &error, const WeatherAnswer<CurrentConditions> *weather)
    {
        const bool answered = weather && weather->ok();
        if (!answered)
            m_failed = true;
        if (m_json) {
            QJsonObject o{{u"query"_s, city},
                          {u"provider"_s, m_service->provider()->id()},
                          {u"units"_s, unitsToString(m_service->config().units)}};
            if (location) {
                o.insert(u"location"_s, toJson(*location));
                QJsonArray others;
                for (qsizetype i = 1; i < candidates.size(); ++i)
                    others.append(candidates.at(i).displayName());
                o.insert(u"other_matches"_s, others);
            }
            if (answered) {
                o.insert(u"current"_s, toJson(*weather->value));
                o.insert(u"source"_s, sourceName(weather->source));
                o.insert(u"age_seconds"_s, weather->ageMs / 1000);
            }
            o.insert(u"error"_s,
                     error.isError() ? QJsonValue(toJson(error)) : QJsonValue(QJsonValue::Null));
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
            out().flush();
            if (error.isError())
                err() << city << ": " << error.message() << '\n';
            return;
        }
        if (!answered) {
            err() << city << ": " << error.message() << '\n';
            return;
        }
        const CurrentConditions &c = *weather->value;
        const Units units = c.units;
        out() << location->displayName() << '\n';
        if (candidates.size() > 1) {
            out() << "  "
                  << tr("(first of %1 matches; also: %2)")
                         .arg(candidates.size())
                         .arg(candidates.at(1).displayName()
                              + (candidates.size() > 2 ? u", …"_s : QString()))
                  << '\n';
        }
        out() << "  " << number(c.temperature) << ' ' << temperatureUnitText(units) << ", "
              << tr("feels like") << ' ' << number(c.feelsLike) << ' ' << temperatureUnitText(units)
              << " · " << c.description << '\n';
        out() << "  " << tr("Humidity") << ' ' << number(c.humidity, 0) << " % · " << tr("Wind")
              << ' ' << number(c.windSpeed) << ' ' << windSpeedUnitText(units)
              << (c.windDirection ? u" "_s + compassPoint(*c.windDirection) : QString()) << " · "
              << tr("Pressure") << ' ' << number(c.pressure, 0) << " hPa\n";
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
            err() << city << ": " << error.message() << '\n';
    }

    void finish()
    {
        if (m_stats) {
            const CacheStats s = m_service->cache()->stats();
            if (m_json) {
                QJsonObject o{{u"stats"_s, toJson(s)}};
                if (m_service->store() && m_service->store()->isOpen())
                    o.insert(u"store_bytes"_s, m_service->store()->fileSize());
                out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
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
                if (m_service->store() && m_service->store()->isOpen())
                    out() << tr("Disk: %1 (%2 bytes)")
                                 .arg(m_service->store()->filePath())
                                 .arg(m_service->store()->fileSize())
                          << '\n';
            }
        }
        out().flush();
        QCoreApplication::exit(m_failed ? ExitNotAnswered : ExitOk);
    }

    static QString tr(const char *text) { return QCoreApplication::translate("cli", text); }

    WeatherService *m_service;
    QStringList m_cities;
    qsizetype m_index = 0;
    bool m_json;
    bool m_force;
    bool m_stats;
    bool m_failed = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"WeatherDash"_s);
    QCoreApplication::setOrganizationName(u"WeatherDash"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(WEATHERDASH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints the current weather for each CITY, through the same cache as the WeatherDash "
        "app. Run it as often as you like: within the TTL the answer comes from the cache and "
        "no request is made."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption json(u"json"_s, u"One JSON object per city, one per line."_s);
    const QCommandLineOption provider(
        u"provider"_s, u"open-meteo (default, no key) or openweathermap."_s, u"name"_s);
    const QCommandLineOption units(u"units"_s, u"metric (°C, km/h) or imperial (°F, mph)."_s,
                                   u"units"_s);
    const QCommandLineOption apiKey(
        u"api-key"_s, u"OpenWeatherMap key (else settings, else OPENWEATHERMAP_API_KEY)."_s,
        u"key"_s);
    const QCommandLineOption ttl(u"ttl"_s, u"How long current conditions stay fresh."_s,
                                 u"seconds"_s);
    const QCommandLineOption force(u"force-refresh"_s, u"Bypass the cache and ask the provider."_s);
    const QCommandLineOption stats(u"stats"_s, u"Print the cache statistics at the end."_s);
    const QCommandLineOption cacheDir(
        u"cache-dir"_s, u"Cache folder (else WEATHERDASH_CACHE_DIR, else the user cache)."_s,
        u"dir"_s);
    parser.addOptions({json, provider, units, apiKey, ttl, force, stats, cacheDir});
    parser.addPositionalArgument(u"CITY"_s, u"City names, e.g. Berlin \"London, GB\"."_s,
                                 u"CITY..."_s);
    parser.process(app);

    const QStringList cities = parser.positionalArguments();
    if (cities.isEmpty() && !parser.isSet(stats)) {
        err() << "weatherdash-cli: no city given. Try: weatherdash-cli Berlin\n";
        return ExitUsage;
    }

    Settings settings;
    WeatherService::Config config = settings.serviceConfig();
    if (parser.isSet(provider)) {
        const QString p = parser.value(provider).toLower();
        if (p != u"open-meteo"_s && p != u"openweathermap"_s) {
            err() << "weatherdash-cli: unknown provider \"" << p
                  << "\"; use open-meteo or openweathermap.\n";
            return ExitUsage;
        }
        config.providerId = p;
    }
    if (parser.isSet(units)) {
        const auto u = unitsFromString(parser.value(units).toLower());
        if (!u) {
            err() << "weatherdash-cli: unknown units \"" << parser.value(units)
                  << "\"; use metric or imperial.\n";
            return ExitUsage;
        }
        config.units = *u;
    }
    if (parser.isSet(apiKey))
        config.apiKey = parser.value(apiKey).trimmed();
    if (parser.isSet(ttl)) {
        bool ok = false;
        const qint64 seconds = parser.value(ttl).toLongLong(&ok);
        if (!ok || seconds <= 0) {
            err() << "weatherdash-cli: --ttl takes a positive number of seconds.\n";
            return ExitUsage;
        }
        config.currentTtlMs = seconds * 1000;
    }

    QNetworkAccessManager network;
    WeatherService service(&network);
    service.setConfig(config);

    PersistentStore store;
    const QString dir
        = parser.isSet(cacheDir) ? parser.value(cacheDir) : PersistentStore::defaultDirectory();
    if (store.open(dir)) {
        QObject::connect(&service, &WeatherService::storeWarning, &app,
                         [](const QString &message) { err() << message << '\n'; });
        service.setStore(&store);
    } else {
        err() << store.errorString() << '\n';
    }

    Run run(&service, cities, parser.isSet(json), parser.isSet(force), parser.isSet(stats));
    QMetaObject::invokeMethod(&run, &Run::start, Qt::QueuedConnection);
    return app.exec();
}
