// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

/**
 * Paints the cache panel's "time left" cell as a bar that drains as the entry ages: its length
 * is CacheEntryModel::FractionLeftRole, its colour turns from green to amber to red, and the
 * remaining time is written over it.
 */
class TimeLeftDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /** The bar's colour for a fraction of the TTL left. */
    static QColor barColor(double fraction);
};
