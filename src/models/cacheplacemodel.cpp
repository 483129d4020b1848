// SPDX-License-Identifier: MIT
#include "cacheplacemodel.h"

#include <QFont>
#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

const QString CachePlaceModel::kSearchesGroup = u"~searches"_s;
const QString CachePlaceModel::kTypingGroup = u"~typing"_s;

CachePlaceModel::CachePlaceModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

CachePlaceModel::~CachePlaceModel() = default;

void CachePlaceModel::setSourceModel(CacheEntryModel *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    beginResetModel();
    clearAll();
    m_source = source;
    endResetModel();
    if (!source)
        return;
    connect(source, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    addKey(m_source->keyAt(row), row);
            });
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                // Gone from here while the source can still name them.
                for (int row = first; row <= last; ++row)
                    removeKey(m_source->keyAt(row));
            });
    connect(source, &QAbstractItemModel::dataChanged, this, &CachePlaceModel::onSourceDataChanged);
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        beginResetModel();
        clearAll();
        endResetModel();
        regroup();
    });
    regroup();
}

void CachePlaceModel::setPlaceFunction(PlaceFunction place)
{
    m_place = std::move(place);
    regroup();
}

void CachePlaceModel::setHighlightedGroups(const QSet<QString> &groupIds)
{
    if (groupIds == m_highlighted)
        return;
    const QSet<QString> changed = (groupIds - m_highlighted) + (m_highlighted - groupIds);
    m_highlighted = groupIds;
    for (const QString &id : changed) {
        const int row = groupRow(id);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, CacheEntryModel::ColumnCount - 1),
                               {Qt::FontRole});
    }
}

void CachePlaceModel::regroup()
{
    if (!m_source)
        return;
    // Every key again, each in place when its group stays: a name learnt, a setting changed.
    for (int row = 0; row < m_source->rowCount(); ++row) {
        const QString key = m_source->keyAt(row);
        if (m_entries.contains(key))
            updateKey(key, row);
        else
            addKey(key, row);
    }
}

void CachePlaceModel::clearAll()
{
    m_groups.clear();
    m_groupById.clear();
    m_entries.clear();
    m_placesByName.clear();
    m_names.clear();
    m_searchesByQuery.clear();
}

CachePlaceModel::Placement CachePlaceModel::placementFor(const QString &key, int sourceRow) const
{
    Placement p;
    if (m_place)
        p = m_place(key);
    if (p.groupId.isEmpty() && p.searchQuery.isEmpty()) {
        // Nothing known about it: a node of its own, named as the flat model names it.
        p.groupId = key;
        p.title = m_source->index(sourceRow, 0).data().toString();
        p.childTitle = p.title;
    }
    return p;
}

QString CachePlaceModel::scopedName(const Placement &p)
{
    if (!p.searchQuery.isEmpty())
        return p.searchScope + u'\n' + p.searchQuery;
    return p.searchScope + u'\n' + p.title.section(u',', 0, 0).trimmed().toCaseFolded();
}

void CachePlaceModel::addKey(const QString &key, int sourceRow)
{
    if (key.isEmpty() || m_entries.contains(key))
        return;
    Entry e;
    e.placement = placementFor(key, sourceRow);
    e.scoped = scopedName(e.placement);
    if (!e.placement.searchQuery.isEmpty()) {
        // Placed by replaceSearchesUnder(), which sees it as one of the queries to decide.
        m_entries.insert(key, e);
        m_searchesByQuery[e.scoped].append(key);
        ++m_names[e.scoped];
        replaceSearchesUnder(e.scoped);
        return;
    }
    const Placement &p = e.placement;
    // Titles say provider and units: a place asked with two of them says which is which.
    const QString tip = p.detail.isEmpty() ? p.title : p.title + u" — "_s + p.detail;
    const QString title = p.detail.isEmpty() ? p.title : tip;
    Group *group = groupFor(p.groupId, title, tip);
    setGroupWords(group, title, tip);
    appendChild(group, key, p.childTitle);
    e.group = group;
    m_entries.insert(key, e);
    addName(e.scoped, p.groupId);
}

void CachePlaceModel::removeKey(const QString &key)
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend())
        return;
    const Entry e = *it;
    m_entries.erase(it);
    if (!e.placement.searchQuery.isEmpty()) {
        auto keys = m_searchesByQuery.find(e.scoped);
        if (keys != m_searchesByQuery.end()) {
            keys->removeOne(key);
            if (keys->isEmpty())
                m_searchesByQuery.erase(keys);
        }
        if (e.group)
            removeChild(e.group, key);
        if (--m_names[e.scoped] <= 0)
            m_names.erase(e.scoped);
        // One search fewer may turn another from a prefix into a search of its own.
        replaceSearchesUnder(e.scoped);
        return;
    }
    // The group may go with its last entry: only its id is used after this.
    removeChild(e.group, key);
    removeName(e.scoped, e.placement.groupId);
}

void CachePlaceModel::updateKey(const QString &key, int sourceRow)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    const Placement p = placementFor(key, sourceRow);
    const QString scoped = scopedName(p);
    const Placement &before = it->placement;
    const bool bothSearches = !p.searchQuery.isEmpty() && !before.searchQuery.isEmpty();
    const bool samePlace
        = p.searchQuery.isEmpty() && before.searchQuery.isEmpty() && p.groupId == before.groupId;
    if (!(bothSearches && scoped == it->scoped) && !samePlace) {
        removeKey(key);
        addKey(key, sourceRow);
        return;
    }
    Group *group = it->group;
    const QString oldScoped = it->scoped;
    it->placement = p;
    it->scoped = scoped;
    if (group) {
        const int c = group->childRow.value(key, -1);
        if (c >= 0 && group->children.at(c).title != p.childTitle) {
            group->children[c].title = p.childTitle;
            const QModelIndex at = index(c, 0, index(group->row, 0));
            Q_EMIT dataChanged(at, at, {Qt::DisplayRole, CacheEntryModel::SortRole});
        }
    }
    if (!samePlace)
        return;
    const QString tip = p.detail.isEmpty() ? p.title : p.title + u" — "_s + p.detail;
    setGroupWords(group, p.detail.isEmpty() ? p.title : tip, tip);
    if (oldScoped != scoped) {
        // A new name for a place (its label arrived): the searches for it follow.
        addName(scoped, p.groupId);
        removeName(oldScoped, p.groupId);
    }
}

void CachePlaceModel::addName(const QString &scoped, const QString &placeGroupId)
{
    ++m_names[scoped];
    QList<std::pair<QString, int>> &places = m_placesByName[scoped];
    const auto it = std::find_if(places.begin(), places.end(),
                                 [&](const auto &place) { return place.first == placeGroupId; });
    if (it != places.end())
        ++it->second;
    else
        places.append({placeGroupId, 1}); // the same name under other settings: first one wins
    replaceSearchesUnder(scoped);
}

void CachePlaceModel::removeName(const QString &scoped, const QString &placeGroupId)
{
    if (--m_names[scoped] <= 0)
        m_names.erase(scoped);
    const auto places = m_placesByName.find(scoped);
    if (places != m_placesByName.end()) {
        const auto it = std::find_if(places->begin(), places->end(), [&](const auto &place) {
            return place.first == placeGroupId;
        });
        if (it != places->end() && --it->second <= 0)
            places->erase(it);
        if (places->isEmpty())
            m_placesByName.erase(places);
    }
    replaceSearchesUnder(scoped);
}

QString CachePlaceModel::wantedGroupOfSearch(const QString &scoped) const
{
    // Under the place it found, else on its own; the prefixes typed on the way to a longer
    // search or a place's name fold away.
    const auto places = m_placesByName.constFind(scoped);
    if (places != m_placesByName.cend() && !places->isEmpty())
        return places->first().first;
    // Names that start with `scoped` follow it in order: the next one tells.
    const auto next = m_names.upper_bound(scoped);
    const bool prefix = next != m_names.cend() && next->first.startsWith(scoped);
    return prefix ? kTypingGroup : kSearchesGroup;
}

void CachePlaceModel::replaceSearchesUnder(const QString &scoped)
{
    // A name decides only the searches that are its prefixes (or itself): a hash lookup per
    // length, whatever the number of entries.
    const qsizetype scopeEnd = scoped.indexOf(u'\n') + 1;
    for (qsizetype length = scopeEnd + 1; length <= scoped.size(); ++length) {
        const QString query = scoped.left(length);
        const auto keys = m_searchesByQuery.constFind(query);
        if (keys == m_searchesByQuery.cend())
            continue;
        const QString wanted = wantedGroupOfSearch(query);
        const QStringList searches = *keys; // a copy: moving a row may change the hashes
        for (const QString &key : searches) {
            Entry &e = m_entries[key];
            if (e.group && e.group->id == wanted)
                continue;
            if (e.group)
                removeChild(e.group, key);
            Group *group = groupFor(wanted);
            appendChild(group, key, e.placement.childTitle);
            m_entries[key].group = group;
        }
    }
}

CachePlaceModel::Group *CachePlaceModel::groupFor(const QString &id, const QString &title,
                                                  const QString &tip)
{
    if (Group *group = m_groupById.value(id))
        return group;
    const int row = int(m_groups.size());
    beginInsertRows({}, row, row);
    auto group = std::make_unique<Group>();
    group->id = id;
    group->row = row;
    group->typing = id == kTypingGroup;
    // Named as it comes in: a title set after the insert would re-sort every place above it.
    group->title = title;
    group->tip = tip;
    if (id == kSearchesGroup) {
        group->title = tr("Searches");
        group->tip = tr("Place searches kept for 30 days, so the same search costs no request.");
    } else if (group->typing) {
        group->title = tr("Searches while typing (%1)").arg(0);
        group->tip = tr("Suggestions looked up while a name was being typed (“lon”, “lond”…). "
                        "They are kept for a short time only.");
    }
    Group *raw = group.get();
    m_groups.push_back(std::move(group));
    m_groupById.insert(id, raw);
    endInsertRows();
    return raw;
}

void CachePlaceModel::appendChild(Group *group, const QString &key, const QString &title)
{
    const int c = int(group->children.size());
    beginInsertRows(index(group->row, 0), c, c);
    group->children.append({key, title});
    group->childRow.insert(key, c);
    endInsertRows();
    if (group->typing)
        updateTypingTitle();
}

void CachePlaceModel::removeChild(Group *group, const QString &key)
{
    const int c = group->childRow.value(key, -1);
    if (c < 0)
        return;
    beginRemoveRows(index(group->row, 0), c, c);
    group->children.removeAt(c);
    group->childRow.remove(key);
    for (int i = c; i < group->children.size(); ++i)
        group->childRow[group->children.at(i).key] = i;
    endRemoveRows();
    if (!group->children.isEmpty()) {
        if (group->typing)
            updateTypingTitle();
        return;
    }
    // The last entry of a place takes the place along.
    const int row = group->row;
    beginRemoveRows({}, row, row);
    m_groupById.remove(group->id);
    m_groups.erase(m_groups.begin() + row);
    for (std::size_t i = std::size_t(row); i < m_groups.size(); ++i)
        m_groups[i]->row = int(i);
    endRemoveRows();
}

void CachePlaceModel::setGroupWords(Group *group, const QString &title, const QString &tip)
{
    if (group->title == title && group->tip == tip)
        return;
    group->title = title;
    group->tip = tip;
    const QModelIndex at = index(group->row, 0);
    Q_EMIT dataChanged(
        at, at,
        {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, CacheEntryModel::SortRole});
}

void CachePlaceModel::updateTypingTitle()
{
    if (Group *group = m_groupById.value(kTypingGroup))
        setGroupWords(group, tr("Searches while typing (%1)").arg(group->children.size()),
                      group->tip);
}

int CachePlaceModel::groupRow(const QString &id) const
{
    const Group *group = m_groupById.value(id);
    return group ? group->row : -1;
}

void CachePlaceModel::onSourceDataChanged(const QModelIndex &topLeft,
                                          const QModelIndex &bottomRight, const QList<int> &roles)
{
    // Row by row: neighbours in the flat model are not neighbours here.
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const QString key = m_source->keyAt(row);
        const QModelIndex first = indexOfKey(key, topLeft.column());
        if (first.isValid())
            Q_EMIT dataChanged(first, first.siblingAtColumn(bottomRight.column()), roles);
        // A new name for a place (its label arrived): its group's title, and searches for it.
        if (topLeft.column() <= CacheEntryModel::EntryColumn)
            updateKey(key, row);
    }
}

QModelIndex CachePlaceModel::indexOfKey(const QString &key, int column) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend() || !it->group)
        return {};
    const int c = it->group->childRow.value(key, -1);
    if (c < 0)
        return {};
    return createIndex(c, column, it->group);
}

QModelIndex CachePlaceModel::indexOfGroup(const QString &groupId, int column) const
{
    const int row = groupRow(groupId);
    return row < 0 ? QModelIndex() : index(row, column);
}

QString CachePlaceModel::groupOfKey(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    return it != m_entries.cend() && it->group ? it->group->id : QString();
}

CachePlaceModel::Group *CachePlaceModel::groupAt(const QModelIndex &index) const
{
    // A group's index carries no pointer; a child's carries its group.
    if (!index.isValid() || index.internalPointer())
        return nullptr;
    return index.row() < int(m_groups.size()) ? m_groups[index.row()].get() : nullptr;
}

QModelIndex CachePlaceModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= CacheEntryModel::ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_groups.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    Group *group = groupAt(parent);
    if (!group || row >= int(group->children.size()))
        return {};
    return createIndex(row, column, group);
}

QModelIndex CachePlaceModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    const auto *group = static_cast<const Group *>(child.internalPointer());
    return createIndex(group->row, 0, nullptr);
}

int CachePlaceModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0)
        return 0;
    const Group *group = groupAt(parent);
    return group ? int(group->children.size()) : 0;
}

int CachePlaceModel::columnCount(const QModelIndex &) const
{
    return CacheEntryModel::ColumnCount;
}

bool CachePlaceModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant CachePlaceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (const Group *group = groupAt(index)) {
        switch (role) {
        case IsGroupRole:
            return true;
        case GroupIdRole:
            return group->id;
        case IsTypingGroupRole:
            return group->typing;
        case CacheEntryModel::KeyRole:
            return QString();
        case Qt::FontRole:
            if (m_highlighted.contains(group->id)) {
                QFont font;
                font.setBold(true);
                return font;
            }
            return {};
        case Qt::ToolTipRole:
            return group->tip;
        case CacheEntryModel::SortRole:
            // Places first (by name, whatever the column), then searches, then typing.
            return QString((group->typing                 ? u"2"_s
                            : group->id == kSearchesGroup ? u"1"_s
                                                          : u"0"_s)
                           + group->title);
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            return index.column() == 0 ? QVariant(group->title) : QVariant();
        default:
            return {};
        }
    }
    const auto *group = static_cast<const Group *>(index.internalPointer());
    const Child &child = group->children.at(index.row());
    switch (role) {
    case IsGroupRole:
    case IsTypingGroupRole:
        return false;
    case GroupIdRole:
        return group->id;
    case Qt::DisplayRole:
    case CacheEntryModel::SortRole:
        if (index.column() == CacheEntryModel::EntryColumn)
            return child.title;
        break;
    default:
        break;
    }
    const int sourceRow = m_source ? m_source->rowOfKey(child.key) : -1;
    if (sourceRow < 0)
        return {};
    return m_source->index(sourceRow, index.column()).data(role);
}

QVariant CachePlaceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}
