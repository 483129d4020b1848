// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

/**
 * One saved place in the sidebar: the condition icon, the name over the description, and the
 * temperature on the right. Renaming edits the name in place (a line edit, the default).
 */
class PlacesDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
