// SPDX-License-Identifier: MIT
#include "fakeweatherserver.h"
#include "futurewait.h"

#include "cache/clock.h"
#include "weather/weatherservice.h"
#include "widgets/requesttimelinewidget.h"

#include <QImage>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Kind = RequestLog::Event::Kind;

namespace {
constexpr qint64 kMinute = 60'000;

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    // A dark blue highlight, darker than the base allows for a mark: the widget must not use it.
    p.setColor(QPalette::Highlight, QColor(0x1d, 0x3f, 0x6e));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

RequestLog::Event makeEvent(Kind kind, qint64 at, bool forced = false)
{
    RequestLog::Event e;
    e.kind = kind;
    e.at = at;
    e.forced = forced;
    return e;
}
} // namespace

class tst_RequestTimelineWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_clock = std::make_unique<ManualClock>(m_server->serverTime().toMSecsSinceEpoch());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        WeatherService::Config config;
        config.endpoints = m_server->endpoints();
        config.timeoutMs = 3000;
        m_service->setConfig(config);
    }

    void cleanup()
    {
        m_service.reset();
        m_network.reset();
        m_clock.reset();
        m_server.reset();
    }

    void serviceEventsTellTheStory()
    {
        const qint64 start = m_clock->now();
        const auto found = awaitResult(m_service->searchLocations(u"Berlin"_s));
        QVERIFY(found.ok());
        const Location berlin = found.value->first();
        QVERIFY(awaitResult(m_service->current(berlin)).ok()); // a request
        QVERIFY(awaitResult(m_service->current(berlin)).ok()); // from memory
        QVERIFY(awaitResult(m_service->current(berlin)).ok()); // from memory
        m_clock->advance(kMinute);
        QVERIFY(awaitResult(m_service->current(berlin, true)).ok()); // Force Refresh
        m_server->failWith(FakeWeatherServer::Endpoint::OpenMeteoCurrent, 503);
        m_clock->advance(kMinute);
        // The refresh fails: the last answer is kept, the failure is marked.
        awaitResult(m_service->current(berlin, true));
        m_clock->advance(11 * kMinute); // the current conditions go out of date

        const RequestLog &log = m_service->requestLog();
        QCOMPARE(m_server->requestCount(FakeWeatherServer::Endpoint::OpenMeteoCurrent), 3);
        int requests = 0, forced = 0, answers = 0, errors = 0, expiries = 0;
        for (const RequestLog::Event &e : log.eventsSince(start)) {
            requests += e.kind == Kind::Request;
            forced += e.kind == Kind::Request && e.forced;
            answers += e.kind == Kind::Answer;
            errors += e.kind == Kind::Error;
            expiries += e.kind == Kind::Expiry;
        }
        QCOMPARE(requests, 4); // the search, the first lookup, two forced refreshes
        QCOMPARE(forced, 2);
        QCOMPARE(answers, 3); // two from memory, the failed refresh's stale answer
        QCOMPARE(errors, 1);
        QVERIFY2(expiries >= 1, "the current conditions' fresh time ran out");
        QCOMPARE(log.providers(), QStringList{u"open-meteo"_s});

        RequestTimelineWidget timeline;
        timeline.setSpanMs(RequestTimelineWidget::kOneHourMs);
        timeline.setEvents(log.eventsSince(0), {m_service->provider()->displayName()},
                           m_clock->now());
        const QString expected
            = u"Last hour: 4 requests to Open-Meteo (2 forced), 3 cache answers, "_s
              u"%1 went out of date, 1 error."_s.arg(expiries == 1 ? u"1 answer"_s
                                                                   : u"%1 answers"_s.arg(expiries));
        QCOMPARE(timeline.summaryText(), expected);
        QCOMPARE(timeline.accessibleDescription(), expected);

        // Ten minutes back, only the expiry is left.
        timeline.setSpanMs(RequestTimelineWidget::kTenMinutesMs);
        QVERIFY2(timeline.summaryText().startsWith(
                     u"Last 10 minutes: no requests to the provider, 0 cache answers"_s),
                 qPrintable(timeline.summaryText()));
        QCOMPARE(timeline.accessibleDescription(), timeline.summaryText());
    }

    void idleTimeMovesInSteps()
    {
        // Only a step of the axis repaints: a second later is the same picture.
        RequestTimelineWidget timeline;
        const qint64 step = RequestTimelineWidget::kTenMinutesMs / RequestTimelineWidget::kSteps;
        timeline.setEvents({}, {u"Open-Meteo"_s}, 1000 * step);
        const qint64 shownNow = timeline.now();
        timeline.setNow(1000 * step + 1000);
        QCOMPARE(timeline.now(), shownNow + step);
        timeline.setNow(1000 * step + 2000);
        QCOMPARE(timeline.now(), shownNow + step);
    }

    void marksStandOutInLightAndDarkPalettes_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light palette") << false;
        QTest::newRow("dark palette") << true;
    }

    void marksStandOutInLightAndDarkPalettes()
    {
        QFETCH(bool, dark);
        RequestTimelineWidget timeline;
        if (dark)
            timeline.setPalette(darkPalette());
        timeline.resize(480, timeline.sizeHint().height());
        const qint64 now = 1000 * kMinute;
        const qint64 plain = now - 6 * kMinute;
        const qint64 forced = now - 3 * kMinute;
        const qint64 error = now - 8 * kMinute;
        timeline.setEvents({makeEvent(Kind::Error, error), makeEvent(Kind::Request, plain),
                            makeEvent(Kind::Request, forced, true),
                            makeEvent(Kind::Answer, now - kMinute)},
                           {u"Open-Meteo"_s}, now);
        const QImage image = timeline.grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QColor background = timeline.palette().color(QPalette::Base);
        const QRectF lane = timeline.laneRect(0);

        // The strongest pixel in a column of the lane against the base: ≥ 3:1 (WCAG, graphics).
        const auto strongest = [&](qreal x, qreal top, qreal bottom) {
            double best = 1.0;
            for (int y = int(top * dpr); y < int(bottom * dpr); ++y) {
                for (int dx = -1; dx <= 1; ++dx) {
                    const QColor c = image.pixelColor(int(x * dpr) + dx, y);
                    best = qMax(best, RequestTimelineWidget::contrastRatio(c, background));
                }
            }
            return best;
        };
        QVERIFY2(strongest(timeline.xForTime(plain), lane.top(), lane.bottom()) >= 3.0,
                 "a request mark");
        QVERIFY2(strongest(timeline.xForTime(forced), lane.top(), lane.bottom()) >= 3.0,
                 "a forced request mark");
        QVERIFY2(strongest(timeline.xForTime(error), lane.top(), lane.bottom()) >= 3.0,
                 "an error mark");
        // An empty stretch of the lane shows nothing that could pass for a mark.
        QVERIFY(strongest(timeline.xForTime(now - 4 * kMinute - 30'000), lane.center().y(),
                          lane.bottom() - 2)
                < 3.0);

        // Not by colour alone: the forced mark is wider than a plain tick (its triangle).
        const auto strongWidth = [&](qint64 at) {
            int width = 0;
            const int y = int((lane.top() + lane.height() * 0.35 - 4) * dpr);
            for (int dx = -8; dx <= 8; ++dx) {
                const QColor c = image.pixelColor(int(timeline.xForTime(at) * dpr) + dx, y);
                width += RequestTimelineWidget::contrastRatio(c, background) >= 2.0;
            }
            return width;
        };
        QVERIFY2(
            strongWidth(forced) >= strongWidth(plain) + 4,
            qPrintable(
                u"forced %1 px, plain %2 px"_s.arg(strongWidth(forced)).arg(strongWidth(plain))));
    }

private:
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<WeatherService> m_service;
};

QTEST_MAIN(tst_RequestTimelineWidget)
#include "tst_requesttimelinewidget.moc"
