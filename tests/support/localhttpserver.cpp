// SPDX-License-Identifier: MIT
#include "localhttpserver.h"

#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kFillerChunk = 64 * 1024;
constexpr qint64 kMaxPendingWrite = 256 * 1024;
constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QString decodeComponent(QByteArray raw)
{
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}

} // namespace

bool RecordedRequest::hasQueryItem(const QString &key) const
{
    for (const auto &item : queryItems) {
        if (item.first == key)
            return true;
    }
    return false;
}

QString RecordedRequest::queryValue(const QString &key) const
{
    for (const auto &item : queryItems) {
        if (item.first == key)
            return item.second.isNull() ? u""_s : item.second;
    }
    return QString();
}

HttpReply HttpReply::json(int status, const QByteArray &body)
{
    HttpReply reply;
    reply.status = status;
    reply.body = body;
    return reply;
}

HttpReply HttpReply::withBody(int status, const QByteArray &contentType, const QByteArray &body)
{
    HttpReply reply = json(status, body);
    reply.headers.append({"Content-Type", contentType});
    return reply;
}

HttpReply HttpReply::trickle(const QByteArray &body, int bytes, int intervalMs)
{
    HttpReply reply = json(200, body);
    reply.behaviour = Behaviour::Trickle;
    reply.trickleBytes = std::max(1, bytes);
    reply.trickleIntervalMs = std::max(1, intervalMs);
    return reply;
}

HttpReply HttpReply::cutMidBody(const QByteArray &body)
{
    HttpReply reply = json(200, body);
    reply.behaviour = Behaviour::CutMidBody;
    return reply;
}

HttpReply HttpReply::cutMidHeaders()
{
    HttpReply reply;
    reply.behaviour = Behaviour::CutMidHeaders;
    return reply;
}

HttpReply HttpReply::silence()
{
    HttpReply reply;
    reply.behaviour = Behaviour::Silent;
    return reply;
}

HttpReply HttpReply::oversized(qint64 bytes, bool announceLength)
{
    HttpReply reply = json(200, "[");
    reply.fillerBytes = std::max<qint64>(0, bytes - 1);
    reply.sendContentLength = announceLength;
    if (!announceLength)
        reply.closeConnection = true;
    return reply;
}

/** One accepted socket: reads requests one after another, answers each in turn. */
class LocalHttpConnection : public QObject
{
public:
    LocalHttpConnection(LocalHttpServer *server, QTcpSocket *socket, int id)
        : QObject(server)
        , m_server(server)
        , m_socket(socket)
        , m_id(id)
    {
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &LocalHttpConnection::processInput);
        connect(m_socket, &QTcpSocket::bytesWritten, this, &LocalHttpConnection::writeMore);
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            m_closed = true;
            deleteLater();
        });
    }

    bool isOpen() const
    {
        return !m_closed && m_socket->state() == QAbstractSocket::ConnectedState;
    }

    void send(const HttpReply &reply)
    {
        if (m_closed)
            return;
        if (reply.delayMs > 0) {
            HttpReply undelayed = reply;
            undelayed.delayMs = 0;
            QTimer::singleShot(reply.delayMs, this, [this, undelayed] { send(undelayed); });
            return;
        }
        m_reply = reply;
        switch (reply.behaviour) {
        case HttpReply::Behaviour::Silent:
            return; // stay busy forever, say nothing
        case HttpReply::Behaviour::CutMidHeaders:
            m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: appl");
            m_socket->disconnectFromHost();
            return;
        case HttpReply::Behaviour::CutMidBody:
            m_socket->write(headerBlock(reply, reply.body.size() + reply.fillerBytes, false));
            m_socket->write(reply.body.left(reply.body.size() / 2));
            m_socket->disconnectFromHost();
            return;
        case HttpReply::Behaviour::Trickle:
            m_socket->write(headerBlock(reply, reply.body.size(), m_closeAfter));
            m_pending = reply.body;
            trickleNext();
            return;
        case HttpReply::Behaviour::Normal:
            break;
        }
        m_socket->write(headerBlock(reply, reply.body.size() + reply.fillerBytes,
                                    m_closeAfter || reply.closeConnection));
        m_socket->write(reply.body);
        m_fillerLeft = reply.fillerBytes;
        writeMore();
    }

private:
    QByteArray headerBlock(const HttpReply &reply, qint64 contentLength, bool close)
    {
        QByteArray block = "HTTP/1.1 " + QByteArray::number(reply.status) + ' '
                           + reasonPhrase(reply.status) + "\r\n";
        bool hasContentType = false;
        for (const auto &header : reply.headers) {
            hasContentType = hasContentType || header.first.toLower() == "content-type";
            block += header.first + ": " + header.second + "\r\n";
        }
        if (!hasContentType)
            block += "Content-Type: application/json; charset=utf-8\r\n";
        if (reply.sendContentLength)
            block += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
        block += close || !reply.sendContentLength ? "Connection: close\r\n"
                                                   : "Connection: keep-alive\r\n";
        block += "\r\n";
        return block;
    }

    void trickleNext()
    {
        if (m_closed)
            return;
        if (m_pending.isEmpty()) {
            finishReply();
            return;
        }
        m_socket->write(m_pending.left(m_reply.trickleBytes));
        m_pending.remove(0, std::min<qsizetype>(m_reply.trickleBytes, m_pending.size()));
        QTimer::singleShot(m_reply.trickleIntervalMs, this, [this] { trickleNext(); });
    }

    void writeMore()
    {
        if (m_closed || !m_busy || m_reply.behaviour != HttpReply::Behaviour::Normal)
            return;
        while (m_fillerLeft > 0 && m_socket->bytesToWrite() < kMaxPendingWrite) {
            const qint64 chunk = std::min(m_fillerLeft, kFillerChunk);
            m_socket->write(QByteArray(chunk, ' '));
            m_fillerLeft -= chunk;
        }
        if (m_fillerLeft == 0 && m_socket->bytesToWrite() == 0)
            finishReply();
        else if (m_fillerLeft == 0 && !m_finishing) {
            m_finishing = true; // the last bytesWritten() will finish it
        }
    }

    void finishReply()
    {
        if (!m_busy)
            return;
        m_busy = false;
        m_finishing = false;
        if (m_closeAfter || m_reply.closeConnection || !m_reply.sendContentLength) {
            m_socket->disconnectFromHost();
            return;
        }
        processInput();
    }

    void processInput()
    {
        if (m_closed)
            return;
        m_buffer += m_socket->readAll();
        if (m_busy)
            return;
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (m_buffer.size() > kMaxHeaderBytes)
                m_socket->abort();
            return;
        }
        const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
        RecordedRequest request;
        request.connectionId = m_id;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.rawTarget = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.insert(line.left(colon).trimmed().toLower(),
                                       line.mid(colon + 1).trimmed());
        }
        const qint64 length = request.headers.value("content-length").toLongLong();
        if (m_buffer.size() < headerEnd + 4 + length)
            return; // wait for the body
        request.body = m_buffer.mid(headerEnd + 4, length);
        m_buffer.remove(0, headerEnd + 4 + length);

        const qsizetype question = request.rawTarget.indexOf('?');
        request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(
            question < 0 ? request.rawTarget : request.rawTarget.left(question)));
        if (question >= 0) {
            const QList<QByteArray> pairs = request.rawTarget.mid(question + 1).split('&');
            for (const QByteArray &pair : pairs) {
                if (pair.isEmpty())
                    continue;
                const qsizetype equals = pair.indexOf('=');
                request.queryItems.append(
                    {decodeComponent(equals < 0 ? pair : pair.left(equals)),
                     equals < 0 ? QString() : decodeComponent(pair.mid(equals + 1))});
            }
        }
        m_closeAfter = request.headers.value("connection").toLower() == "close";
        m_busy = true;
        const HttpReply reply = m_server->answer(request);
        if (m_server->isPaused())
            m_server->hold(this, reply);
        else
            send(reply);
    }

    LocalHttpServer *m_server;
    QTcpSocket *m_socket;
    int m_id;
    QByteArray m_buffer;
    QByteArray m_pending;
    HttpReply m_reply;
    qint64 m_fillerLeft = 0;
    bool m_busy = false;
    bool m_finishing = false;
    bool m_closeAfter = false;
    bool m_closed = false;
};

LocalHttpServer::LocalHttpServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    listen();
}

LocalHttpServer::LocalHttpServer(const QSslCertificate &certificate, const QSslKey &key,
                                 QObject *parent)
    : QObject(parent)
    , m_tls(true)
{
    auto *server = new QSslServer(this);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients send no certificate
    server->setSslConfiguration(configuration);
    m_server = server;
    listen();
}

void LocalHttpServer::listen()
{
    // QSslServer queues a socket only once its handshake is done, and says so with
    // pendingConnectionAvailable; accept() takes whatever is queued, so listening to both is safe.
    connect(m_server, &QTcpServer::newConnection, this, &LocalHttpServer::accept);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &LocalHttpServer::accept);
    m_server->listen(QHostAddress::LocalHost, 0);
}

void LocalHttpServer::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new LocalHttpConnection(this, socket, ++m_connectionsAccepted);
        m_connections.append(connection);
    }
}

LocalHttpServer::~LocalHttpServer()
{
    close();
}

bool LocalHttpServer::isListening() const
{
    return m_server->isListening();
}

quint16 LocalHttpServer::port() const
{
    return m_server->serverPort();
}

QUrl LocalHttpServer::baseUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? u"https"_s : u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port());
    return url;
}

void LocalHttpServer::setRoute(const QString &path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

void LocalHttpServer::setRoute(const QString &path, const HttpReply &reply)
{
    m_routes.insert(path, [reply](const RecordedRequest &) { return reply; });
}

void LocalHttpServer::removeRoute(const QString &path)
{
    m_routes.remove(path);
}

void LocalHttpServer::setDefaultHandler(Handler handler)
{
    m_defaultHandler = std::move(handler);
}

void LocalHttpServer::pause()
{
    m_paused = true;
}

void LocalHttpServer::resume()
{
    m_paused = false;
    const auto held = std::exchange(m_held, {});
    for (const auto &entry : held) {
        if (entry.first)
            entry.first->send(entry.second);
    }
}

void LocalHttpServer::hold(LocalHttpConnection *connection, const HttpReply &reply)
{
    m_held.append({connection, reply});
}

RecordedRequest LocalHttpServer::lastRequest() const
{
    return m_requests.isEmpty() ? RecordedRequest() : m_requests.constLast();
}

void LocalHttpServer::clearRecords()
{
    m_requests.clear();
    m_countByPath.clear();
}

int LocalHttpServer::openConnectionCount() const
{
    int open = 0;
    for (const auto &connection : m_connections) {
        if (connection && connection->isOpen())
            ++open;
    }
    return open;
}

void LocalHttpServer::close()
{
    m_server->close();
    m_held.clear();
    const auto connections = std::exchange(m_connections, {});
    for (const auto &connection : connections)
        delete connection.data();
}

HttpReply LocalHttpServer::answer(const RecordedRequest &request)
{
    m_requests.append(request);
    ++m_countByPath[request.path];
    Q_EMIT requestReceived(request);
    if (const auto route = m_routes.constFind(request.path); route != m_routes.cend())
        return (*route)(request);
    if (m_defaultHandler)
        return m_defaultHandler(request);
    return HttpReply::json(404, R"({"error":true,"reason":"Not found"})");
}
