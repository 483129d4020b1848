// SPDX-License-Identifier: MIT
#include "timeleftdelegate.h"

#include "models/cacheentrymodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

QColor TimeLeftDelegate::barColor(double fraction)
{
    if (fraction > 0.5)
        return QColor(0x4c, 0xaf, 0x50);
    if (fraction > 0.2)
        return QColor(0xf0, 0xa2, 0x02);
    return QColor(0xe0, 0x4f, 0x39);
}

void TimeLeftDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto state = EntryState(index.data(CacheEntryModel::StateRole).toInt());
    const double fraction = index.data(CacheEntryModel::FractionLeftRole).toDouble();
    const QRectF track = QRectF(option.rect).adjusted(4, 4, -4, -4);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath trackPath;
    trackPath.addRoundedRect(track, 3, 3);
    QColor trackColor = option.palette.color(QPalette::Mid);
    trackColor.setAlpha(60);
    painter->fillPath(trackPath, trackColor);

    if (state == EntryState::Loading) {
        QColor loading = option.palette.color(QPalette::Highlight);
        loading.setAlpha(90);
        painter->fillPath(trackPath, QBrush(loading, Qt::BDiagPattern));
    } else if (fraction > 0.0) {
        QRectF bar = track;
        bar.setWidth(qMax(2.0, track.width() * fraction));
        QPainterPath barPath;
        barPath.addRoundedRect(bar, 3, 3);
        QColor color = barColor(fraction);
        color.setAlpha(170);
        painter->fillPath(barPath, color);
    }

    painter->setPen(option.state & QStyle::State_Selected
                        ? option.palette.color(QPalette::HighlightedText)
                        : option.palette.color(QPalette::Text));
    painter->drawText(track, Qt::AlignCenter, text);
    painter->restore();
}

QSize TimeLeftDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width() + 16, 90));
    return size;
}
