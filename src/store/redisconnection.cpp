// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "cache/clock.h"

#include <QFile>
#include <QHash>
#include <QLocalSocket>
#include <QMutex>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <cstring>

Q_LOGGING_CATEGORY(lcRedis, "weatherdash.redis", QtWarningMsg)

namespace {

// Never sleep longer than this between deadline checks (a suspend, a clock without jumps).
constexpr qint64 kMaxSleepMs = 60'000;
// Server text quoted in a sentence is cut to this many characters.
constexpr qsizetype kMaxQuotedChars = 160;

// The reader builds RedisReply trees directly. A child lives inside its parent's elements
// (sized once when the array header is read, so its address is stable); only the root is
// allocated, and only the root is freed by the reader (on error or when it is dropped).
RedisReply *nodeFor(const redisReadTask *task)
{
    if (task->parent) {
        auto *parent = static_cast<RedisReply *>(task->parent->obj);
        return &parent->elements[task->idx];
    }
    return new RedisReply;
}

void *createString(const redisReadTask *task, char *str, size_t len)
{
    RedisReply *r = nodeFor(task);
    r->type = task->type == REDIS_REPLY_ERROR    ? RedisReply::Type::Error
              : task->type == REDIS_REPLY_STATUS ? RedisReply::Type::Status
                                                 : RedisReply::Type::String;
    r->text = QByteArray(str, qsizetype(len));
    return r;
}

void *createArray(const redisReadTask *task, int elements)
{
    // A garbage header ("*2000000000") must not allocate gigabytes; the reader reports this
    // as "Out of memory", which we turn into "not Redis".
    if (elements < 0 || elements > RedisReplyReader::kMaxArrayElements)
        return nullptr;
    RedisReply *r = nodeFor(task);
    r->type = RedisReply::Type::Array;
    r->elements.resize(elements);
    return r;
}

void *createInteger(const redisReadTask *task, long long value)
{
    RedisReply *r = nodeFor(task);
    r->type = RedisReply::Type::Integer;
    r->integer = value;
    return r;
}

void *createNil(const redisReadTask *task)
{
    RedisReply *r = nodeFor(task);
    r->type = RedisReply::Type::Nil;
    return r;
}

void freeObject(void *obj)
{
    delete static_cast<RedisReply *>(obj);
}

redisReplyObjectFunctions kReplyFunctions
    = {createString, createArray, createInteger, createNil, freeObject};

QString quoted(const QByteArray &serverText)
{
    QString text = QString::fromUtf8(serverText.left(kMaxQuotedChars * 2)).simplified();
    if (text.size() > kMaxQuotedChars)
        text = text.left(kMaxQuotedChars) + u'…';
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

/** Servers that stopped answering, per silenceKey(): shared by the connections of a process. */
struct Silence
{
    qint64 until = 0;
    qint64 window = 0;
    QString sentence;
};
QMutex g_silenceMutex;
QHash<QString, Silence> g_silences;
std::atomic<int> g_silenceCount{0}; // g_silences.size(), read without the lock

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 3);
}

} // namespace

RedisReplyReader::RedisReplyReader()
    : m_reader(redisReaderCreateWithFunctions(&kReplyFunctions), redisReaderFree)
{ }

RedisReplyReader::~RedisReplyReader() = default;

bool RedisReplyReader::feed(const QByteArray &bytes)
{
    return feed(bytes.constData(), bytes.size());
}

bool RedisReplyReader::feed(const char *data, qsizetype size)
{
    return m_reader && redisReaderFeed(m_reader.get(), data, size_t(size)) == REDIS_OK;
}

RedisReplyReader::Status RedisReplyReader::next(RedisReply *reply, QString *detail)
{
    if (!m_reader) {
        *detail = tr("out of memory");
        return Status::NotRedis;
    }
    void *obj = nullptr;
    if (redisReaderGetReply(m_reader.get(), &obj) != REDIS_OK) {
        *detail = m_reader->err == REDIS_ERR_OOM
                      ? tr("a reply with more than %1 parts").arg(kMaxArrayElements)
                      : QString::fromLatin1(m_reader->errstr);
        return Status::NotRedis;
    }
    if (!obj) {
        // Part of a reply is there: bounded, or a garbage length would make us wait for
        // gigabytes.
        return m_reader->len - m_reader->pos > size_t(kMaxReplyBytes) ? Status::TooLarge
                                                                      : Status::Incomplete;
    }
    std::unique_ptr<RedisReply> whole(static_cast<RedisReply *>(obj));
    *reply = std::move(*whole);
    return Status::Reply;
}

RedisConnection::RedisConnection(const RedisUrl &url, Clock *clock,
                                 const QList<QByteArray> &subscriptions, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_clock(clock ? clock : Clock::system())
    , m_channels(subscriptions)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_timerDeadline = -1;
        checkDeadlines();
    });
    // A ManualClock moves by jumps: deadlines are checked then, so tests never wait.
    connect(m_clock, &Clock::jumped, this, [this] { checkDeadlines(); });
    connectNow();
}

RedisConnection::~RedisConnection()
{
    ++m_generation;
    resetSocket();
    m_state = State::Disconnected;
    std::deque<Pending> inflight = std::exchange(m_inflight, {});
    std::deque<Waiting> waiting = std::exchange(m_waiting, {});
    // Handlers may ask again from inside: they get the same answer at once.
    m_down = tr("The shared cache at %1 was closed.").arg(endpoint());
    m_retryAt = -1;
    const RedisReply closed = RedisReply::failed(m_down);
    for (const Pending &p : inflight)
        p.handler(closed);
    for (const Waiting &w : waiting)
        w.handler(closed);
}

void RedisConnection::setTimeouts(qint64 connectMs, qint64 commandMs)
{
    m_connectTimeoutMs = qMax<qint64>(1, connectMs);
    m_commandTimeoutMs = qMax<qint64>(1, commandMs);
    if (m_state == State::Connecting)
        m_connectDeadline = m_clock->now() + m_connectTimeoutMs;
}

void RedisConnection::setRetryDelays(qint64 firstMs, qint64 maxMs)
{
    m_firstRetryMs = qMax<qint64>(1, firstMs);
    m_maxRetryMs = qMax(m_firstRetryMs, maxMs);
    m_retryDelayMs = m_firstRetryMs;
}

namespace {

/** Writes `n` (>= 0) in decimal at `p`; returns the end. */
char *writeDecimal(char *p, qsizetype n)
{
    char digits[24];
    int len = 0;
    do {
        digits[len++] = char('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (len > 0)
        *p++ = digits[--len];
    return p;
}

/**
 * RESP's request form, written directly: "*<n>\r\n" then "$<len>\r\n<bytes>\r\n" per
 * argument, into one allocation. (hiredis's redisFormatCommandArgv does the same with two
 * vectors and a malloc per command; this is on every request's path.)
 */
template<typename Args>
QByteArray encodeArgs(const Args &args, qsizetype count)
{
    constexpr qsizetype kFraming = 24; // '$' or '*', up to 20 digits, two CRLFs
    qsizetype size = kFraming;
    for (const QByteArrayView a : args)
        size += a.size() + kFraming;
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    *p++ = '*';
    p = writeDecimal(p, count);
    *p++ = '\r';
    *p++ = '\n';
    for (const QByteArrayView a : args) {
        *p++ = '$';
        p = writeDecimal(p, a.size());
        *p++ = '\r';
        *p++ = '\n';
        if (!a.isEmpty())
            std::memcpy(p, a.data(), size_t(a.size()));
        p += a.size();
        *p++ = '\r';
        *p++ = '\n';
    }
    out.truncate(p - out.constData());
    return out;
}

} // namespace

QByteArray RedisConnection::encode(const QList<QByteArray> &args)
{
    return encodeArgs(args, args.size());
}

void RedisConnection::connectNow()
{
    ++m_generation;
    resetSocket();
    ++m_attempts;
    m_state = State::Connecting;
    m_retryAt = -1;
    m_connectDeadline = m_clock->now() + m_connectTimeoutMs;
    m_reader = std::make_unique<RedisReplyReader>();
    const quint64 generation = m_generation;
    // Socket errors can be reported from inside connectToServer()/write(); they are handled
    // on the next turn of the event loop, never while the socket is still in the call.
    auto onError = [this, generation](const QString &reason) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, reason] {
                if (generation == m_generation)
                    onSocketError(reason);
            },
            Qt::QueuedConnection);
    };
    if (m_url.transport == RedisUrl::Transport::Unix) {
        auto *socket = new QLocalSocket(this);
        m_socket = socket;
        connect(socket, &QLocalSocket::connected, this, [this] { onConnected(); });
        connect(socket, &QLocalSocket::readyRead, this, [this] { onBytes(); });
        connect(socket, &QLocalSocket::errorOccurred, this,
                [socket, onError](QLocalSocket::LocalSocketError error) {
                    switch (error) {
                    case QLocalSocket::ServerNotFoundError:
                        return onError(tr("no socket file is there"));
                    case QLocalSocket::ConnectionRefusedError:
                        return onError(tr("no server listens on the socket"));
                    case QLocalSocket::PeerClosedError:
                        return onError(tr("it closed the connection"));
                    case QLocalSocket::SocketAccessError:
                        return onError(tr("this user may not open the socket"));
                    default:
                        return onError(socket->errorString());
                    }
                });
        connect(socket, &QLocalSocket::disconnected, this,
                [onError] { onError(tr("it closed the connection")); });
        socket->connectToServer(m_url.socketPath);
    } else {
        QSslSocket *tls = nullptr;
        if (m_url.tls) {
            QString problem;
            tls = makeTlsSocket(&problem);
            if (!tls) {
                // Nothing to connect: said at once, tried again after the retry delay (the
                // files may be fixed meanwhile).
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, problem] {
                        if (generation == m_generation)
                            fail(problem);
                    },
                    Qt::QueuedConnection);
                armTimer(m_connectDeadline);
                return;
            }
        }
        QTcpSocket *socket = tls ? tls : new QTcpSocket(this);
        m_socket = socket;
        if (tls) {
            // The Redis handshake starts once TLS's is done and the certificate verified.
            connect(tls, &QSslSocket::encrypted, this, [this] { onConnected(); });
            connect(tls, &QSslSocket::sslErrors, this,
                    [this, generation](const QList<QSslError> &errors) {
                        const QString sentence = untrusted(errors);
                        QMetaObject::invokeMethod(
                            this,
                            [this, generation, sentence] {
                                if (generation == m_generation)
                                    fail(sentence);
                            },
                            Qt::QueuedConnection);
                    });
        } else {
            connect(socket, &QTcpSocket::connected, this, [this] { onConnected(); });
        }
        connect(socket, &QTcpSocket::readyRead, this, [this] { onBytes(); });
        connect(socket, &QTcpSocket::errorOccurred, this,
                [socket, onError](QAbstractSocket::SocketError error) {
                    switch (error) {
                    case QAbstractSocket::ConnectionRefusedError:
                        return onError(tr("nothing answers on that port (connection refused)"));
                    case QAbstractSocket::HostNotFoundError:
                        return onError(tr("the host name is not known"));
                    case QAbstractSocket::RemoteHostClosedError:
                        return onError(tr("it closed the connection"));
                    case QAbstractSocket::NetworkError:
                        return onError(tr("the network is unreachable"));
                    case QAbstractSocket::SslHandshakeFailedError:
                    case QAbstractSocket::SslInternalError:
                    case QAbstractSocket::SslInvalidUserDataError:
                        return onError(
                            tr("the TLS handshake failed (%1)").arg(socket->errorString()));
                    default:
                        return onError(socket->errorString());
                    }
                });
        connect(socket, &QTcpSocket::disconnected, this,
                [onError] { onError(tr("it closed the connection")); });
        // Asynchronous, the host name included (QHostInfo looks it up off this thread).
        if (tls) {
            tls->connectToHostEncrypted(m_url.host, m_url.port);
        } else {
            // Unbuffered: a write goes to the kernel in the call (Qt's buffered socket writes
            // on a queued flush, one more pass of the event loop per request), and a read
            // lands in our buffer without a copy through the socket's.
            socket->connectToHost(m_url.host, m_url.port,
                                  QIODevice::ReadWrite | QIODevice::Unbuffered);
        }
    }
    armTimer(m_connectDeadline);
}

QSslSocket *RedisConnection::makeTlsSocket(QString *problem)
{
    if (!QSslSocket::supportsSsl()) {
        *problem = tr("The shared cache at %1 is reached over TLS (rediss://), but this "
                      "computer's Qt has no TLS support.")
                       .arg(endpoint());
        return nullptr;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    // `unreadable` is a whole sentence (translated as one) with %1 the endpoint, %2 the path
    // and %3 why.
    auto readable = [this, problem](const QString &path, const QString &unreadable) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *problem = unreadable.arg(endpoint(), path, file.errorString());
            return QByteArray();
        }
        return file.readAll();
    };
    if (!m_url.tlsCaFile.isEmpty()) {
        const QByteArray pem = readable(
            m_url.tlsCaFile, tr("The CA file for the shared cache at %1 cannot be read: %2 (%3)."));
        if (pem.isEmpty() && !problem->isEmpty())
            return nullptr;
        const QList<QSslCertificate> cas = QSslCertificate::fromData(pem, QSsl::Pem);
        if (cas.isEmpty()) {
            *problem = tr("The CA file for the shared cache at %1 holds no PEM certificate: %2.")
                           .arg(endpoint(), m_url.tlsCaFile);
            return nullptr;
        }
        // Only this CA: an office's own CA should not be trusted beside every public one.
        config.setCaCertificates(cas);
    }
    if (!m_url.tlsCertFile.isEmpty() || !m_url.tlsKeyFile.isEmpty()) {
        if (m_url.tlsCertFile.isEmpty() || m_url.tlsKeyFile.isEmpty()) {
            *problem = tr("A client certificate for the shared cache needs both a certificate "
                          "file (WEATHERDASH_REDIS_TLS_CERT) and its key file "
                          "(WEATHERDASH_REDIS_TLS_KEY).");
            return nullptr;
        }
        const QByteArray certPem = readable(
            m_url.tlsCertFile,
            tr("The client certificate for the shared cache at %1 cannot be read: %2 (%3)."));
        if (certPem.isEmpty() && !problem->isEmpty())
            return nullptr;
        const QList<QSslCertificate> certs = QSslCertificate::fromData(certPem, QSsl::Pem);
        if (certs.isEmpty()) {
            *problem = tr("The client certificate for the shared cache holds no PEM "
                          "certificate: %1.")
                           .arg(m_url.tlsCertFile);
            return nullptr;
        }
        const QByteArray keyPem
            = readable(m_url.tlsKeyFile,
                       tr("The client key for the shared cache at %1 cannot be read: %2 (%3)."));
        if (keyPem.isEmpty() && !problem->isEmpty())
            return nullptr;
        QSslKey key;
        for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
            key = QSslKey(keyPem, algorithm, QSsl::Pem);
            if (!key.isNull())
                break;
        }
        if (key.isNull()) {
            *problem = tr("The client key for the shared cache is not a PEM key without a "
                          "passphrase: %1.")
                           .arg(m_url.tlsKeyFile);
            return nullptr;
        }
        config.setLocalCertificateChain(certs);
        config.setPrivateKey(key);
    }
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(config);
    return socket;
}

QString RedisConnection::untrusted(const QList<QSslError> &errors) const
{
    QStringList reasons;
    for (const QSslError &e : errors) {
        QString text = e.errorString();
        while (text.endsWith(u'.'))
            text.chop(1);
        if (!reasons.contains(text))
            reasons.append(text);
    }
    return tr("The shared cache at %1 is not used: its TLS certificate cannot be trusted (%2).")
        .arg(endpoint(), reasons.join(u"; "));
}

void RedisConnection::onConnected()
{
    if (auto *tcp = qobject_cast<QTcpSocket *>(m_socket)) {
        // Small commands, many in flight: Nagle's delay would cost 40 ms per round trip.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        tcp->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    }
    auto handshakeStep = [this](const RedisReply &reply, const char *step) {
        if (reply.isFailure())
            return false; // the connection was given up already
        if (reply.type != RedisReply::Type::Error)
            return true;
        const QString text = quoted(reply.text);
        if (qstrcmp(step, "AUTH") == 0 && reply.text.contains("without any password configured"))
            fail(tr("The shared cache at %1 has no password, but its address gives one: remove "
                    "the password from the address.")
                     .arg(endpoint()));
        else if (qstrcmp(step, "AUTH") == 0)
            fail(tr("The shared cache at %1 refused the user or password in its address (%2).")
                     .arg(endpoint(), scrub(text)));
        else if (reply.text.startsWith("NOAUTH"))
            fail(tr("The shared cache at %1 needs a password: give it in the address, as in "
                    "redis://:password@%1.")
                     .arg(endpoint()));
        else if (qstrcmp(step, "SELECT") == 0)
            fail(tr("The shared cache at %1 has no database %2 (%3).")
                     .arg(endpoint(), QString::number(m_url.database), scrub(text)));
        else if (reply.text.startsWith("LOADING"))
            fail(unreachable(tr("it is starting up and loading its data")));
        else
            fail(tr("The shared cache at %1 refused the connection (%2).")
                     .arg(endpoint(), scrub(text)));
        return false;
    };
    if (!m_url.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_url.user.isEmpty())
            auth.append(m_url.user.toUtf8());
        auth.append(m_url.password.toUtf8());
        writeCommand(encode(auth),
                     [handshakeStep](const RedisReply &r) { handshakeStep(r, "AUTH"); });
    }
    if (m_url.database != 0) {
        writeCommand(encode({"SELECT", QByteArray::number(m_url.database)}),
                     [handshakeStep](const RedisReply &r) { handshakeStep(r, "SELECT"); });
    }
    const bool subscriber = !m_channels.isEmpty();
    writeCommand(encode({"PING"}), [this, handshakeStep, subscriber](const RedisReply &r) {
        if (!handshakeStep(r, "PING"))
            return;
        if (!r.isText("PONG")) {
            fail(unexpected(r));
            return;
        }
        if (!subscriber)
            becomeReady();
    });
    if (subscriber) {
        QList<QByteArray> subscribe{"SUBSCRIBE"};
        subscribe.append(m_channels);
        // One confirmation per channel, each ["subscribe", channel, count].
        for (qsizetype i = 0; i < m_channels.size(); ++i) {
            const bool last = i + 1 == m_channels.size();
            Handler h = [this, handshakeStep, last](const RedisReply &r) {
                if (!handshakeStep(r, "SUBSCRIBE"))
                    return;
                if (r.type != RedisReply::Type::Array || r.elements.isEmpty()
                    || !r.elements.at(0).isText("subscribe")) {
                    fail(unexpected(r));
                    return;
                }
                if (last)
                    becomeReady();
            };
            if (i == 0)
                writeCommand(encode(subscribe), std::move(h));
            else
                m_inflight.push_back({std::move(h), m_connectDeadline});
        }
    }
}

void RedisConnection::becomeReady()
{
    m_state = State::Ready;
    m_connectDeadline = -1;
    m_retryDelayMs = m_firstRetryMs;
    m_down.clear();
    qCInfo(lcRedis).noquote() << "connected to" << m_url.redacted();
    std::deque<Waiting> waiting = std::exchange(m_waiting, {});
    for (Waiting &w : waiting)
        writeCommand(w.command, std::move(w.handler));
    reportStatus(true, QString());
}

void RedisConnection::writeCommand(const QByteArray &command, Handler handler)
{
    const qint64 deadline
        = m_state == State::Connecting ? m_connectDeadline : m_clock->now() + m_commandTimeoutMs;
    m_inflight.push_back({std::move(handler), deadline});
    armTimer(deadline);
    if (m_inflight.size() == 1 && m_out.isEmpty() && !m_inBytes) {
        // Nothing else in flight: the request waits for nobody, so it goes out now, in this
        // call (a write left to the socket would wait for the next pass of the event loop).
        m_out = command;
        flushOut();
        return;
    }
    // Pipelined: one write per pass of the event loop for everything asked meanwhile, at the
    // end of onBytes() for what the handlers of its replies asked, else on the next pass.
    m_out += command;
    if (!m_inBytes && !m_flushQueued) {
        m_flushQueued = true;
        const quint64 generation = m_generation;
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                m_flushQueued = false;
                if (generation == m_generation)
                    flushOut();
            },
            Qt::QueuedConnection);
    }
}

void RedisConnection::flushOut()
{
    if (m_out.isEmpty() || !m_socket)
        return;
    m_socket->write(m_out);
    m_out.resize(0); // keeps its capacity
    // Written to the kernel now, not when the socket's write notifier fires on a later pass.
    if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket))
        tcp->flush();
    else if (auto *local = qobject_cast<QLocalSocket *>(m_socket))
        local->flush();
}

void RedisConnection::send(const QList<QByteArray> &args, Handler handler)
{
    sendCommand(encode(args), std::move(handler));
}

void RedisConnection::sendViews(std::initializer_list<QByteArrayView> args, Handler handler)
{
    sendCommand(encodeArgs(args, qsizetype(args.size())), std::move(handler));
}

void RedisConnection::sendCommand(QByteArray command, Handler handler)
{
    if (m_state == State::Disconnected) {
        handler(RedisReply::failed(m_down));
        return;
    }
    if (pendingCount() >= kMaxPending) {
        handler(RedisReply::failed(
            tr("The shared cache at %1 is too slow: %2 requests already wait for it.")
                .arg(endpoint(), QString::number(kMaxPending))));
        return;
    }
    if (m_channels.isEmpty()) {
        qint64 until = 0;
        if (const QString silent = silence(&until); !silent.isEmpty()) {
            // Another connection to this server waited a whole timeout just now: do not wait
            // again. The next attempt is made once the silence is over.
            if (m_state != State::Disconnected || m_retryAt < until)
                fail(silent);
            handler(RedisReply::failed(silent));
            return;
        }
    }
    if (m_state == State::Connecting) {
        m_waiting.push_back({std::move(command), std::move(handler)});
        return;
    }
    writeCommand(std::move(command), std::move(handler));
}

void RedisConnection::onBytes()
{
    if (!m_socket || !m_reader)
        return;
    const quint64 generation = m_generation;
    QPointer<RedisConnection> self(this);
    // Read into one buffer kept between calls: no allocation per read. The replies of each
    // chunk are handed out before the next is read: hiredis's reader moves what it has not
    // handed out yet to the front of its buffer every KiB it hands out, so feeding it all the
    // socket held first (megabytes with thousands of requests in flight) was quadratic.
    bool any = false;
    for (;;) {
        const qint64 n = m_socket->read(m_readBuffer.data(), m_readBuffer.size());
        if (n < 0 && !any) {
            // An unbuffered socket says the end of the stream here, not always as a signal.
            fail(unreachable(tr("it closed the connection")));
            return;
        }
        if (n <= 0)
            break;
        any = true;
        if (!m_reader->feed(m_readBuffer.constData(), n)) {
            fail(tr("The shared cache at %1 sent more than this computer can hold.")
                     .arg(endpoint()));
            return;
        }
        if (!takeReplies(self, generation))
            return;
        if (n < m_readBuffer.size())
            break; // all there was: asking again would only hear "nothing more"
    }
    // What the handlers asked for goes out in one write.
    if (any)
        flushOut();
}

bool RedisConnection::takeReplies(const QPointer<RedisConnection> &self, quint64 generation)
{
    m_inBytes = true;
    while (self && generation == m_generation) {
        RedisReply reply;
        QString detail;
        switch (m_reader->next(&reply, &detail)) {
        case RedisReplyReader::Status::Incomplete:
            m_inBytes = false;
            return true;
        case RedisReplyReader::Status::NotRedis:
            qCWarning(lcRedis).noquote() << "not Redis's protocol from" << endpoint() << detail;
            fail(tr("The server at %1 does not answer like a Redis server (%2); check the "
                    "address of the shared cache.")
                     .arg(endpoint(), detail));
            return false;
        case RedisReplyReader::Status::TooLarge:
            fail(tr("The server at %1 sent a reply larger than %2 MiB; check the address "
                    "of the shared cache.")
                     .arg(endpoint(), QString::number(kMaxReplyBytes / (1024 * 1024))));
            return false;
        case RedisReplyReader::Status::Reply:
            dispatch(std::move(reply));
            break;
        }
    }
    if (self)
        m_inBytes = false;
    return false;
}

void RedisConnection::dispatch(RedisReply reply)
{
    if (!m_channels.isEmpty() && reply.type == RedisReply::Type::Array && reply.elements.size() == 3
        && reply.elements.at(0).isText("message")) {
        Q_EMIT messageReceived(reply.elements.at(1).text, reply.elements.at(2).text);
        return;
    }
    if (m_inflight.empty()) {
        fail(tr("The server at %1 answered a question it was not asked; check the address of "
                "the shared cache.")
                 .arg(endpoint()));
        return;
    }
    if (m_state == State::Ready && m_channels.isEmpty()) {
        // An answer to a command, not to the handshake: the server is not silent (any more).
        // Read without the lock first: this runs for every reply.
        if (g_silenceCount.load(std::memory_order_relaxed) != 0) {
            QMutexLocker lock(&g_silenceMutex);
            g_silences.remove(silenceKey());
            g_silenceCount.store(int(g_silences.size()), std::memory_order_relaxed);
        }
    }
    Pending pending = std::move(m_inflight.front());
    m_inflight.pop_front();
    pending.handler(reply);
}

void RedisConnection::onSocketError(const QString &reason)
{
    qCDebug(lcRedis).noquote() << endpoint() << reason;
    if (m_url.tls && m_state == State::Connecting && m_url.tlsCertFile.isEmpty()) {
        // A server with `tls-auth-clients yes` ends the TLS handshake (or, with TLS 1.3, the
        // connection right after it) when no client certificate is shown.
        fail(tr("The shared cache at %1 refused the TLS connection (%2); if it asks for a "
                "client certificate, set WEATHERDASH_REDIS_TLS_CERT and "
                "WEATHERDASH_REDIS_TLS_KEY.")
                 .arg(endpoint(), reason));
        return;
    }
    fail(unreachable(reason));
}

QString RedisConnection::unreachable(const QString &reason) const
{
    return tr("The shared cache at %1 is not reachable: %2.").arg(endpoint(), reason);
}

QString RedisConnection::silenceKey() const
{
    return endpoint() + u'|' + QString::number(quintptr(m_clock), 16);
}

QString RedisConnection::silence(qint64 *until) const
{
    if (g_silenceCount.load(std::memory_order_relaxed) == 0)
        return {};
    QMutexLocker lock(&g_silenceMutex);
    const auto it = g_silences.constFind(silenceKey());
    if (it == g_silences.constEnd() || m_clock->now() >= it->until)
        return {};
    *until = it->until;
    return it->sentence;
}

void RedisConnection::timedOut(const QString &sentence)
{
    {
        QMutexLocker lock(&g_silenceMutex);
        Silence &s = g_silences[silenceKey()];
        s.window = s.window == 0 ? kSilenceMs : qMin(s.window * 2, kDefaultMaxRetryDelayMs);
        s.until = m_clock->now() + s.window;
        s.sentence = sentence;
        g_silenceCount.store(int(g_silences.size()), std::memory_order_relaxed);
    }
    fail(sentence);
}

void RedisConnection::fail(const QString &sentence)
{
    ++m_generation;
    resetSocket();
    m_state = State::Disconnected;
    m_connectDeadline = -1;
    m_down = sentence;
    m_retryAt = m_clock->now() + m_retryDelayMs;
    if (qint64 silentUntil = 0; !silence(&silentUntil).isEmpty())
        m_retryAt = qMax(m_retryAt, silentUntil);
    qCInfo(lcRedis).noquote() << sentence << "Next attempt in" << m_retryDelayMs << "ms.";
    m_retryDelayMs = qMin(m_retryDelayMs * 2, m_maxRetryMs);
    armTimer(m_retryAt);

    std::deque<Pending> inflight = std::exchange(m_inflight, {});
    std::deque<Waiting> waiting = std::exchange(m_waiting, {});
    QPointer<RedisConnection> self(this);
    const RedisReply failed = RedisReply::failed(sentence);
    for (const Pending &p : inflight)
        p.handler(failed);
    for (const Waiting &w : waiting)
        w.handler(failed);
    if (self)
        reportStatus(false, sentence);
}

void RedisConnection::resetSocket()
{
    m_reader.reset();
    m_out.clear();
    m_inBytes = false;
    if (!m_socket)
        return;
    QIODevice *socket = std::exchange(m_socket, nullptr);
    disconnect(socket, nullptr, this, nullptr);
    if (auto *tcp = qobject_cast<QTcpSocket *>(socket)) // a QSslSocket too
        tcp->abort();
    else if (auto *local = qobject_cast<QLocalSocket *>(socket))
        local->abort();
    socket->deleteLater();
}

void RedisConnection::checkDeadlines()
{
    const qint64 now = m_clock->now();
    switch (m_state) {
    case State::Disconnected:
        if (m_retryAt >= 0 && now >= m_retryAt)
            connectNow();
        else if (m_retryAt >= 0)
            armTimer(m_retryAt);
        break;
    case State::Connecting:
        if (now >= m_connectDeadline)
            timedOut(
                unreachable(tr("it did not answer within %1 s").arg(seconds(m_connectTimeoutMs))));
        else
            armTimer(m_connectDeadline);
        break;
    case State::Ready:
        if (!m_inflight.empty() && now >= m_inflight.front().deadline)
            timedOut(
                unreachable(tr("it did not answer within %1 s").arg(seconds(m_commandTimeoutMs))));
        else if (!m_inflight.empty())
            armTimer(m_inflight.front().deadline);
        break;
    }
}

void RedisConnection::armTimer(qint64 deadline)
{
    if (deadline < 0)
        return;
    // Deadlines only move later as replies arrive, so a timer already set for an earlier one
    // stays: it fires, checks, and re-arms for what is then the earliest.
    if (m_timer.isActive() && m_timerDeadline >= 0 && m_timerDeadline <= deadline)
        return;
    m_timerDeadline = deadline;
    const qint64 delay = qBound<qint64>(0, deadline - m_clock->now(), kMaxSleepMs);
    m_timer.start(std::chrono::milliseconds(delay));
}

void RedisConnection::reportStatus(bool ok, const QString &reason)
{
    if (m_statusKnown && m_statusOk == ok && m_statusReason == reason)
        return;
    m_statusKnown = true;
    m_statusOk = ok;
    m_statusReason = reason;
    if (!ok)
        qCWarning(lcRedis).noquote() << reason;
    Q_EMIT statusChanged(ok, reason);
}

QString RedisConnection::scrub(QString text) const
{
    if (!m_url.password.isEmpty())
        text.replace(m_url.password, QStringLiteral("***"));
    return text;
}

QString RedisConnection::describe(const RedisReply &reply) const
{
    if (reply.isFailure())
        return reply.failure;
    if (reply.type != RedisReply::Type::Error)
        return unexpected(reply);
    const QByteArray &t = reply.text;
    if (t.startsWith("OOM"))
        return tr("The shared cache at %1 is full (it reached its memory limit and evicts "
                  "nothing): new entries are not shared until room is made.")
            .arg(endpoint());
    if (t.startsWith("LOADING"))
        return unreachable(tr("it is starting up and loading its data"));
    if (t.startsWith("READONLY"))
        return tr("The shared cache at %1 is a read-only replica: point the address at the "
                  "primary server.")
            .arg(endpoint());
    if (t.startsWith("MISCONF"))
        return tr("The shared cache at %1 refuses writes because it cannot save its data to "
                  "its disk.")
            .arg(endpoint());
    if (t.startsWith("NOPERM") || t.startsWith("NOAUTH"))
        return tr("The shared cache at %1 does not allow this user to do that (%2).")
            .arg(endpoint(), scrub(quoted(t)));
    return tr("The shared cache at %1 answered with an error (%2).")
        .arg(endpoint(), scrub(quoted(t)));
}

QString RedisConnection::unexpected(const RedisReply &reply) const
{
    Q_UNUSED(reply);
    return tr("The server at %1 does not answer like a Redis server; check the address of the "
              "shared cache.")
        .arg(endpoint());
}
