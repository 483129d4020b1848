// SPDX-License-Identifier: MIT
#include "airreport.h"

#include "statusformat.h"
#include "weatherservice.h"

#include <QJsonArray>
#include <QPromise>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QJsonValue jsonNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

/** As the CLI's other times: the place's own offset, UTC ("…Z") without one. */
QJsonValue jsonTime(const QDateTime &utc, std::optional<int> offsetSeconds)
{
    if (!utc.isValid())
        return QJsonValue(QJsonValue::Null);
    const QDateTime t = offsetSeconds ? utc.toOffsetFromUtc(*offsetSeconds) : utc.toUTC();
    return t.toString(Qt::ISODate);
}

QString whole(double v)
{
    return QString::number(std::lround(v));
}

QJsonObject errorJson(const WeatherError &e)
{
    return {{u"kind"_s, WeatherError::kindName(e.kind())}, {u"message"_s, e.message()}};
}

} // namespace

QFuture<AirReport::Answers> AirReport::fetch(WeatherService *service, const Location &place,
                                             bool forceRefresh, Feeds feeds)
{
    return fetch(service, place, forceRefresh, feeds, nullptr);
}

AirReport::Answers AirReport::late(const Answers &sofar, Feeds asked)
{
    Answers answers = sofar;
    const WeatherError late(WeatherError::Timeout, u"Open-Meteo"_s);
    if (asked.airQuality && !answers.air) {
        answers.air.emplace();
        answers.air->error = late;
    }
    if (asked.nowcast && !answers.nowcast) {
        answers.nowcast.emplace();
        answers.nowcast->error = late;
    }
    return answers;
}

QFuture<AirReport::Answers> AirReport::fetch(WeatherService *service, const Location &place,
                                             bool forceRefresh, Feeds feeds,
                                             std::shared_ptr<const Answers> *sofar)
{
    struct State
    {
        QPromise<Answers> promise;
        std::shared_ptr<Answers> answersPtr = std::make_shared<Answers>();
        Answers &answers = *answersPtr;
        int remaining = 0;
    };
    auto state = std::make_shared<State>();
    if (sofar)
        *sofar = state->answersPtr;
    state->remaining = int(feeds.airQuality) + int(feeds.nowcast);
    state->promise.start();
    QFuture<Answers> future = state->promise.future();
    if (state->remaining == 0) {
        state->promise.addResult(state->answers);
        state->promise.finish();
        return future;
    }
    auto done = [state] {
        if (--state->remaining == 0) {
            state->promise.addResult(state->answers);
            state->promise.finish();
        }
    };
    // No context object: the continuations touch only `state`, and the service answers in
    // this thread. With the service as context Qt 6.4 asserts when it goes first (a future
    // still waiting on the network is cancelled then).
    if (feeds.airQuality) {
        service->airQuality(place, forceRefresh)
            .then([state, done](const WeatherAnswer<AirQuality> &a) {
                state->answers.air = a;
                done();
            });
    }
    if (feeds.nowcast) {
        service->nowcast(place, forceRefresh).then([state, done](const WeatherAnswer<Nowcast> &n) {
            state->answers.nowcast = n;
            done();
        });
    }
    return future;
}

QString AirReport::indexText(const AirQuality &air, AirQuality::Scale scale)
{
    const auto index = air.index(scale);
    if (!index)
        return QString();
    return u"%1 · %2"_s.arg(whole(*index), AirQuality::bandName(scale, *index));
}

QString AirReport::summary(const AirQuality &air, AirQuality::Scale scale)
{
    const QString index = indexText(air, scale);
    if (index.isEmpty())
        return QString();
    if (const auto driver = air.drivingPollutant(scale))
        return tr("Air quality %1, mostly %2").arg(index, AirQuality::pollutantName(*driver));
    return tr("Air quality %1").arg(index);
}

QString AirReport::pollenText(const AirQuality &air, int count)
{
    QStringList parts;
    for (AirQuality::Pollen pollen :
         air.strongestPollens().first(qMin<qsizetype>(count, air.strongestPollens().size()))) {
        const double grains = *air.pollen[int(pollen)];
        parts << tr("%1: %2").arg(
            AirQuality::pollenName(pollen),
            AirQuality::pollenLevelName(AirQuality::pollenLevel(pollen, grains)));
    }
    return parts.join(u", "_s);
}

QJsonValue AirReport::airQualityJson(const Answers &answers)
{
    if (!answers.air || !answers.air->ok())
        return QJsonValue(QJsonValue::Null);
    const AirQuality &a = *answers.air->value;
    QJsonObject o{{u"time"_s, jsonTime(a.time, a.utcOffsetSeconds)},
                  {u"european_aqi"_s, jsonNumber(a.europeanAqi)},
                  {u"us_aqi"_s, jsonNumber(a.usAqi)}};
    for (int i = 0; i < AirQuality::kPollutantCount; ++i)
        o.insert(AirQuality::pollutantToken(AirQuality::Pollutant(i)),
                 jsonNumber(a.concentrations[i]));
    if (a.hasPollen()) {
        QJsonObject pollen;
        for (int i = 0; i < AirQuality::kPollenCount; ++i)
            pollen.insert(AirQuality::pollenToken(AirQuality::Pollen(i)), jsonNumber(a.pollen[i]));
        o.insert(u"pollen"_s, pollen);
    } else {
        o.insert(u"pollen"_s, QJsonValue(QJsonValue::Null)); // outside Europe or the season
    }
    return o;
}

QJsonValue AirReport::nowcastJson(const Answers &answers, const QDateTime &nowUtc)
{
    if (!answers.nowcast || !answers.nowcast->ok())
        return QJsonValue(QJsonValue::Null);
    const Nowcast &n = *answers.nowcast->value;
    QJsonArray steps;
    // "time" starts the step, as "time" starts an hour in "hourly".
    for (const NowcastStep &step : n.upcoming(nowUtc, 120)) {
        steps.append(QJsonObject{{u"time"_s, jsonTime(step.start(), n.utcOffsetSeconds)},
                                 {u"precipitation"_s, jsonNumber(step.precipitation)}});
    }
    return steps;
}

void AirReport::addJson(QJsonObject &o, const Answers &answers, const QDateTime &nowUtc)
{
    o.insert(u"air_quality"_s, airQualityJson(answers));
    o.insert(u"nowcast"_s, nowcastJson(answers, nowUtc));
    if (answers.air && !answers.air->ok())
        o.insert(u"air_quality_error"_s, errorJson(answers.air->error));
    if (answers.nowcast && !answers.nowcast->ok())
        o.insert(u"nowcast_error"_s, errorJson(answers.nowcast->error));
}

QJsonObject AirReport::withMoon(QJsonObject day, const DailyForecast &d)
{
    if (!d.date.isValid()) {
        day.insert(u"moon_phase"_s, QJsonValue(QJsonValue::Null));
        day.insert(u"moon_phase_name"_s, QJsonValue(QJsonValue::Null));
        return day;
    }
    const Moon::Phase moon = Moon::forDay(d.date, d.utcOffsetSeconds.value_or(0));
    day.insert(u"moon_phase"_s, std::round(moon.phase * 1000.0) / 1000.0);
    day.insert(u"moon_phase_name"_s, Moon::token(moon.name));
    return day;
}

QStringList AirReport::textLines(const Answers &answers, const QDateTime &nowUtc,
                                 AirQuality::Scale scale)
{
    QStringList lines;
    if (answers.air) {
        if (answers.air->ok()) {
            const AirQuality &a = *answers.air->value;
            const QString summaryText = summary(a, scale);
            if (summaryText.isEmpty())
                lines << tr("Air quality: no index");
            else if (scale == AirQuality::Scale::US) // the European scale goes unnamed
                lines << summaryText + u" ("_s + tr("US AQI") + u')';
            else
                lines << summaryText;
            const QString pollen = pollenText(a);
            if (!pollen.isEmpty())
                lines << tr("Pollen: %1").arg(pollen);
        } else {
            lines << tr("Air quality: not available (%1)").arg(answers.air->error.message());
        }
    }
    if (answers.nowcast) {
        if (answers.nowcast->ok()) {
            const QString rain = RainOutlook::from(*answers.nowcast->value, nowUtc).text();
            if (!rain.isEmpty())
                lines << rain;
        } else {
            lines << tr("Rain in the next two hours: not available (%1)")
                         .arg(answers.nowcast->error.message());
        }
    }
    return lines;
}

void AirReport::fillStatus(StatusInput &input, const Answers &answers, const QDateTime &nowUtc,
                           AirQuality::Scale scale)
{
    input.airQualityScale = scale;
    if (answers.air && answers.air->ok())
        input.airQuality = *answers.air->value;
    if (answers.nowcast && answers.nowcast->ok())
        input.rain = RainOutlook::from(*answers.nowcast->value, nowUtc);
}
