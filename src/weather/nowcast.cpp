// SPDX-License-Identifier: MIT
#include "nowcast.h"

#include "jsonhelpers_p.h"
#include "openmeteoparser.h"
#include "streamhelpers_p.h"

#include <QDataStream>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr quint8 kStreamVersion = 1;
constexpr qint64 kStepMs = qint64(Nowcast::kStepMinutes) * 60 * 1000;

int roundedMinutes(qint64 ms)
{
    // To the nearest 5 minutes, never "in 0 min": a model's quarter hour is no stopwatch.
    const int minutes = int((ms + 150'000) / 300'000) * 5;
    return qMax(5, minutes);
}
} // namespace

QList<NowcastStep> Nowcast::upcoming(const QDateTime &nowUtc, int minutes) const
{
    const qint64 now = nowUtc.toMSecsSinceEpoch();
    const qint64 until = now + qint64(minutes) * 60 * 1000;
    QList<NowcastStep> result;
    for (const NowcastStep &step : steps) {
        const qint64 end = step.end.toMSecsSinceEpoch();
        if (end > now && end - kStepMs < until)
            result.append(step);
    }
    return result;
}

Nowcast Nowcast::convertedTo(PrecipitationUnit target) const
{
    Nowcast n = *this;
    for (NowcastStep &step : n.steps)
        step.precipitation = convertPrecipitation(step.precipitation, unit, target);
    n.unit = target;
    return n;
}

RainOutlook RainOutlook::from(const Nowcast &nowcast, const QDateTime &nowUtc, int horizonMinutes)
{
    RainOutlook outlook;
    outlook.horizonMinutes = horizonMinutes;
    const double wet
        = convertPrecipitation(Nowcast::kWetMm, PrecipitationUnit::Millimetre, nowcast.unit);
    const qint64 now = nowUtc.toMSecsSinceEpoch();
    const qint64 horizon = now + qint64(horizonMinutes) * 60 * 1000;
    std::optional<bool> rainingNow;
    qint64 covered = now; // known from now up to here, without a gap
    for (const NowcastStep &step : nowcast.steps) {
        const qint64 end = step.end.toMSecsSinceEpoch();
        const qint64 start = end - kStepMs;
        if (end <= now)
            continue;
        if (start >= horizon || start > covered)
            break; // past the horizon, or a gap in the steps
        if (!step.precipitation)
            break;
        const bool isWet = *step.precipitation >= wet;
        if (!rainingNow) {
            if (start > now)
                break; // no step covers now
            rainingNow = isWet;
        } else if (isWet != *rainingNow) {
            outlook.kind = isWet ? Kind::Starts : Kind::Stops;
            outlook.minutes = roundedMinutes(start - now);
            return outlook;
        }
        covered = end;
    }
    if (rainingNow && covered >= horizon)
        outlook.kind = *rainingNow ? Kind::Continues : Kind::Dry;
    return outlook;
}

QString RainOutlook::text() const
{
    // No "%n" plurals: there is no English translation file to resolve them, and every count
    // here is plural (minutes are at least 5; the horizon is at least two hours or in minutes).
    const bool inHours = horizonMinutes % 60 == 0 && horizonMinutes > 60;
    switch (kind) {
    case Kind::Unknown:
        break;
    case Kind::Dry:
        return inHours ? tr("No rain for the next %1 hours").arg(horizonMinutes / 60)
                       : tr("No rain for the next %1 minutes").arg(horizonMinutes);
    case Kind::Starts:
        return tr("Rain in %1 min").arg(minutes);
    case Kind::Stops:
        return tr("Rain stops in %1 min").arg(minutes);
    case Kind::Continues:
        return inHours ? tr("Rain for the next %1 hours").arg(horizonMinutes / 60)
                       : tr("Rain for the next %1 minutes").arg(horizonMinutes);
    }
    return QString();
}

QString RainOutlook::noticeText(const QString &place) const
{
    if (kind != Kind::Starts)
        return QString();
    return tr("Rain in %1 in about %2 minutes").arg(place, QString::number(minutes));
}

QDataStream &operator<<(QDataStream &out, const Nowcast &nowcast)
{
    out << kStreamVersion << quint32(nowcast.steps.size());
    for (const NowcastStep &step : nowcast.steps) {
        out << step.end;
        WeatherStream::writeOptional(out, step.precipitation);
    }
    WeatherStream::writeOptional(out, nowcast.utcOffsetSeconds);
    out << quint8(nowcast.unit);
    return out;
}

QDataStream &operator>>(QDataStream &in, Nowcast &nowcast)
{
    nowcast = Nowcast();
    if (!WeatherStream::readVersion(in, kStreamVersion))
        return in;
    // A step is at least a date time (8 + 4 + 1) and an optional's flag.
    quint32 count = 0;
    if (!WeatherStream::readCount(in, 8 + 4 + 1 + 1, count))
        return in;
    if (count > quint32(Nowcast::kMaxSteps)) {
        in.setStatus(QDataStream::ReadCorruptData);
        return in;
    }
    nowcast.steps.reserve(count);
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        NowcastStep step;
        WeatherStream::readUtcDateTime(in, step.end);
        WeatherStream::readOptional(in, step.precipitation);
        nowcast.steps.append(step);
    }
    WeatherStream::readOptional(in, nowcast.utcOffsetSeconds);
    quint8 unit = 0;
    in >> unit;
    if (unit > quint8(PrecipitationUnit::Inch))
        in.setStatus(QDataStream::ReadCorruptData);
    nowcast.unit = PrecipitationUnit(unit);
    return in;
}

WeatherResult<Nowcast> NowcastParser::parse(const QByteArray &body)
{
    using Result = WeatherResult<Nowcast>;
    const QString provider = OpenMeteoParser::providerName();
    const WeatherResult<QJsonObject> parsed = OpenMeteoParser::parseRoot(body);
    if (!parsed.ok())
        return Result::failure(parsed.error);
    const QJsonObject &root = *parsed.value;
    const QJsonObject block = root.value(u"minutely_15"_s).toObject();
    const QJsonValue timesValue = block.value(u"time"_s);
    if (!timesValue.isArray())
        return Result::failure(WeatherError(WeatherError::BadResponse, provider));
    const QJsonArray times = timesValue.toArray();
    const QJsonArray amounts = block.value(u"precipitation"_s).toArray();

    Nowcast nowcast;
    const QJsonValue offsetValue = root.value(u"utc_offset_seconds"_s);
    nowcast.utcOffsetSeconds = WeatherJson::utcOffset(offsetValue);
    if (!nowcast.utcOffsetSeconds && !offsetValue.isUndefined() && !offsetValue.isNull())
        return Result::success(std::move(nowcast)); // every time would be wrong: no steps
    const int offset = nowcast.utcOffsetSeconds.value_or(0);
    for (qsizetype i = 0; i < times.size() && nowcast.steps.size() < Nowcast::kMaxSteps; ++i) {
        QDateTime local = QDateTime::fromString(times.at(i).toString(), Qt::ISODate);
        if (!local.isValid())
            continue;
        NowcastStep step;
        step.end = WeatherJson::plausibleTime(
            QDateTime(local.date(), local.time(), Qt::UTC).addSecs(-offset), "step time");
        if (!step.end.isValid())
            continue;
        step.precipitation
            = WeatherJson::precipitation(WeatherJson::number(amounts.at(i)),
                                         WeatherJson::kMaxSlotPrecipitationMm, "precipitation");
        nowcast.steps.append(step);
    }
    return Result::success(std::move(nowcast));
}
