// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"
#include "weather/weatheranswer.h"

#include <QFuture>
#include <QGeoCoordinate>
#include <QObject>
#include <QString>

#include <optional>

class PositionSource;
class ReverseGeocoder;

/**
 * "Here": the place that moves with the person. Positions from a PositionSource, named by a
 * ReverseGeocoder once per ~1 km cell (WeatherKey's 0.01° rounding), so walking about a
 * town asks Nominatim nothing new, and a position a few kilometres away asks once.
 *
 * The place's coordinates are the position's own (the weather is for where the person is);
 * its name, region and country are the cell's. Where nothing has a name (the sea), the name is
 * the coordinates ("54.20° N, 7.90° E"). attribution() goes with the name wherever it shows.
 *
 * If the name cannot be had (offline, Nominatim down), Here is still the position: named by
 * its coordinates, the weather still comes, and the next move or refresh asks again.
 *
 * Ownership: the source and the geocoder are borrowed and must outlive the locator.
 */
class HereLocator : public QObject
{
    Q_OBJECT
public:
    HereLocator(PositionSource *source, ReverseGeocoder *geocoder, QObject *parent = nullptr);

    /** Follows the position until stop(). */
    void start();
    void stop();
    /**
     * One position (within `timeoutMs`) and its name: for the CLI. Fails with the position
     * source's sentence when none comes.
     */
    QFuture<WeatherAnswer<Location>> locateOnce(int timeoutMs);

    std::optional<Location> place() const { return m_place; }

    /** "© OpenStreetMap contributors" */
    static QString attribution();
    /** The label of a place with no name: "52.52° N, 13.41° E". */
    static QString coordinatesName(double latitude, double longitude);

Q_SIGNALS:
    /** Here moved to another cell (or was named for the first time). */
    void placeChanged(const Location &here);
    /** The position source failed; `sentence` says why, for a person. */
    void failed(const QString &sentence);

private:
    void onPosition(const QGeoCoordinate &coordinate);
    QFuture<WeatherAnswer<Location>> name(const QGeoCoordinate &coordinate);

    PositionSource *m_source;
    ReverseGeocoder *m_geocoder;
    std::optional<Location> m_place;
    QString m_cell; // the cell m_place was named for, or is being named for
    bool m_following = false;
};
