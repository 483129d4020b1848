// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTextDocument>

/** What a person reads in a tooltip: Qt's own guess decides between rich and plain text. */
inline QString shownToolTip(const QString &tip)
{
    if (!Qt::mightBeRichText(tip))
        return tip;
    QTextDocument document;
    document.setHtml(tip);
    return document.toPlainText();
}
