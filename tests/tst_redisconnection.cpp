// SPDX-License-Identifier: MIT
// RedisConnection against servers that misbehave: one that passes the handshake and then says
// nothing, one that never says a word. Time moves with a ManualClock; the servers are real
// sockets on 127.0.0.1.
#include "cache/clock.h"
#include "redisserver.h"
#include "store/redisconnection.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

class tst_RedisConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void silentServerCostsOneTimeoutForAllConnections();
    void silenceEndsWhenTheServerAnswersAgain();
    void serverThatNeverSpeaksFailsTheConnectTimeout();
    void tls_data();
    void tls();
    void tlsFilesThatCannotBeUsedAreSaid_data();
    void tlsFilesThatCannotBeUsedAreSaid();

private:
    /** Starts m_tlsServer (client certificates required or not), made once per mode. */
    bool startTlsServer(bool requireClientCert);

    QTemporaryDir m_tlsDir;
    RedisServer::TlsFiles m_tls;
    bool m_tlsMade = false;
    std::unique_ptr<RedisServer> m_tlsServer;
    bool m_tlsServerRequires = false;
};

namespace {

struct Answer
{
    std::optional<RedisReply> reply;
    RedisConnection::Handler handler()
    {
        return [this](const RedisReply &r) {
            reply = r;
        };
    }
};

} // namespace

void tst_RedisConnection::silentServerCostsOneTimeoutForAllConnections()
{
    SilentRedisServer server;
    QVERIFY(server.listen());
    ManualClock clock;
    const RedisUrl url = testRedisUrl(server.url());
    // The tier's and the budget's connections of one process, to one server.
    RedisConnection tier(url, &clock);
    RedisConnection budget(url, &clock);
    QTRY_VERIFY(tier.isReady());
    QTRY_VERIFY(budget.isReady());

    Answer get;
    tier.send({"GET", "weatherdash:k"}, get.handler());
    QTRY_COMPARE(server.unansweredCount(), 1);
    clock.advance(RedisConnection::kDefaultCommandTimeoutMs - 1);
    QVERIFY(!get.reply);
    clock.advance(1);
    QTRY_VERIFY(get.reply);
    QVERIFY(get.reply->isFailure());
    QVERIFY2(get.reply->failure.contains(u"did not answer within 1.5 s"_s),
             qPrintable(get.reply->failure));

    // The other connection does not wait a timeout of its own: it answers at once.
    Answer eval;
    budget.send({"EVAL", "return 1", "0"}, eval.handler());
    QVERIFY(eval.reply);
    QCOMPARE(eval.reply->failure, get.reply->failure);
    QVERIFY(!budget.isReady());
    // Nor does the first one, which would otherwise reconnect after its retry delay.
    clock.advance(RedisConnection::kDefaultRetryDelayMs);
    Answer set;
    tier.send({"SET", "weatherdash:k", "v"}, set.handler());
    QVERIFY(set.reply && set.reply->isFailure());
    QCOMPARE(server.unansweredCount(), 1);
}

void tst_RedisConnection::silenceEndsWhenTheServerAnswersAgain()
{
    SilentRedisServer server;
    QVERIFY(server.listen());
    ManualClock clock;
    const RedisUrl url = testRedisUrl(server.url());
    RedisConnection connection(url, &clock);
    QTRY_VERIFY(connection.isReady());
    Answer first;
    connection.send({"GET", "weatherdash:k"}, first.handler());
    QTRY_COMPARE(server.unansweredCount(), 1);
    clock.advance(RedisConnection::kDefaultCommandTimeoutMs);
    QTRY_VERIFY(first.reply);

    // The silence lasts kSilenceMs; then a new attempt is made, and the server now answers.
    server.setSilent(false);
    clock.advance(RedisConnection::kSilenceMs - 1);
    Answer during;
    connection.send({"GET", "weatherdash:k"}, during.handler());
    QVERIFY(during.reply && during.reply->isFailure());
    clock.advance(1);
    QTRY_VERIFY(connection.isReady());
    Answer after;
    connection.send({"GET", "weatherdash:k"}, after.handler());
    QTRY_VERIFY(after.reply);
    QCOMPARE(after.reply->type, RedisReply::Type::Nil);

    // Answered: the next silence starts again from kSilenceMs, not from twice that.
    server.setSilent(true);
    Answer again;
    connection.send({"GET", "weatherdash:k"}, again.handler());
    QTRY_COMPARE(server.unansweredCount(), 2);
    clock.advance(RedisConnection::kDefaultCommandTimeoutMs);
    QTRY_VERIFY(again.reply);
    server.setSilent(false);
    clock.advance(RedisConnection::kSilenceMs);
    QTRY_VERIFY(connection.isReady());
}

void tst_RedisConnection::serverThatNeverSpeaksFailsTheConnectTimeout()
{
    SilentRedisServer server(/*answerHandshake=*/false);
    QVERIFY(server.listen());
    ManualClock clock;
    RedisConnection connection(testRedisUrl(server.url()), &clock);
    QSignalSpy status(&connection, &RedisConnection::statusChanged);
    Answer get;
    connection.send({"GET", "weatherdash:k"}, get.handler()); // waits for the handshake
    QTRY_COMPARE(server.unansweredCount(), 1); // the PING
    QVERIFY(!get.reply);
    clock.advance(RedisConnection::kDefaultConnectTimeoutMs);
    QTRY_VERIFY(get.reply);
    QVERIFY(get.reply->isFailure());
    QVERIFY2(get.reply->failure.contains(u"did not answer within 1.5 s"_s),
             qPrintable(get.reply->failure));
    QCOMPARE(status.size(), 1);
    QCOMPARE(status.at(0).at(0).toBool(), false);
}

bool tst_RedisConnection::startTlsServer(bool requireClientCert)
{
    if (!m_tlsMade) {
        RedisServer maker;
        if (!maker.makeTlsFiles(m_tlsDir.path(), &m_tls)) {
            qWarning("%s", qPrintable(maker.errorString()));
            return false;
        }
        m_tlsMade = true;
    }
    if (m_tlsServer && m_tlsServer->isRunning() && m_tlsServerRequires == requireClientCert)
        return true;
    m_tlsServer = std::make_unique<RedisServer>();
    m_tlsServerRequires = requireClientCert;
    if (!m_tlsServer->startTls(m_tls, requireClientCert)) {
        qWarning("%s", qPrintable(m_tlsServer->errorString()));
        return false;
    }
    return true;
}

void tst_RedisConnection::tls_data()
{
    QTest::addColumn<bool>("requireClientCert");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("ca"); // "ca", "other", or empty: the system's CAs
    QTest::addColumn<bool>("giveClientCert");
    QTest::addColumn<QString>("says"); // empty: it works

    QTest::newRow("our CA") << false << u"localhost"_s << u"ca"_s << false << QString();
    QTest::newRow("our CA, client certificate not asked for but given")
        << false << u"localhost"_s << u"ca"_s << true << QString();
    QTest::newRow("system CAs do not know ours")
        << false << u"localhost"_s << QString() << false << u"cannot be trusted"_s;
    QTest::newRow("another CA") << false << u"localhost"_s << u"other"_s << false
                                << u"cannot be trusted"_s;
    QTest::newRow("certificate for another host name")
        << false << u"127.0.0.1"_s << u"ca"_s << false << u"host name"_s;
    QTest::newRow("client certificate required and given")
        << true << u"localhost"_s << u"ca"_s << true << QString();
    QTest::newRow("client certificate required and missing")
        << true << u"localhost"_s << u"ca"_s << false << u"WEATHERDASH_REDIS_TLS_CERT"_s;
}

void tst_RedisConnection::tls()
{
    REQUIRE_REDIS();
    QFETCH(bool, requireClientCert);
    QFETCH(QString, host);
    QFETCH(QString, ca);
    QFETCH(bool, giveClientCert);
    QFETCH(QString, says);
    QVERIFY(startTlsServer(requireClientCert));
    QCOMPARE(m_tlsServer->cli({u"DEL"_s, u"weatherdash:tls"_s}).size(), 1);

    RedisUrl url = testRedisUrl(m_tlsServer->tlsUrl(host));
    QVERIFY(url.tls);
    url.tlsCaFile = ca == u"ca"_s ? m_tls.caCert : ca == u"other"_s ? m_tls.otherCaCert : QString();
    if (giveClientCert) {
        url.tlsCertFile = m_tls.clientCert;
        url.tlsKeyFile = m_tls.clientKey;
    }
    ManualClock clock;
    RedisConnection connection(url, &clock);
    QSignalSpy status(&connection, &RedisConnection::statusChanged);
    Answer set;
    connection.send({"SET", "weatherdash:tls", "over TLS"}, set.handler());
    QTRY_VERIFY_WITH_TIMEOUT(set.reply, 10'000);
    if (says.isEmpty()) {
        QVERIFY2(set.reply->isText("OK"), qPrintable(connection.describe(*set.reply)));
        QVERIFY(connection.isReady());
        QCOMPARE(m_tlsServer->cli({u"GET"_s, u"weatherdash:tls"_s}), QByteArray("over TLS"));
        return;
    }
    // Refused, with a sentence that names the problem; nothing was written.
    QVERIFY(set.reply->isFailure());
    QVERIFY2(set.reply->failure.contains(says), qPrintable(set.reply->failure));
    QVERIFY2(set.reply->failure.endsWith(u'.'), qPrintable(set.reply->failure));
    QVERIFY(!connection.isReady());
    QCOMPARE(status.size(), 1);
    QCOMPARE(status.at(0).at(0).toBool(), false);
    QCOMPARE(m_tlsServer->cli({u"EXISTS"_s, u"weatherdash:tls"_s}), QByteArray("0"));
}

void tst_RedisConnection::tlsFilesThatCannotBeUsedAreSaid_data()
{
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("says");
    QTest::newRow("CA file missing")
        << u"/nonexistent/ca.pem"_s << QString() << QString() << u"cannot be read"_s;
    QTest::newRow("CA file not a certificate")
        << u"key"_s << QString() << QString() << u"holds no PEM certificate"_s;
    QTest::newRow("certificate without key")
        << u"ca"_s << u"cert"_s << QString() << u"WEATHERDASH_REDIS_TLS_KEY"_s;
    QTest::newRow("key is not a key") << u"ca"_s << u"cert"_s << u"ca"_s << u"not a PEM key"_s;
}

void tst_RedisConnection::tlsFilesThatCannotBeUsedAreSaid()
{
    REQUIRE_REDIS();
    QFETCH(QString, ca);
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, says);
    QVERIFY(startTlsServer(false));
    const auto file = [this](const QString &which) {
        return which == u"ca"_s     ? m_tls.caCert
               : which == u"cert"_s ? m_tls.clientCert
               : which == u"key"_s  ? m_tls.clientKey
                                    : which;
    };
    RedisUrl url = testRedisUrl(m_tlsServer->tlsUrl());
    url.tlsCaFile = file(ca);
    url.tlsCertFile = file(cert);
    url.tlsKeyFile = file(key);
    ManualClock clock;
    RedisConnection connection(url, &clock);
    Answer get;
    connection.send({"GET", "weatherdash:k"}, get.handler());
    QTRY_VERIFY(get.reply);
    QVERIFY(get.reply->isFailure());
    QVERIFY2(get.reply->failure.contains(says), qPrintable(get.reply->failure));
}

QTEST_GUILESS_MAIN(tst_RedisConnection)
#include "tst_redisconnection.moc"
