// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"

#include <QString>
#include <QStringView>

#include <optional>

struct Location;

/**
 * The one name of a weather cache entry, in memory, on disk and in the cache panel. A plain
 * value. Its textual form is the one earlier versions wrote, so disk caches stay valid:
 *
 *     open-meteo/cur/52.52,13.41/metric/en      current conditions
 *     open-meteo/fc/52.52,13.41/metric/en       daily forecast
 *     open-meteo/hr/52.52,13.41/metric/en       hourly forecast
 *     open-meteo/aq/52.52,13.41/metric/en       air quality and pollen (always Open-Meteo)
 *     open-meteo/nc/52.52,13.41/metric/en       nowcast, minutely_15 (always Open-Meteo)
 *     open-meteo/gc/en/<case-folded query>      place search (the query last: it may hold '/')
 *     label/52.52,13.41                         the place name shown for those coordinates
 *     nominatim/rev/52.52,13.41/de              the reverse geocoder's name for that cell ("Here")
 *     alerts/al/52.52,13.41                     the alert ids listed for the place's cell
 *     alerts/cap/<id>                           one CAP message, as the alert server names it
 *
 * Coordinates are rounded to 0.01° (~1 km, finer than either provider's grid, coarse enough
 * that the same city found twice shares its entries), written with two decimals exactly as
 * QString::arg(value, 0, 'f', 2) does. A key holds no API key: there is no field for one,
 * and parse() refuses any segment it does not know.
 */
class WeatherKey
{
public:
    // New kinds go at the end: the numbers are in qHash and in the other engineers' branches.
    // AirQuality and Nowcast (issue 23) are always from Open-Meteo, whatever the weather's
    // provider.
    enum class Kind : quint8 {
        Invalid,
        Search,
        Current,
        Forecast,
        Label,
        Hourly,
        Reverse,
        AlertList, // severe-weather alerts (issue 22): no units, no language
        AlertMessage,
        AirQuality,
        Nowcast,
    };

    WeatherKey() = default;

    static WeatherKey current(const QString &provider, double latitude, double longitude,
                              Units units, const QString &language);
    static WeatherKey current(const QString &provider, const Location &location, Units units,
                              const QString &language);
    static WeatherKey forecast(const QString &provider, double latitude, double longitude,
                               Units units, const QString &language);
    static WeatherKey forecast(const QString &provider, const Location &location, Units units,
                               const QString &language);
    static WeatherKey hourly(const QString &provider, const Location &location, Units units,
                             const QString &language);
    /** `kind` AirQuality or Nowcast; otherwise like hourly(). */
    static WeatherKey feed(Kind kind, const QString &provider, const Location &location,
                           Units units, const QString &language);
    /** `query` as typed (normalized by the caller); the key holds it case-folded. */
    static WeatherKey search(const QString &provider, const QString &language,
                             const QString &query);
    static WeatherKey label(double latitude, double longitude);
    /**
     * The name of the ~1 km cell around a position, as `provider`'s reverse geocoder gives it
     * in `language` ("nominatim/rev/52.52,13.41/de"): the cell is the rounded coordinates.
     */
    static WeatherKey reverse(const QString &provider, double latitude, double longitude,
                              const QString &language);
    static WeatherKey label(const Location &location);
    /** The alert ids for the 0.01° cell of the point; the message keys are alertMessage(). */
    static WeatherKey alertList(double latitude, double longitude);
    /** `id` as the alert server gave it: letters, digits and ".-_:~@" only. */
    static WeatherKey alertMessage(const QString &id);

    /** The key a text names; an invalid key for anything else. */
    static WeatherKey parse(QStringView text);

    /** "52.52,13.41": rounded to 0.01°, two decimals. */
    static QString coordinatesText(double latitude, double longitude);

    bool isValid() const { return m_kind != Kind::Invalid; }
    Kind kind() const { return m_kind; }
    QString provider() const { return m_provider; } // empty for labels
    QString coordinates() const { return m_coordinates; } // empty for searches
    double latitude() const;
    double longitude() const;
    Units units() const { return m_units; } // Metric for searches and labels
    QString language() const { return m_language; } // empty for labels
    QString query() const { return m_query; } // searches only, case-folded
    QString alertId() const { return m_query; } // alert messages only

    /**
     * The same place and settings, another kind (Current, Forecast, Hourly, or Label). A
     * Reverse key has no units and names no weather: only Label is made from it.
     */
    WeatherKey withKind(Kind kind) const;

    QString toString() const;

    friend bool operator==(const WeatherKey &, const WeatherKey &) = default;

    static QString kindToken(Kind kind);

private:
    Kind m_kind = Kind::Invalid;
    QString m_provider;
    QString m_coordinates;
    Units m_units = Units::Metric;
    QString m_language;
    QString m_query;
};

size_t qHash(const WeatherKey &key, size_t seed = 0);
