// SPDX-License-Identifier: MIT
#pragma once

#include "cacheentrymodel.h"

#include <QAbstractItemModel>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QSet>

#include <functional>
#include <map>
#include <memory>
#include <vector>

/**
 * The rows of a CacheEntryModel grouped by place: a tree of one node per place and settings
 * ("Berlin, DE — Open-Meteo, metric" ▸ current conditions, forecast, a search for "berlin"),
 * then "Searches" for the searches that name no place kept, and the prefixes typed on the way
 * to a name ("lon", "lond" before "london") under "Searches while typing (N)".
 *
 * Grouping knows no kind of entry: a PlaceFunction says, for each key, which place it belongs
 * to (any key with coordinates), or that it is a search and for what. So a new kind of entry
 * (hourly, say) joins its place without a change here.
 *
 * It follows the flat model incrementally (row inserts and removals under the right parent,
 * dataChanged mapped row by row; never a reset), so a view keeps its expansion and selection.
 * Every lookup is a hash (a key's group and row, a group's row, a name's places and searches)
 * or an ordered map (is a query the prefix of another), so an entry coming or going costs
 * O(its group + log entries), not a walk over every row. The flat model is borrowed.
 */
class CachePlaceModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role {
        /** bool: a place (or searches) node, not an entry. */
        IsGroupRole = CacheEntryModel::LifeTextRole + 100,
        /** QString: the node's id, for a group and (its group's) for an entry. */
        GroupIdRole,
        /** bool: the typing prefixes' node, shown collapsed. */
        IsTypingGroupRole,
    };

    /** Where an entry goes. */
    struct Placement
    {
        /** The place and the settings it was asked with ("open-meteo/52.52,13.41/metric/en"). */
        QString groupId;
        /** "Berlin, DE". */
        QString title;
        /** What tells apart two groups of the same title: "Open-Meteo, metric". */
        QString detail;
        /** The row's words under its place: "current conditions". */
        QString childTitle;
        /** Set for a search: its query, case-folded ("lond"). */
        QString searchQuery;
        /** A search's scope (provider and language): it joins a place of the same scope. */
        QString searchScope;
    };
    using PlaceFunction = std::function<Placement(const QString &key)>;

    static const QString kSearchesGroup;
    static const QString kTypingGroup;

    explicit CachePlaceModel(QObject *parent = nullptr);
    ~CachePlaceModel() override;

    void setSourceModel(CacheEntryModel *source);
    CacheEntryModel *sourceModel() const { return m_source; }
    void setPlaceFunction(PlaceFunction place);
    /** Groups shown in bold: the places on screen. */
    void setHighlightedGroups(const QSet<QString> &groupIds);

    /** Re-reads every placement (a name learnt, a setting changed). */
    void regroup();

    QModelIndex indexOfKey(const QString &key, int column = 0) const;
    QModelIndex indexOfGroup(const QString &groupId, int column = 0) const;
    /** The id of the group `key` is in; empty when no row has it. */
    QString groupOfKey(const QString &key) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Child
    {
        QString key;
        QString title;
    };
    struct Group
    {
        QString id;
        QString title; // as shown: "Berlin, DE — Open-Meteo, metric"
        QString tip;
        bool typing = false;
        int row = -1; // its row, kept in step as groups come and go
        QList<Child> children;
        QHash<QString, int> childRow; // key -> row under this group
    };
    /** What the model knows of one key of the flat model. */
    struct Entry
    {
        Placement placement;
        QString scoped; // a place's folded name or a search's query, in its scope
        Group *group = nullptr;
    };

    Placement placementFor(const QString &key, int sourceRow) const;
    static QString scopedName(const Placement &p);
    void addKey(const QString &key, int sourceRow);
    void removeKey(const QString &key);
    /** Re-reads the placement of `key` (its words changed): in place when it stays. */
    void updateKey(const QString &key, int sourceRow);
    void addName(const QString &scoped, const QString &placeGroupId);
    void removeName(const QString &scoped, const QString &placeGroupId);
    /** The searches whose group `scoped` may decide: its prefixes in its scope, and itself. */
    void replaceSearchesUnder(const QString &scoped);
    QString wantedGroupOfSearch(const QString &scoped) const;
    Group *groupFor(const QString &id, const QString &title = {}, const QString &tip = {});
    void appendChild(Group *group, const QString &key, const QString &title);
    void removeChild(Group *group, const QString &key);
    void setGroupWords(Group *group, const QString &title, const QString &tip);
    void updateTypingTitle();
    void clearAll();
    int groupRow(const QString &id) const;
    Group *groupAt(const QModelIndex &index) const;
    void onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                             const QList<int> &roles);

    QPointer<CacheEntryModel> m_source;
    PlaceFunction m_place;
    std::vector<std::unique_ptr<Group>> m_groups;
    QHash<QString, Group *> m_groupById;
    QHash<QString, Entry> m_entries; // key -> what we know of it
    /** A place's scoped name -> the groups of that name, first come first (with counts). */
    QHash<QString, QList<std::pair<QString, int>>> m_placesByName;
    /** Every scoped name and query, counted: "is it the prefix of another?" in O(log n). */
    std::map<QString, int> m_names;
    QHash<QString, QStringList> m_searchesByQuery; // scoped query -> search keys
    QSet<QString> m_highlighted;
};
