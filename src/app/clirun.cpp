// SPDX-License-Identifier: MIT
#include "clirun.h"

#include "clialerts.h" // issue 22
#include "clioutput.h"
#include "position/herelocator.h" // "Here" (issue 24)
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/weatherprovider.h"
#include "weather/weatherservice.h"

#include <QJsonArray>
#include <QPointer>
#include <QTimer>

#include <utility>

using namespace Qt::StringLiterals;
using namespace Cli;

namespace {
/** How far ahead --hourly and the JSON's `hourly` go. */
constexpr int kHourlyHours = 48;
} // namespace

Run::Run(WeatherService *service, SqliteTier *disk, QStringList cities, bool json, bool force,
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

void Run::setStatusFormat(const StatusFormat &format)
{
    m_format = format;
    m_hourly = true;
}

void Run::next()
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
            if (m_alerts) // issue 22: beside the weather, never before it
                m_alerts->start(candidates.first(), m_force);
            m_service->current(candidates.first(), m_force)
                .then(this, [this, city, candidates](const WeatherAnswer<CurrentConditions> &w) {
                    fetchDays(city, candidates, w);
                });
        });
}

void Run::fetchDays(const QString &city, const QList<Location> &candidates,
                    const WeatherAnswer<CurrentConditions> &w)
{
    m_days.reset();
    m_hours.reset();
    const Location place = candidates.first();
    // Beside the weather's own requests, not after them; never for a failed weather answer.
    m_air = {};
    m_airFuture.reset();
    m_airSoFar.reset();
    m_airAsked = airFeeds();
    if (w.ok() && (m_airAsked.airQuality || m_airAsked.nowcast))
        m_airFuture = AirReport::fetch(m_service, place, m_force, m_airAsked, &m_airSoFar);
    const auto hours = [this, city, candidates, w, place] {
        if (!m_hourly || !w.ok()) {
            finishCity(city, candidates, w);
            return;
        }
        m_service->hourly(place, m_force)
            .then(this, [this, city, candidates, w](const WeatherAnswer<HourlyForecastList> &h) {
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

AirReport::Feeds Run::airFeeds() const
{
    if (m_format)
        return {m_format->showsAirQuality(), m_format->showsNowcast()};
    return {true, true}; // the text and --json show both
}

void Run::finishCity(const QString &city, const QList<Location> &candidates,
                     const WeatherAnswer<CurrentConditions> &w)
{
    if (auto air = std::exchange(m_airFuture, std::nullopt)) { // issue 23
        // Whichever comes first: every feed's answer, or kAirGraceMs from now (then what did
        // not come is "not in time"; its answer still reaches the cache for the next run).
        auto resumed = std::make_shared<bool>(false);
        auto resume
            = [guard = QPointer(this), resumed, city, candidates, w](const AirReport::Answers &a) {
                  if (!guard || *resumed)
                      return;
                  *resumed = true;
                  guard->m_air = a;
                  guard->finishCity(city, candidates, w);
              };
        // Guarded, not .then(this, …): the future waits on the network and the tiers.
        air->then([resume](const AirReport::Answers &a) { resume(a); });
        if (!*resumed) {
            QTimer::singleShot(kAirGraceMs, this, [resume, sofar = m_airSoFar, asked = m_airAsked] {
                resume(AirReport::late(*sofar, asked));
            });
        }
        return;
    }
    if (m_alerts && w.ok() && !m_alertsAwaited) { // issue 22: a bounded wait for the alerts
        m_alertsAwaited = true;
        m_alerts->whenReady(this, [this, city, candidates, w] { finishCity(city, candidates, w); });
        return;
    }
    m_alertsAwaited = false;
    report(city, &candidates.first(), candidates, w.error, &w);
    next();
}

std::optional<int> Run::placeOffset(const Location &location) const
{
    if (m_days && m_days->ok() && !m_days->value->isEmpty()
        && m_days->value->constFirst().utcOffsetSeconds)
        return m_days->value->constFirst().utcOffsetSeconds;
    if (m_hours && m_hours->ok() && !m_hours->value->isEmpty()
        && m_hours->value->constFirst().utcOffsetSeconds)
        return m_hours->value->constFirst().utcOffsetSeconds;
    return location.utcOffsetSeconds;
}

DailyForecastList Run::shownDays(const Location &location) const
{
    if (!m_days || !m_days->ok())
        return {};
    return upcomingDays(*m_days->value, QDateTime::currentDateTimeUtc(), location.utcOffsetSeconds);
}

HourlyForecastList Run::shownHours() const
{
    if (!m_hours || !m_hours->ok())
        return {};
    return upcomingHours(*m_hours->value, QDateTime::currentDateTimeUtc(), kHourlyHours);
}

void Run::printDaily(const Location &location, const UnitSet &units) const
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

void Run::printHourly(const UnitSet &units) const
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
        out() << "    " << h.localTime().toString(u"ddd HH:mm"_s) << "  " << number(h.temperature)
              << ' ' << unit << "  " << number(h.precipitationProbability, 0) << " %  "
              << number(h.precipitation, rainDecimals) << ' ' << rain << "  "
              << terminalSafe(h.description.isEmpty() ? u"?"_s : h.description) << '\n';
    }
}

void Run::report(const QString &city, const Location *location, const QList<Location> &candidates,
                 const WeatherError &error, const WeatherAnswer<CurrentConditions> *weather)
{
    const bool answered = weather && weather->ok();
    if (!answered)
        m_failed = true;
    if (m_format) {
        StatusInput input = StatusInput::fromAnswer(city, location, error, weather);
        if (m_alerts)
            input.alerts = m_alerts->live(); // issue 22
        for (const HourlyForecast &shown : shownHours()) {
            const HourlyForecast h = shown.convertedTo(UnitSet::metric()); // %p is in mm
            // The real instant, shown in the place's offset.
            const QDateTime time = shown.time.toOffsetFromUtc(shown.utcOffsetSeconds.value_or(0));
            input.hourly.append({time, shown.temperature, h.condition, h.isDay,
                                 h.precipitationProbability, h.precipitation});
        }
        AirReport::fillStatus(input, m_air, QDateTime::currentDateTimeUtc(), m_airScale);
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
                    days.append(AirReport::withMoon(toJson(d), d));
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
            if (m_alerts)
                o.insert(u"alerts"_s, m_alerts->json()); // issue 22: null when unknown
            AirReport::addJson(o, m_air, QDateTime::currentDateTimeUtc()); // issue 23
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
    if (m_alerts) { // issue 22: live alerts under the place
        for (const QString &line : m_alerts->textLines(*location, placeOffset(*location)))
            out() << "  " << terminalSafe(line) << '\n';
    }
    out() << "  " << number(c.temperature) << ' ' << temperatureUnitText(units) << ", "
          << tr("feels like") << ' ' << number(c.feelsLike) << ' ' << temperatureUnitText(units)
          << " · " << terminalSafe(c.description) << '\n';
    out() << "  " << tr("Humidity") << ' ' << number(c.humidity, 0) << " % · " << tr("Wind") << ' '
          << number(c.windSpeed, windDecimals) << ' ' << windUnit
          << (c.windDirection ? u" "_s + compassPoint(*c.windDirection) : QString());
    if (c.windGusts)
        out() << ", " << tr("gusts") << ' ' << number(c.windGusts, windDecimals) << ' ' << windUnit;
    out() << " · " << tr("Pressure") << ' ' << number(c.pressure, pressureDecimals(units.pressure))
          << ' ' << pressureUnitText(units.pressure) << '\n';
    out() << "  " << tr("Precipitation") << ' '
          << number(c.precipitation, precipitationDecimals(units.precipitation)) << ' '
          << precipitationUnitText(units.precipitation);
    if (c.dewPoint)
        out() << " · " << tr("Dew point") << ' ' << number(c.dewPoint) << ' '
              << temperatureUnitText(units);
    if (c.visibility)
        out() << " · " << tr("Visibility") << ' '
              << number(metresTo(*c.visibility, distanceUnit(units))) << ' '
              << distanceUnitText(distanceUnit(units));
    if (c.cloudCover)
        out() << " · " << tr("Cloud cover") << ' ' << number(c.cloudCover, 0) << " %";
    out() << '\n';
    if (m_daily)
        printDaily(*location, units);
    if (m_hourly)
        printHourly(units);
    for (const QString &line :
         AirReport::textLines(m_air, QDateTime::currentDateTimeUtc(), m_airScale))
        out() << "  " << terminalSafe(line) << '\n';
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

void Run::complainAbout(const QString &city, WeatherError error)
{
    if (error.kind() == WeatherError::CityNotFound)
        error.setDetail(echo(city));
    complain(echo(city) + u": "_s + terminalSafe(error.message()));
}

void Run::finish()
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

void Run::exit()
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
