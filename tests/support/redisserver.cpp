// SPDX-License-Identifier: MIT
#include "redisserver.h"

#include "store/redisconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace {

constexpr int kStartTimeoutMs = 15'000;
constexpr int kCliTimeoutMs = 15'000;
constexpr int kPortAttempts = 5;

/** A port nobody listens on now: bind to port 0, read the port, let it go. */
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

RedisServer::RedisServer(QObject *parent)
    : QObject(parent)
{ }

RedisServer::~RedisServer()
{
    kill();
}

QString RedisServer::executable()
{
    return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
}

QString RedisServer::missingReason()
{
    if (!executable().isEmpty())
        return {};
    return QStringLiteral("redis-server is not installed (scripts/deps.sh installs it: Debian's "
                          "redis-server package); the shared cache tests need a real Redis");
}

bool RedisServer::start(const QStringList &extraArgs)
{
    m_tlsArgs.clear();
    m_tlsPort = 0;
    m_extraArgs = extraArgs;
    m_socketPath.clear();
    m_portChosen = true;
    for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
        m_port = freeLoopbackPort();
        if (m_port != 0 && launch())
            return true;
        // Another process may have taken the port between our probe and Redis's bind.
        if (!m_log.contains("Address already in use"))
            return false;
    }
    return false;
}

bool RedisServer::startTls(const TlsFiles &files, bool requireClientCert,
                           const QStringList &extraArgs)
{
    const QStringList tlsArgs{QStringLiteral("--tls-cert-file"),
                              files.serverCert,
                              QStringLiteral("--tls-key-file"),
                              files.serverKey,
                              QStringLiteral("--tls-ca-cert-file"),
                              files.caCert,
                              QStringLiteral("--tls-auth-clients"),
                              requireClientCert ? QStringLiteral("yes") : QStringLiteral("no")};
    m_extraArgs = extraArgs;
    m_tlsArgs = tlsArgs;
    m_socketPath.clear();
    m_portChosen = true;
    for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
        m_port = freeLoopbackPort();
        m_tlsPort = freeLoopbackPort();
        if (m_port != 0 && m_tlsPort != 0 && m_tlsPort != m_port && launch())
            return true;
        if (!m_log.contains("Address already in use") && m_tlsPort != m_port)
            return false;
    }
    return false;
}

QString RedisServer::tlsUrl(const QString &host) const
{
    return QStringLiteral("rediss://%1:%2/0").arg(host).arg(m_tlsPort);
}

bool RedisServer::makeTlsFiles(const QString &dir, TlsFiles *files)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        m_error = QStringLiteral("openssl is not installed (scripts/deps.sh installs it)");
        return false;
    }
    const auto path = [&dir](const char *name) -> QString {
        return dir + u'/' + QString::fromLatin1(name);
    };
    const auto run = [&](const QStringList &args) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(openssl, args);
        if (!p.waitForFinished(kStartTimeoutMs) || p.exitStatus() != QProcess::NormalExit
            || p.exitCode() != 0) {
            m_error = QStringLiteral("openssl %1 failed: %2")
                          .arg(args.join(u' '), QString::fromUtf8(p.readAll()));
            return false;
        }
        return true;
    };
    // Elliptic-curve keys: made in milliseconds, unlike RSA.
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                         QStringLiteral("-nodes")};
    const auto makeCa = [&](const char *name, const QString &subject) {
        return run(
            QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-new")} + ec
            + QStringList{QStringLiteral("-keyout"), path(name) + u".key", QStringLiteral("-out"),
                          path(name) + u".crt", QStringLiteral("-days"), QStringLiteral("2"),
                          QStringLiteral("-subj"), subject});
    };
    const auto makeSigned
        = [&](const char *name, const QString &subject, const QByteArray &extensions) {
              QFile ext(path(name) + u".ext");
              if (!ext.open(QIODevice::WriteOnly) || ext.write(extensions) != extensions.size())
                  return false;
              ext.close();
              return run(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + ec
                         + QStringList{QStringLiteral("-keyout"), path(name) + u".key",
                                       QStringLiteral("-out"), path(name) + u".csr",
                                       QStringLiteral("-subj"), subject})
                     && run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                             path(name) + u".csr", QStringLiteral("-CA"), path("ca") + u".crt",
                             QStringLiteral("-CAkey"), path("ca") + u".key",
                             QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
                             path(name) + u".crt", QStringLiteral("-days"), QStringLiteral("2"),
                             QStringLiteral("-extfile"), path(name) + u".ext"});
          };
    if (!makeCa("ca", QStringLiteral("/CN=WeatherDash test CA"))
        || !makeCa("other-ca", QStringLiteral("/CN=Some other CA"))
        || !makeSigned("server", QStringLiteral("/CN=localhost"),
                       "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
        || !makeSigned("client", QStringLiteral("/CN=weatherdash-client"),
                       "extendedKeyUsage=clientAuth\n"))
        return false;
    files->caCert = path("ca") + u".crt";
    files->otherCaCert = path("other-ca") + u".crt";
    files->serverCert = path("server") + u".crt";
    files->serverKey = path("server") + u".key";
    files->clientCert = path("client") + u".crt";
    files->clientKey = path("client") + u".key";
    return true;
}

bool RedisServer::startUnix(const QStringList &extraArgs)
{
    m_tlsArgs.clear();
    m_tlsPort = 0;
    m_extraArgs = extraArgs;
    m_port = 0;
    m_portChosen = false;
    m_dir = std::make_unique<QTemporaryDir>();
    m_socketPath = m_dir->filePath(QStringLiteral("redis.sock"));
    return launch();
}

bool RedisServer::restart()
{
    kill();
    return launch();
}

bool RedisServer::launch()
{
    kill();
    if (!m_dir)
        m_dir = std::make_unique<QTemporaryDir>();
    m_log.clear();
    m_error.clear();
    QStringList args{QStringLiteral("--save"),       QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no"),
                     QStringLiteral("--daemonize"),  QStringLiteral("no"),
                     QStringLiteral("--dir"),        m_dir->path(),
                     QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                     QStringLiteral("--port"),       QString::number(m_port)};
    if (!m_socketPath.isEmpty())
        args << QStringLiteral("--unixsocket") << m_socketPath << QStringLiteral("--unixsocketperm")
             << QStringLiteral("700");
    if (!m_tlsArgs.isEmpty())
        args << QStringLiteral("--tls-port") << QString::number(m_tlsPort) << m_tlsArgs;
    args += m_extraArgs;

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // A test or benchmark that crashes takes its server with it instead of leaving it running.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    connect(m_process.get(), &QProcess::readyReadStandardOutput, this,
            [this] { m_log += m_process->readAllStandardOutput(); });
    QSignalSpy finished(m_process.get(), &QProcess::finished);
    QSignalSpy output(m_process.get(), &QProcess::readyReadStandardOutput);
    m_process->start(executable(), args);

    // Redis says when it listens; then it must answer PING with PONG.
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!m_log.toLower().contains("ready to accept connections")) {
        if (finished.count() > 0 || m_process->state() == QProcess::NotRunning
            || deadline.hasExpired()) {
            m_log += m_process->readAllStandardOutput();
            m_error = QStringLiteral("redis-server did not start: ") + QString::fromUtf8(m_log);
            m_process.reset();
            return false;
        }
        output.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    if (!ping(int(qMax<qint64>(1, deadline.remainingTime())))) {
        m_error = QStringLiteral("redis-server started but did not answer PING with PONG");
        kill();
        return false;
    }
    return true;
}

bool RedisServer::ping(int timeoutMs)
{
    std::unique_ptr<QIODevice> device;
    std::unique_ptr<QSignalSpy> connected;
    if (m_socketPath.isEmpty()) {
        auto *tcp = new QTcpSocket;
        device.reset(tcp);
        connected = std::make_unique<QSignalSpy>(tcp, &QTcpSocket::connected);
        tcp->connectToHost(QHostAddress::LocalHost, m_port);
    } else {
        auto *local = new QLocalSocket;
        device.reset(local);
        connected = std::make_unique<QSignalSpy>(local, &QLocalSocket::connected);
        local->connectToServer(m_socketPath);
    }
    if (connected->count() == 0 && !connected->wait(timeoutMs))
        return false;
    QSignalSpy readable(device.get(), &QIODevice::readyRead);
    device->write("PING\r\n");
    QByteArray reply;
    const QDeadlineTimer deadline(timeoutMs);
    while (!reply.contains("\r\n") && !deadline.hasExpired()) {
        if (device->bytesAvailable() == 0)
            readable.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        reply += device->readAll();
    }
    // With a password set, Redis answers that it needs one: it is up all the same.
    return reply == "+PONG\r\n" || reply.startsWith("-NOAUTH");
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill(); // SIGKILL to this process's own PID
        // A child that was sent SIGKILL: waiting for it cannot hang (and a spy's event loop
        // would not run once the test has failed).
        m_process->waitForFinished(kStartTimeoutMs);
    }
    m_process.reset();
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 RedisServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString RedisServer::url() const
{
    if (!m_socketPath.isEmpty())
        return QStringLiteral("unix://") + m_socketPath;
    return QStringLiteral("redis://127.0.0.1:%1/0").arg(m_port);
}

QByteArray RedisServer::cli(const QStringList &args, const QString &auth)
{
    QStringList all;
    if (m_socketPath.isEmpty())
        all << QStringLiteral("-h") << QStringLiteral("127.0.0.1") << QStringLiteral("-p")
            << QString::number(m_port);
    else
        all << QStringLiteral("-s") << m_socketPath;
    if (!auth.isEmpty())
        all << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << auth;
    all += args;
    QProcess cli;
    QSignalSpy finished(&cli, &QProcess::finished);
    cli.start(QStandardPaths::findExecutable(QStringLiteral("redis-cli")), all);
    if (finished.count() == 0 && !finished.wait(kCliTimeoutMs))
        return "redis-cli did not finish";
    return cli.readAllStandardOutput().trimmed();
}

RedisUrl testRedisUrl(const QString &text)
{
    QString error;
    const auto url = RedisUrl::parse(text, &error);
    if (!url)
        qFatal("bad test URL: %s", qPrintable(error));
    return *url;
}

SilentRedisServer::SilentRedisServer(bool answerHandshake, QObject *parent)
    : QObject(parent)
    , m_answerHandshake(answerHandshake)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            socket->setParent(this);
            serve(socket);
        }
    });
}

SilentRedisServer::~SilentRedisServer() = default;

bool SilentRedisServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString SilentRedisServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1/0").arg(port());
}

void SilentRedisServer::serve(QTcpSocket *socket)
{
    // A command is an array of bulk strings: the reply reader parses it as well.
    auto reader = std::make_shared<RedisReplyReader>();
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, reader] {
        reader->feed(socket->readAll());
        for (;;) {
            RedisReply command;
            QString detail;
            if (reader->next(&command, &detail) != RedisReplyReader::Status::Reply)
                return;
            const QByteArray name = command.elements.isEmpty()
                                        ? QByteArray()
                                        : command.elements.constFirst().text.toUpper();
            if (!m_answerHandshake) {
                ++m_unanswered;
            } else if (name == "AUTH" || name == "SELECT") {
                socket->write("+OK\r\n");
            } else if (name == "PING") {
                socket->write("+PONG\r\n");
            } else if (name == "SUBSCRIBE") {
                for (qsizetype i = 1; i < command.elements.size(); ++i) {
                    const QByteArray &channel = command.elements.at(i).text;
                    socket->write("*3\r\n$9\r\nsubscribe\r\n$" + QByteArray::number(channel.size())
                                  + "\r\n" + channel + "\r\n:" + QByteArray::number(i) + "\r\n");
                }
            } else if (!m_silent) {
                socket->write("$-1\r\n");
            } else {
                ++m_unanswered;
            }
        }
    });
}
