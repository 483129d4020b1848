// SPDX-License-Identifier: MIT
#include "localhttpserver.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class tst_LocalHttpServer : public QObject
{
    Q_OBJECT

private:
    static QNetworkReply *get(QNetworkAccessManager &network, const QUrl &url,
                              const QByteArray &connection = {})
    {
        QNetworkRequest request(url);
        if (!connection.isEmpty())
            request.setRawHeader("Connection", connection);
        return network.get(request);
    }

    static QUrl url(const LocalHttpServer &server, const QString &pathAndQuery)
    {
        return QUrl(server.baseUrl().toString() + pathAndQuery);
    }

private Q_SLOTS:
    void answersRoutesAndDefault404();
    void decodesQueryLikeARealServer();
    void keepAliveReusesOneConnection();
    void connectionCloseIsHonoured();
    void concurrentRequestsWhilePaused();
    void statusHeadersAndBodyAsProgrammed();
};

void tst_LocalHttpServer::answersRoutesAndDefault404()
{
    LocalHttpServer server;
    QVERIFY(server.isListening());
    QVERIFY(server.port() > 0);
    QCOMPARE(server.baseUrl().toString(), u"http://127.0.0.1:%1"_s.arg(server.port()));
    server.setRoute(u"/hello"_s, HttpReply::json(200, R"({"hi":1})"));
    QNetworkAccessManager network;

    std::unique_ptr<QNetworkReply> hello(get(network, url(server, u"/hello"_s)));
    QTRY_VERIFY(hello->isFinished());
    QCOMPARE(hello->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(hello->readAll(), R"({"hi":1})");

    std::unique_ptr<QNetworkReply> missing(get(network, url(server, u"/nope"_s)));
    QTRY_VERIFY(missing->isFinished());
    QCOMPARE(missing->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(server.requestCount(u"/hello"_s), 1);
    QCOMPARE(server.requestCount(u"/nope"_s), 1);
    QCOMPARE(server.requestCount(), 2);
}

void tst_LocalHttpServer::decodesQueryLikeARealServer()
{
    LocalHttpServer server;
    QNetworkAccessManager network;
    // Raw on the wire: '+' is a space, %2B a plus, %26 an ampersand inside the value.
    QUrl target = server.baseUrl();
    target.setPath(u"/q"_s);
    target.setQuery(u"a=x+y&b=1%2B1&c=S%C3%A3o%20Paulo&d=Berlin%26appid%3Dx&flag"_s,
                    QUrl::StrictMode);
    std::unique_ptr<QNetworkReply> reply(get(network, target));
    QTRY_VERIFY(reply->isFinished());
    const RecordedRequest request = server.lastRequest();
    QCOMPARE(request.path, u"/q"_s);
    QCOMPARE(request.queryValue(u"a"_s), u"x y"_s);
    QCOMPARE(request.queryValue(u"b"_s), u"1+1"_s);
    QCOMPARE(request.queryValue(u"c"_s), u"São Paulo"_s);
    QCOMPARE(request.queryValue(u"d"_s), u"Berlin&appid=x"_s);
    QVERIFY(request.hasQueryItem(u"flag"_s));
    QVERIFY(!request.hasQueryItem(u"appid"_s));
    QCOMPARE(request.queryItems.size(), 5);
}

void tst_LocalHttpServer::keepAliveReusesOneConnection()
{
    LocalHttpServer server;
    server.setRoute(u"/k"_s, HttpReply::json(200, "{}"));
    QNetworkAccessManager network;
    for (int i = 0; i < 3; ++i) {
        std::unique_ptr<QNetworkReply> reply(get(network, url(server, u"/k"_s)));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
    }
    QCOMPARE(server.requestCount(u"/k"_s), 3);
    QCOMPARE(server.connectionCount(), 1);
}

void tst_LocalHttpServer::connectionCloseIsHonoured()
{
    LocalHttpServer server;
    server.setRoute(u"/c"_s, HttpReply::json(200, "{}"));
    QNetworkAccessManager network;
    for (int i = 0; i < 2; ++i) {
        std::unique_ptr<QNetworkReply> reply(get(network, url(server, u"/c"_s), "close"));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->rawHeader("Connection").toLower(), "close");
    }
    QCOMPARE(server.connectionCount(), 2);
    QTRY_COMPARE(server.openConnectionCount(), 0);
}

void tst_LocalHttpServer::concurrentRequestsWhilePaused()
{
    LocalHttpServer server;
    server.setRoute(u"/p"_s, HttpReply::json(200, "{}"));
    server.pause();
    QNetworkAccessManager network;
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < 6; ++i)
        replies.emplace_back(get(network, url(server, u"/p?i=%1"_s.arg(i))));
    // All six are in flight on separate connections before any answer is sent.
    QTRY_COMPARE(server.requestCount(u"/p"_s), 6);
    QCOMPARE(server.connectionCount(), 6);
    for (const auto &reply : replies)
        QVERIFY(!reply->isFinished());
    server.resume();
    for (const auto &reply : replies) {
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
    }
}

void tst_LocalHttpServer::statusHeadersAndBodyAsProgrammed()
{
    LocalHttpServer server;
    server.setRoute(u"/r"_s, [](const RecordedRequest &request) {
        HttpReply reply
            = HttpReply::withBody(429, "text/plain", request.queryValue(u"echo"_s).toUtf8());
        reply.withHeader("Retry-After", "17");
        return reply;
    });
    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(get(network, url(server, u"/r?echo=hello"_s)));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
    QCOMPARE(reply->rawHeader("Retry-After"), "17");
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"text/plain"_s);
    QCOMPARE(reply->readAll(), "hello");
}

QTEST_GUILESS_MAIN(tst_LocalHttpServer)
#include "tst_localhttpserver.moc"
