// SPDX-License-Identifier: MIT
#pragma once

#include "weather/redisurl.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

class Clock;
class QIODevice;
class QSslError;
class QSslSocket;
struct redisReader;

/** One reply of a Redis server (RESP2), or why there is none (type Failure). */
struct RedisReply
{
    enum class Type { Status, Error, String, Integer, Nil, Array, Failure };

    Type type = Type::Nil;
    QByteArray text; // Status, Error, String
    qint64 integer = 0;
    QList<RedisReply> elements; // Array
    QString failure; // Failure: a sentence for a person

    bool isFailure() const { return type == Type::Failure; }
    bool isError() const { return type == Type::Error || type == Type::Failure; }
    bool isText(const char *expected) const
    {
        return (type == Type::Status || type == Type::String) && text == expected;
    }
    static RedisReply failed(const QString &sentence)
    {
        RedisReply r;
        r.type = Type::Failure;
        r.failure = sentence;
        return r;
    }
};

/**
 * RESP2 bytes to RedisReply trees: hiredis's reader with our own node functions, bounded so
 * that a stream that is not Redis (a garbage "*2000000000", a length of gigabytes) is refused
 * instead of allocated. The bytes come from outside: tests/fuzz/fuzz_redisreply.cpp.
 */
class RedisReplyReader
{
    Q_DECLARE_TR_FUNCTIONS(RedisReplyReader)
public:
    /** No reply has more parts than this. */
    static constexpr int kMaxArrayElements = 1'000'000;
    /** No unfinished reply is kept waiting for more bytes beyond this. */
    static constexpr qsizetype kMaxReplyBytes = 64 * 1024 * 1024;

    enum class Status { Reply, Incomplete, NotRedis, TooLarge };

    RedisReplyReader();
    ~RedisReplyReader();
    RedisReplyReader(const RedisReplyReader &) = delete;
    RedisReplyReader &operator=(const RedisReplyReader &) = delete;

    /** Adds bytes read from the server; false when they cannot be held. */
    bool feed(const QByteArray &bytes);
    bool feed(const char *data, qsizetype size);
    /**
     * The next whole reply. Incomplete: wait for more bytes. NotRedis: `detail` says what was
     * wrong; the stream is unusable from here on. TooLarge: a reply over kMaxReplyBytes.
     */
    Status next(RedisReply *reply, QString *detail);

private:
    std::unique_ptr<redisReader, void (*)(redisReader *)> m_reader;
};

/**
 * One connection to a Redis server, on Qt's own sockets (QTcpSocket, QSslSocket for a rediss://
 * address, or QLocalSocket for a unix:// address) in the thread that created it, never blocking:
 * the name is looked up and the connection made asynchronously, and every answer comes back through
 * a handler. hiredis does only the parsing: a redisReader reads replies (commands are encoded
 * here, see encode()).
 *
 * Commands are pipelined and their handlers called with their replies in the order they were
 * sent (Redis answers in order). A command on an idle connection is written at once; commands
 * sent while others are in flight are coalesced into one write per pass of the event loop.
 * Connecting includes the handshake: AUTH (user and password, or password alone), SELECT, PING (a
 * server that does not answer PONG is not Redis), then SUBSCRIBE for a subscriber connection.
 * Commands sent meanwhile wait (at most kMaxPending) and go out once the handshake is done.
 *
 * Time comes from the injected Clock: a connection not made within connectTimeout(), or a
 * command not answered within commandTimeout(), fails the connection. A failed connection
 * (refused, timed out, closed by the server, a wrong password, bytes that are not Redis's
 * protocol) answers every command in flight with a sentence saying why, and every later one at
 * once with the same sentence, until the next attempt: after retryDelay, doubling up to
 * maxRetryDelay, reset once a connection works. Nothing queues without bound.
 *
 * The password is sent in AUTH and appears nowhere else: not in logs, not in sentences (server
 * texts quoted in sentences are scrubbed of it), not in endpoint().
 *
 * Ownership: the connection owns its socket and parser; the Clock is borrowed and must outlive
 * it. Handlers are called in this thread; the destructor answers those still waiting with
 * "closed".
 */
class RedisConnection final : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const RedisReply &reply)>;
    enum class State { Disconnected, Connecting, Ready };

    // A shared cache that is down or stuck must cost a run little: the CLI's whole run with a
    // server that completes the handshake and then never answers stays within ~3 s.
    static constexpr qint64 kDefaultConnectTimeoutMs = 1'500;
    static constexpr qint64 kDefaultCommandTimeoutMs = 1'500;
    /**
     * After a command timed out, every connection of this process to that server (same
     * endpoint, same Clock) answers at once with the same sentence for this long, doubling up to
     * kDefaultMaxRetryDelayMs while it stays silent: a server that accepts connections and the
     * handshake but answers nothing else costs one timeout, not one per connection and command.
     * The first answered command clears it.
     */
    static constexpr qint64 kSilenceMs = 5'000;
    static constexpr qint64 kDefaultRetryDelayMs = 500;
    static constexpr qint64 kDefaultMaxRetryDelayMs = 30'000;
    /** Commands written and waiting for replies, or waiting for the connection. */
    static constexpr qsizetype kMaxPending = 20'000;
    /** A reply larger than this (unparsed bytes) is taken for garbage. */
    static constexpr qsizetype kMaxReplyBytes = RedisReplyReader::kMaxReplyBytes;
    static constexpr int kMaxArrayElements = RedisReplyReader::kMaxArrayElements;

    /**
     * Starts connecting at once (asynchronously). With `subscriptions`, this is a subscriber
     * connection: after the handshake it subscribes to those channels, and messages published
     * there arrive as messageReceived().
     */
    RedisConnection(const RedisUrl &url, Clock *clock, const QList<QByteArray> &subscriptions = {},
                    QObject *parent = nullptr);
    ~RedisConnection() override;

    void setTimeouts(qint64 connectMs, qint64 commandMs);
    qint64 connectTimeout() const { return m_connectTimeoutMs; }
    qint64 commandTimeout() const { return m_commandTimeoutMs; }
    void setRetryDelays(qint64 firstMs, qint64 maxMs);

    /** Sends one command; `handler` is called once, with its reply or a Failure. */
    void send(const QList<QByteArray> &args, Handler handler);
    /**
     * send() for arguments at hand: they are read once, into the request itself (no list,
     * no copies). The views must stay valid for this call only.
     */
    void sendViews(std::initializer_list<QByteArrayView> args, Handler handler);

    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    /** Why the connection is down (a sentence); empty while it works. */
    QString lastError() const { return m_state == State::Ready ? QString() : m_down; }
    QString endpoint() const { return m_url.endpoint(); }
    qsizetype pendingCount() const { return qsizetype(m_inflight.size() + m_waiting.size()); }
    /** Connections tried so far, the first included. */
    quint64 attempts() const { return m_attempts; }

    /**
     * A sentence for an error reply or Failure, for the person: "The shared cache at … is
     * full…" for OOM, and so on. Server text in it is scrubbed of the password.
     */
    QString describe(const RedisReply &reply) const;
    /** A sentence for a reply of the wrong kind ("+OK" where a value was asked for). */
    QString unexpected(const RedisReply &reply) const;

Q_SIGNALS:
    /** The connection started or stopped working; `reason` says why it stopped. */
    void statusChanged(bool ok, const QString &reason);
    /** A message on a subscribed channel. */
    void messageReceived(const QByteArray &channel, const QByteArray &payload);

private:
    struct Pending
    {
        Handler handler;
        qint64 deadline = -1;
    };
    struct Waiting
    {
        QByteArray command;
        Handler handler;
    };

    void connectNow();
    /** A socket set up for m_url's TLS files, or nullptr with a sentence in `problem`. */
    QSslSocket *makeTlsSocket(QString *problem);
    /** A sentence naming why the server's certificate is not trusted. */
    QString untrusted(const QList<QSslError> &errors) const;
    void onConnected();
    void onBytes();
    /** Dispatches every whole reply read so far; false when the connection failed or went. */
    bool takeReplies(const QPointer<RedisConnection> &self, quint64 generation);
    void onSocketError(const QString &reason);
    void becomeReady();
    /** Gives up the connection: answers every waiting command, schedules the next attempt. */
    void fail(const QString &sentence);
    void resetSocket();
    void writeCommand(const QByteArray &command, Handler handler);
    /** Hands m_out to the socket and the kernel. */
    void flushOut();
    void dispatch(RedisReply reply);
    void checkDeadlines();
    void armTimer(qint64 deadline);
    void reportStatus(bool ok, const QString &reason);
    QString unreachable(const QString &reason) const;
    /** Took too long: fail, and tell the other connections to this server to stop waiting. */
    void timedOut(const QString &sentence);
    QString silenceKey() const;
    /** The sentence while the server is known to be silent (now < until), else empty. */
    QString silence(qint64 *until) const;
    QString scrub(QString text) const;

    static QByteArray encode(const QList<QByteArray> &args);
    /** The checks of send(), then the request `command` (RESP) goes out or waits. */
    void sendCommand(QByteArray command, Handler handler);

    RedisUrl m_url;
    Clock *m_clock;
    qint64 m_connectTimeoutMs = kDefaultConnectTimeoutMs;
    qint64 m_commandTimeoutMs = kDefaultCommandTimeoutMs;
    qint64 m_firstRetryMs = kDefaultRetryDelayMs;
    qint64 m_maxRetryMs = kDefaultMaxRetryDelayMs;
    qint64 m_retryDelayMs = kDefaultRetryDelayMs;
    QList<QByteArray> m_channels;

    State m_state = State::Disconnected;
    QIODevice *m_socket = nullptr;
    std::unique_ptr<RedisReplyReader> m_reader; // one per socket: a new stream starts clean
    quint64 m_attempts = 0;
    quint64 m_generation = 0; // bumped when a socket is given up: late signals from it are dropped
    std::deque<Pending> m_inflight; // written, answered in this order
    std::deque<Waiting> m_waiting; // asked while connecting
    QByteArray m_out; // commands not yet handed to the socket (see writeCommand)
    bool m_flushQueued = false;
    bool m_inBytes = false; // handling replies: what their handlers send waits for the end
    QByteArray m_readBuffer = QByteArray(16 * 1024, Qt::Uninitialized);
    qint64 m_connectDeadline = -1;
    qint64 m_retryAt = -1;
    QString m_down;
    bool m_statusKnown = false;
    bool m_statusOk = false;
    QString m_statusReason;

    QTimer m_timer;
    qint64 m_timerDeadline = -1;
};
