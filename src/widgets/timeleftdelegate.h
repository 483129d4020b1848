// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

/**
 * Paints the cache panel's "time left" cell as the whole life of an entry, in two segments:
 * the fresh time draining (CacheEntryModel::FractionLeftRole), then the stale horizon, greyed
 * (StaleFractionLeftRole), for as long as an expired value is kept as an offline backup. A
 * remembered "not found" is a neutral, outlined bar, never the colour of a healthy entry.
 *
 * Colours come from the palette (Highlight, Mid, Text), so a dark theme stays readable, and
 * the words say it all too: the cell writes LifeTextRole where it fits, else the short
 * DisplayRole text.
 */
class TimeLeftDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /** How much of the bar the fresh segment takes when there is a stale segment too. */
    static constexpr double kFreshShare = 0.62;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    enum class Segment { Fresh, Stale, RememberedFailure };
    /** The fill of a segment, from `palette`; `selected` cells sit on the highlight colour. */
    static QColor segmentColor(Segment segment, const QPalette &palette, bool selected);
    /** The words drawn for `index` in a bar `width` pixels wide. */
    static QString shownText(const QModelIndex &index, const QFontMetrics &metrics, int width);
};
