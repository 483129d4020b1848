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
     * "Berlin, Berlin, DE", "London, England, GB", "London, Ontario, CA": name, region and
     * country code, skipping empty parts, a region equal to the country and a country equal to
     * the region. The region is kept even when it repeats the name ("Berlin, Berlin") because
     * it is what tells the city apart from a same-named town elsewhere in the country.
     */
    QString displayName() const;

    bool isValid() const;

    friend bool operator==(const Location &, const Location &) = default;
};

QDataStream &operator<<(QDataStream &out, const Location &location);
QDataStream &operator>>(QDataStream &in, Location &location);

Q_DECLARE_METATYPE(Location)
