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
    m_groups.clear();
    m_groupOfKey.clear();
    m_source = source;
    endResetModel();
    if (!source)
        return;
    connect(source, &QAbstractItemModel::rowsInserted, this, &CachePlaceModel::regroup);
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                // Gone from here while the source can still name them.
                QSet<QString> keys;
                for (int row = first; row <= last; ++row)
                    keys.insert(m_source->keyAt(row));
                removeKeys(keys);
            });
    // One search fewer may turn another from a prefix into a search of its own.
    connect(source, &QAbstractItemModel::rowsRemoved, this, &CachePlaceModel::regroup);
    connect(source, &QAbstractItemModel::dataChanged, this, &CachePlaceModel::onSourceDataChanged);
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        beginResetModel();
        m_groups.clear();
        m_groupOfKey.clear();
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

QList<CachePlaceModel::Wanted> CachePlaceModel::wantedGroups() const
{
    QList<Wanted> groups;
    QHash<QString, qsizetype> byId;
    QHash<QString, QString> placeByName; // scope + '\n' + folded name -> group id
    QList<QString> placeNames; // scope + '\n' + folded name
    struct Search
    {
        QString key;
        Placement placement;
        QPersistentModelIndex source;
    };
    QList<Search> searches;
    const int rows = m_source ? m_source->rowCount() : 0;
    const auto wanted = [&](const QString &id) -> Wanted & {
        auto it = byId.constFind(id);
        if (it == byId.cend()) {
            it = byId.insert(id, groups.size());
            groups.append(Wanted{id, {}, {}, id == kTypingGroup, {}, {}});
        }
        return groups[*it];
    };
    QHash<QString, QString> details;
    for (int row = 0; row < rows; ++row) {
        const QString key = m_source->keyAt(row);
        const QModelIndex source = m_source->index(row, 0);
        Placement p;
        if (m_place)
            p = m_place(key);
        if (p.groupId.isEmpty() && p.searchQuery.isEmpty()) {
            // Nothing known about it: a node of its own, named as the flat model names it.
            p.groupId = key;
            p.title = source.data().toString();
            p.childTitle = p.title;
        }
        if (!p.searchQuery.isEmpty()) {
            searches.append({key, p, QPersistentModelIndex(source)});
            continue;
        }
        Wanted &g = wanted(p.groupId);
        g.title = p.title;
        details.insert(p.groupId, p.detail);
        g.children.append({key, p.childTitle});
        g.sources.append(QPersistentModelIndex(source));
        const QString name = p.title.section(u',', 0, 0).trimmed().toCaseFolded();
        const QString scoped = p.searchScope + u'\n' + name;
        // The same name under other settings: the search stays with the first one.
        if (!placeByName.contains(scoped))
            placeByName.insert(scoped, p.groupId);
        placeNames.append(scoped);
    }

    // Searches: under the place they found, else on their own; the prefixes typed on the way
    // to a longer search or a place's name fold away.
    QList<QString> queries;
    for (const Search &s : std::as_const(searches))
        queries.append(s.placement.searchScope + u'\n' + s.placement.searchQuery);
    const auto isPrefix = [&](const QString &scoped) {
        const auto longer = [&scoped](const QString &other) {
            return other.size() > scoped.size() && other.startsWith(scoped);
        };
        return std::any_of(queries.cbegin(), queries.cend(), longer)
               || std::any_of(placeNames.cbegin(), placeNames.cend(), longer);
    };
    int typing = 0;
    for (const Search &s : std::as_const(searches)) {
        const QString scoped = s.placement.searchScope + u'\n' + s.placement.searchQuery;
        QString id = placeByName.value(scoped);
        if (id.isEmpty()) {
            id = isPrefix(scoped) ? kTypingGroup : kSearchesGroup;
            typing += id == kTypingGroup;
        }
        Wanted &g = wanted(id);
        g.children.append({s.key, s.placement.childTitle});
        g.sources.append(s.source);
    }

    // Titles say provider and units: a place asked with two of them says which is which.
    for (Wanted &g : groups) {
        if (g.id == kSearchesGroup) {
            g.title = tr("Searches");
            g.tip = tr("Place searches kept for 30 days, so the same search costs no request.");
        } else if (g.id == kTypingGroup) {
            g.title = tr("Searches while typing (%1)").arg(typing);
            g.tip = tr("Suggestions looked up while a name was being typed (“lon”, “lond”…). "
                       "They are kept for a short time only.");
        } else {
            const QString detail = details.value(g.id);
            g.tip = detail.isEmpty() ? g.title : g.title + u" — "_s + detail;
            if (!detail.isEmpty())
                g.title = g.tip;
        }
    }
    return groups;
}

void CachePlaceModel::regroup()
{
    sync(wantedGroups());
}

int CachePlaceModel::groupRow(const QString &id) const
{
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        if (m_groups[i]->id == id)
            return int(i);
    }
    return -1;
}

void CachePlaceModel::removeKeys(const QSet<QString> &keys)
{
    for (int g = int(m_groups.size()) - 1; g >= 0; --g) {
        Group *group = m_groups[g].get();
        for (int c = int(group->children.size()) - 1; c >= 0; --c) {
            if (!keys.contains(group->children[c].key))
                continue;
            beginRemoveRows(index(g, 0), c, c);
            m_groupOfKey.remove(group->children[c].key);
            group->children.erase(group->children.begin() + c);
            endRemoveRows();
        }
        if (group->children.empty()) {
            beginRemoveRows({}, g, g);
            m_groups.erase(m_groups.begin() + g);
            endRemoveRows();
        }
    }
}

void CachePlaceModel::sync(const QList<Wanted> &wanted)
{
    QHash<QString, QString> wantedGroupOfKey;
    for (const Wanted &g : wanted) {
        for (const auto &[key, title] : g.children)
            wantedGroupOfKey.insert(key, g.id);
    }
    // Rows that went, or moved to another group.
    QSet<QString> leaving;
    for (const auto &group : m_groups) {
        for (const Child &c : group->children) {
            if (wantedGroupOfKey.value(c.key) != group->id)
                leaving.insert(c.key);
        }
    }
    if (!leaving.isEmpty())
        removeKeys(leaving);

    for (const Wanted &w : wanted) {
        int row = groupRow(w.id);
        if (row < 0) {
            row = int(m_groups.size());
            beginInsertRows({}, row, row);
            auto group = std::make_unique<Group>();
            group->id = w.id;
            group->title = w.title;
            group->tip = w.tip;
            group->typing = w.typing;
            m_groups.push_back(std::move(group));
            endInsertRows();
        }
        Group *group = m_groups[row].get();
        if (group->title != w.title || group->tip != w.tip) {
            group->title = w.title;
            group->tip = w.tip;
            Q_EMIT dataChanged(index(row, 0), index(row, 0),
                               {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole,
                                CacheEntryModel::SortRole});
        }
        // Titles of the rows it keeps, then the rows it gains, at its end.
        QList<Child> added;
        for (qsizetype i = 0; i < w.children.size(); ++i) {
            const auto &[key, title] = w.children.at(i);
            if (m_groupOfKey.value(key) == group) {
                for (std::size_t c = 0; c < group->children.size(); ++c) {
                    Child &child = group->children[c];
                    if (child.key != key || child.title == title)
                        continue;
                    child.title = title;
                    const QModelIndex at = index(int(c), 0, index(row, 0));
                    Q_EMIT dataChanged(at, at, {Qt::DisplayRole, CacheEntryModel::SortRole});
                }
                continue;
            }
            added.append({key, w.sources.at(i), title});
        }
        if (added.isEmpty())
            continue;
        const int first = int(group->children.size());
        beginInsertRows(index(row, 0), first, first + int(added.size()) - 1);
        for (const Child &c : std::as_const(added)) {
            group->children.push_back(c);
            m_groupOfKey.insert(c.key, group);
        }
        endInsertRows();
    }
}

void CachePlaceModel::onSourceDataChanged(const QModelIndex &topLeft,
                                          const QModelIndex &bottomRight, const QList<int> &roles)
{
    // Row by row: neighbours in the flat model are not neighbours here.
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const QModelIndex first = indexOfKey(m_source->keyAt(row), topLeft.column());
        if (!first.isValid())
            continue;
        Q_EMIT dataChanged(first, first.siblingAtColumn(bottomRight.column()), roles);
    }
    // A new name for a place (its label arrived): its group's title, and searches for it.
    if (topLeft.column() <= CacheEntryModel::EntryColumn)
        regroup();
}

QModelIndex CachePlaceModel::indexOfKey(const QString &key, int column) const
{
    Group *group = m_groupOfKey.value(key);
    if (!group)
        return {};
    for (std::size_t c = 0; c < group->children.size(); ++c) {
        if (group->children[c].key == key)
            return index(int(c), column, index(groupRow(group->id), 0));
    }
    return {};
}

QModelIndex CachePlaceModel::indexOfGroup(const QString &groupId, int column) const
{
    const int row = groupRow(groupId);
    return row < 0 ? QModelIndex() : index(row, column);
}

QString CachePlaceModel::groupOfKey(const QString &key) const
{
    Group *group = m_groupOfKey.value(key);
    return group ? group->id : QString();
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
    const int row = groupRow(group->id);
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
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
    if (!child.source.isValid())
        return {};
    return m_source->index(child.source.row(), index.column()).data(role);
}

QVariant CachePlaceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}
