// SPDX-License-Identifier: MIT
#include "settings.h"

#include "cache/layeredcache.h"
#include "providerfactory.h"
#include "streamhelpers_p.h"
#include "translations.h"

#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

const ServiceConfig kDefaults;

QByteArray toBytes(const QList<Location> &locations)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << qint32(locations.size());
    for (const Location &l : locations)
        out << l;
    return bytes;
}

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
                                       | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

QList<Location> fromBytes(const QByteArray &bytes)
{
    QDataStream in(bytes);
    qint32 count = 0;
    in >> count;
    QList<Location> locations;
    for (qint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        Location l;
        in >> l;
        if (in.status() == QDataStream::Ok && l.isValid())
            locations << l;
    }
    return locations;
}

} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                             u"WeatherDash"_s, u"WeatherDash"_s))
{
    if (QFileInfo::exists(m_settings->fileName()))
        keepFilePrivate();
}

Settings::Settings(const QString &iniFile, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
    if (QFileInfo::exists(m_settings->fileName()))
        keepFilePrivate();
}

Settings::~Settings() = default;

void Settings::keepFilePrivate() const
{
    const QString path = m_settings->fileName();
    QFile file(path);
    if (!file.exists()) {
        // Created 0600 in one step, before the key is ever written: no moment when others may
        // read it. QSettings then writes through QSaveFile, which keeps these permissions.
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly))
            file.close();
        return;
    }
    if (file.permissions().testAnyFlags(kOthers))
        file.setPermissions(kOwnerOnly);
}

QVariant Settings::read(const QString &key, const QVariant &fallback) const
{
    return m_settings->value(key, fallback);
}

qint64 Settings::readBounded(const QString &key, qint64 fallback, qint64 minimum,
                             qint64 maximum) const
{
    bool ok = false;
    const qint64 value = read(key, fallback).toLongLong(&ok);
    return std::clamp(ok ? value : fallback, minimum, maximum);
}

void Settings::write(const QString &key, const QVariant &value)
{
    if (m_settings->value(key) == value)
        return;
    keepFilePrivate();
    m_settings->setValue(key, value);
    m_settings->sync();
    // Whatever wrote the file last (another program, an older version), it stays ours alone.
    keepFilePrivate();
    Q_EMIT changed();
}

QString Settings::providerId() const
{
    const QString id = read(u"weather/provider"_s, kDefaults.providerId).toString();
    return providerOrDefault(id).id;
}

void Settings::setProviderId(const QString &id)
{
    write(u"weather/provider"_s, id);
}

QString Settings::apiKey() const
{
    const QString stored = storedApiKey();
    return stored.isEmpty() ? qEnvironmentVariable("OPENWEATHERMAP_API_KEY").trimmed() : stored;
}

QString Settings::storedApiKey() const
{
    return read(u"openweathermap/apiKey"_s, QString()).toString().trimmed();
}

void Settings::setApiKey(const QString &key)
{
    write(u"openweathermap/apiKey"_s, key.trimmed());
}

QString Settings::sharedCacheUrl() const
{
    const QString fromEnvironment = qEnvironmentVariable("WEATHERDASH_REDIS_URL").trimmed();
    return fromEnvironment.isEmpty() ? storedSharedCacheUrl() : fromEnvironment;
}

QString Settings::storedSharedCacheUrl() const
{
    return read(u"sharedCache/url"_s, QString()).toString().trimmed();
}

void Settings::setSharedCacheUrl(const QString &url)
{
    write(u"sharedCache/url"_s, url.trimmed());
}

namespace {
QString environmentOr(const char *variable, const QString &stored)
{
    const QString fromEnvironment = qEnvironmentVariable(variable).trimmed();
    return fromEnvironment.isEmpty() ? stored : fromEnvironment;
}
} // namespace

QString Settings::sharedCacheTlsCaFile() const
{
    return environmentOr("WEATHERDASH_REDIS_TLS_CA", storedSharedCacheTlsCaFile());
}

QString Settings::storedSharedCacheTlsCaFile() const
{
    return read(u"sharedCache/tlsCaFile"_s, QString()).toString().trimmed();
}

void Settings::setSharedCacheTlsCaFile(const QString &path)
{
    write(u"sharedCache/tlsCaFile"_s, path.trimmed());
}

QString Settings::sharedCacheTlsCertFile() const
{
    return environmentOr("WEATHERDASH_REDIS_TLS_CERT",
                         read(u"sharedCache/tlsCertFile"_s, QString()).toString().trimmed());
}

QString Settings::sharedCacheTlsKeyFile() const
{
    return environmentOr("WEATHERDASH_REDIS_TLS_KEY",
                         read(u"sharedCache/tlsKeyFile"_s, QString()).toString().trimmed());
}

qint64 Settings::sharedCacheLeaseMs() const
{
    bool ok = false;
    const qint64 fromEnvironment
        = qEnvironmentVariable("WEATHERDASH_REDIS_LEASE_MS").trimmed().toLongLong(&ok);
    if (ok)
        return std::clamp(fromEnvironment, kMinLeaseMs, kMaxLeaseMs);
    return readBounded(u"sharedCache/leaseMs"_s, LayeredCacheBase::kDefaultLeaseMs, kMinLeaseMs,
                       kMaxLeaseMs);
}

void Settings::setSharedCacheLeaseMs(qint64 ms)
{
    write(u"sharedCache/leaseMs"_s, ms);
}

UnitSet Settings::units() const
{
    const Units legacy
        = unitsFromString(read(u"weather/units"_s, u"metric"_s).toString()).value_or(Units::Metric);
    UnitSet units = UnitSet::preset(legacy);
    // Each key is read with its own quantity's parser: "inhg" under units/temperature is
    // ignored (the legacy choice stays), never taken for a pressure.
    const auto token = [this](const QString &key) {
        return read(key, QString()).toString();
    };
    if (const auto unit = temperatureUnitFromToken(token(u"units/temperature"_s)))
        units.temperature = *unit;
    if (const auto unit = windSpeedUnitFromToken(token(u"units/windSpeed"_s)))
        units.windSpeed = *unit;
    if (const auto unit = pressureUnitFromToken(token(u"units/pressure"_s)))
        units.pressure = *unit;
    if (const auto unit = precipitationUnitFromToken(token(u"units/precipitation"_s)))
        units.precipitation = *unit;
    return units;
}

void Settings::setUnits(const UnitSet &units)
{
    // One write per changed key, but one changed() for the lot would need a batch API; the
    // window applies settings on a zero timer, so a preset still applies once.
    write(u"units/temperature"_s, unitToken(units.temperature));
    write(u"units/windSpeed"_s, unitToken(units.windSpeed));
    write(u"units/pressure"_s, unitToken(units.pressure));
    write(u"units/precipitation"_s, unitToken(units.precipitation));
    // Older versions read this one: keep it telling them the nearest system.
    write(u"weather/units"_s,
          unitsToString(units.temperature == TemperatureUnit::Fahrenheit ? Units::Imperial
                                                                         : Units::Metric));
}

qint64 Settings::currentTtlMs() const
{
    return readBounded(u"cache/currentTtlMs"_s, kDefaults.currentTtlMs, 60'000, kMaxDurationMs);
}

void Settings::setCurrentTtlMs(qint64 ms)
{
    write(u"cache/currentTtlMs"_s, ms);
}

qint64 Settings::forecastTtlMs() const
{
    return readBounded(u"cache/forecastTtlMs"_s, kDefaults.forecastTtlMs, 60'000, kMaxDurationMs);
}

void Settings::setForecastTtlMs(qint64 ms)
{
    write(u"cache/forecastTtlMs"_s, ms);
}

qint64 Settings::hourlyTtlMs() const
{
    return readBounded(u"cache/hourlyTtlMs"_s, kDefaults.hourlyTtlMs, 60'000, kMaxDurationMs);
}

void Settings::setHourlyTtlMs(qint64 ms)
{
    write(u"cache/hourlyTtlMs"_s, ms);
}

qint64 Settings::staleHorizonMs() const
{
    return readBounded(u"cache/staleHorizonMs"_s, kDefaults.staleHorizonMs, 0, kMaxDurationMs);
}

void Settings::setStaleHorizonMs(qint64 ms)
{
    write(u"cache/staleHorizonMs"_s, ms);
}

qint64 Settings::memoryLimitBytes() const
{
    return readBounded(u"cache/memoryLimitBytes"_s, kDefaults.memoryLimitBytes, 1024 * 1024,
                       std::numeric_limits<qint64>::max());
}

void Settings::setMemoryLimitBytes(qint64 bytes)
{
    write(u"cache/memoryLimitBytes"_s, bytes);
}

Location Settings::lastLocation() const
{
    const QList<Location> one
        = fromBytes(read(u"session/lastLocation"_s, QByteArray()).toByteArray());
    return one.isEmpty() ? Location() : one.first();
}

void Settings::setLastLocation(const Location &location)
{
    write(u"session/lastLocation"_s, toBytes({location}));
}

QList<Location> Settings::recentLocations() const
{
    return fromBytes(read(u"session/recentLocations"_s, QByteArray()).toByteArray());
}

void Settings::addRecentLocation(const Location &location)
{
    QList<Location> recent = recentLocations();
    recent.removeIf([&](const Location &l) {
        return qFuzzyCompare(l.latitude, location.latitude)
               && qFuzzyCompare(l.longitude, location.longitude) && l.name == location.name;
    });
    recent.prepend(location);
    if (recent.size() > kMaxRecentLocations)
        recent.resize(kMaxRecentLocations);
    write(u"session/recentLocations"_s, toBytes(recent));
}

namespace {
constexpr quint8 kSavedPlacesVersion = 1;
}

QList<SavedPlace> Settings::savedPlaces() const
{
    const QByteArray bytes = read(u"places/saved"_s, QByteArray()).toByteArray();
    QDataStream in(bytes);
    QList<SavedPlace> places;
    if (bytes.isEmpty() || !WeatherStream::readVersion(in, kSavedPlacesVersion))
        return places;
    qint32 count = 0;
    in >> count;
    for (qint32 i = 0; i < count && i < kMaxSavedPlaces && in.status() == QDataStream::Ok; ++i) {
        SavedPlace place;
        in >> place.location;
        WeatherStream::readString(in, place.label);
        if (in.status() == QDataStream::Ok && place.location.isValid()
            && !place.location.name.isEmpty())
            places.append(place);
    }
    return places;
}

void Settings::setSavedPlaces(const QList<SavedPlace> &places)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    const qsizetype count = qMin<qsizetype>(places.size(), kMaxSavedPlaces);
    out << kSavedPlacesVersion << qint32(count);
    for (qsizetype i = 0; i < count; ++i)
        out << places.at(i).location << places.at(i).label;
    write(u"places/saved"_s, bytes);
}

QByteArray Settings::windowGeometry() const
{
    return read(u"window/geometry"_s, QByteArray()).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    write(u"window/geometry"_s, geometry);
}

QByteArray Settings::windowState() const
{
    return read(u"window/state"_s, QByteArray()).toByteArray();
}

void Settings::setWindowState(const QByteArray &state)
{
    write(u"window/state"_s, state);
}

ServiceConfig Settings::serviceConfig() const
{
    ServiceConfig c;
    c.providerId = providerId();
    c.apiKey = apiKey();
    c.units = units();
    c.currentTtlMs = currentTtlMs();
    c.forecastTtlMs = forecastTtlMs();
    c.hourlyTtlMs = hourlyTtlMs();
    c.staleHorizonMs = staleHorizonMs();
    c.memoryLimitBytes = memoryLimitBytes();
    // Place names and OpenWeatherMap's condition texts in the language of the window's words
    // (Translations::install() set the default locale to it).
    c.language = Translations::providerLanguage();
    return c;
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

bool Settings::keepInTray() const
{
    return read(u"desktop/keepInTray"_s, false).toBool();
}

void Settings::setKeepInTray(bool keep)
{
    write(u"desktop/keepInTray"_s, keep);
}

bool Settings::notifyOutage() const
{
    return read(u"desktop/notifyOutage"_s, false).toBool();
}

void Settings::setNotifyOutage(bool notify)
{
    write(u"desktop/notifyOutage"_s, notify);
}

int Settings::outageMinutes() const
{
    return int(
        readBounded(u"desktop/outageMinutes"_s, kDefaultOutageMinutes, 1, kMaxOutageMinutes));
}

void Settings::setOutageMinutes(int minutes)
{
    write(u"desktop/outageMinutes"_s, std::clamp(minutes, 1, kMaxOutageMinutes));
}

bool Settings::notifyRain() const
{
    return read(u"desktop/notifyRain"_s, false).toBool();
}

void Settings::setNotifyRain(bool notify)
{
    write(u"desktop/notifyRain"_s, notify);
}

AirQuality::Scale Settings::airQualityScale() const
{
    return read(u"display/airQualityScale"_s, u"european"_s).toString() == u"us"_s
               ? AirQuality::Scale::US
               : AirQuality::Scale::European;
}

void Settings::setAirQualityScale(AirQuality::Scale scale)
{
    write(u"display/airQualityScale"_s, scale == AirQuality::Scale::US ? u"us"_s : u"european"_s);
}

bool Settings::locationEnabled() const
{
    return read(u"location/enabled"_s, false).toBool();
}

void Settings::setLocationEnabled(bool enabled)
{
    write(u"location/enabled"_s, enabled);
}

// issue 22: weather alerts' notification threshold
QString Settings::alertThreshold() const
{
    const QString value = read(u"desktop/alertThreshold"_s, QString()).toString();
    static const QStringList kKnown{u"extreme"_s, u"severe"_s, u"moderate"_s, u"minor"_s, u"any"_s};
    return kKnown.contains(value) ? value : QString();
}

void Settings::setAlertThreshold(const QString &severity)
{
    write(u"desktop/alertThreshold"_s, severity);
}
