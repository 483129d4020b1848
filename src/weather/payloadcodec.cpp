// SPDX-License-Identifier: MIT
#include "payloadcodec.h"

#include "streamhelpers_p.h"

#include <QDataStream>
#include <QIODevice>

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

} // namespace

QByteArray PayloadCodec::encode(const WeatherPayload &payload)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kPayloadVersion << quint8(payload.index());
    std::visit([&out](const auto &value) { out << value; }, payload);
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
        if (auto hours = readList<HourlyForecast>(in, kMinHourlyForecastBytes))
            payload = std::move(*hours);
        break;
    default:
        return std::nullopt;
    }
    if (!payload || in.status() != QDataStream::Ok || !in.atEnd())
        return std::nullopt;
    return payload;
}
