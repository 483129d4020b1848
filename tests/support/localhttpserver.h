// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <utility>

class QSslCertificate;
class QSslKey;
class QTcpServer;
class LocalHttpConnection;

/** One request as the server saw it. */
struct RecordedRequest
{
    QByteArray method;
    /** The request target exactly as it came over the wire ("/v1/search?name=S%C3%A3o"). */
    QByteArray rawTarget;
    /** Percent-decoded path ("/v1/search"). */
    QString path;
    /**
     * Query items in order, decoded the way real servers do: split at '&' and the first '=',
     * '+' read as a space, then percent-decoded as UTF-8. A client that sends a raw '+' or '&'
     * inside a value is caught by this.
     */
    QList<std::pair<QString, QString>> queryItems;
    /** Header names in lower case. */
    QMap<QByteArray, QByteArray> headers;
    QByteArray body;
    /** Which TCP connection carried it (1, 2, ... in accept order). */
    int connectionId = 0;

    bool hasQueryItem(const QString &key) const;
    /** First value for `key`; a null QString if absent. */
    QString queryValue(const QString &key) const;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

/** What the server answers, including deliberate misbehaviour. */
struct HttpReply
{
    enum class Behaviour {
        Normal,
        /** Headers at once, then trickleBytes of body every trickleIntervalMs. */
        Trickle,
        /** Headers announcing the full body, half of it, then the connection is closed. */
        CutMidBody,
        /** Half a status line and header, then the connection is closed. */
        CutMidHeaders,
        /** Reads the request, never answers, keeps the connection open. */
        Silent,
    };

    int status = 200;
    /** Extra headers; Content-Type defaults to application/json, Content-Length is automatic. */
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    Behaviour behaviour = Behaviour::Normal;
    /** Wait this long (ms, real time) before answering. */
    int delayMs = 0;
    int trickleBytes = 4;
    int trickleIntervalMs = 50;
    /** Bytes of filler streamed after `body` in 64 KiB chunks (oversized answers). */
    qint64 fillerBytes = 0;
    /** false: no Content-Length, body ends when the server closes the connection. */
    bool sendContentLength = true;
    /** Close the connection after this answer even if the client wants keep-alive. */
    bool closeConnection = false;

    static HttpReply json(int status, const QByteArray &body);
    static HttpReply withBody(int status, const QByteArray &contentType, const QByteArray &body);
    static HttpReply trickle(const QByteArray &body, int bytes = 4, int intervalMs = 50);
    static HttpReply cutMidBody(const QByteArray &body);
    static HttpReply cutMidHeaders();
    static HttpReply silence();
    /** A 200 whose body is `bytes` long (filler), announced by Content-Length or not. */
    static HttpReply oversized(qint64 bytes, bool announceLength = true);

    HttpReply &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
};

/**
 * A real HTTP/1.1 server on 127.0.0.1 with an OS-chosen port, for tests (in the spirit of
 * Qt's own network autotest httptestserver). Real sockets, keep-alive, several concurrent
 * connections (QNetworkAccessManager opens up to 6 per host), `Connection: close` honoured.
 *
 * It records every request and counts them per path. Answers come from per-path routes, else
 * from the default handler, else 404. Handlers run on the thread of the server (the test's).
 *
 *     LocalHttpServer server;
 *     server.setRoute(u"/v1/search"_s, HttpReply::json(200, R"({"results":[]})"));
 *     QUrl url = server.baseUrl(); // http://127.0.0.1:<port>
 *     ...
 *     QCOMPARE(server.requestCount(u"/v1/search"_s), 1);
 *     QCOMPARE(server.lastRequest().queryValue(u"name"_s), u"Berlin&appid=x"_s);
 */
class LocalHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<HttpReply(const RecordedRequest &)>;

    /** Starts listening at once; check isListening(). */
    explicit LocalHttpServer(QObject *parent = nullptr);
    /**
     * The same over TLS (https://127.0.0.1:<port>), presenting `certificate`: for tests of how
     * a certificate the client does not trust is handled. Check isListening().
     */
    LocalHttpServer(const QSslCertificate &certificate, const QSslKey &key,
                    QObject *parent = nullptr);
    ~LocalHttpServer() override;

    bool isListening() const;
    quint16 port() const;
    /** "http://127.0.0.1:<port>" ("https://..." over TLS), no trailing slash. */
    QUrl baseUrl() const;

    void setRoute(const QString &path, Handler handler);
    void setRoute(const QString &path, const HttpReply &reply);
    void removeRoute(const QString &path);
    /** For paths without a route. Default: 404 with a small JSON body. */
    void setDefaultHandler(Handler handler);

    /**
     * While paused, requests are recorded but their answers held back; resume() sends them.
     * For tests that need several requests in flight at once.
     */
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }

    QList<RecordedRequest> requests() const { return m_requests; }
    RecordedRequest lastRequest() const;
    int requestCount() const { return int(m_requests.size()); }
    int requestCount(const QString &path) const { return m_countByPath.value(path); }
    void clearRecords();

    /** TCP connections accepted so far / open now. */
    int connectionCount() const { return m_connectionsAccepted; }
    int openConnectionCount() const;

    /** Stops listening and drops every connection (for "connection refused" tests). */
    void close();

Q_SIGNALS:
    void requestReceived(const RecordedRequest &request);

private:
    friend class LocalHttpConnection;
    void listen();
    void accept();

    HttpReply answer(const RecordedRequest &request);
    void hold(LocalHttpConnection *connection, const HttpReply &reply);

    QTcpServer *m_server;
    QHash<QString, Handler> m_routes;
    Handler m_defaultHandler;
    QList<RecordedRequest> m_requests;
    QHash<QString, int> m_countByPath;
    QList<QPointer<LocalHttpConnection>> m_connections;
    QList<std::pair<QPointer<LocalHttpConnection>, HttpReply>> m_held;
    int m_connectionsAccepted = 0;
    bool m_paused = false;
    bool m_tls = false;
};
