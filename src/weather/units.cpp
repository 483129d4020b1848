// SPDX-License-Identifier: MIT
#include "units.h"

#include <QDataStream>

#include <cmath>

using namespace Qt::StringLiterals;

QString temperatureUnitText(Units units)
{
    return units == Units::Imperial ? u"°F"_s : u"°C"_s;
}

QString windSpeedUnitText(Units units)
{
    return units == Units::Imperial ? u"mph"_s : u"km/h"_s;
}

QString unitsToString(Units units)
{
    return units == Units::Imperial ? u"imperial"_s : u"metric"_s;
}

std::optional<Units> unitsFromString(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.compare(u"metric", Qt::CaseInsensitive) == 0)
        return Units::Metric;
    if (trimmed.compare(u"imperial", Qt::CaseInsensitive) == 0)
        return Units::Imperial;
    return std::nullopt;
}

QDataStream &operator<<(QDataStream &out, Units units)
{
    return out << static_cast<quint8>(units);
}

QDataStream &operator>>(QDataStream &in, Units &units)
{
    quint8 raw = 0;
    in >> raw;
    if (raw > static_cast<quint8>(Units::Imperial)) {
        in.setStatus(QDataStream::ReadCorruptData);
        raw = 0;
    }
    units = static_cast<Units>(raw);
    return in;
}

QString compassPoint(double degrees)
{
    static const char *const kPoints[] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                          "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    const double normalized = std::fmod(std::fmod(degrees, 360.0) + 360.0, 360.0);
    const int index = int(std::lround(normalized / 22.5)) % 16;
    return QString::fromLatin1(kPoints[index]);
}
