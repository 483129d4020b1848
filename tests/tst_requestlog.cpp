// SPDX-License-Identifier: MIT
#include "weather/requestlog.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Kind = RequestLog::Event::Kind;

class tst_RequestLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsKeepTheirOrderAndWhatTheySay()
    {
        RequestLog log;
        log.recordEvent(Kind::Request, 1000, u"open-meteo"_s, false);
        log.recordEvent(Kind::Answer, 2000);
        log.recordEvent(Kind::Request, 3000, u"openweathermap"_s, true);
        log.recordEvent(Kind::Error, 3500, u"openweathermap"_s);
        log.recordEvent(Kind::Expiry, 4000);
        QCOMPARE(log.providers(), QStringList({u"open-meteo"_s, u"openweathermap"_s}));
        const QList<RequestLog::Event> all = log.eventsSince(0);
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.at(0).kind, Kind::Request);
        QCOMPARE(all.at(0).providerIndex, 0);
        QVERIFY(!all.at(0).forced);
        QCOMPARE(all.at(2).providerIndex, 1);
        QVERIFY(all.at(2).forced);
        QCOMPARE(all.at(3).kind, Kind::Error);
        QCOMPARE(all.at(4).kind, Kind::Expiry);
        const QList<RequestLog::Event> late = log.eventsSince(3000);
        QCOMPARE(late.size(), 3);
        QCOMPARE(late.first().at, 3000);
    }

    void ringKeepsTheNewestInFixedMemory()
    {
        RequestLog log;
        const int n = RequestLog::kEventCapacity * 2 + 123;
        for (int i = 0; i < n; ++i)
            log.recordEvent(i % 3 ? Kind::Answer : Kind::Request, 1000 + i, u"open-meteo"_s);
        QCOMPARE(log.eventCount(), RequestLog::kEventCapacity);
        QCOMPARE(log.eventsRecorded(), quint64(n));
        const QList<RequestLog::Event> kept = log.eventsSince(0);
        QCOMPARE(kept.size(), RequestLog::kEventCapacity);
        QCOMPARE(kept.first().at, qint64(1000 + n - RequestLog::kEventCapacity));
        QCOMPARE(kept.last().at, qint64(1000 + n - 1));
        for (qsizetype i = 1; i < kept.size(); ++i)
            QVERIFY(kept.at(i - 1).at < kept.at(i).at);
        // A bisection over the wrapped ring finds the same as counting.
        const qint64 since = 1000 + n - 700;
        QCOMPARE(log.eventsSince(since).size(), 700);
        QCOMPARE(log.eventsSince(since).first().at, since);
    }

    void clockSetBackDoesNotBreakTheOrder()
    {
        RequestLog log;
        log.recordEvent(Kind::Answer, 5000);
        log.recordEvent(Kind::Answer, 4000); // the clock went back
        const QList<RequestLog::Event> all = log.eventsSince(0);
        QCOMPARE(all.size(), 2);
        QVERIFY(all.at(1).at >= all.at(0).at);
        QCOMPARE(log.eventsSince(4500).size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_RequestLog)
#include "tst_requestlog.moc"
