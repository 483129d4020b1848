// SPDX-License-Identifier: MIT
#include "positionsource.h"

#include <QFile>
#include <QGeoPositionInfo>
#include <QGeoPositionInfoSource>
#include <QLoggingCategory>
#include <QNmeaPositionInfoSource>
#include <QVariantMap>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPosition, "weatherdash.position")

PositionSource::PositionSource(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<QGeoCoordinate>(); // for queued connections and QSignalSpy
    m_deadline.setSingleShot(true);
    // GeoClue without an agent may never answer; Qt's own timeout is not relied on alone.
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        // Following, a log read to its end without a fix holds none: Qt's NMEA replay says
        // nothing at the end of its file.
        const bool logEnded = m_running && m_nmeaFile && m_nmeaFile->atEnd();
        if (m_status == Status::Waiting)
            setStatus(logEnded ? Status::Stopped : Status::TimedOut);
        if (!m_running && m_backend)
            m_backend->stopUpdates();
    });
}

PositionSource::~PositionSource() = default;

bool PositionSource::ensureBackend()
{
    if (m_backend)
        return true;
    const QString nmeaPath = qEnvironmentVariable("WEATHERDASH_NMEA_FILE");
    if (!nmeaPath.isEmpty()) {
        auto *file = new QFile(nmeaPath, this);
        if (!file->open(QIODevice::ReadOnly)) {
            qCWarning(lcPosition) << "cannot read the NMEA log" << nmeaPath << file->errorString();
            delete file;
            m_backendName = u"nmea"_s;
            return false;
        }
        auto *nmea = new QNmeaPositionInfoSource(QNmeaPositionInfoSource::SimulationMode, this);
        nmea->setDevice(file);
        m_nmeaFile = file;
        m_backend = nmea;
        m_backendName = u"nmea"_s;
    } else {
        // By name, with the desktop id: GeoClue's agent asks the person about *this* app.
        const QVariantMap parameters{{u"desktopId"_s, QString::fromLatin1(kDesktopId)}};
        m_backend = QGeoPositionInfoSource::createSource(u"geoclue2"_s, parameters, this);
        m_backendName = u"geoclue2"_s;
        if (!m_backend) {
            qCWarning(lcPosition) << "Qt Positioning has no geoclue2 plugin";
            return false;
        }
    }
    // A log replays at its own pace (an interval would hold each fix back that long).
    if (m_backendName != u"nmea"_s)
        m_backend->setUpdateInterval(kUpdateIntervalMs);
    connect(m_backend, &QGeoPositionInfoSource::positionUpdated, this, &PositionSource::onPosition);
    connect(m_backend, &QGeoPositionInfoSource::errorOccurred, this,
            [this](QGeoPositionInfoSource::Error error) {
                qCDebug(lcPosition) << m_backendName << "error" << error;
                switch (error) {
                case QGeoPositionInfoSource::AccessError:
                    setStatus(Status::Denied);
                    break;
                case QGeoPositionInfoSource::ClosedError:
                    setStatus(Status::Stopped);
                    break;
                case QGeoPositionInfoSource::UnknownSourceError:
                    setStatus(Status::Unavailable);
                    break;
                case QGeoPositionInfoSource::UpdateTimeoutError:
                    // A running source says so when it lost the fix: keep the last place.
                    if (m_status == Status::Waiting)
                        setStatus(Status::TimedOut);
                    break;
                case QGeoPositionInfoSource::NoError:
                    break;
                }
            });
    return true;
}

void PositionSource::start()
{
    m_running = true;
    if (!ensureBackend()) {
        setStatus(Status::Unavailable);
        return;
    }
    if (m_status != Status::Active) {
        setStatus(Status::Waiting);
        m_deadline.start(m_nmeaFile ? kLogFirstFixMs : kFirstFixMs);
    }
    m_backend->startUpdates();
}

void PositionSource::stop()
{
    m_running = false;
    m_deadline.stop();
    if (m_backend)
        m_backend->stopUpdates();
    setStatus(Status::Off);
}

void PositionSource::requestUpdate(int timeoutMs)
{
    if (!ensureBackend()) {
        setStatus(Status::Unavailable);
        return;
    }
    setStatus(Status::Waiting);
    m_deadline.start(std::max(1, timeoutMs));
    // Updates, not requestUpdate(): Qt's NMEA replay answers requestUpdate() only from a
    // source that is already reading, and GeoClue's first fix comes the same way.
    m_backend->startUpdates();
}

void PositionSource::onPosition(const QGeoPositionInfo &info)
{
    if (!info.isValid() || !info.coordinate().isValid())
        return;
    m_last = info.coordinate();
    if (!m_running) {
        m_deadline.stop();
        m_backend->stopUpdates(); // one position was asked for
    }
    setStatus(Status::Active);
    Q_EMIT positionUpdated(m_last);
}

void PositionSource::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

bool PositionSource::isFailed() const
{
    return m_status == Status::Denied || m_status == Status::Stopped
           || m_status == Status::Unavailable || m_status == Status::TimedOut;
}

QString PositionSource::statusText() const
{
    if (m_status == Status::Unavailable && m_backendName == u"nmea"_s)
        return tr("The NMEA log in WEATHERDASH_NMEA_FILE cannot be read.");
    if (m_status == Status::Stopped && m_backendName == u"nmea"_s)
        return tr("The NMEA log in WEATHERDASH_NMEA_FILE holds no position.");
    return sentence(m_status);
}

QString PositionSource::sentence(Status status)
{
    switch (status) {
    case Status::Off:
        return tr("Location is off. Turn on “Use my location” to see the weather where you are.");
    case Status::Waiting:
    case Status::Active:
        return QString();
    case Status::Denied:
        return tr("Your desktop did not let WeatherDash know where you are. Turn on location "
                  "services in the system's privacy settings and allow WeatherDash.");
    case Status::Stopped:
        return tr("Location services stopped answering. WeatherDash keeps the last place it "
                  "knew.");
    case Status::Unavailable:
        return tr("No location service is available: WeatherDash needs GeoClue (the "
                  "“geoclue-2.0” package and Qt's geoclue2 positioning plugin).");
    case Status::TimedOut:
        return tr("No position came in time. Location services may be off, or still looking.");
    }
    return QString();
}
