// SPDX-License-Identifier: MIT
#include "weather/redisurl.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RedisUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void redactedHidesThePasswordAndParsesBack_data();
    void redactedHidesThePasswordAndParsesBack();
};

void tst_RedisUrl::accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("database");

    QTest::newRow("defaults") << u"redis://"_s << u"127.0.0.1:6379"_s << QString() << QString()
                              << 0;
    QTest::newRow("host only") << u"redis://cache.office.lan"_s << u"cache.office.lan:6379"_s
                               << QString() << QString() << 0;
    QTest::newRow("host port db") << u"redis://10.0.0.5:6380/3"_s << u"10.0.0.5:6380"_s << QString()
                                  << QString() << 3;
    QTest::newRow("trailing slash")
        << u"redis://h:1/2/"_s << u"h:1"_s << QString() << QString() << 2;
    QTest::newRow("user and password")
        << u"redis://alice:s3cret@h:6379/1"_s << u"h:6379"_s << u"alice"_s << u"s3cret"_s << 1;
    QTest::newRow("password only, colon")
        << u"redis://:s3cret@h"_s << u"h:6379"_s << QString() << u"s3cret"_s << 0;
    QTest::newRow("password only, no colon")
        << u"redis://s3cret@h"_s << u"h:6379"_s << QString() << u"s3cret"_s << 0;
    QTest::newRow("password with @ and /, raw")
        << u"redis://u:p@ss/w@h/4"_s << u"h:6379"_s << u"u"_s << u"p@ss/w"_s << 4;
    QTest::newRow("password percent-encoded")
        << u"redis://u:p%40%3As%2F%3F@h"_s << u"h:6379"_s << u"u"_s << u"p@:s/?"_s << 0;
    QTest::newRow("ipv6") << u"redis://[::1]:6380/0"_s << u"[::1]:6380"_s << QString() << QString()
                          << 0;
    QTest::newRow("scheme in capitals, spaces around")
        << u"  REDIS://h:7000  "_s << u"h:7000"_s << QString() << QString() << 0;
    QTest::newRow("unix") << u"unix:///run/redis/redis-server.sock"_s
                          << u"/run/redis/redis-server.sock"_s << QString() << QString() << 0;
    QTest::newRow("tls") << u"rediss://:pw@cache.lan:6380/2"_s << u"cache.lan:6380"_s << QString()
                         << u"pw"_s << 2;
    QTest::newRow("unix with db and password")
        << u"unix://:pw@/tmp/r.sock?db=5"_s << u"/tmp/r.sock"_s << QString() << u"pw"_s << 5;
}

void tst_RedisUrl::accepted()
{
    QFETCH(QString, text);
    QString error;
    const auto url = RedisUrl::parse(text, &error);
    QVERIFY2(url, qPrintable(error));
    QTEST(url->endpoint(), "endpoint");
    QTEST(url->user, "user");
    QTEST(url->password, "password");
    QTEST(url->database, "database");
    QCOMPARE(url->tls, text.trimmed().startsWith(u"rediss://"_s));
}

void tst_RedisUrl::refused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("says"); // a piece of the sentence

    QTest::newRow("empty") << u"  "_s << u"No address"_s;
    QTest::newRow("no scheme") << u"127.0.0.1:6379"_s << u"must start with redis://"_s;
    QTest::newRow("http") << u"http://h"_s << u"must start with redis://"_s;
    QTest::newRow("tls, bad port") << u"rediss://:pw@h:0"_s << u"from 1 to 65535"_s;
    QTest::newRow("port zero") << u"redis://h:0"_s << u"from 1 to 65535"_s;
    QTest::newRow("port too big") << u"redis://h:65536"_s << u"from 1 to 65535"_s;
    QTest::newRow("port not a number") << u"redis://h:http"_s << u"from 1 to 65535"_s;
    QTest::newRow("port empty") << u"redis://h:"_s << u"from 1 to 65535"_s;
    QTest::newRow("db negative") << u"redis://h/-1"_s << u"number from 0 up"_s;
    QTest::newRow("db words") << u"redis://h/cache"_s << u"number from 0 up"_s;
    QTest::newRow("db huge") << u"redis://h/99999999999"_s << u"number from 0 up"_s;
    QTest::newRow("options") << u"redis://h:6379?db=2"_s << u"options"_s;
    QTest::newRow("bad host") << u"redis://my host:6379"_s << u"characters a host"_s;
    QTest::newRow("bare ipv6") << u"redis://::1:6379"_s << u"brackets"_s;
    QTest::newRow("unclosed ipv6") << u"redis://[::1:6379"_s << u"closing bracket"_s;
    QTest::newRow("not ipv6 in brackets") << u"redis://[cache]:6379"_s << u"not an IPv6"_s;
    QTest::newRow("user without password") << u"redis://alice:@h"_s << u"no password"_s;
    QTest::newRow("unix relative") << u"unix://redis.sock"_s << u"absolute path"_s;
    QTest::newRow("unix folder") << u"unix:///run/redis/"_s << u"absolute path"_s;
    QTest::newRow("unix bad option") << u"unix:///r.sock?timeout=1"_s << u"db=N"_s;
    QTest::newRow("unix path too long") << (u"unix:///"_s + QString(120, u'a')) << u"too long"_s;
}

void tst_RedisUrl::refused()
{
    QFETCH(QString, text);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!RedisUrl::parse(text, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY2(error.endsWith(u'.'), qPrintable(error)); // a whole sentence
}

void tst_RedisUrl::redactedHidesThePasswordAndParsesBack_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("none") << u"redis://h"_s << u"redis://h:6379/0"_s;
    QTest::newRow("password") << u"redis://:Tr0ub4dor@h:1/2"_s << u"redis://***@h:1/2"_s;
    QTest::newRow("user") << u"redis://al%3Ace:Tr0ub4dor@h"_s << u"redis://al%3Ace:***@h:6379/0"_s;
    QTest::newRow("ipv6") << u"redis://:Tr0ub4dor@[::1]"_s << u"redis://***@[::1]:6379/0"_s;
    QTest::newRow("tls") << u"rediss://u:Tr0ub4dor@h:6380/1"_s << u"rediss://u:***@h:6380/1"_s;
    QTest::newRow("unix") << u"unix://:Tr0ub4dor@/tmp/a%20b%3F.sock?db=3"_s
                          << u"unix://***@/tmp/a%20b%3F.sock?db=3"_s;
}

void tst_RedisUrl::redactedHidesThePasswordAndParsesBack()
{
    QFETCH(QString, text);
    const auto url = RedisUrl::parse(text);
    QVERIFY(url);
    const QString shown = url->redacted();
    QTEST(shown, "redacted");
    QVERIFY(!shown.contains(u"Tr0ub4dor"_s));
    QVERIFY(!url->endpoint().contains(u"Tr0ub4dor"_s));
    const auto back = RedisUrl::parse(shown);
    QVERIFY(back);
    RedisUrl expected = *url;
    if (!expected.password.isEmpty())
        expected.password = u"***"_s;
    QCOMPARE(back->redacted(), shown);
    QVERIFY(*back == expected);
}

QTEST_GUILESS_MAIN(tst_RedisUrl)
#include "tst_redisurl.moc"
