// SPDX-License-Identifier: MIT
#include "statuswatch.h"

#include "cache/clock.h"
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWatch, "weatherdash.watch", QtWarningMsg)

namespace {
/**
 * The i3blocks block (full text, short text, maybe a colour, one per line) as one line of
 * i3blocks' JSON: in `interval=persist` mode every line read is an update.
 */
QString i3blocksJson(const QString &block)
{
    const QStringList lines = block.split(u'\n');
    QJsonObject o{{u"full_text"_s, lines.value(0)}, {u"markup"_s, u"pango"_s}};
    if (lines.size() > 1)
        o.insert(u"short_text"_s, lines.at(1));
    if (lines.size() > 2)
        o.insert(u"color"_s, lines.at(2));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
} // namespace

StatusWatch::StatusWatch(WeatherService *service, SqliteTier *disk, CacheTier *shared, Clock *clock,
                         QString city, StatusFormat format, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_disk(disk)
    , m_shared(shared)
    , m_clock(clock)
    , m_city(std::move(city))
    , m_format(std::move(format))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StatusWatch::checkDue);
    connect(m_clock, &Clock::jumped, this, &StatusWatch::checkDue);
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        // The -wal file comes and goes with checkpoints: watch it again when it is back.
        watchDisk();
        for (const QString &key : keys())
            readTier(m_disk, key);
    });
    const auto changed = [this] {
        m_settle.start();
    };
    connect(&m_files, &QFileSystemWatcher::fileChanged, this, changed);
    connect(&m_files, &QFileSystemWatcher::directoryChanged, this, changed);
    if (m_shared) {
        connect(m_shared, &CacheTier::entryLanded, this, [this](const QString &key) {
            if (keys().contains(key))
                readTier(m_shared, key);
        });
        // Subscribed (again): a renewal announced while subscribing, or while Redis was
        // down, was not heard. Read what the line shows from the shared tier now.
        connect(m_shared, &CacheTier::landingsHeard, this, [this] {
            for (const QString &key : keys())
                readTier(m_shared, key);
        });
    }
}

StatusWatch::~StatusWatch() = default;

QStringList StatusWatch::keys() const
{
    if (!m_location)
        return {};
    return {m_service->currentKey(*m_location), m_service->hourlyKey(*m_location)};
}

void StatusWatch::start()
{
    watchDisk();
    // Another machine's renewals: heard even when the watch never loads (a warm disk).
    if (m_shared)
        m_shared->watchLandings(true);
    search();
}

void StatusWatch::watchDisk()
{
    const QString dir = m_disk->directory();
    if (dir.isEmpty() || !QFileInfo::exists(dir))
        return; // not yet: the disk tier creates it, and the first answer comes back here
    // The directory: the -wal file is created and removed as SQLite needs it. The database
    // and its write-ahead log: every commit of every process writes one of them. (The -shm
    // file is written through a memory map, which inotify does not see; reads touch it too.)
    const QString db = dir + u'/' + PersistentStore::fileName();
    QStringList paths{dir};
    for (const QString &file : QStringList{db, db + u"-wal"_s}) {
        if (QFileInfo::exists(file))
            paths << file;
    }
    const QStringList watched = m_files.files() + m_files.directories();
    QStringList missing;
    for (const QString &path : std::as_const(paths)) {
        if (!watched.contains(path))
            missing << path;
    }
    if (!missing.isEmpty()) {
        const QStringList failed = m_files.addPaths(missing);
        if (!failed.isEmpty())
            qCDebug(lcWatch) << "cannot watch" << failed;
    }
}

void StatusWatch::search()
{
    m_inFlight = true;
    QPointer<StatusWatch> self(this);
    m_service->searchLocations(m_city).then(
        m_continuations.object(),
        [self, keep = m_continuations.keepAlive()](const WeatherAnswer<QList<Location>> &found) {
            if (!self)
                return;
            self->m_inFlight = false;
            if (!found.ok() || found.value->isEmpty()) {
                self->failedSearch(found.error.isError() ? found.error
                                                         : WeatherError(WeatherError::CityNotFound,
                                                                        {}, self->m_city));
                return;
            }
            self->m_location = found.value->constFirst();
            self->m_retryDelay = 0;
            self->ask();
        });
}

void StatusWatch::failedSearch(const WeatherError &error)
{
    const QString line = m_format.render(StatusInput::fromAnswer(m_city, nullptr, error, nullptr));
    if (line != m_lastLine) {
        m_lastLine = line;
        Q_EMIT lineReady(line);
    }
    if (WeatherSession::needsThePerson(error)) {
        Q_EMIT finished(m_format.failureSetsExitStatus() ? 1 : 0);
        return;
    }
    retryLater(error);
}

void StatusWatch::ask()
{
    if (!m_location) {
        search();
        return;
    }
    m_inFlight = true;
    m_recheck = false;
    m_due = -1;
    m_timer.stop();
    QPointer<StatusWatch> self(this);
    const Location place = *m_location;
    m_service->current(place).then(
        m_continuations.object(), [self, place, keep = m_continuations.keepAlive()](
                                      const WeatherAnswer<CurrentConditions> &current) {
            if (!self)
                return;
            if (!current.ok()) {
                self->answered(current, std::nullopt);
                return;
            }
            self->m_service->hourly(place).then(
                self->m_continuations.object(),
                [self, current, keep = self->m_continuations.keepAlive()](
                    const WeatherAnswer<HourlyForecastList> &hours) {
                    if (self)
                        self->answered(current, hours);
                });
        });
}

void StatusWatch::answered(const WeatherAnswer<CurrentConditions> &current,
                           const std::optional<WeatherAnswer<HourlyForecastList>> &hours)
{
    m_inFlight = false;
    watchDisk(); // the database exists now, if it did not at start
    const qint64 now = m_clock->now();
    const QStringList k = keys();
    bool renewed = false;
    const auto note = [&](const QString &key, qint64 ageMs) {
        const qint64 loadedAt = now - ageMs;
        if (loadedAt > m_seen.value(key, -1)) {
            m_seen.insert(key, loadedAt);
            renewed = true;
        }
    };
    if (current.ok())
        note(k.at(0), current.ageMs);
    if (hours && hours->ok())
        note(k.at(1), hours->ageMs);

    StatusInput input = StatusInput::fromAnswer(m_city, &*m_location, current.error, &current);
    input.now = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
    if (hours && hours->ok()) {
        for (const HourlyForecast &shown : upcomingHours(*hours->value, input.now, /*hours*/ 48)) {
            const HourlyForecast h = shown.convertedTo(UnitSet::metric()); // %p is in mm
            const QDateTime time = shown.time.toOffsetFromUtc(shown.utcOffsetSeconds.value_or(0));
            input.hourly.append({time, shown.temperature, h.condition, h.isDay,
                                 h.precipitationProbability, h.precipitation});
        }
    }
    if (renewed)
        m_lastLine.clear(); // a renewal is a line, however like the last it reads
    show(input);

    // The next time the watch asks by itself: the first expiry of what it shows, plus the
    // grace another process has to renew it; after a failure, the back-off.
    const bool failed = !current.ok() || current.source == AnswerSource::Stale
                        || (hours && !hours->ok() && hours->source == AnswerSource::Stale);
    if (failed) {
        if (WeatherSession::needsThePerson(current.error)) {
            Q_EMIT finished(m_format.failureSetsExitStatus() ? 1 : 0);
            return;
        }
        retryLater(current.error);
    } else {
        m_retryDelay = 0;
        qint64 due = m_seen.value(k.at(0)) + m_service->lifetimeMs(WeatherKey::Kind::Current);
        if (m_seen.contains(k.at(1)))
            due = std::min(due,
                           m_seen.value(k.at(1)) + m_service->lifetimeMs(WeatherKey::Kind::Hourly));
        m_due = std::max(due + kGraceMs, now + WeatherSession::kMinimumIntervalMs);
        arm();
    }
    if (m_shared && !std::exchange(m_sharedRead, true)) {
        // The first answer came from the nearest tier that had one (memory, the disk): the
        // shared tier may hold a newer one, renewed before the watch subscribed (and
        // landingsHeard() may have come before the place was known).
        for (const QString &key : k)
            readTier(m_shared, key);
    }
    if (m_recheck) {
        // A renewal was heard while this answer was on the way: it may be newer still. Either
        // tier may hold it (the disk's files changed, or the shared tier announced it).
        m_recheck = false;
        for (const QString &key : k) {
            readTier(m_disk, key);
            if (m_shared)
                readTier(m_shared, key);
        }
    }
}

void StatusWatch::show(const StatusInput &input)
{
    QString line = m_format.render(input);
    if (m_format.kind() == StatusFormat::Kind::I3blocks)
        line = i3blocksJson(line);
    if (line != m_lastLine) {
        m_lastLine = line;
        Q_EMIT lineReady(line);
    }
    const QString problem = input.error.isError() ? input.error.message() : QString();
    if (problem != m_lastProblem) {
        m_lastProblem = problem;
        if (!problem.isEmpty())
            Q_EMIT problemOccurred(problem);
    }
}

void StatusWatch::retryLater(const WeatherError &error)
{
    m_retryDelay = m_retryDelay > 0 ? std::min(m_retryDelay * 2, WeatherSession::kLongestRetryMs)
                                    : WeatherSession::kFirstRetryMs;
    qint64 delay = m_retryDelay;
    if (error.retryAfter() > 0)
        delay = std::max(delay, qint64(error.retryAfter()) * 1000);
    m_due = m_clock->now() + delay;
    arm();
}

void StatusWatch::readTier(CacheTier *tier, const QString &key)
{
    if (m_inFlight) {
        m_recheck = true; // read again once the answer on the way is in
        return;
    }
    QPointer<StatusWatch> self(this);
    QPointer<CacheTier> from(tier);
    ++m_reads;
    tier->get(key).then(
        m_continuations.object(),
        [self, from, key, keep = m_continuations.keepAlive()](const TierGetResult &read) {
            if (!self)
                return;
            --self->m_reads;
            if (!from || !read.ok() || !read.value || read.value->negative)
                return;
            const TierEntry &entry = *read.value;
            if (entry.loadedAt <= self->m_seen.value(key, -1))
                return; // what the line already shows (or older)
            qCDebug(lcWatch) << key << "renewed in the" << from->name() << "tier";
            // Another machine's answer: down into the disk, where the service's
            // walk reads it (memory, then the disk, then the shared tier).
            if (from != self->m_disk)
                self->m_disk->put(key, entry);
            self->m_service->cache()->invalidate(key);
            if (self->m_inFlight)
                self->m_recheck = true;
            else
                self->ask();
        });
}

void StatusWatch::arm()
{
    if (m_due < 0) {
        m_timer.stop();
        return;
    }
    const qint64 left = m_due - m_clock->now();
    m_timer.start(int(std::clamp<qint64>(left, 0, kLongestSleepMs)));
}

void StatusWatch::checkDue()
{
    if (m_inFlight || m_due < 0)
        return;
    if (m_clock->now() < m_due) {
        arm();
        return;
    }
    m_due = -1;
    ask();
}
