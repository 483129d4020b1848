// SPDX-License-Identifier: MIT
#include "displaytext.h"

using namespace Qt::StringLiterals;

namespace {

bool breaksTheLine(char32_t c)
{
    return c == u'\t' || c == u'\n' || c == 0x0b || c == 0x0c || c == u'\r' || c == 0x85
           || c == 0x2028 || c == 0x2029;
}

bool isDropped(char32_t c)
{
    const bool control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    const bool bidiControl = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    return control || bidiControl;
}

} // namespace

namespace DisplayText {

QString plain(const QString &outside)
{
    QString out;
    out.reserve(outside.size());
    // Every character dropped is in the BMP, so UTF-16 units will do: surrogates never match.
    for (const QChar c : outside) {
        const char32_t code = c.unicode();
        if (breaksTheLine(code))
            out.append(u' ');
        else if (!isDropped(code))
            out.append(c);
    }
    return out;
}

QString mnemonicSafe(const QString &outside)
{
    return plain(outside).replace(u'&', u"&&"_s);
}

QString html(const QString &outside)
{
    return plain(outside).toHtmlEscaped();
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

} // namespace DisplayText
