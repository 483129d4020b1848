// SPDX-License-Identifier: MIT
#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcInstance, "weatherdash.instance")

namespace {

constexpr QByteArrayView kAck = "ok\n";
/** How long the listening side gives a connection to say what it wants. */
constexpr int kServerReadTimeoutMs = 5000;

QString userPart()
{
#ifdef Q_OS_UNIX
    return QString::number(::getuid());
#else
    return qEnvironmentVariable("USERNAME", u"user"_s);
#endif
}

} // namespace

QString SingleInstance::serverName(const QString &profile)
{
    const QString canonical = QFileInfo(profile).absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex();
    return u"weatherdash-"_s + userPart() + u'-' + QString::fromLatin1(hash.left(16));
}

SingleInstance::SingleInstance(const QString &serverName, QObject *parent)
    : QObject(parent)
    , m_name(serverName)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_client)
            m_client->abort();
        if (!m_done) {
            m_done = true;
            Q_EMIT unavailable(tr("The running WeatherDash did not answer."));
        }
    });
}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::isListening() const
{
    return m_server && m_server->isListening();
}

void SingleInstance::start(const QString &city, int timeoutMs)
{
    m_city = city;
    m_done = false;
    m_timeout.start(timeoutMs);
    // A refused connect is said inside connectToServer(): the verdict always comes later.
    QMetaObject::invokeMethod(
        this, [this] { tryConnect(true); }, Qt::QueuedConnection);
}

void SingleInstance::finish(void (SingleInstance::*signal)())
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    Q_EMIT(this->*signal)();
}

void SingleInstance::tryConnect(bool retryAfterListenRace)
{
    auto *socket = new QLocalSocket(this);
    m_client = socket;
    connect(socket, &QLocalSocket::connected, this, [this, socket] {
        const QJsonObject message{{u"city"_s, m_city}};
        socket->write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    });
    connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
        if (socket->bytesAvailable() < kAck.size())
            return;
        const bool acknowledged = socket->read(kAck.size()) == kAck;
        socket->disconnectFromServer();
        socket->deleteLater();
        if (acknowledged)
            finish(&SingleInstance::forwarded);
        else if (!m_done) {
            m_done = true;
            m_timeout.stop();
            Q_EMIT unavailable(tr("Another program answers on WeatherDash's socket."));
        }
    });
    connect(socket, &QLocalSocket::errorOccurred, this,
            [this, socket, retryAfterListenRace](QLocalSocket::LocalSocketError error) {
                socket->deleteLater();
                if (m_done)
                    return;
                if (error == QLocalSocket::ServerNotFoundError
                    || error == QLocalSocket::ConnectionRefusedError) {
                    listenInstead(retryAfterListenRace);
                    return;
                }
                // Connected, then closed before saying "ok": the first instance is going.
                m_done = true;
                m_timeout.stop();
                Q_EMIT unavailable(socket->errorString());
            });
    socket->connectToServer(m_name);
}

void SingleInstance::listenInstead(bool retryAfterListenRace)
{
    if (!m_server) {
        m_server = new QLocalServer(this);
        m_server->setSocketOptions(QLocalServer::UserAccessOption);
        connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    }
    if (m_server->listen(m_name)) {
        finish(&SingleInstance::becameFirst);
        return;
    }
    if (m_server->serverError() == QAbstractSocket::AddressInUseError) {
        if (retryAfterListenRace) {
            // Someone else may have started listening since our connect failed: ask again.
            tryConnect(false);
            return;
        }
        // Nobody answers on it, twice: a socket file left by a crashed instance.
        qCDebug(lcInstance) << "removing the stale socket" << m_name;
        QLocalServer::removeServer(m_name);
        if (m_server->listen(m_name)) {
            finish(&SingleInstance::becameFirst);
            return;
        }
    }
    const QString why = m_server->errorString();
    qCWarning(lcInstance) << "cannot listen on" << m_name << why;
    if (!m_done) {
        m_done = true;
        m_timeout.stop();
        Q_EMIT unavailable(why);
    }
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        // A connection that says nothing does not stay open.
        QTimer::singleShot(kServerReadTimeoutMs, socket, &QLocalSocket::abort);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxMessageBytes)
                    socket->abort();
                return;
            }
            const QByteArray line = socket->readLine(kMaxMessageBytes + 1);
            const QJsonObject message = QJsonDocument::fromJson(line).object();
            socket->write(kAck.data(), kAck.size());
            socket->disconnectFromServer();
            Q_EMIT activationRequested(message.value(u"city"_s).toString().trimmed());
        });
    }
}
