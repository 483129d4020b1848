// SPDX-License-Identifier: MIT
// The least-privilege ACL user of docs/shared-tier-admin.md, read from that page, on a real
// redis-server: every operation of the shared tier and the shared budget works through it, and
// what it does not need (other keys, other commands) is refused. A command added to the code
// but not to the page fails here.
#include "cache/clock.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redisbudget.h"
#include "store/redisconnection.h"
#include "store/redistier.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

class tst_SharedTierAcl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyOperationWorksThroughTheDocumentedUser();
    void theUserCannotReachBeyondItsKeysAndCommands();

private:
    QStringList m_acl; // the documented `user …` line, split, with our password
    std::unique_ptr<RedisServer> m_server;
    QString m_url;
};

namespace {

constexpr char kPassword[] = "acl-test-password";
constexpr qint64 kHour = 60 * 60 * 1000;

QString adminGuide()
{
    return QStringLiteral(QT_TESTCASE_SOURCEDIR "/../docs/shared-tier-admin.md");
}

} // namespace

void tst_SharedTierAcl::initTestCase()
{
    QFile guide(adminGuide());
    QVERIFY2(guide.open(QIODevice::ReadOnly), qPrintable(guide.fileName()));
    const QString text = QString::fromUtf8(guide.readAll());
    const QRegularExpression line(u"^user weatherdash .*$"_s, QRegularExpression::MultilineOption);
    const auto found = line.match(text);
    QVERIFY2(found.hasMatch(), "no `user weatherdash …` line in docs/shared-tier-admin.md");
    m_acl = found.captured().split(u' ', Qt::SkipEmptyParts);
    QCOMPARE(m_acl.count(u">CHANGE-ME"_s), 1);
    m_acl.replace(m_acl.indexOf(u">CHANGE-ME"_s), u">"_s + QLatin1StringView(kPassword));
    m_acl.removeFirst(); // "user": the option's name below
}

void tst_SharedTierAcl::everyOperationWorksThroughTheDocumentedUser()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(QStringList{u"--user"_s} + m_acl), qPrintable(server.errorString()));
    const QString url = u"redis://weatherdash:%1@127.0.0.1:%2/0"_s.arg(QLatin1StringView(kPassword))
                            .arg(server.port());
    ManualClock clock;
    RedisTier tier(testRedisUrl(url), &clock);
    RedisTier other(testRedisUrl(url), &clock);
    RedisBudget budget(testRedisUrl(url), &clock);
    QSignalSpy problems(&tier, &RedisTier::statusChanged);

    // Entries: put (SET PX), get (GET), list (SCAN + MGET), remove (UNLINK), clear (SCAN +
    // UNLINK).
    const TierEntry entry{"payload", clock.now(), kHour, false};
    TierDoneResult put = awaitResult(tier.put(u"current/52.52,13.41"_s, entry));
    QVERIFY2(put.ok(), qPrintable(put.error));
    QVERIFY(awaitResult(tier.put(u"geocode/berlin"_s, entry)).ok());
    const TierGetResult got = awaitResult(other.get(u"current/52.52,13.41"_s));
    QVERIFY2(got.ok() && got.value, qPrintable(got.error));
    const TierListResult listed = awaitResult(other.list());
    QVERIFY2(listed.ok(), qPrintable(listed.error));
    QCOMPARE(listed.value.size(), 2);
    const TierDoneResult removed = awaitResult(tier.remove(u"geocode/berlin"_s));
    QVERIFY2(removed.ok(), qPrintable(removed.error));

    // Leases (SET NX PX, the release and renewal scripts) and landings (PUBLISH, SUBSCRIBE).
    other.watchLandings(true);
    QTRY_VERIFY(other.isWatchingLandings());
    QSignalSpy landed(&other, &RedisTier::entryLanded);
    const TierResult<QByteArray> lease = awaitResult(tier.tryLease(u"k"_s, 30'000));
    QVERIFY2(lease.ok() && !lease.value.isEmpty(), qPrintable(lease.error));
    const QString lock = QString::fromUtf8(RedisTier::leaseKey(u"k"_s));
    QCOMPARE(server.cli({u"PEXPIRE"_s, lock, u"5000"_s}), "1");
    clock.advance(10'000); // a third of the lease: the renewal script runs
    QTRY_VERIFY(server.cli({u"PTTL"_s, lock}).toLongLong() > 5'000);
    QVERIFY(awaitResult(tier.announceLanded(u"k"_s)).ok());
    QTRY_COMPARE(landed.size(), 1);
    const TierResult<bool> released = awaitResult(tier.releaseLease(u"k"_s, lease.value));
    QVERIFY2(released.ok() && released.value, qPrintable(released.error));

    // The budget: the acquire script, the block script, PUBLISH and its subscriber.
    QTRY_VERIFY(budget.isListening());
    std::optional<SharedBudget::Decision> decision;
    budget.acquire(u"open-meteo"_s, 600, clock.now(),
                   [&decision](const SharedBudget::Decision &d) { decision = d; });
    QTRY_VERIFY(decision);
    QVERIFY2(decision->verdict == SharedBudget::Decision::Verdict::Granted,
             qPrintable(decision->reason));
    // A full window: the script looks up when its oldest slot leaves it (ZRANGE).
    decision.reset();
    budget.acquire(u"openweathermap"_s, 1, clock.now(),
                   [&decision](const SharedBudget::Decision &d) { decision = d; });
    QTRY_VERIFY(decision);
    QVERIFY2(decision->verdict == SharedBudget::Decision::Verdict::Granted,
             qPrintable(decision->reason));
    decision.reset();
    budget.acquire(u"openweathermap"_s, 1, clock.now(),
                   [&decision](const SharedBudget::Decision &d) { decision = d; });
    QTRY_VERIFY(decision);
    QVERIFY2(decision->verdict == SharedBudget::Decision::Verdict::Wait,
             qPrintable(decision->reason));
    QSignalSpy blocked(&budget, &SharedBudget::blockShared);
    budget.shareBlock(u"open-meteo"_s, clock.now() + 60'000, clock.now());
    QTRY_COMPARE(blocked.size(), 1);
    decision.reset();
    budget.acquire(u"open-meteo"_s, 600, clock.now(),
                   [&decision](const SharedBudget::Decision &d) { decision = d; });
    QTRY_VERIFY(decision);
    QVERIFY2(decision->verdict == SharedBudget::Decision::Verdict::Blocked,
             qPrintable(decision->reason));

    const TierDoneResult cleared = awaitResult(tier.clear());
    QVERIFY2(cleared.ok(), qPrintable(cleared.error));
    QVERIFY(tier.isAvailable() && budget.isAvailable());
    for (const QList<QVariant> &change : std::as_const(problems))
        QVERIFY2(change.at(0).toBool(), qPrintable(change.at(1).toString()));
    // Nothing was refused on the way.
    QVERIFY2(!server.log().contains("NOPERM"), server.log().constData());
}

void tst_SharedTierAcl::theUserCannotReachBeyondItsKeysAndCommands()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(QStringList{u"--user"_s} + m_acl), qPrintable(server.errorString()));
    const QString url = u"redis://weatherdash:%1@127.0.0.1:%2/0"_s.arg(QLatin1StringView(kPassword))
                            .arg(server.port());
    ManualClock clock;
    RedisConnection connection(testRedisUrl(url), &clock);
    QTRY_VERIFY(connection.isReady());
    const QList<QList<QByteArray>> refused{
        {"GET", "session:alice"}, // another application's key
        {"SET", "other:x", "1"},
        {"KEYS", "*"},
        {"FLUSHALL"},
        {"CONFIG", "GET", "requirepass"},
        {"EVAL", "return redis.call('get', KEYS[1])", "1", "session:alice"},
        {"PUBLISH", "other-channel", "x"},
    };
    for (const QList<QByteArray> &command : refused) {
        std::optional<RedisReply> reply;
        connection.send(command, [&reply](const RedisReply &r) { reply = r; });
        QTRY_VERIFY(reply);
        QVERIFY2(reply->type == RedisReply::Type::Error && reply->text.startsWith("NOPERM"),
                 QByteArray(command.join(' ') + " -> " + reply->text).constData());
    }
    std::optional<RedisReply> allowed;
    connection.send({"GET", "weatherdash:v1:nothing"},
                    [&allowed](const RedisReply &r) { allowed = r; });
    QTRY_VERIFY(allowed);
    QCOMPARE(allowed->type, RedisReply::Type::Nil);
}

QTEST_GUILESS_MAIN(tst_SharedTierAcl)
#include "tst_sharedtieracl.moc"
