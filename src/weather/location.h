// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * A place the user picked, as a provider's geocoder described it. A plain value: copy it
 * freely. Coordinates are WGS84 degrees; a forecast is always fetched by coordinates, never by
 * name, so two places called "London" never get mixed up.
 */
struct Location
{
    QString name;
    /** First-level area: state, province, region ("England", "Ontario"); may be empty. */
    QString region;
    /** Country name in English; may be empty (OpenWeatherMap only gives the code). */
    QString country;
    /** ISO 3166-1 alpha-2, upper case ("DE"); may be empty. */
    QString countryCode;
    double latitude = 0.0;
    double longitude = 0.0;
    /** IANA name ("Europe/Berlin") or empty when the provider does not say. */
    QString timezone;
    /** Offset from UTC in seconds when known (it changes with daylight saving). */
    std::optional<int> utcOffsetSeconds;

    /**
     * "Berlin, DE", "London, England, GB", "London, Ontario, CA": name, region and country
     * code, skipping empty parts, a region equal to the name or to the country, and a country
     * equal to the region. A region that only repeats the name ("Berlin, Berlin", "Tokyo,
     * Tokyo") tells a person nothing: the city is the region. The comparison ignores case and
     * accents ("São Paulo" is "Sao Paulo").
     */
    QString displayName() const;

    /** The same words for a person: case, accents and surrounding spaces aside. */
    static bool sameText(const QString &a, const QString &b);

    bool isValid() const;

    friend bool operator==(const Location &, const Location &) = default;
};

QDataStream &operator<<(QDataStream &out, const Location &location);
QDataStream &operator>>(QDataStream &in, Location &location);

Q_DECLARE_METATYPE(Location)
