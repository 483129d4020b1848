// SPDX-License-Identifier: MIT
#include "suggestiondelegate.h"

#include "models/locationsuggestionmodel.h"
#include "themecolors.h"

#include <QApplication>
#include <QPainter>

void SuggestionDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QRect text = option.rect.adjusted(8, 0, -8, 0);
    QFont bold = option.font;
    bold.setBold(true);
    const QString name = index.data(LocationSuggestionModel::NameRole).toString();
    const QString detail = index.data(LocationSuggestionModel::DetailRole).toString();

    painter->save();
    painter->setFont(bold);
    painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    const QFontMetrics boldMetrics(bold);
    const QString shownName = boldMetrics.elidedText(name, Qt::ElideRight, text.width());
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, shownName);
    const int used = boldMetrics.horizontalAdvance(shownName) + 10;
    if (!detail.isEmpty() && used < text.width()) {
        painter->setFont(option.font);
        // Secondary text that still reads, not the faint placeholder colour.
        const QColor detailColor = selected
                                       ? option.palette.color(QPalette::HighlightedText)
                                       : ThemeColors::secondaryText(option.palette, QPalette::Base);
        painter->setPen(detailColor);
        const QRect detailRect = text.adjusted(used, 0, 0, 0);
        painter->drawText(
            detailRect, Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(option.font).elidedText(detail, Qt::ElideRight, detailRect.width()));
    }
    painter->restore();
}

QSize SuggestionDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), QFontMetrics(option.font).height() + 12));
    return size;
}
