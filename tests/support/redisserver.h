// SPDX-License-Identifier: MIT
#pragma once

#include "weather/redisurl.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

/**
 * A real redis-server for tests: on a free loopback port or a Unix socket in a temporary
 * folder, with nothing saved to disk (`--save '' --appendonly no`). start() returns once the
 * server has said it is ready on its log and answered PING with PONG (both waited for with
 * signals, no sleeps). kill() ends it with SIGKILL, by its own PID only (QProcess::kill), as a
 * crash would; restart() brings it back on the same port or socket, empty.
 *
 * Ownership: owns the process and the folder; the destructor kills what is still running.
 */
class RedisServer : public QObject
{
    Q_OBJECT
public:
    explicit RedisServer(QObject *parent = nullptr);
    ~RedisServer() override;

    /** redis-server's path, empty when it is not installed. */
    static QString executable();
    /**
     * Why the Redis tests cannot run here, or empty when they can: without redis-server
     * they skip, but not under CI=true, where scripts/deps.sh has installed it.
     */
    static QString missingReason();

    /** Starts on a free 127.0.0.1 port, with `extraArgs` as further config (--requirepass x). */
    bool start(const QStringList &extraArgs = {});
    /** Certificates and keys for a TLS test, PEM files made with `openssl` (see makeTlsFiles). */
    struct TlsFiles
    {
        QString caCert; // the CA that signed the two certificates below
        QString serverCert; // for the name "localhost" only (not 127.0.0.1)
        QString serverKey;
        QString clientCert; // a client certificate (clientAuth) signed by caCert
        QString clientKey;
        QString otherCaCert; // a CA that signed nothing here
    };
    /**
     * Makes TlsFiles in `dir` with the openssl program; false with errorString() when it
     * cannot (no openssl: scripts/deps.sh installs it).
     */
    bool makeTlsFiles(const QString &dir, TlsFiles *files);
    /**
     * Starts as start() does, and also on a TLS port with `files`' server certificate;
     * with `requireClientCert`, clients must show a certificate signed by its CA
     * (`tls-auth-clients yes`). The plain port still answers (ping(), cli()).
     */
    bool startTls(const TlsFiles &files, bool requireClientCert, const QStringList &extraArgs = {});
    quint16 tlsPort() const { return m_tlsPort; }
    /** "rediss://<host>:<tlsPort>/0". */
    QString tlsUrl(const QString &host = QStringLiteral("localhost")) const;
    /** Starts on a Unix socket only (--port 0). */
    bool startUnix(const QStringList &extraArgs = {});
    /** Kills it (SIGKILL, its PID) and waits until it has gone. */
    void kill();
    /** Starts it again, same port or socket and arguments. */
    bool restart();

    bool isRunning() const;
    qint64 pid() const;
    quint16 port() const { return m_port; }
    QString socketPath() const { return m_socketPath; }
    /** "redis://127.0.0.1:<port>/0" or "unix://<socket>". */
    QString url() const;
    QString errorString() const { return m_error; }
    /** What the server wrote to its log so far. */
    QByteArray log() const { return m_log; }

    /**
     * Runs redis-cli against this server with `args` (e.g. {"PTTL", "key"}) and returns what
     * it printed, trimmed; `auth` is passed as `-a` when the server has a password.
     */
    QByteArray cli(const QStringList &args, const QString &auth = {});

private:
    bool launch();
    bool ping(int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QStringList m_extraArgs;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    QStringList m_tlsArgs; // empty: no TLS port
    bool m_portChosen = false; // picked by us: another may be tried when it is taken
    QString m_socketPath;
    QString m_error;
    QByteArray m_log;
};

/**
 * A server on a free 127.0.0.1 port that speaks just enough of Redis's protocol to pass the
 * handshake (AUTH, SELECT, PING, SUBSCRIBE are answered) and then answers nothing at all: a
 * Redis that is stuck, or a proxy in front of one. With `answerHandshake` false, it accepts
 * connections and never says a word. Lives in the test's thread: its event loop must run.
 */
class SilentRedisServer : public QObject
{
    Q_OBJECT
public:
    explicit SilentRedisServer(bool answerHandshake = true, QObject *parent = nullptr);
    ~SilentRedisServer() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    /** "redis://127.0.0.1:<port>/0". */
    QString url() const;
    /** false: every other command is answered as a miss ("$-1"), as by an empty Redis. */
    void setSilent(bool silent) { m_silent = silent; }
    /** Commands received and left unanswered (all but the handshake's). */
    int unansweredCount() const { return m_unanswered; }
    /** Connections accepted so far. */
    int connectionCount() const { return m_connections; }

private:
    void serve(QTcpSocket *socket);

    QTcpServer m_server;
    bool m_answerHandshake;
    bool m_silent = true;
    int m_unanswered = 0;
    int m_connections = 0;
};

/**
 * In a test function: without redis-server, a skip on a developer's machine, a failure under
 * CI (where scripts/deps.sh installs it). Needs <QTest> and Qt::StringLiterals.
 */
#define REQUIRE_REDIS() \
    do { \
        const QString missing = RedisServer::missingReason(); \
        if (!missing.isEmpty()) { \
            if (!qEnvironmentVariableIsEmpty("CI")) \
                QFAIL(qPrintable(u"CI is set and "_s + missing)); \
            QSKIP(qPrintable(missing)); \
        } \
    } while (false)

/** `text` parsed as a Redis URL; a test's own URL that does not parse stops the test run. */
RedisUrl testRedisUrl(const QString &text);
