// SPDX-License-Identifier: MIT
#include "fakealertserver.h"

#include "weather/capparser.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QString capTime(const QDateTime &t)
{
    // CAP's form: seconds, and the offset written out (never "Z").
    QDateTime shown = t.toOffsetFromUtc(t.offsetFromUtc());
    QString text = shown.toString(Qt::ISODate);
    if (text.endsWith(u'Z'))
        text.chop(1), text += u"+00:00"_s;
    return text;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

QByteArray FakeAlertServer::message(const Spec &s)
{
    const QString sent = capTime(s.onset.isValid() ? s.onset : QDateTime::currentDateTimeUtc());
    QString refs;
    for (const QString &r : s.references)
        refs += (refs.isEmpty() ? QString() : u" "_s) + u"test@example.org,"_s + r + u","_s + sent;
    QString area;
    if (s.circleKm > 0) {
        area = u"<circle>%1,%2 %3</circle>"_s.arg((s.south + s.north) / 2, 0, 'f', 4)
                   .arg((s.west + s.east) / 2, 0, 'f', 4)
                   .arg(s.circleKm);
    } else {
        auto pair = [](double lat, double lon) {
            return u"%1,%2"_s.arg(lat, 0, 'f', 4).arg(lon, 0, 'f', 4);
        };
        area = u"<polygon>"_s + pair(s.south, s.west) + u' ' + pair(s.south, s.east) + u' '
               + pair(s.north, s.east) + u' ' + pair(s.north, s.west) + u' ' + pair(s.south, s.west)
               + u"</polygon>"_s;
    }
    QString xml
        = u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
          "  <identifier>%1</identifier>\n  <sender>test@example.org</sender>\n"
          "  <sent>%2</sent>\n  <status>%3</status>\n  <msgType>%4</msgType>\n"
          "  <scope>Public</scope>\n"_s.arg(escaped(s.identifier), sent, s.status, s.msgType);
    if (!refs.isEmpty())
        xml += u"  <references>"_s + refs + u"</references>\n"_s;
    xml += u"  <info>\n    <language>en-GB</language>\n    <category>%1</category>\n"
           "    <event>%2</event>\n    <urgency>%3</urgency>\n    <severity>%4</severity>\n"
           "    <certainty>Likely</certainty>\n"_s.arg(s.category, escaped(s.event), s.urgency,
                                                       s.severity);
    if (s.onset.isValid())
        xml += u"    <onset>"_s + capTime(s.onset) + u"</onset>\n"_s;
    if (s.expires.isValid())
        xml += u"    <expires>"_s + capTime(s.expires) + u"</expires>\n"_s;
    xml += u"    <senderName>%1</senderName>\n    <headline>%2</headline>\n"
           "    <description>%3</description>\n    <instruction>%4</instruction>\n"
           "    <web>https://example.org/warnings</web>\n"
           "    <area>\n      <areaDesc>Test area</areaDesc>\n      %5\n    </area>\n"
           "  </info>\n</alert>\n"_s.arg(escaped(s.senderName), escaped(s.headline),
                                         escaped(s.description), escaped(s.instruction), area);
    return xml.toUtf8();
}

void FakeAlertServer::add(const QString &id, const QByteArray &xml)
{
    Stored stored;
    stored.xml = xml;
    // The server keeps each message's bounds; one it cannot read is never listed.
    if (const auto parsed = CapParser::parseMessage(xml); parsed.ok()) {
        for (const CapInfo &info : parsed.value->infos) {
            for (const CapArea &a : info.areas) {
                auto include = [&stored](double lat, double lon, double margin) {
                    if (!stored.hasBounds) {
                        stored.south = lat - margin, stored.north = lat + margin;
                        stored.west = lon - margin, stored.east = lon + margin;
                        stored.hasBounds = true;
                        return;
                    }
                    stored.south = qMin(stored.south, lat - margin);
                    stored.north = qMax(stored.north, lat + margin);
                    stored.west = qMin(stored.west, lon - margin);
                    stored.east = qMax(stored.east, lon + margin);
                };
                for (const auto &ring : a.polygons)
                    for (const CapPoint &p : ring)
                        include(p.latitude, p.longitude, 0.0);
                for (const CapCircle &c : a.circles)
                    include(c.centre.latitude, c.centre.longitude, c.radiusKm / 70.0);
            }
        }
    }
    m_messages.insert(id, stored);
}

void FakeAlertServer::remove(const QString &id)
{
    m_messages.remove(id);
}

void FakeAlertServer::clear()
{
    m_messages.clear();
}

void FakeAlertServer::setReply(Endpoint endpoint, const HttpReply &reply, int times)
{
    m_overrides.insert(endpoint, Override{reply, times});
}

void FakeAlertServer::failWith(Endpoint endpoint, int status, int retryAfterSeconds, int times)
{
    // The real server is a web application behind a proxy: its errors are HTML pages.
    HttpReply reply = HttpReply::withBody(
        status, "text/html",
        "<!doctype html><html><head><title>Server Error</title></head><body><h1>Server Error ("
            + QByteArray::number(status) + ")</h1></body></html>");
    if (retryAfterSeconds >= 0)
        reply.withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    setReply(endpoint, reply, times);
}

void FakeAlertServer::resetCounters()
{
    m_counts.clear();
    m_requests.clear();
}

HttpReply FakeAlertServer::answer(const RecordedRequest &request)
{
    const bool area = request.path == u"/alert/area"_s;
    const Endpoint endpoint = area ? Endpoint::Area : Endpoint::Message;
    ++m_counts[endpoint];
    m_requests[endpoint].append(request);
    if (auto it = m_overrides.find(endpoint); it != m_overrides.end()) {
        const HttpReply reply = it->reply;
        if (it->remaining > 0 && --it->remaining == 0)
            m_overrides.erase(it);
        return reply;
    }
    if (area) {
        double bounds[4];
        const QString names[4] = {u"min_lat"_s, u"max_lat"_s, u"min_lon"_s, u"max_lon"_s};
        for (int i = 0; i < 4; ++i) {
            bool ok = false;
            bounds[i] = request.queryValue(names[i]).toDouble(&ok);
            if (!ok)
                return HttpReply::json(400, R"({"detail":"missing or invalid bounds"})");
        }
        QJsonArray ids;
        for (auto it = m_messages.cbegin(); it != m_messages.cend(); ++it) {
            const Stored &s = it.value();
            if (s.hasBounds && s.south <= bounds[1] && s.north >= bounds[0] && s.west <= bounds[3]
                && s.east >= bounds[2])
                ids.append(it.key());
        }
        return HttpReply::json(200, QJsonDocument(ids).toJson(QJsonDocument::Compact));
    }
    const QString id = request.path.mid(QStringLiteral("/alert/").size());
    const auto it = m_messages.constFind(id);
    if (it == m_messages.cend())
        return HttpReply::json(404, R"({"detail":"Not found."})");
    return HttpReply::withBody(200, "application/xml", it->xml);
}
