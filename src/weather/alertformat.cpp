// SPDX-License-Identifier: MIT
#include "alertformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("AlertFormat", text);
}

} // namespace

namespace AlertFormat {

QString isoTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const int offset = time.offsetFromUtc();
    const QDateTime fixed = time.toOffsetFromUtc(offset);
    QString text = fixed.toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    const int minutes = qAbs(offset) / 60;
    text
        += (offset < 0 ? u'-' : u'+')
           + u"%1:%2"_s.arg(minutes / 60, 2, 10, QChar(u'0')).arg(minutes % 60, 2, 10, QChar(u'0'));
    return text;
}

QJsonObject toJson(const WeatherAlert &a)
{
    auto time = [](const QDateTime &t) {
        return t.isValid() ? QJsonValue(isoTime(t)) : QJsonValue(QJsonValue::Null);
    };
    auto text = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
    };
    return {{u"id"_s, a.id},
            {u"event"_s, a.event},
            {u"headline"_s, text(a.headline)},
            {u"severity"_s, WeatherAlert::severityToken(a.severity)},
            {u"urgency"_s, text(a.urgency)},
            {u"certainty"_s, text(a.certainty)},
            {u"onset"_s, time(a.onset)},
            {u"expires"_s, time(a.expires)},
            {u"sender"_s, text(a.sender)},
            {u"description"_s, text(a.description)},
            {u"instruction"_s, text(a.instruction)},
            {u"web"_s, text(a.web)}};
}

QJsonValue toJson(const std::optional<WeatherAlertList> &alerts)
{
    if (!alerts)
        return QJsonValue(QJsonValue::Null);
    QJsonArray array;
    for (const WeatherAlert &a : *alerts)
        array.append(toJson(a));
    return array;
}

QTimeZone placeZone(const QString &ianaId, std::optional<int> utcOffsetSeconds)
{
    if (!ianaId.isEmpty()) {
        const QTimeZone zone(ianaId.toUtf8());
        if (zone.isValid())
            return zone;
    }
    return QTimeZone(utcOffsetSeconds.value_or(0));
}

QString placeTime(const QDateTime &time, const QTimeZone &zone)
{
    const QDateTime local = zone.isValid() ? time.toTimeZone(zone) : time.toUTC();
    // Day names in the person's language (QLocale), the clock in 24 h like the rest of the CLI.
    return QLocale().toString(local, u"ddd HH:mm"_s);
}

QString period(const WeatherAlert &a, const QTimeZone &zone, const QDateTime &now)
{
    const bool started = !a.onset.isValid() || a.onset <= now;
    if (started && a.expires.isValid())
        return tr("until %1").arg(placeTime(a.expires, zone));
    if (!started && a.expires.isValid())
        return tr("from %1 until %2").arg(placeTime(a.onset, zone), placeTime(a.expires, zone));
    if (!started)
        return tr("from %1").arg(placeTime(a.onset, zone));
    return tr("until further notice");
}

QString summary(const WeatherAlert &a, const QTimeZone &zone, const QDateTime &now)
{
    QStringList parts{WeatherAlert::severityText(a.severity) + u": "_s
                      + (a.event.isEmpty() ? a.headline : a.event)};
    parts << period(a, zone, now);
    if (!a.sender.isEmpty())
        parts << a.sender;
    return parts.join(u" · "_s);
}

QString statusText(const std::optional<WeatherAlertList> &alerts)
{
    if (!alerts)
        return u"?"_s;
    if (alerts->isEmpty())
        return {};
    const WeatherAlert &first = alerts->first();
    QString text = first.event.isEmpty() ? WeatherAlert::severityText(first.severity) : first.event;
    if (alerts->size() > 1)
        text += u" +"_s + QString::number(alerts->size() - 1);
    return text;
}

} // namespace AlertFormat
