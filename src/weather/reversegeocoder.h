// SPDX-License-Identifier: MIT
#pragma once

#include "location.h"
#include "weatheranswer.h"
#include "weatherservice.h"

#include <QFuture>
#include <QObject>
#include <QUrl>

#include <memory>

class Clock;
class NominatimProvider;
class QNetworkAccessManager;

/**
 * The name of the ~1 km cell a position is in, for "Here": one Nominatim reverse lookup per
 * cell, kept 30 days in the weather cache (memory, disk, shared), so a person who stays put asks
 * once a month. The key is WeatherKey::reverse("nominatim", cell, language); the value a list
 * of one Location, whose name is empty where nothing has one (the sea).
 *
 * One geocoder per process: it owns the NominatimProvider, whose gate keeps every request of
 * the application one second apart.
 *
 * Ownership: the QNetworkAccessManager, the layers (WeatherService::layers(), so the names sit
 * in the same tiers as the weather) and the Clock are borrowed and must outlive the geocoder.
 */
class ReverseGeocoder : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kNameTtlMs = 30LL * 24 * 60 * 60 * 1000;

    ReverseGeocoder(QNetworkAccessManager *network, WeatherLayers *layers, Clock *clock,
                    const QUrl &base = QUrl(), QObject *parent = nullptr);
    ~ReverseGeocoder() override;

    /** accept-language, part of the key; anything unlike a language tag is "en". */
    void setLanguage(const QString &language);
    QString language() const;

    /** The base in use (the argument, or WEATHERDASH_NOMINATIM_URL, or Nominatim's). */
    QUrl baseUrl() const;

    /** The key name() reads and writes for the point. */
    QString key(double latitude, double longitude) const;

    /**
     * The cell's name, from the cache or one request. The answer's place keeps the cell's
     * first asker's coordinates: the caller puts its own in before fetching weather.
     */
    QFuture<WeatherAnswer<Location>> name(double latitude, double longitude);

    /** Requests that left for Nominatim since construction. */
    int requestsSent() const { return m_requestsSent; }

Q_SIGNALS:
    /** A request left for Nominatim (after the gate). */
    void requestSent();

private:
    WeatherLayers *m_layers;
    std::unique_ptr<NominatimProvider> m_provider;
    int m_requestsSent = 0;
};
