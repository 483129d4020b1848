// SPDX-License-Identifier: MIT
#include "payloadcodec.h"

#include "capparser.h"
#include "jsonhelpers_p.h"
#include "streamhelpers_p.h"
#include "weatherkey.h"

#include <QDataStream>
#include <QIODevice>

#include <algorithm>

namespace {

template<typename T>
std::optional<QList<T>> readList(QDataStream &in, qint64 minElementBytes)
{
    quint32 count = 0;
    if (!WeatherStream::readCount(in, minElementBytes, count))
        return std::nullopt;
    QList<T> list;
    list.reserve(count);
    for (quint32 i = 0; i < count; ++i) {
        T value;
        in >> value;
        if (in.status() != QDataStream::Ok)
            return std::nullopt;
        list.append(std::move(value));
    }
    return list;
}

// ---- plausibility: the parsers' limits, on values in their own units ----------------------

bool within(const std::optional<double> &value, double low, double high)
{
    return !value || (std::isfinite(*value) && *value >= low && *value <= high);
}

bool plausibleTemperature(const std::optional<double> &value, TemperatureUnit unit)
{
    if (!value)
        return true;
    if (!std::isfinite(*value))
        return false;
    return within(convertTemperature(*value, unit, TemperatureUnit::Celsius),
                  WeatherJson::kMinTemperatureC, WeatherJson::kMaxTemperatureC);
}

bool plausibleWind(const std::optional<double> &value, WindSpeedUnit unit)
{
    if (!value)
        return true;
    if (!std::isfinite(*value) || *value < 0.0)
        return false;
    const double metresPerSecond = convertWindSpeed(*value, unit, WindSpeedUnit::MetresPerSecond);
    // A hair of slack: a reading at the limit, converted to another unit and back.
    return metresPerSecond <= WeatherJson::kMaxWindSpeedMs * 1.001;
}

bool plausiblePressure(const std::optional<double> &value, PressureUnit unit)
{
    if (!value)
        return true;
    if (!std::isfinite(*value))
        return false;
    const double hpa = convertPressure(*value, unit, PressureUnit::Hectopascal);
    return hpa >= WeatherJson::kMinPressureHpa * 0.999
           && hpa <= WeatherJson::kMaxPressureHpa * 1.001;
}

bool plausiblePrecipitation(const std::optional<double> &value, PrecipitationUnit unit, double max)
{
    if (!value)
        return true;
    if (!std::isfinite(*value) || *value < 0.0)
        return false;
    return convertPrecipitation(*value, unit, PrecipitationUnit::Millimetre) <= max * 1.001;
}

bool plausibleText(const QString &text)
{
    return text.size() <= WeatherJson::kMaxTextLength;
}

bool plausibleTime(const QDateTime &time)
{
    return !time.isValid() || WeatherJson::plausibleDate(time.toUTC().date());
}

bool plausibleOffset(const std::optional<int> &seconds)
{
    // Compared both ways, not through qAbs(): the bytes may hold INT_MIN, whose negation
    // overflows (found by fuzz_payload_decode).
    return !seconds
           || (*seconds >= -WeatherJson::kMaxUtcOffsetSeconds
               && *seconds <= WeatherJson::kMaxUtcOffsetSeconds);
}

bool plausibleValue(const QList<Location> &places)
{
    // Geocoding asks for a handful; a thousand is no answer a provider gives.
    constexpr qsizetype kMaxPlaces = 1000;
    if (places.size() > kMaxPlaces)
        return false;
    for (const Location &place : places) {
        if (!place.isValid() || !plausibleText(place.name) || !plausibleText(place.region)
            || !plausibleText(place.country) || !plausibleText(place.countryCode)
            || !plausibleText(place.timezone) || !plausibleOffset(place.utcOffsetSeconds))
            return false;
    }
    return true;
}

bool plausibleValue(const CurrentConditions &c)
{
    const UnitSet &u = c.units;
    return plausibleTemperature(c.temperature, u.temperature)
           && plausibleTemperature(c.feelsLike, u.temperature)
           && plausibleTemperature(c.dewPoint, u.temperature) && within(c.humidity, 0.0, 100.0)
           && within(c.visibility, 0.0, WeatherJson::kMaxVisibilityMetres)
           && within(c.cloudCover, 0.0, 100.0) && plausiblePressure(c.pressure, u.pressure)
           && plausibleWind(c.windSpeed, u.windSpeed) && plausibleWind(c.windGusts, u.windSpeed)
           && within(c.windDirection, 0.0, 360.0)
           && plausiblePrecipitation(c.precipitation, u.precipitation,
                                     WeatherJson::kMaxSlotPrecipitationMm)
           && plausibleText(c.description) && plausibleTime(c.observationTime)
           && plausibleTime(c.sunrise) && plausibleTime(c.sunset);
}

bool plausibleValue(const DailyForecastList &days)
{
    if (days.size() > WeatherJson::kMaxForecastDays)
        return false;
    for (const DailyForecast &d : days) {
        const UnitSet &u = d.units;
        if ((d.date.isValid() && !WeatherJson::plausibleDate(d.date))
            || !plausibleTemperature(d.minTemp, u.temperature)
            || !plausibleTemperature(d.maxTemp, u.temperature) || !plausibleText(d.description)
            || !plausibleOffset(d.utcOffsetSeconds)
            || !plausiblePrecipitation(d.precipitationSum, u.precipitation,
                                       WeatherJson::kMaxDailyPrecipitationMm)
            || !within(d.precipitationProbabilityMax, 0.0, 100.0)
            || !within(d.uvIndexMax, 0.0, WeatherJson::kMaxUvIndex) || !plausibleTime(d.sunrise)
            || !plausibleTime(d.sunset))
            return false;
    }
    return true;
}

bool plausibleValue(const HourlyForecastList &hours)
{
    if (hours.size() > WeatherJson::kMaxHourlySlots)
        return false;
    for (const HourlyForecast &h : hours) {
        const UnitSet &u = h.units;
        if (!plausibleTime(h.time) || h.periodHours < 1 || h.periodHours > 24
            || !plausibleTemperature(h.temperature, u.temperature)
            || !within(h.precipitationProbability, 0.0, 100.0)
            || !plausiblePrecipitation(h.precipitation, u.precipitation,
                                       WeatherJson::kMaxSlotPrecipitationMm)
            || !plausibleWind(h.windSpeed, u.windSpeed) || !plausibleText(h.description)
            || !plausibleOffset(h.utcOffsetSeconds))
            return false;
    }
    return true;
}

bool plausibleValue(const AlertIdList &list)
{
    if (list.ids.size() > CapParser::kMaxIds)
        return false;
    for (const QString &id : list.ids) {
        if (!CapParser::isValidId(id))
            return false;
    }
    return true;
}

// issue 23 (air)
bool plausibleValue(const AirQuality &air)
{
    auto inRange = [](const auto &list, double max) {
        return std::all_of(list.begin(), list.end(),
                           [max](const auto &v) { return within(v, 0.0, max); });
    };
    return plausibleTime(air.time) && plausibleOffset(air.utcOffsetSeconds)
           && within(air.europeanAqi, 0.0, AirQuality::kMaxIndex)
           && within(air.usAqi, 0.0, AirQuality::kMaxIndex)
           && inRange(air.concentrations, AirQuality::kMaxConcentration)
           && inRange(air.europeanSubIndices, AirQuality::kMaxIndex)
           && inRange(air.usSubIndices, AirQuality::kMaxIndex)
           && inRange(air.pollen, AirQuality::kMaxPollen) && plausibleText(air.concentrationUnit)
           && plausibleText(air.pollenUnit);
}

bool plausibleValue(const Nowcast &nowcast)
{
    if (nowcast.steps.size() > Nowcast::kMaxSteps || !plausibleOffset(nowcast.utcOffsetSeconds))
        return false;
    for (const NowcastStep &step : nowcast.steps) {
        if (!step.end.isValid() || !plausibleTime(step.end)
            || !plausiblePrecipitation(step.precipitation, nowcast.unit,
                                       WeatherJson::kMaxSlotPrecipitationMm))
            return false;
    }
    return true;
}

/** What the parser made: the XML it came from is there, and within the parser's limits. */
bool plausibleValue(const CapMessage &message)
{
    return !message.source.isEmpty() && message.source.size() <= CapParser::kMaxMessageBytes
           && !message.identifier.isEmpty() && message.identifier.size() <= CapParser::kMaxIdLength
           && message.infos.size() <= CapParser::kMaxInfos;
}

// ---- the alert alternatives' blob form -----------------------------------------------------

void writeValue(QDataStream &out, const AlertIdList &list)
{
    out << quint32(list.ids.size());
    for (const QString &id : list.ids)
        out << id;
}

/** The message as the server sent it: the tiers keep the XML, CapParser reads it back. */
void writeValue(QDataStream &out, const CapMessage &message)
{
    out << message.source;
}

template<typename T>
void writeValue(QDataStream &out, const T &value)
{
    out << value;
}

std::optional<AlertIdList> readAlertIds(QDataStream &in)
{
    quint32 count = 0;
    // The smallest id: a 4-byte length and one UTF-16 unit.
    if (!WeatherStream::readCount(in, 4 + 2, count))
        return std::nullopt;
    AlertIdList list;
    for (quint32 i = 0; i < count; ++i) {
        QString id;
        WeatherStream::readString(in, id);
        if (in.status() != QDataStream::Ok)
            return std::nullopt;
        list.ids.append(id);
    }
    return list;
}

std::optional<CapMessage> readCapMessage(QDataStream &in)
{
    quint32 length = 0;
    in >> length;
    if (in.status() != QDataStream::Ok || length == 0xffffffffu
        || qint64(length) > WeatherStream::remainingBytes(in)
        || qint64(length) > CapParser::kMaxMessageBytes)
        return std::nullopt;
    QByteArray xml(qsizetype(length), Qt::Uninitialized);
    if (in.readRawData(xml.data(), int(length)) != int(length))
        return std::nullopt;
    WeatherResult<CapMessage> parsed = CapParser::parseMessage(xml);
    if (!parsed.ok())
        return std::nullopt;
    return std::move(*parsed.value);
}

} // namespace

bool PayloadCodec::plausible(const WeatherPayload &payload)
{
    return std::visit([](const auto &value) { return plausibleValue(value); }, payload);
}

bool PayloadCodec::fitsKey(const QString &key, const WeatherPayload &payload)
{
    const WeatherKey parsed = WeatherKey::parse(key);
    switch (parsed.kind()) {
    case WeatherKey::Kind::Invalid:
        return true;
    case WeatherKey::Kind::Search:
        return std::holds_alternative<QList<Location>>(payload);
    case WeatherKey::Kind::Current:
        return std::holds_alternative<CurrentConditions>(payload);
    case WeatherKey::Kind::Forecast:
        return std::holds_alternative<DailyForecastList>(payload);
    case WeatherKey::Kind::Hourly:
        return std::holds_alternative<HourlyForecastList>(payload);
    case WeatherKey::Kind::AlertList:
        return std::holds_alternative<AlertIdList>(payload);
    case WeatherKey::Kind::AlertMessage:
        return std::holds_alternative<CapMessage>(payload);
    case WeatherKey::Kind::AirQuality:
        return std::holds_alternative<AirQuality>(payload);
    case WeatherKey::Kind::Nowcast:
        return std::holds_alternative<Nowcast>(payload);
    case WeatherKey::Kind::Label:
        return false;
    case WeatherKey::Kind::Reverse:
        // One place: the cell's name (empty in the sea), with its coordinates.
        if (const auto *places = std::get_if<QList<Location>>(&payload))
            return places->size() == 1;
        return false;
    }
    return false;
}

qint64 PayloadCodec::maxTtlMs(const QString &key, qint64 configuredMs)
{
    constexpr qint64 kDayMs = 24LL * 3600 * 1000;
    qint64 ceiling = 365 * kDayMs; // labels and keys of no known kind
    switch (WeatherKey::parse(key).kind()) {
    case WeatherKey::Kind::Current:
    case WeatherKey::Kind::AirQuality:
    case WeatherKey::Kind::Nowcast:
        ceiling = kDayMs;
        break;
    case WeatherKey::Kind::Hourly:
        ceiling = 2 * kDayMs;
        break;
    case WeatherKey::Kind::Forecast:
        ceiling = 7 * kDayMs;
        break;
    case WeatherKey::Kind::Reverse:
        ceiling = 30 * kDayMs; // Nominatim's names, kept a month (issue 24)
        break;
    case WeatherKey::Kind::AlertList:
        ceiling = 3600 * 1000;
        break;
    case WeatherKey::Kind::AlertMessage:
        ceiling = AlertLifetime::kMaxMessageMs;
        break;
    case WeatherKey::Kind::Search:
    case WeatherKey::Kind::Label:
    case WeatherKey::Kind::Invalid:
        break;
    }
    return qMax(ceiling, configuredMs);
}

QByteArray PayloadCodec::encode(const WeatherPayload &payload)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kPayloadVersion << quint8(payload.index());
    std::visit([&out](const auto &value) { writeValue(out, value); }, payload);
    return bytes;
}

std::optional<WeatherPayload> PayloadCodec::decode(const QByteArray &bytes)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint8 version = 0;
    quint8 index = 0;
    in >> version >> index;
    if (in.status() != QDataStream::Ok || version < kOldestPayloadVersion
        || version > kPayloadVersion)
        return std::nullopt;
    std::optional<WeatherPayload> payload;
    switch (index) {
    case 0:
        if (auto places = readList<Location>(in, kMinLocationBytes))
            payload = std::move(*places);
        break;
    case 1: {
        CurrentConditions conditions;
        in >> conditions;
        payload = std::move(conditions);
        break;
    }
    case 2:
        if (auto days = readList<DailyForecast>(in, version == 1 ? kMinDailyForecastBytesV1
                                                                 : kMinDailyForecastBytes))
            payload = std::move(*days);
        break;
    case 3:
        if (version < 2)
            return std::nullopt; // version 1 had no hourly forecast: someone else's bytes
        if (auto hours = readList<HourlyForecast>(in, kMinHourlyForecastBytesV1))
            payload = std::move(*hours);
        break;
    case 4:
        if (auto ids = readAlertIds(in))
            payload = std::move(*ids);
        break;
    case 5:
        if (auto message = readCapMessage(in))
            payload = std::move(*message);
        break;
    case 6: { // issue 23 (air)
        if (version < 2)
            return std::nullopt;
        AirQuality air;
        in >> air;
        payload = std::move(air);
        break;
    }
    case 7: {
        if (version < 2)
            return std::nullopt;
        Nowcast nowcast;
        in >> nowcast;
        payload = std::move(nowcast);
        break;
    }
    default:
        return std::nullopt;
    }
    if (!payload || in.status() != QDataStream::Ok || !in.atEnd() || !plausible(*payload))
        return std::nullopt;
    return payload;
}
