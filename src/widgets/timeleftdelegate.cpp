// SPDX-License-Identifier: MIT
#include "timeleftdelegate.h"

#include "models/cacheentrymodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace {
constexpr qreal kRadius = 3.0;
constexpr int kTextMargin = 3;

QPainterPath rounded(const QRectF &rect)
{
    QPainterPath path;
    path.addRoundedRect(rect, kRadius, kRadius);
    return path;
}
} // namespace

QColor TimeLeftDelegate::segmentColor(Segment segment, const QPalette &palette, bool selected)
{
    // On a selected row the cell is the highlight colour already: fills in the text colour
    // drawn over it, fainter for what is not fresh.
    QColor color;
    switch (segment) {
    case Segment::Fresh:
        color = palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight);
        color.setAlpha(selected ? 110 : 120);
        break;
    case Segment::Stale:
        color = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        color.setAlpha(selected ? 55 : 30);
        break;
    case Segment::RememberedFailure:
        color = palette.color(selected ? QPalette::HighlightedText : QPalette::Mid);
        color.setAlpha(selected ? 70 : 110);
        break;
    }
    return color;
}

QString TimeLeftDelegate::shownText(const QModelIndex &index, const QFontMetrics &metrics,
                                    int width)
{
    const QString full = index.data(CacheEntryModel::LifeTextRole).toString();
    if (!full.isEmpty() && metrics.horizontalAdvance(full) <= width)
        return full;
    return metrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, width);
}

void TimeLeftDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QPalette &pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const auto state = EntryState(index.data(CacheEntryModel::StateRole).toInt());
    const bool failure = index.data(CacheEntryModel::RememberedFailureRole).toBool();
    const bool firstLoad
        = state == EntryState::Loading && index.data(CacheEntryModel::TtlMsRole).toLongLong() <= 0;
    const double freshLeft = index.data(CacheEntryModel::FractionLeftRole).toDouble();
    const bool hasStale = index.data(CacheEntryModel::StaleHorizonMsRole).toLongLong() > 0;
    const double staleLeft = index.data(CacheEntryModel::StaleFractionLeftRole).toDouble();
    const QRectF track = QRectF(option.rect).adjusted(4, 4, -4, -4);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor trackColor = pal.color(selected ? QPalette::HighlightedText : QPalette::Mid);
    trackColor.setAlpha(selected ? 40 : 60);

    if (firstLoad) {
        painter->fillPath(rounded(track), trackColor);
    } else if (failure) {
        // Neutral and outlined: remembered, not healthy. Drains like the others.
        painter->fillPath(rounded(track), trackColor);
        QRectF bar = track;
        bar.setWidth(qMax(2.0, track.width() * freshLeft));
        painter->fillPath(rounded(bar), segmentColor(Segment::RememberedFailure, pal, selected));
        painter->setPen(QPen(pal.color(selected ? QPalette::HighlightedText : QPalette::Mid), 1));
        painter->drawPath(rounded(track.adjusted(0.5, 0.5, -0.5, -0.5)));
    } else {
        // One track, [ fresh, draining | stale horizon, greyed ], each segment draining from
        // its right end; a hairline between them, not a gap that would cut the words.
        painter->fillPath(rounded(track), trackColor);
        painter->save();
        painter->setClipPath(rounded(track));
        QRectF freshTrack = track;
        QRectF staleTrack;
        if (hasStale) {
            freshTrack.setWidth(track.width() * kFreshShare);
            staleTrack = track;
            staleTrack.setLeft(freshTrack.right());
        }
        if (freshLeft > 0.0) {
            QRectF bar = freshTrack;
            bar.setWidth(qMax(2.0, freshTrack.width() * freshLeft));
            painter->fillRect(bar, segmentColor(Segment::Fresh, pal, selected));
        }
        if (hasStale) {
            if (staleLeft > 0.0) {
                QRectF bar = staleTrack;
                bar.setWidth(qMax(2.0, staleTrack.width() * staleLeft));
                painter->fillRect(bar, segmentColor(Segment::Stale, pal, selected));
            }
            QColor divider = pal.color(selected ? QPalette::Highlight : QPalette::Base);
            divider.setAlpha(200);
            painter->setPen(QPen(divider, 1));
            painter->drawLine(QPointF(staleTrack.left(), track.top()),
                              QPointF(staleTrack.left(), track.bottom()));
        }
        painter->restore();
    }
    if (state == EntryState::Loading) {
        QColor loading = pal.color(selected ? QPalette::HighlightedText : QPalette::Highlight);
        loading.setAlpha(110);
        painter->fillPath(rounded(track), QBrush(loading, Qt::BDiagPattern));
    }

    // The words, in the text colour: the fills are translucent over the base colour, so the
    // text keeps its contrast in a light palette and in a dark one.
    const QRectF textRect = track.adjusted(kTextMargin, 0, -kTextMargin, 0);
    painter->setPen(pal.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignCenter,
                      shownText(index, option.fontMetrics, int(textRect.width())));
    painter->restore();
}

QSize TimeLeftDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width() + 16, 110));
    // The bar and its words need room above and below (the panel's other columns agree).
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 10));
    return size;
}
