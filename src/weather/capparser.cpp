// SPDX-License-Identifier: MIT
#include "capparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

WeatherResult<CapMessage> badMessage(const QString &detail)
{
    return WeatherResult<CapMessage>::failure(WeatherError(WeatherError::BadResponse, {}, detail));
}

/**
 * The reader and the counts over the whole message; the first problem wins and stops the
 * parse (raiseError), so one bad field is one clear detail, not a cascade.
 */
struct Reader
{
    QXmlStreamReader xml;
    qsizetype areas = 0;
    qsizetype points = 0;
    QString tooLarge;

    bool inCap() const { return xml.namespaceUri() == QStringView(CapParser::kNamespace); }

    /** The element's text, trimmed; child elements' text included (it is text, not markup). */
    QString text(qsizetype maxLength)
    {
        QString value = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        if (value.size() > maxLength) {
            // Cut at a grapheme-safe point: never split a surrogate pair.
            qsizetype cut = maxLength;
            if (cut > 0 && value.at(cut - 1).isHighSurrogate())
                --cut;
            value.truncate(cut);
            value.append(u'…');
        }
        return value;
    }
    /** A time field: one that is there but unreadable stops the parse (see time()). */
    QDateTime time();
};

/** CAP's dateTime: ISO 8601 with a UTC offset ("2026-12-07T19:00:00+01:00"; "Z" tolerated). */
QDateTime parseTime(const QString &text)
{
    if (text.size() > 40)
        return {};
    // The offset must be written: a CAP time without one is not a time anywhere.
    const bool zulu = text.endsWith(u'Z');
    const bool offset = text.size() >= 25
                        && (text.at(text.size() - 6) == u'+' || text.at(text.size() - 6) == u'-')
                        && text.at(text.size() - 3) == u':';
    if (!zulu && !offset)
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid() || t.date().year() < 1970 || t.date().year() > 2199)
        return {};
    return t;
}

QDateTime Reader::time()
{
    const QString raw = text(CapParser::kMaxShortText);
    const QDateTime t = parseTime(raw);
    // An unreadable time cannot be guessed: "02:00" in whose zone? A message that says
    // neither when it ends nor in which zone is refused, never kept "until further notice".
    if (!raw.isEmpty() && !t.isValid())
        xml.raiseError(u"a time without a UTC offset: "_s + raw.left(40));
    return t;
}

bool parseDouble(QStringView text, double &value, double limit)
{
    bool ok = false;
    value = text.toDouble(&ok);
    return ok && qIsFinite(value) && qAbs(value) <= limit;
}

bool parsePoint(QStringView pair, CapPoint &point)
{
    const qsizetype comma = pair.indexOf(u',');
    return comma > 0 && parseDouble(pair.first(comma), point.latitude, 90.0)
           && parseDouble(pair.sliced(comma + 1), point.longitude, 180.0);
}

/** "lat,lon lat,lon ...": nullopt for a polygon with a bad pair or fewer than 3 corners. */
std::optional<QList<CapPoint>> parsePolygon(Reader &r, const QString &text)
{
    QList<CapPoint> ring;
    const QList<QStringView> pairs = QStringView(text).split(u' ', Qt::SkipEmptyParts);
    for (QStringView pair : pairs) {
        pair = pair.trimmed();
        if (pair.isEmpty())
            continue;
        if (++r.points > CapParser::kMaxPoints) {
            r.tooLarge = u"more than %1 polygon points"_s.arg(CapParser::kMaxPoints);
            return std::nullopt;
        }
        CapPoint p;
        if (!parsePoint(pair, p))
            return std::nullopt;
        ring.append(p);
    }
    if (ring.size() > 1 && ring.first() == ring.last())
        ring.removeLast();
    if (ring.size() < 3)
        return std::nullopt;
    return ring;
}

std::optional<CapCircle> parseCircle(const QString &text)
{
    const QList<QStringView> parts = QStringView(text).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() != 2)
        return std::nullopt;
    CapCircle c;
    if (!parsePoint(parts.at(0), c.centre) || !parseDouble(parts.at(1), c.radiusKm, 20'100.0)
        || c.radiusKm < 0)
        return std::nullopt;
    return c;
}

void readArea(Reader &r, CapInfo &info)
{
    if (++r.areas > CapParser::kMaxAreas) {
        r.tooLarge = u"more than %1 areas"_s.arg(CapParser::kMaxAreas);
        r.xml.raiseError(r.tooLarge);
        return;
    }
    CapArea area;
    while (r.xml.readNextStartElement()) {
        const QStringView name = r.xml.name();
        if (!r.inCap())
            r.xml.skipCurrentElement();
        else if (name == u"areaDesc")
            area.description = r.text(CapParser::kMaxShortText);
        else if (name == u"polygon") {
            // Whitespace of any kind separates the pairs.
            const QString text = r.text(CapParser::kMaxMessageBytes).simplified();
            if (auto ring = parsePolygon(r, text))
                area.polygons.append(std::move(*ring));
            if (!r.tooLarge.isEmpty()) {
                r.xml.raiseError(r.tooLarge);
                return;
            }
        } else if (name == u"circle") {
            if (auto c = parseCircle(r.text(CapParser::kMaxShortText).simplified()))
                area.circles.append(*c);
        } else
            r.xml.skipCurrentElement();
    }
    info.areas.append(std::move(area));
}

void readInfo(Reader &r, CapMessage &message)
{
    if (message.infos.size() >= CapParser::kMaxInfos) {
        r.tooLarge = u"more than %1 info blocks"_s.arg(CapParser::kMaxInfos);
        r.xml.raiseError(r.tooLarge);
        return;
    }
    CapInfo info;
    while (r.xml.readNextStartElement()) {
        const QStringView name = r.xml.name();
        if (!r.inCap()) {
            r.xml.skipCurrentElement();
        } else if (name == u"language") {
            const QString language = r.text(CapParser::kMaxShortText);
            if (!language.isEmpty())
                info.language = language;
        } else if (name == u"category") {
            if (info.categories.size() < 16)
                info.categories.append(r.text(CapParser::kMaxShortText));
            else
                r.xml.skipCurrentElement();
        } else if (name == u"event") {
            info.event = r.text(CapParser::kMaxShortText);
        } else if (name == u"urgency") {
            info.urgency = r.text(CapParser::kMaxShortText);
        } else if (name == u"severity") {
            info.severity = r.text(CapParser::kMaxShortText);
        } else if (name == u"certainty") {
            info.certainty = r.text(CapParser::kMaxShortText);
        } else if (name == u"effective") {
            info.effective = r.time();
        } else if (name == u"onset") {
            info.onset = r.time();
        } else if (name == u"expires") {
            info.expires = r.time();
        } else if (name == u"senderName") {
            info.senderName = r.text(CapParser::kMaxShortText);
        } else if (name == u"headline") {
            info.headline = r.text(CapParser::kMaxShortText);
        } else if (name == u"description") {
            info.description = r.text(CapParser::kMaxLongText);
        } else if (name == u"instruction") {
            info.instruction = r.text(CapParser::kMaxLongText);
        } else if (name == u"web") {
            info.web = r.text(CapParser::kMaxShortText);
        } else if (name == u"area") {
            readArea(r, info);
            if (r.xml.hasError())
                return;
        } else {
            r.xml.skipCurrentElement(); // responseType, eventCode, parameter, resource...
        }
    }
    message.infos.append(std::move(info));
}

/** "sender,identifier,sent sender,identifier,sent": the identifiers. */
QStringList parseReferences(const QString &text)
{
    QStringList ids;
    const QList<QStringView> triples = QStringView(text).split(u' ', Qt::SkipEmptyParts);
    for (QStringView triple : triples) {
        const QList<QStringView> parts = triple.split(u',');
        if (parts.size() == 3 && !parts.at(1).isEmpty() && ids.size() < CapParser::kMaxReferences)
            ids.append(parts.at(1).toString());
    }
    return ids;
}

/** 3 for "de-DE" asked as "de_DE", 2 for "de-AT" asked as "de", 1 for English, else 0. */
int languageScore(const QString &capLanguage, const QString &wanted)
{
    const QString cap = capLanguage.toLower().replace(u'_', u'-');
    const QString want = wanted.toLower().replace(u'_', u'-');
    if (!want.isEmpty() && cap == want)
        return 3;
    const QString capPrimary = cap.section(u'-', 0, 0);
    if (!want.isEmpty() && capPrimary == want.section(u'-', 0, 0))
        return 2;
    return capPrimary == u"en" ? 1 : 0;
}

bool infoIsLive(const CapInfo &info, double latitude, double longitude, const QDateTime &now)
{
    return info.categories.contains(u"Met"_s) && info.urgency != u"Past"
           && (!info.expires.isValid() || info.expires > now) && info.contains(latitude, longitude);
}

} // namespace

namespace CapParser {

WeatherResult<CapMessage> parseMessage(const QByteArray &xml)
{
    if (xml.size() > kMaxMessageBytes)
        return WeatherResult<CapMessage>::failure(
            WeatherError(WeatherError::ResponseTooLarge, {}, u"%1 bytes"_s.arg(xml.size())));
    Reader r;
    r.xml.addData(xml);
    // The prolog: a DTD could declare entities; a CAP message has none.
    while (!r.xml.atEnd()) {
        const QXmlStreamReader::TokenType token = r.xml.readNext();
        if (token == QXmlStreamReader::DTD)
            return badMessage(u"a document type declaration"_s);
        if (token == QXmlStreamReader::StartElement)
            break;
    }
    if (r.xml.hasError())
        return badMessage(r.xml.errorString());
    if (!r.xml.isStartElement() || r.xml.name() != u"alert" || !r.inCap())
        return badMessage(u"not a CAP 1.2 alert"_s);

    CapMessage message;
    while (r.xml.readNextStartElement()) {
        const QStringView name = r.xml.name();
        if (!r.inCap())
            r.xml.skipCurrentElement();
        else if (name == u"identifier")
            message.identifier = r.text(kMaxIdLength + 1);
        else if (name == u"sender")
            message.sender = r.text(kMaxShortText);
        else if (name == u"sent")
            message.sent = r.time();
        else if (name == u"status")
            message.status = r.text(kMaxShortText);
        else if (name == u"msgType")
            message.msgType = r.text(kMaxShortText);
        else if (name == u"references")
            message.references = parseReferences(r.text(kMaxLongText).simplified());
        else if (name == u"info")
            readInfo(r, message);
        else
            r.xml.skipCurrentElement(); // source, scope, restriction, addresses, note...
    }
    // The rest of the document must be well-formed too: a cut message is no message.
    while (!r.xml.atEnd() && !r.xml.hasError())
        r.xml.readNext();
    if (!r.tooLarge.isEmpty())
        return WeatherResult<CapMessage>::failure(
            WeatherError(WeatherError::ResponseTooLarge, {}, r.tooLarge));
    if (r.xml.hasError())
        return badMessage(r.xml.errorString());
    if (message.identifier.isEmpty() || message.identifier.size() > kMaxIdLength)
        return badMessage(u"no identifier"_s);
    if (message.msgType.isEmpty() || message.status.isEmpty())
        return badMessage(u"no msgType or status"_s);
    message.source
        = QByteArray(xml.constData(), xml.size()); // a deep copy: callers may pass raw data
    return WeatherResult<CapMessage>::success(std::move(message));
}

bool isValidId(QStringView id)
{
    if (id.isEmpty() || id.size() > kMaxIdLength)
        return false;
    for (QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                        || (u >= u'0' && u <= u'9') || u == u'.' || u == u'-' || u == u'_'
                        || u == u':' || u == u'~' || u == u'@';
        if (!ok)
            return false;
    }
    return id != u"." && id != u"..";
}

WeatherResult<AlertIdList> parseIdList(const QByteArray &json)
{
    if (json.size() > kMaxIdListBytes)
        return WeatherResult<AlertIdList>::failure(
            WeatherError(WeatherError::ResponseTooLarge, {}, u"%1 bytes"_s.arg(json.size())));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return WeatherResult<AlertIdList>::failure(
            WeatherError(WeatherError::BadResponse, {}, u"not a JSON array of alert ids"_s));
    const QJsonArray array = doc.array();
    if (array.size() > kMaxIds)
        return WeatherResult<AlertIdList>::failure(
            WeatherError(WeatherError::ResponseTooLarge, {}, u"%1 alert ids"_s.arg(array.size())));
    AlertIdList list;
    for (const QJsonValue &value : array) {
        const QString id = value.toString();
        if (!value.isString() || !isValidId(id))
            return WeatherResult<AlertIdList>::failure(
                WeatherError(WeatherError::BadResponse, {}, u"an alert id that is no id"_s));
        if (!list.ids.contains(id))
            list.ids.append(id);
    }
    return WeatherResult<AlertIdList>::success(std::move(list));
}

std::optional<WeatherAlert> alertFor(const CapMessage &message, double latitude, double longitude,
                                     const QDateTime &now, const QString &language)
{
    if (message.status != u"Actual"
        || (message.msgType != u"Alert" && message.msgType != u"Update"))
        return std::nullopt;
    const CapInfo *best = nullptr;
    int bestScore = -1;
    for (const CapInfo &info : message.infos) {
        if (!infoIsLive(info, latitude, longitude, now))
            continue;
        const int score = languageScore(info.language, language);
        if (score > bestScore) {
            best = &info;
            bestScore = score;
        }
    }
    if (!best)
        return std::nullopt;
    WeatherAlert alert;
    alert.id = message.identifier;
    alert.event = best->event;
    alert.headline = best->headline;
    alert.severity = WeatherAlert::severityFromCap(best->severity);
    alert.urgency = best->urgency;
    alert.certainty = best->certainty;
    alert.onset = best->onset.isValid()       ? best->onset
                  : best->effective.isValid() ? best->effective
                                              : message.sent;
    alert.expires = best->expires;
    alert.sender = best->senderName.isEmpty() ? message.sender : best->senderName;
    alert.description = best->description;
    alert.instruction = best->instruction;
    alert.web = best->web;
    alert.language = best->language;
    for (const CapArea &area : best->areas) {
        if (area.contains(latitude, longitude)) {
            alert.areaDescription = area.description;
            break;
        }
    }
    if (message.msgType == u"Update")
        alert.replaces = message.references;
    return alert;
}

WeatherAlertList liveAlerts(const QList<CapMessage> &messages, double latitude, double longitude,
                            const QDateTime &now, const QString &language)
{
    // A message another one in the list updates or cancels is over, whatever it says. Only
    // messages that are themselves in force count: an Ack or a Test replaces nothing.
    QSet<QString> replaced;
    for (const CapMessage &m : messages) {
        if (m.status == u"Actual" && (m.msgType == u"Update" || m.msgType == u"Cancel"))
            for (const QString &id : m.references)
                replaced.insert(id);
    }
    WeatherAlertList alerts;
    QSet<QString> seen;
    for (const CapMessage &m : messages) {
        if (replaced.contains(m.identifier) || seen.contains(m.identifier))
            continue;
        if (auto alert = alertFor(m, latitude, longitude, now, language)) {
            seen.insert(m.identifier);
            alerts.append(std::move(*alert));
        }
    }
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const WeatherAlert &a, const WeatherAlert &b) {
                         if (a.severity != b.severity)
                             return a.severity > b.severity;
                         return a.onset < b.onset;
                     });
    return alerts;
}

} // namespace CapParser
