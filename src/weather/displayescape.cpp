// SPDX-License-Identifier: MIT
#include "displayescape.h"

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

namespace DisplayEscape {

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

bool isDirectionalControl(char16_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
           || (c >= 0x2066 && c <= 0x2069);
}

QString terminal(const QString &outside)
{
    QString safe;
    safe.reserve(outside.size());
    for (const QChar c : outside) {
        const char16_t u = c.unicode();
        if (breaksTheLine(u))
            safe.append(u' ');
        else if (c.category() == QChar::Other_Control || isDirectionalControl(u))
            continue;
        else
            safe.append(c);
    }
    return safe.simplified();
}

QString richText(const QString &outside)
{
    return plain(outside).toHtmlEscaped();
}

QString notificationMarkup(const QString &outside)
{
    const QString line = plain(outside);
    QString out;
    out.reserve(line.size() + line.size() / 8);
    for (const QChar c : line) {
        if (c == u'&')
            out += u"&amp;"_s;
        else if (c == u'<')
            out += u"&lt;"_s;
        else if (c == u'>')
            out += u"&gt;"_s;
        else
            out += c;
    }
    return out;
}

QString menuText(const QString &outside)
{
    return plain(outside).replace(u'&', u"&&"_s);
}

} // namespace DisplayEscape
