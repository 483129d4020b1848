// SPDX-License-Identifier: MIT
#include "cacheentrymodel.h"

#include "displaytext.h"

#include <QHash>
#include <QLocale>

using namespace Qt::StringLiterals;

CacheEntryModel::CacheEntryModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(kDefaultTickMs);
    connect(m_timer, &QTimer::timeout, this, &CacheEntryModel::refresh);
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
            refresh();
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
    }
}

QString CacheEntryModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).info.key : QString();
}

int CacheEntryModel::rowOfKey(const QString &key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).info.key == key)
            return i;
    }
    return -1;
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

Life lifeOf(const CacheEntryInfo &info, qint64 staleHorizonMs)
{
    Life life;
    life.firstLoad = info.state == EntryState::Loading && !info.hasValue && info.ttlMs == 0;
    life.rememberedFailure = !info.hasValue && !life.firstLoad;
    // Remembered failures are dropped when their time is up, never kept stale.
    life.horizon = life.rememberedFailure || life.firstLoad ? 0 : qMax<qint64>(0, staleHorizonMs);
    const qint64 now = info.loadedAt + info.ageMs;
    life.staleLeft = qBound<qint64>(0, info.expiresAt + life.horizon - now, life.horizon);
    return life;
}
} // namespace

QString CacheEntryModel::lifeText(const CacheEntryInfo &info, qint64 staleHorizonMs, bool full)
{
    const Life life = lifeOf(info, staleHorizonMs);
    if (life.firstLoad || info.ttlMs <= 0)
        return u"—"_s;
    const QString left = formatDuration(info.timeLeftMs);
    if (life.rememberedFailure) {
        return full ? tr("remembered as not found for %1").arg(left)
                    : tr("not found · %1").arg(left);
    }
    if (info.timeLeftMs > 0) {
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
    const bool firstLoad = info.state == EntryState::Loading && !info.hasValue && info.ttlMs == 0;
    const qint64 age = firstLoad ? -1 : info.ageMs;
    const double fraction
        = info.ttlMs > 0 ? qBound(0.0, double(info.timeLeftMs) / double(info.ttlMs), 1.0) : 0.0;
    const qint64 horizonSetting = m_cache && m_staleHorizon ? m_staleHorizon() : 0;
    const Life life = lifeOf(info, horizonSetting);

    switch (role) {
    case KeyRole:
        return info.key;
    case StateRole:
        return int(info.state);
    case AgeMsRole:
        return age;
    case TimeLeftMsRole:
        return info.timeLeftMs;
    case TtlMsRole:
        return info.ttlMs;
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
        return lifeText(info, horizonSetting, true);
    default:
        break;
    }

    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case EntryColumn:
            return row.description;
        case StateColumn:
            return stateText(info.state);
        case AgeColumn:
            return age < 0 ? u"—"_s : formatDuration(age);
        case TimeLeftColumn:
            return lifeText(info, horizonSetting, false);
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
            return age;
        case TimeLeftColumn:
            // Fresh entries by time left, then expired ones by how long they are still kept.
            return info.timeLeftMs > 0 ? life.horizon + info.timeLeftMs : life.staleLeft;
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
            const QString life = lifeText(info, horizonSetting, true);
            tip.append(life.left(1).toUpper() + life.mid(1));
            tip.append(tr("Fresh for %1 after each fetch").arg(formatDuration(info.ttlMs)));
        }
        return DisplayText::toolTip(tip);
    } else if (role == Qt::AccessibleTextRole && column == TimeLeftColumn) {
        return lifeText(info, horizonSetting, true);
    } else if (role == Qt::TextAlignmentRole) {
        if (column == HitsColumn || column == SizeColumn || column == AgeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
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

    QList<bool> seen(entries.size(), false);
    for (int row = 0; row < m_rows.size(); ++row) {
        const qsizetype i = byKey.value(m_rows.at(row).info.key);
        seen[i] = true;
        const CacheEntryInfo &now = entries.at(i);
        const CacheEntryInfo &before = m_rows.at(row).info;
        const bool state = before.state != now.state;
        const bool hits = before.hits != now.hits;
        const bool size = before.bytes != now.bytes;
        m_rows[row].info = now;
        if (state)
            Q_EMIT dataChanged(index(row, StateColumn), index(row, StateColumn));
        if (hits)
            Q_EMIT dataChanged(index(row, HitsColumn), index(row, HitsColumn),
                               {Qt::DisplayRole, SortRole});
        if (size)
            Q_EMIT dataChanged(index(row, SizeColumn), index(row, SizeColumn),
                               {Qt::DisplayRole, SortRole});
    }
    if (!m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, AgeColumn), index(int(m_rows.size()) - 1, TimeLeftColumn),
                           {Qt::DisplayRole, SortRole, AgeMsRole, TimeLeftMsRole, FractionLeftRole,
                            StaleLeftMsRole, StaleFractionLeftRole, LifeTextRole,
                            Qt::AccessibleTextRole});
    }
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!seen.at(i))
            insertRow(entries.at(i));
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
    endRemoveRows();
}

void CacheEntryModel::insertRow(const CacheEntryInfo &info)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({info, describe(info.key)});
    endInsertRows();
}

void CacheEntryModel::removeRowAt(int row)
{
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void CacheEntryModel::updateRow(int row, const CacheEntryInfo &info)
{
    m_rows[row].info = info;
    // The words may have changed too: a row restored from disk before its place had a name
    // gets one once that place is asked for.
    QString description = describe(info.key);
    const bool renamed = description != m_rows.at(row).description;
    if (renamed)
        m_rows[row].description = std::move(description);
    Q_EMIT dataChanged(index(row, renamed ? EntryColumn : StateColumn),
                       index(row, ColumnCount - 1));
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
