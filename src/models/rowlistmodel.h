// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractListModel>
#include <QList>

/**
 * A list model over a QList<T> that takes each new list in place, never with a reset: rows
 * past the new end are removed, rows that differ are reported with one dataChanged, and rows
 * past the old end are inserted. So a view keeps its selection and scroll position when a
 * refresh brings the same days or hours again.
 */
template<typename T>
class RowListModel : public QAbstractListModel
{
public:
    using QAbstractListModel::QAbstractListModel;

protected:
    /**
     * Takes `rows`. `allChanged`: every kept row is reported changed even when equal (its text
     * depends on something else that moved, such as which day is today).
     */
    void replaceRows(const QList<T> &rows, bool allChanged)
    {
        const int oldCount = int(m_rows.size());
        const int newCount = int(rows.size());
        const int common = qMin(oldCount, newCount);
        if (newCount < oldCount) {
            beginRemoveRows({}, newCount, oldCount - 1);
            m_rows.resize(newCount);
            endRemoveRows();
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < common; ++i) {
            if (!allChanged && m_rows.at(i) == rows.at(i))
                continue;
            m_rows[i] = rows.at(i);
            if (first < 0)
                first = i;
            last = i;
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(first), index(last));
        if (newCount > oldCount) {
            beginInsertRows({}, oldCount, newCount - 1);
            m_rows.append(rows.mid(oldCount));
            endInsertRows();
        }
    }

    QList<T> m_rows;
};
