// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

/** One day of the forecast strip: day name, date, condition icon, high and low, precipitation. */
class ForecastDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static constexpr int kIconSize = 40;

    /** Cells this wide (0: just wide enough), so the days can share the strip's width. */
    void setItemWidth(int width) { m_itemWidth = width; }
    int itemWidth() const { return m_itemWidth; }
    QSize minimumSize(const QStyleOptionViewItem &option) const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_itemWidth = 0;
};
