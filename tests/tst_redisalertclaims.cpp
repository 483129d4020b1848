// SPDX-License-Identifier: MIT
// "Told once per person": SET NX with a TTL against a real redis-server, two machines.
#include "cache/clock.h"
#include "redisserver.h"
#include "store/redisalertclaims.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

RedisAlertClaims::Claim claimNow(RedisAlertClaims &claims, const QString &id, qint64 ttlMs)
{
    std::optional<RedisAlertClaims::Claim> result;
    QObject context;
    claims.claim(id, ttlMs, &context, [&result](RedisAlertClaims::Claim c) { result = c; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    }();
    return result.value_or(RedisAlertClaims::Claim::Unavailable);
}

} // namespace

class tst_RedisAlertClaims : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oncePerPersonAcrossMachines()
    {
        REQUIRE_REDIS();
        RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        ManualClock clock;
        const RedisUrl url = *RedisUrl::parse(server.url());
        RedisAlertClaims laptop(url, &clock, u"ada"_s);
        RedisAlertClaims desktop(url, &clock, u"ada"_s);
        RedisAlertClaims colleague(url, &clock, u"grace"_s);
        using Claim = RedisAlertClaims::Claim;
        QCOMPARE(claimNow(laptop, u"dwd-1"_s, 3 * 3600 * 1000), Claim::First);
        QCOMPARE(claimNow(desktop, u"dwd-1"_s, 3 * 3600 * 1000), Claim::AlreadyTold);
        QCOMPARE(claimNow(laptop, u"dwd-1"_s, 3 * 3600 * 1000), Claim::AlreadyTold);
        // Another person on the same server is told too.
        QCOMPARE(claimNow(colleague, u"dwd-1"_s, 3 * 3600 * 1000), Claim::First);
        // The key lives until the alert expires, no longer.
        const QByteArray ttl = server.cli({u"PTTL"_s, QString::fromUtf8(laptop.key(u"dwd-1"_s))});
        const qint64 ms = ttl.trimmed().toLongLong();
        QVERIFY2(ms > 3 * 3600 * 1000 - 60'000 && ms <= 3 * 3600 * 1000, ttl.constData());
        // A ':' in a user or an id cannot make two people's keys meet.
        QVERIFY(laptop.key(u"a:b"_s) != RedisAlertClaims(url, &clock, u"ada:a"_s).key(u"b"_s));
    }

    void unavailableTellsHere()
    {
        REQUIRE_REDIS();
        RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const RedisUrl url = *RedisUrl::parse(server.url());
        server.kill();
        ManualClock clock;
        RedisAlertClaims claims(url, &clock, u"ada"_s);
        QCOMPARE(claimNow(claims, u"dwd-1"_s, 60'000), RedisAlertClaims::Claim::Unavailable);
    }
};

QTEST_GUILESS_MAIN(tst_RedisAlertClaims)
#include "tst_redisalertclaims.moc"
