// SPDX-License-Identifier: MIT
#pragma once

#include "localhttpserver.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

/**
 * The FOSS Public Alert Server's two endpoints, in its real shapes, for FakeWeatherServer
 * (which hands it every /alert/... request; see FakeWeatherServer::alerts()):
 *
 * - GET /alert/area?min_lat=&max_lat=&min_lon=&max_lon= -> a JSON array of the ids of the
 *   messages whose areas' bounds meet the box ("[]" for none); a missing or unreadable bound is
 *   a 400. The box only pre-selects, like the real server's: the client tests the point.
 * - GET /alert/{id} -> the CAP 1.2 XML, Content-Type application/xml; 404 for an unknown id.
 *
 * Either endpoint can misbehave with setReply() / failWith() (a 500 page, garbage, silence, a
 * cut), for a number of requests or all.
 *
 *     server.alerts().add(u"dwd-1"_s, FakeAlertServer::message({...}));
 */
class FakeAlertServer
{
public:
    enum class Endpoint { Area, Message };

    /** What message() writes: one Met info per language, one polygon (a box) or circle. */
    struct Spec
    {
        QString identifier;
        QString msgType = QStringLiteral("Alert");
        QString status = QStringLiteral("Actual");
        QStringList references; // identifiers; written as "sender,id,sent" triples
        QString event = QStringLiteral("Gale warning");
        QString headline = QStringLiteral("Gale warning for the city");
        QString severity = QStringLiteral("Moderate");
        QString urgency = QStringLiteral("Expected");
        QString category = QStringLiteral("Met");
        QString senderName = QStringLiteral("Test Weather Service");
        QString description = QStringLiteral("Gusts of 80 km/h.");
        QString instruction = QStringLiteral("Secure loose objects.");
        QDateTime onset;
        QDateTime expires;
        /** south, west, north, east: a box drawn as a closed polygon. */
        double south = 52.3, west = 13.0, north = 52.7, east = 13.8;
        /** > 0: a circle of that radius (km) around the box's centre instead of the polygon. */
        double circleKm = 0.0;
    };

    /** A CAP 1.2 message as national services write them (prefix-free namespace, offsets). */
    static QByteArray message(const Spec &spec);

    void add(const QString &id, const QByteArray &xml);
    void remove(const QString &id);
    void clear();
    QStringList ids() const { return m_messages.keys(); }

    void setReply(Endpoint endpoint, const HttpReply &reply, int times = -1);
    /** A real-looking error page for `status`, with Retry-After when >= 0. */
    void failWith(Endpoint endpoint, int status, int retryAfterSeconds = -1, int times = -1);
    void clearReplies() { m_overrides.clear(); }

    int requestCount(Endpoint endpoint) const { return m_counts.value(endpoint); }
    QList<RecordedRequest> requests(Endpoint endpoint) const { return m_requests.value(endpoint); }
    void resetCounters();

    /** FakeWeatherServer's dispatch for paths under /alert/. */
    HttpReply answer(const RecordedRequest &request);

private:
    struct Stored
    {
        QByteArray xml;
        double south = 0, west = 0, north = 0, east = 0;
        bool hasBounds = false;
    };
    struct Override
    {
        HttpReply reply;
        int remaining = -1;
    };

    QMap<QString, Stored> m_messages; // ordered: the server lists by id
    QMap<Endpoint, Override> m_overrides;
    QMap<Endpoint, int> m_counts;
    QMap<Endpoint, QList<RecordedRequest>> m_requests;
};
