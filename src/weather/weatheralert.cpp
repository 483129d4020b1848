// SPDX-License-Identifier: MIT
#include "weatheralert.h"

#include <QCoreApplication>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double kEarthRadiusKm = 6371.0088;

double radians(double degrees)
{
    return degrees * M_PI / 180.0;
}

/** Great-circle distance (haversine): a CAP circle's radius is kilometres on the ground. */
double distanceKm(const CapPoint &a, double latitude, double longitude)
{
    const double dLat = radians(latitude - a.latitude);
    const double dLon = radians(longitude - a.longitude);
    const double h = std::sin(dLat / 2) * std::sin(dLat / 2)
                     + std::cos(radians(a.latitude)) * std::cos(radians(latitude))
                           * std::sin(dLon / 2) * std::sin(dLon / 2);
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(qBound(0.0, h, 1.0)));
}

/** True when the point lies on the segment a-b (within a hair: text coordinates). */
bool onSegment(const CapPoint &a, const CapPoint &b, double y, double x)
{
    constexpr double kEpsilon = 1e-9;
    const double cross = (b.longitude - a.longitude) * (y - a.latitude)
                         - (b.latitude - a.latitude) * (x - a.longitude);
    if (std::abs(cross) > kEpsilon)
        return false;
    return x >= std::min(a.longitude, b.longitude) - kEpsilon
           && x <= std::max(a.longitude, b.longitude) + kEpsilon
           && y >= std::min(a.latitude, b.latitude) - kEpsilon
           && y <= std::max(a.latitude, b.latitude) + kEpsilon;
}

/**
 * Even-odd ray casting in the lon/lat plane, which is how CAP producers draw their polygons
 * (a few km across: the earth's curve does not matter). The closing pair may be missing.
 */
bool polygonContains(const QList<CapPoint> &ring, double latitude, double longitude)
{
    if (ring.size() < 3)
        return false;
    bool inside = false;
    for (qsizetype i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const CapPoint &a = ring.at(i);
        const CapPoint &b = ring.at(j);
        if (onSegment(a, b, latitude, longitude))
            return true;
        if ((a.latitude > latitude) != (b.latitude > latitude)) {
            const double x = a.longitude
                             + (latitude - a.latitude) * (b.longitude - a.longitude)
                                   / (b.latitude - a.latitude);
            if (longitude < x)
                inside = !inside;
        }
    }
    return inside;
}

} // namespace

bool CapArea::contains(double latitude, double longitude) const
{
    for (const QList<CapPoint> &polygon : polygons) {
        if (polygonContains(polygon, latitude, longitude))
            return true;
    }
    for (const CapCircle &circle : circles) {
        if (distanceKm(circle.centre, latitude, longitude) <= circle.radiusKm)
            return true;
    }
    return false;
}

bool CapInfo::contains(double latitude, double longitude) const
{
    for (const CapArea &area : areas) {
        if (area.contains(latitude, longitude))
            return true;
    }
    return false;
}

QDateTime CapMessage::expires() const
{
    QDateTime latest;
    for (const CapInfo &info : infos) {
        if (!info.expires.isValid())
            return QDateTime();
        if (!latest.isValid() || info.expires > latest)
            latest = info.expires;
    }
    return latest;
}

WeatherAlert::Severity WeatherAlert::severityFromCap(QStringView text)
{
    if (text == u"Extreme")
        return Severity::Extreme;
    if (text == u"Severe")
        return Severity::Severe;
    if (text == u"Moderate")
        return Severity::Moderate;
    if (text == u"Minor")
        return Severity::Minor;
    return Severity::Unknown;
}

QString WeatherAlert::severityToken(Severity severity)
{
    switch (severity) {
    case Severity::Extreme:
        return u"extreme"_s;
    case Severity::Severe:
        return u"severe"_s;
    case Severity::Moderate:
        return u"moderate"_s;
    case Severity::Minor:
        return u"minor"_s;
    case Severity::Unknown:
        break;
    }
    return u"unknown"_s;
}

QString WeatherAlert::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Extreme:
        return QCoreApplication::translate("WeatherAlert", "Extreme");
    case Severity::Severe:
        return QCoreApplication::translate("WeatherAlert", "Severe");
    case Severity::Moderate:
        return QCoreApplication::translate("WeatherAlert", "Moderate");
    case Severity::Minor:
        return QCoreApplication::translate("WeatherAlert", "Minor");
    case Severity::Unknown:
        break;
    }
    return QCoreApplication::translate("WeatherAlert", "Severity unknown");
}
