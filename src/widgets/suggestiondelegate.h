// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

/** A place in the search suggestions: its name in bold, region and country beside it in grey. */
class SuggestionDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
