// SPDX-License-Identifier: MIT
#include "displaytext.h"

#include "weather/displayescape.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace DisplayText {

QString plain(const QString &outside)
{
    return DisplayEscape::plain(outside);
}

QString mnemonicSafe(const QString &outside)
{
    return DisplayEscape::menuText(outside);
}

QString html(const QString &outside)
{
    return DisplayEscape::richText(outside);
}

QString toolTip(const QStringList &lines)
{
    if (lines.isEmpty() || (lines.size() == 1 && lines.first().isEmpty()))
        return {};
    QStringList escaped;
    escaped.reserve(lines.size());
    for (const QString &line : lines)
        escaped.append(html(line));
    // Given as rich text on purpose (the <p> makes Qt::mightBeRichText() true), so what is in
    // it is escaped text and never markup; pre-wrap keeps runs of spaces and still wraps.
    return u"<p style='white-space:pre-wrap'>"_s + escaped.join(u"<br>"_s) + u"</p>"_s;
}

QString toolTip(const QString &line)
{
    return toolTip(QStringList{line});
}

QString clockTime(const QDateTime &utc, qint64 nowMs, std::optional<int> placeOffsetSeconds)
{
    const QDateTime local = utc.toLocalTime();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toLocalTime();
    const QLocale locale;
    const QString time = local.date() == now.date()
                             ? locale.toString(local.time(), QLocale::ShortFormat)
                             : locale.toString(local, QLocale::ShortFormat);
    if (placeOffsetSeconds && *placeOffsetSeconds != local.offsetFromUtc())
        //: A time on the reader's clock, said about a place that keeps another one
        return QCoreApplication::translate("DisplayText", "%1 your time").arg(time);
    return time;
}

} // namespace DisplayText
