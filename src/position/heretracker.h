// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include <memory>

class HereLocator;
class PlaceBook;
class PositionSource;
class QNetworkAccessManager;
class ReverseGeocoder;
class Settings;
class WeatherService;

/**
 * "Here" in the app: follows Settings::locationEnabled() and keeps PlaceBook's Here in step
 * with the person's position (issue 24). The window only binds widgets to the book (its Here
 * row, hereProblem()) and writes the setting; this class is the only one that asks where the
 * person is.
 *
 * Nothing exists before the person turns location on: the position source, the locator and
 * the reverse geocoder are built at the first turn-on, so GeoClue is never asked and Nominatim
 * never called before. Turning off drops Here from the book and the position source with it
 * (GeoClue lets go); the geocoder stays, with its one-request-a-second gate, for the next
 * turn-on, whose name for an unchanged cell then comes from the cache.
 *
 * Ownership: the book, the settings, the service and the network are borrowed and must
 * outlive the tracker.
 */
class HereTracker : public QObject
{
    Q_OBJECT
public:
    HereTracker(PlaceBook *book, Settings *settings, WeatherService *service,
                QNetworkAccessManager *network, QObject *parent = nullptr);
    ~HereTracker() override;

    /** Following the position now (the setting is on). */
    bool isFollowing() const { return m_locator != nullptr; }
    /** The geocoder once built (the first turn-on); nullptr before. */
    ReverseGeocoder *geocoder() const { return m_geocoder.get(); }
    /** The position source while following; nullptr otherwise. */
    PositionSource *positionSource() const { return m_source.get(); }

private:
    void apply();
    void start();
    void stop();

    PlaceBook *m_book;
    Settings *m_settings;
    WeatherService *m_service;
    QNetworkAccessManager *m_network;
    std::unique_ptr<ReverseGeocoder> m_geocoder;
    // Declared before the locator, which borrows it: destroyed after it.
    std::unique_ptr<PositionSource> m_source;
    std::unique_ptr<HereLocator> m_locator;
};
