// SPDX-License-Identifier: MIT
#pragma once

#include "store/redisurl.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
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
    bool m_portChosen = false; // picked by us: another may be tried when it is taken
    QString m_socketPath;
    QString m_error;
    QByteArray m_log;
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
