// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "location.h"
#include "savedplace.h"
#include "serviceconfig.h"
#include "units.h"

#include <QObject>
#include <QSettings>

#include <memory>

/**
 * The user's settings, typed, in one place (QSettings underneath: ~/.config/WeatherDash/
 * WeatherDash.ini on Linux). The API key lives here and nowhere else on disk; when the
 * settings hold none, OPENWEATHERMAP_API_KEY is used. So the file is the owner's alone (0600):
 * created so before its first write, and an older file readable by others is made so when
 * Settings opens it.
 *
 * Setters write at once and emit changed(); a setter given the current value emits nothing.
 * Durations read back are clamped to [a minimum, kMaxDurationMs]: a hand-edited file cannot
 * make deadline arithmetic downstream overflow, and an unreadable number is the default.
 */
class Settings : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRecentLocations = 8;
    static constexpr int kMaxSavedPlaces = 30;
    /** The longest TTL or stale horizon: a century, what the cache treats as "never". */
    static constexpr qint64 kMaxDurationMs = 100LL * 365 * 24 * 3600 * 1000;

    /** The user's settings file. */
    explicit Settings(QObject *parent = nullptr);
    /** A given INI file (tests, --settings). */
    explicit Settings(const QString &iniFile, QObject *parent = nullptr);
    ~Settings() override;

    QString providerId() const;
    void setProviderId(const QString &id);

    /** From the settings, else from OPENWEATHERMAP_API_KEY. */
    QString apiKey() const;
    /** Only what the user typed into the settings (empty when it comes from the environment). */
    QString storedApiKey() const;
    void setApiKey(const QString &key);

    /**
     * The shared cache (a Redis URL, may hold a password): $WEATHERDASH_REDIS_URL when set,
     * else the settings; empty: no shared cache. Read at start.
     */
    QString sharedCacheUrl() const;
    QString storedSharedCacheUrl() const;
    void setSharedCacheUrl(const QString &url);
    /**
     * For a rediss:// shared cache: the PEM file of the CA its certificate must be signed by
     * ($WEATHERDASH_REDIS_TLS_CA when set, else the settings; empty: the system's CAs), and a
     * client certificate and its key ($WEATHERDASH_REDIS_TLS_CERT, _KEY, else the settings;
     * empty: none) for servers with `tls-auth-clients yes`.
     */
    QString sharedCacheTlsCaFile() const;
    QString storedSharedCacheTlsCaFile() const;
    void setSharedCacheTlsCaFile(const QString &path);
    QString sharedCacheTlsCertFile() const;
    QString sharedCacheTlsKeyFile() const;

    /**
     * How long a machine's lease on a missing entry lasts before another may load it too
     * (it is renewed while the load runs): $WEATHERDASH_REDIS_LEASE_MS when set, else the
     * settings, else 30 s; between kMinLeaseMs and kMaxLeaseMs.
     */
    qint64 sharedCacheLeaseMs() const;
    void setSharedCacheLeaseMs(qint64 ms);
    static constexpr qint64 kMinLeaseMs = 1'000;
    static constexpr qint64 kMaxLeaseMs = 10 * 60 * 1000;

    /**
     * One unit per quantity (units/temperature, units/windSpeed, units/pressure,
     * units/precipitation, as unitToken()s). A quantity not stored yet follows the single
     * weather/units ("metric"/"imperial") that earlier versions wrote, so an Imperial user
     * keeps °F and mph and gets inHg and inches with them.
     */
    UnitSet units() const;
    void setUnits(const UnitSet &units);
    /** A preset: every quantity at once. */
    void setUnits(Units preset) { setUnits(UnitSet::preset(preset)); }

    qint64 currentTtlMs() const;
    void setCurrentTtlMs(qint64 ms);
    qint64 forecastTtlMs() const;
    void setForecastTtlMs(qint64 ms);
    qint64 hourlyTtlMs() const;
    void setHourlyTtlMs(qint64 ms);
    qint64 staleHorizonMs() const;
    void setStaleHorizonMs(qint64 ms);
    qint64 memoryLimitBytes() const;
    void setMemoryLimitBytes(qint64 bytes);

    /** The place shown last, restored at start (invalid Location when none). */
    Location lastLocation() const;
    void setLastLocation(const Location &location);
    /** Most recent first, at most kMaxRecentLocations, no duplicates. */
    QList<Location> recentLocations() const;
    void addRecentLocation(const Location &location);

    /** The Places list in the person's order, at most kMaxSavedPlaces. */
    QList<SavedPlace> savedPlaces() const;
    void setSavedPlaces(const QList<SavedPlace> &places);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    /** Everything WeatherService needs, endpoints from the environment. */
    ServiceConfig serviceConfig() const;

    /** The settings file: the profile (one window per profile, see SingleInstance). */
    QString fileName() const;

    // --- Desktop: tray and notifications (all off by default) ---
    static constexpr int kDefaultOutageMinutes = 30;
    static constexpr int kMaxOutageMinutes = 24 * 60;
    /** Closing the window keeps WeatherDash in the tray (when there is one). */
    bool keepInTray() const;
    void setKeepInTray(bool keep);
    /** A notification when refreshing has failed for outageMinutes() (once per outage). */
    bool notifyOutage() const;
    void setNotifyOutage(bool notify);
    /** 1 to kMaxOutageMinutes, default kDefaultOutageMinutes. */
    int outageMinutes() const;
    void setOutageMinutes(int minutes);
    /** A notification when rain starts within the hour at a saved place. */
    bool notifyRain() const;
    void setNotifyRain(bool notify);
    /**
     * Issue 22: the least severity of weather alert that is notified ("extreme", "severe",
     * "moderate", "minor", "any"); empty (the default): none. Anything else reads as empty.
     */
    QString alertThreshold() const;
    void setAlertThreshold(const QString &severity);
    /** The air-quality index the card shows (issue 23): European (default) or US. */
    AirQuality::Scale airQualityScale() const;
    void setAirQualityScale(AirQuality::Scale scale);

    // --- "Here" (issue 24) ---
    /**
     * The person turned on "Use my location": only then is GeoClue asked where they are, and
     * only then is Nominatim asked the place's name. Off by default.
     */
    bool locationEnabled() const;
    void setLocationEnabled(bool enabled);

Q_SIGNALS:
    void changed();

private:
    QVariant read(const QString &key, const QVariant &fallback) const;
    qint64 readBounded(const QString &key, qint64 fallback, qint64 minimum, qint64 maximum) const;
    void write(const QString &key, const QVariant &value);
    /** Creates the file 0600 if missing, and takes away others' access if it has any. */
    void keepFilePrivate() const;

    std::unique_ptr<QSettings> m_settings;
};
