// SPDX-License-Identifier: MIT
#include "cacheentrymodel.h"

#include "displaytext.h"

#include <QHash>
#include <QLocale>

#include <limits>

using namespace Qt::StringLiterals;

CacheEntryModel::CacheEntryModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(kDefaultTickMs);
    connect(m_timer, &QTimer::timeout, this, &CacheEntryModel::onTick);
}

CacheEntryModel::~CacheEntryModel() = default;

void CacheEntryModel::setSource(AsyncCacheBase *cache, EntriesFunction entries, InfoFunction info,
                                HorizonFunction staleHorizon)
{
    if (m_cache) {
        disconnect(m_cache, nullptr, this, nullptr);
        disconnect(m_cache->clock(), nullptr, this, nullptr);
    }
    onCleared();
    m_cache = cache;
    m_entries = cache ? std::move(entries) : EntriesFunction();
    m_info = cache ? std::move(info) : InfoFunction();
    m_staleHorizon = cache ? std::move(staleHorizon) : HorizonFunction();
    if (!m_cache) {
        m_timer->stop();
        return;
    }
    connect(m_cache, &AsyncCacheBase::entryInserted, this, &CacheEntryModel::onKeyTouched);
    connect(m_cache, &AsyncCacheBase::entryUpdated, this, &CacheEntryModel::onKeyTouched);
    connect(m_cache, &AsyncCacheBase::entryExpired, this, &CacheEntryModel::onKeyTouched);
    connect(m_cache, &AsyncCacheBase::loadStarted, this, &CacheEntryModel::onKeyTouched);
    connect(m_cache, &AsyncCacheBase::loadFinished, this,
            [this](const QString &key, bool) { onKeyTouched(key); });
    connect(m_cache, &AsyncCacheBase::entryRemoved, this,
            [this](const QString &key, RemovalCause) { onKeyRemoved(key); });
    connect(m_cache, &AsyncCacheBase::cleared, this, [this] {
        onCleared();
        refresh(); // loads in flight survive clear()
    });
    // A test clock that jumps should move the ages at once, not at the next tick.
    connect(m_cache->clock(), &Clock::jumped, this, [this] {
        if (m_ticking)
            onTick();
    });
    refresh();
    if (m_ticking)
        m_timer->start();
}

void CacheEntryModel::setDescribeFunction(DescribeFunction function)
{
    m_describe = std::move(function);
    for (Row &row : m_rows)
        row.description = describe(row.info.key);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, EntryColumn), index(int(m_rows.size()) - 1, EntryColumn),
                           {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
}

void CacheEntryModel::setTickInterval(int ms)
{
    m_timer->setInterval(ms);
}

void CacheEntryModel::setTicking(bool ticking)
{
    if (ticking == m_ticking)
        return;
    m_ticking = ticking;
    if (!ticking) {
        m_timer->stop();
        return;
    }
    if (m_cache) {
        refresh();
        m_timer->start();
        Q_EMIT ticked();
    }
}

void CacheEntryModel::onTick()
{
    Q_EMIT ticked();
}

qint64 CacheEntryModel::now() const
{
    return m_cache ? m_cache->clock()->now() : 0;
}

QString CacheEntryModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).info.key : QString();
}

int CacheEntryModel::rowOfKey(const QString &key) const
{
    return m_rowOfKey.value(key, -1);
}

std::optional<CacheEntryInfo> CacheEntryModel::infoAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row).info;
}

QString CacheEntryModel::formatDuration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms) / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 86400) {
        const qint64 minutes = (s % 3600) / 60;
        return minutes ? tr("%1 h %2 min").arg(s / 3600).arg(minutes) : tr("%1 h").arg(s / 3600);
    }
    // A week minus a few minutes is "6 d 23 h", not "6 d".
    const qint64 hours = (s % 86400) / 3600;
    return hours ? tr("%1 d %2 h").arg(s / 86400).arg(hours) : tr("%1 d").arg(s / 86400);
}

QString CacheEntryModel::formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%1 B").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString CacheEntryModel::stateText(EntryState state)
{
    switch (state) {
    case EntryState::Fresh:
        return tr("fresh");
    case EntryState::Stale:
        return tr("stale");
    case EntryState::Loading:
        return tr("loading");
    case EntryState::Failed:
        // The service caches only "not found" answers as failures (negative caching).
        return tr("not found");
    }
    return {};
}

namespace {
struct Life
{
    bool firstLoad = false; // nothing there yet: a first load is in flight
    bool rememberedFailure = false;
    qint64 horizon = 0; // kept this long after expiring
    qint64 staleLeft = 0;
};

bool isFirstLoad(const CacheEntryInfo &info)
{
    return info.state == EntryState::Loading && !info.hasValue && info.ttlMs == 0;
}

Life lifeOf(const CacheEntryInfo &info, qint64 ageMs, qint64 staleHorizonMs)
{
    Life life;
    life.firstLoad = isFirstLoad(info);
    life.rememberedFailure = !info.hasValue && !life.firstLoad;
    // Remembered failures are dropped when their time is up, never kept stale.
    life.horizon = life.rememberedFailure || life.firstLoad ? 0 : qMax<qint64>(0, staleHorizonMs);
    const qint64 now = info.loadedAt + ageMs;
    life.staleLeft = qBound<qint64>(0, info.expiresAt + life.horizon - now, life.horizon);
    return life;
}
} // namespace

CacheEntryModel::Live CacheEntryModel::liveOf(const CacheEntryInfo &info, qint64 now)
{
    Live live;
    if (isFirstLoad(info)) {
        live.state = EntryState::Loading;
        return live;
    }
    live.ageMs = qMax<qint64>(0, now - info.loadedAt);
    live.timeLeftMs = qMax<qint64>(0, info.expiresAt - now);
    live.state = info.state;
    // Fresh turns stale on the clock, as the cache decides it (its expiry signal follows).
    if (info.hasValue && (info.state == EntryState::Fresh || info.state == EntryState::Stale))
        live.state = now < info.expiresAt ? EntryState::Fresh : EntryState::Stale;
    return live;
}

QString CacheEntryModel::lifeText(const CacheEntryInfo &info, qint64 staleHorizonMs, bool full)
{
    return lifeTextAt(info, {info.ageMs, info.timeLeftMs, info.state}, staleHorizonMs, full);
}

QString CacheEntryModel::lifeTextAt(const CacheEntryInfo &info, const Live &live,
                                    qint64 staleHorizonMs, bool full)
{
    const Life life = lifeOf(info, live.ageMs, staleHorizonMs);
    if (life.firstLoad || info.ttlMs <= 0)
        return u"—"_s;
    const QString left = formatDuration(live.timeLeftMs);
    if (life.rememberedFailure) {
        return full ? tr("remembered as not found for %1").arg(left)
                    : tr("not found · %1").arg(left);
    }
    if (live.timeLeftMs > 0) {
        if (!full)
            return left;
        return life.horizon > 0 ? tr("fresh for %1, then kept %2 as offline backup")
                                      .arg(left, formatDuration(life.horizon))
                                : tr("fresh for %1").arg(left);
    }
    if (life.staleLeft <= 0)
        return tr("expired");
    const QString kept = formatDuration(life.staleLeft);
    return full ? tr("expired — kept %1 as offline backup").arg(kept) : tr("kept %1").arg(kept);
}

int CacheEntryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CacheEntryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CacheEntryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const CacheEntryInfo &info = row.info;
    switch (role) {
    case KeyRole:
        return info.key;
    case TtlMsRole:
        return info.ttlMs;
    case Qt::TextAlignmentRole: {
        const int column = index.column();
        if (column == HitsColumn || column == SizeColumn || column == AgeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    }
    default:
        break;
    }
    // The ticking values, from the timestamps and the clock: nothing to update as time goes.
    const Live live = liveOf(info, now());
    const bool firstLoad = isFirstLoad(info);
    const qint64 age = firstLoad ? -1 : live.ageMs;
    const double fraction
        = info.ttlMs > 0 ? qBound(0.0, double(live.timeLeftMs) / double(info.ttlMs), 1.0) : 0.0;
    const qint64 horizonSetting = m_cache && m_staleHorizon ? m_staleHorizon() : 0;
    const Life life = lifeOf(info, live.ageMs, horizonSetting);

    switch (role) {
    case StateRole:
        return int(live.state);
    case AgeMsRole:
        return age;
    case TimeLeftMsRole:
        return live.timeLeftMs;
    case FractionLeftRole:
        return fraction;
    case StaleHorizonMsRole:
        return life.horizon;
    case StaleLeftMsRole:
        return life.staleLeft;
    case StaleFractionLeftRole:
        return life.horizon > 0 ? double(life.staleLeft) / double(life.horizon) : 0.0;
    case RememberedFailureRole:
        return life.rememberedFailure;
    case LifeTextRole:
        return lifeTextAt(info, live, horizonSetting, true);
    default:
        break;
    }

    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case EntryColumn:
            return row.description;
        case StateColumn:
            return stateText(live.state);
        case AgeColumn:
            return age < 0 ? u"—"_s : formatDuration(age);
        case TimeLeftColumn:
            return lifeTextAt(info, live, horizonSetting, false);
        case HitsColumn:
            return info.hits;
        case SizeColumn:
            return info.bytes > 0 ? formatBytes(info.bytes) : u"—"_s;
        }
    } else if (role == SortRole) {
        switch (column) {
        case EntryColumn:
            return row.description;
        case StateColumn:
            return int(info.state);
        case AgeColumn:
            // Values that do not move with the clock, so a sorted view needs no re-sort per
            // tick: the age's order is the order of the load times, newest first.
            return firstLoad ? std::numeric_limits<qint64>::min() : -info.loadedAt;
        case TimeLeftColumn:
            // Fresh entries by time left, then expired ones by how long they are still kept:
            // both are "when it goes" (expiry plus what is kept after it).
            return firstLoad || info.ttlMs <= 0 ? std::numeric_limits<qint64>::min()
                                                : info.expiresAt + life.horizon;
        case HitsColumn:
            return info.hits;
        case SizeColumn:
            return info.bytes;
        }
    } else if (role == Qt::ToolTipRole) {
        // Place names, keys and a server's reason: escaped, one line each.
        QStringList tip{row.description};
        if (info.state == EntryState::Failed && !info.error.message.isEmpty())
            tip.append(info.error.message);
        if (info.ttlMs > 0) {
            const QString life = lifeTextAt(info, live, horizonSetting, true);
            tip.append(life.left(1).toUpper() + life.mid(1));
            tip.append(tr("Fresh for %1 after each fetch").arg(formatDuration(info.ttlMs)));
        }
        return DisplayText::toolTip(tip);
    } else if (role == Qt::AccessibleTextRole && column == TimeLeftColumn) {
        return lifeTextAt(info, live, horizonSetting, true);
    }
    return {};
}

QVariant CacheEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EntryColumn:
        return tr("Entry");
    case StateColumn:
        return tr("State");
    case AgeColumn:
        return tr("Age");
    case TimeLeftColumn:
        return tr("Time left");
    case HitsColumn:
        return tr("Hits");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}

void CacheEntryModel::refresh()
{
    // The functions point into the cache: once it is gone (QPointer), they must not run.
    const QList<CacheEntryInfo> entries
        = m_cache && m_entries ? m_entries() : QList<CacheEntryInfo>();
    QHash<QString, qsizetype> byKey;
    byKey.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i)
        byKey.insert(entries.at(i).key, i);

    // Rows whose key is gone (a signal we missed, or cleared()).
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!byKey.contains(m_rows.at(row).info.key))
            removeRowAt(row);
    }
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const int row = rowOfKey(entries.at(i).key);
        if (row < 0)
            insertRow(entries.at(i));
        else
            updateRow(row, entries.at(i));
    }
}

void CacheEntryModel::refreshRows(int first, int last)
{
    first = qMax(0, first);
    last = qMin(last, int(m_rows.size()) - 1);
    for (int row = first; row <= last; ++row) {
        // A row the cache no longer has goes with the cache's own signal.
        if (const std::optional<CacheEntryInfo> info = lookup(m_rows.at(row).info.key))
            updateRow(row, *info);
    }
}

void CacheEntryModel::onKeyTouched(const QString &key)
{
    const std::optional<CacheEntryInfo> info = lookup(key);
    const int row = rowOfKey(key);
    if (!info) {
        // A first load that failed leaves nothing behind.
        if (row >= 0)
            removeRowAt(row);
        return;
    }
    if (row < 0)
        insertRow(*info);
    else
        updateRow(row, *info);
}

void CacheEntryModel::onKeyRemoved(const QString &key)
{
    const int row = rowOfKey(key);
    if (row < 0)
        return;
    // A key removed while a new load for it runs is still listed (as loading).
    if (const std::optional<CacheEntryInfo> info = lookup(key))
        updateRow(row, *info);
    else
        removeRowAt(row);
}

void CacheEntryModel::onCleared()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    m_rowOfKey.clear();
    endRemoveRows();
}

void CacheEntryModel::insertRow(const CacheEntryInfo &info)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({info, describe(info.key)});
    m_rowOfKey.insert(info.key, row);
    endInsertRows();
}

void CacheEntryModel::removeRowAt(int row)
{
    beginRemoveRows({}, row, row);
    m_rowOfKey.remove(m_rows.at(row).info.key);
    m_rows.removeAt(row);
    // The rows after it move up one: integers to fix, no key compared.
    for (int i = row; i < m_rows.size(); ++i)
        m_rowOfKey[m_rows.at(i).info.key] = i;
    endRemoveRows();
}

void CacheEntryModel::updateRow(int row, const CacheEntryInfo &info)
{
    Row &r = m_rows[row];
    // What time alone changes (age, time left, fresh to stale) is read when painted; a
    // change worth a dataChanged is one the timestamps do not predict.
    const bool reloaded = r.info.loadedAt != info.loadedAt || r.info.expiresAt != info.expiresAt
                          || r.info.ttlMs != info.ttlMs || r.info.hasValue != info.hasValue
                          || r.info.createdAt != info.createdAt;
    const bool state = r.info.state != info.state || r.info.error.message != info.error.message;
    const bool hits = r.info.hits != info.hits;
    const bool size = r.info.bytes != info.bytes;
    r.info = info;
    // The words may have changed too: a row restored from disk before its place had a name
    // gets one once that place is asked for.
    QString description = describe(info.key);
    const bool renamed = description != r.description;
    if (renamed)
        r.description = std::move(description);
    if (renamed || reloaded || (state && (hits || size))) {
        Q_EMIT dataChanged(index(row, renamed ? EntryColumn : StateColumn),
                           index(row, ColumnCount - 1));
        return;
    }
    if (state)
        Q_EMIT dataChanged(index(row, StateColumn), index(row, TimeLeftColumn));
    if (hits)
        Q_EMIT dataChanged(index(row, HitsColumn), index(row, HitsColumn),
                           {Qt::DisplayRole, SortRole});
    if (size)
        Q_EMIT dataChanged(index(row, SizeColumn), index(row, SizeColumn),
                           {Qt::DisplayRole, SortRole});
}

std::optional<CacheEntryInfo> CacheEntryModel::lookup(const QString &key) const
{
    if (!m_cache || !m_info)
        return std::nullopt;
    return m_info(key);
}

QString CacheEntryModel::describe(const QString &key) const
{
    // Descriptions name places the provider named, and a key is made of them: shown plain,
    // without controls (the table draws DisplayRole as plain text).
    if (!m_describe)
        return DisplayText::plain(key);
    const QString text = m_describe(key);
    return DisplayText::plain(text.isEmpty() ? key : text);
}
