// SPDX-License-Identifier: MIT
#include "forecastdelegate.h"

#include "models/forecastmodel.h"
#include "themecolors.h"
#include "weathericons.h"

#include <QPainter>
#include <QPainterPath>

void ForecastDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF cell = QRectF(option.rect).adjusted(3, 2, -3, -2);
    QPainterPath background;
    background.addRoundedRect(cell, 8, 8);
    QColor fill = option.palette.color(QPalette::AlternateBase);
    if (option.state & QStyle::State_MouseOver)
        fill = fill.darker(104);
    painter->fillPath(background, fill);

    QFont dayFont = option.font;
    dayFont.setBold(true);
    const QFontMetrics dayMetrics(dayFont);
    const QFontMetrics metrics(option.font);
    const int top = int(cell.top()) + 8;

    painter->setFont(dayFont);
    const QColor primary = ThemeColors::readableText(option.palette.color(QPalette::Text), fill);
    painter->setPen(primary);
    const QRect dayRect(int(cell.left()), top, int(cell.width()), dayMetrics.height());
    painter->drawText(dayRect, Qt::AlignHCenter | Qt::AlignVCenter,
                      dayMetrics.elidedText(index.data(ForecastModel::DayNameRole).toString(),
                                            Qt::ElideRight, dayRect.width() - 4));

    // The date under the day's name, in the secondary colour (the palette's, so dark themes
    // keep their contrast).
    const QColor secondary
        = ThemeColors::secondaryTextOn(option.palette.color(QPalette::Text), fill);
    painter->setFont(option.font);
    painter->setPen(secondary);
    const QRect dateRect(int(cell.left()), dayRect.bottom() + 2, int(cell.width()),
                         metrics.height());
    // The day's moon (issue 23) after the date: "15 Jun 🌔".
    const QString moon = index.data(ForecastModel::MoonSymbolRole).toString();
    const QString date = index.data(ForecastModel::DateTextRole).toString();
    painter->drawText(dateRect, Qt::AlignHCenter | Qt::AlignVCenter,
                      metrics.elidedText(moon.isEmpty() ? date : date + u' ' + moon, Qt::ElideRight,
                                         dateRect.width() - 4));

    const QRect iconRect(int(cell.center().x()) - kIconSize / 2, dateRect.bottom() + 6, kIconSize,
                         kIconSize);
    WeatherIcons::icon(index.data(ForecastModel::IconNameRole).toString()).paint(painter, iconRect);

    const QRect tempRect(int(cell.left()), iconRect.bottom() + 6, int(cell.width()),
                         metrics.height());
    const QString high = index.data(ForecastModel::MaxTextRole).toString();
    const QString low = index.data(ForecastModel::MinTextRole).toString();
    const int gap = metrics.horizontalAdvance(QLatin1Char(' ')) * 2;
    const int highWidth = dayMetrics.horizontalAdvance(high);
    const int total = highWidth + gap + metrics.horizontalAdvance(low);
    const int x = tempRect.left() + (tempRect.width() - total) / 2;
    painter->setFont(dayFont);
    painter->setPen(primary); // the high reads first; the low is the secondary colour
    painter->drawText(QRect(x, tempRect.top(), highWidth, tempRect.height()), Qt::AlignLeft, high);
    painter->setFont(option.font);
    // Not PlaceholderText: Qt 6.4's KDE and GNOME themes leave it near-black on dark.
    painter->setPen(secondary);
    painter->drawText(QRect(x + highWidth + gap, tempRect.top(), total, tempRect.height()),
                      Qt::AlignLeft, low);

    const QRect rainRect(int(cell.left()), tempRect.bottom() + 4, int(cell.width()),
                         metrics.height());
    painter->setPen(ThemeColors::readableText(option.palette.color(QPalette::Link), fill));
    painter->drawText(
        rainRect, Qt::AlignHCenter | Qt::AlignVCenter,
        metrics.elidedText(index.data(ForecastModel::PrecipitationTextRole).toString(),
                           Qt::ElideRight, rainRect.width() - 4));
    painter->restore();
}

QSize ForecastDelegate::minimumSize(const QStyleOptionViewItem &option) const
{
    const QFontMetrics metrics(option.font);
    return {qMax(qMax(76, metrics.horizontalAdvance(tr("Tomorrow")) + 20),
                 metrics.horizontalAdvance(u"100 % · 12.5 mm"_qs) + 12),
            8 + metrics.height() + 2 + metrics.height() + 6 + kIconSize + 6 + metrics.height() + 4
                + metrics.height() + 10};
}

QSize ForecastDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QSize minimum = minimumSize(option);
    return {qMax(minimum.width(), m_itemWidth), minimum.height()};
}
