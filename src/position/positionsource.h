// SPDX-License-Identifier: MIT
#pragma once

#include <QGeoCoordinate>
#include <QObject>
#include <QTimer>

class QFile;
class QGeoPositionInfo;
class QGeoPositionInfoSource;

/**
 * Where the person is, for "Here": GeoClue2 through Qt Positioning, or an NMEA log.
 *
 * - Default: Qt's `geoclue2` plugin, created by name with the desktop id kDesktopId passed as
 *   its `desktopId` parameter (Qt 6.4's plugin otherwise sends the application name, which
 *   GeoClue's agent matches against no desktop file). No IP geolocation, ever.
 * - WEATHERDASH_NMEA_FILE=path: QNmeaPositionInfoSource in SimulationMode over that file
 *   ($GPRMC/$GPGGA sentences), for tests and for a GPS receiver's log.
 *
 * Nothing is created and nothing asks for a position before start() or requestUpdate(): the
 * caller calls them only once the person turned location on (Settings::locationEnabled(), or
 * the CLI's --here). stop() lets GeoClue go again.
 *
 * The backend is owned; a denied, missing or stopped service becomes a Status with a sentence
 * of its own, never a dialog: widgets decide how to show it.
 */
class PositionSource : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kDesktopId = "io.github.weatherdash.WeatherDash";
    /** How often a running source reports (GeoClue may report less often when not moved). */
    static constexpr int kUpdateIntervalMs = 60'000;
    /**
     * Following (start()), how long without a first position before the person is told: the
     * sentence for TimedOut, while the source keeps listening (a fix that comes later still
     * counts). GeoClue without an agent, or with location services about to say no, may take
     * this long or never answer.
     */
    static constexpr int kFirstFixMs = 30'000;
    /** The same for an NMEA log, which is read at once: a log with no fix has ended by then. */
    static constexpr int kLogFirstFixMs = 2'000;

    enum class Status : quint8 {
        Off, ///< not started: nothing was asked
        Waiting, ///< started, no position yet
        Active, ///< a position came
        Denied, ///< GeoClue's agent (the desktop) refused, or location services are off
        Stopped, ///< the service went away, or the log ended without a position
        Unavailable, ///< no GeoClue (plugin or service missing), or the NMEA file unreadable
        TimedOut, ///< requestUpdate()'s time, or kFirstFixMs following, passed without a position
    };
    Q_ENUM(Status)

    explicit PositionSource(QObject *parent = nullptr);
    ~PositionSource() override;

    /** Regular updates until stop(). */
    void start();
    void stop();
    /** One position within `timeoutMs`, or TimedOut. */
    void requestUpdate(int timeoutMs);

    Status status() const { return m_status; }
    /** The sentence for status() ("" while Waiting or Active). */
    QString statusText() const;
    static QString sentence(Status status);
    bool isFailed() const;

    QGeoCoordinate lastCoordinate() const { return m_last; }
    /** "geoclue2", "nmea", or "" before the first start. */
    QString backendName() const { return m_backendName; }

Q_SIGNALS:
    void positionUpdated(const QGeoCoordinate &coordinate);
    void statusChanged(PositionSource::Status status);

private:
    bool ensureBackend();
    void setStatus(Status status);
    void onPosition(const QGeoPositionInfo &info);

    QGeoPositionInfoSource *m_backend = nullptr;
    QFile *m_nmeaFile = nullptr; // the log WEATHERDASH_NMEA_FILE names, a child; else null
    QString m_backendName;
    QTimer m_deadline;
    QGeoCoordinate m_last;
    Status m_status = Status::Off;
    bool m_running = false;
};
