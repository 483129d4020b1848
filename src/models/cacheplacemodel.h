// SPDX-License-Identifier: MIT
#pragma once

#include "cacheentrymodel.h"

#include <QAbstractItemModel>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QSet>

#include <functional>
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
 * The flat model is borrowed.
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
        QPersistentModelIndex source;
        QString title;
    };
    struct Group
    {
        QString id;
        QString title; // as shown, with its detail when another group has the same title
        QString tip;
        bool typing = false;
        std::vector<Child> children;
    };
    struct Wanted
    {
        QString id;
        QString title;
        QString tip;
        bool typing = false;
        QList<std::pair<QString, QString>> children; // key, title
        QList<QPersistentModelIndex> sources;
    };

    QList<Wanted> wantedGroups() const;
    void sync(const QList<Wanted> &wanted);
    void removeKeys(const QSet<QString> &keys);
    int groupRow(const QString &id) const;
    Group *groupAt(const QModelIndex &index) const;
    void onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                             const QList<int> &roles);

    QPointer<CacheEntryModel> m_source;
    PlaceFunction m_place;
    std::vector<std::unique_ptr<Group>> m_groups;
    QHash<QString, Group *> m_groupOfKey;
    QSet<QString> m_highlighted;
};
