// SPDX-License-Identifier: MIT
// Two machines on one real redis-server, one of them with its wall clock an hour ahead: the
// real weatherdash-cli, run under the clock shim (tests/support/clockshim.c, LD_PRELOAD).
// What the fast machine writes is never shown as fresh by the other: it asks the provider
// again. A machine a few seconds off still shares (the control, so the test can fail).
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redistier.h"

#include <QDateTime>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kHourMs = 3600'000;

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class tst_ClockSkew : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }
    void cleanup() { m_server.reset(); }

    void shimMovesTheChildsClock();
    void answerFromAMachineAnHourAheadIsNotShownFresh_data();
    void answerFromAMachineAnHourAheadIsNotShownFresh();

private:
    CliRun run(const QStringList &args, const QString &machine, qint64 clockOffsetMs)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const ProviderEndpoints ep = m_server->endpoints();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_ALERTS_URL"_s, m_server->baseUrl().toString()); // issue 22
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, m_home->filePath(machine + u"/cache"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(machine + u"/config"_s));
        env.insert(u"HOME"_s, m_home->path());
        env.remove(u"OPENWEATHERMAP_API_KEY"_s);
        env.remove(u"QT_LOGGING_RULES"_s);
        if (clockOffsetMs != 0) {
            env.insert(u"LD_PRELOAD"_s, QStringLiteral(WEATHERDASH_CLOCKSHIM_PATH));
            env.insert(u"WEATHERDASH_CLOCK_SHIM_OFFSET_MS"_s, QString::number(clockOffsetMs));
        }
        QProcess p;
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        // The fake provider lives in this process: keep its event loop turning.
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 30000);
        }();
        CliRun r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
};

void tst_ClockSkew::shimMovesTheChildsClock()
{
    // The shim itself, on a program that prints the time: `date +%s`.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LD_PRELOAD"_s, QStringLiteral(WEATHERDASH_CLOCKSHIM_PATH));
    env.insert(u"WEATHERDASH_CLOCK_SHIM_OFFSET_MS"_s, QString::number(kHourMs));
    QProcess date;
    date.setProcessEnvironment(env);
    date.start(u"date"_s, {u"+%s"_s});
    QVERIFY(date.waitForFinished(10'000));
    const qint64 shown = date.readAllStandardOutput().trimmed().toLongLong() * 1000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(qAbs(shown - (now + kHourMs)) < 10'000, qPrintable(QString::number(shown - now)));
}

void tst_ClockSkew::answerFromAMachineAnHourAheadIsNotShownFresh_data()
{
    QTest::addColumn<qint64>("offset"); // the first machine's clock, ahead of the real one
    QTest::addColumn<bool>("shared"); // the second machine answers from the shared cache
    QTest::newRow("an hour ahead") << kHourMs << false;
    QTest::newRow("a day ahead") << 24 * kHourMs << false;
    QTest::newRow("ten seconds ahead (within the tolerance)") << qint64(10'000) << true;
}

void tst_ClockSkew::answerFromAMachineAnHourAheadIsNotShownFresh()
{
    REQUIRE_REDIS();
    QFETCH(qint64, offset);
    QFETCH(bool, shared);
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));

    const CliRun fast = run({u"--redis"_s, redis.url(), u"Berlin"_s}, u"fast"_s, offset);
    QVERIFY2(fast.exitCode == 0, qPrintable(fast.err));
    // The search, the current conditions, and the air quality and the nowcast the text shows.
    QCOMPARE(m_server->totalRequestCount(), 4);
    // What it wrote carries its clock: the shim did move it. (Read key by key: list() leaves
    // entries of unknown age out.)
    {
        RedisTier tier(testRedisUrl(redis.url()), Clock::system());
        const QByteArray prefix = RedisTier::redisKey(QString());
        const QList<QByteArray> keys
            = redis.cli({u"KEYS"_s, QString::fromUtf8(prefix) + u'*'}).split('\n');
        int checked = 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const QByteArray &redisKey : keys) {
            const QString key = QString::fromUtf8(redisKey.mid(prefix.size()));
            if (key.isEmpty() || key.startsWith(u"label/"_s) || key.startsWith(u"lock:"_s)
                || key.startsWith(u"budget:"_s) || key.startsWith(u"blocked:"_s))
                continue;
            const TierGetResult got = awaitResult(tier.get(key));
            QVERIFY2(got.ok() && got.value, qPrintable(key));
            QVERIFY2(qAbs(got.value->loadedAt - (now + offset)) < 30'000, qPrintable(key));
            ++checked;
        }
        // The search, the current conditions, the alert list (issue 22), air quality and the
        // nowcast (issue 23).
        QCOMPARE(checked, 5);
    }

    const CliRun other = run({u"--redis"_s, redis.url(), u"--stats"_s, u"Berlin"_s}, u"other"_s, 0);
    QVERIFY2(other.exitCode == 0, qPrintable(other.err));
    if (shared) {
        // The search, the current conditions, air quality and the nowcast (the alert server is
        // another); the alert list comes from the shared cache too.
        QCOMPARE(m_server->totalRequestCount(), 4);
        QVERIFY2(other.out.contains(u"5 from the shared cache"_s), qPrintable(other.out));
    } else {
        // Of unknown age: asked again, and not one answer from the shared cache.
        QCOMPARE(m_server->totalRequestCount(), 8);
        QVERIFY2(!other.out.contains(u"from the shared cache"_s)
                     || other.out.contains(u"0 from the shared cache"_s),
                 qPrintable(other.out));
        // A third machine, also on time, now shares the second one's answer.
        const CliRun third = run({u"--redis"_s, redis.url(), u"Berlin"_s}, u"third"_s, 0);
        QVERIFY2(third.exitCode == 0, qPrintable(third.err));
        QCOMPARE(m_server->totalRequestCount(), 8);
    }
}

QTEST_GUILESS_MAIN(tst_ClockSkew)
#include "tst_clockskew.moc"
