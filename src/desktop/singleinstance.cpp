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
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcInstance, "weatherdash.instance", QtWarningMsg)

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

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

QString SingleInstance::serverName(const QString &profile)
{
    const QString canonical = QFileInfo(profile).absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex();
    return socketDirectory() + u"/weatherdash-"_s + userPart() + u'-'
           + QString::fromLatin1(hash.left(16));
}

QString SingleInstance::socketDirectory()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QDir::isAbsolutePath(runtime)
        && checkPrivateDirectory(runtime, false).isEmpty())
        return QDir::cleanPath(runtime);
    return QDir::tempPath() + u"/weatherdash-"_s + userPart();
}

QString SingleInstance::checkPrivateDirectory(const QString &dir, bool makeOwn)
{
#ifdef Q_OS_UNIX
    const QByteArray path = QFile::encodeName(dir);
    // Opened without following a symbolic link, then asked through the descriptor: what is
    // checked is what is used, even if the name is swapped in between.
    const auto openFolder = [&path] {
        return ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    };
    int fd = openFolder();
    if (fd < 0 && errno == ENOENT && makeOwn) {
        if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST)
            return tr("Cannot create the folder %1: %2").arg(dir, systemError(errno));
        fd = openFolder();
    }
    if (fd < 0) {
        if (errno == ELOOP || errno == ENOTDIR)
            return tr("%1 is a symbolic link or not a folder.").arg(dir);
        return tr("Cannot open the folder %1: %2").arg(dir, systemError(errno));
    }
    struct stat st = {};
    const bool statted = ::fstat(fd, &st) == 0;
    const int statError = errno;
    QString why;
    if (!statted) {
        why = tr("Cannot open the folder %1: %2").arg(dir, systemError(statError));
    } else if (st.st_uid != ::getuid()) {
        why = tr("The folder %1 belongs to another user (uid %2).").arg(dir).arg(st.st_uid);
    } else if (makeOwn && (st.st_mode & 077) != 0) {
        if (::fchmod(fd, 0700) != 0)
            why = tr("Cannot make the folder %1 private: %2").arg(dir, systemError(errno));
    } else if ((st.st_mode & 022) != 0) {
        why = tr("Other users can write to the folder %1.").arg(dir);
    }
    ::close(fd);
    return why;
#else
    Q_UNUSED(makeOwn);
    return QFileInfo(dir).isDir() ? QString() : tr("%1 is not a folder.").arg(dir);
#endif
}

qint64 SingleInstance::peerUid(qintptr socketDescriptor)
{
#if defined(Q_OS_LINUX)
    ucred credentials = {};
    socklen_t size = sizeof(credentials);
    if (socketDescriptor < 0
        || ::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0)
        return -1;
    return credentials.uid;
#elif defined(Q_OS_UNIX)
    uid_t uid = 0;
    gid_t gid = 0;
    if (socketDescriptor < 0 || ::getpeereid(int(socketDescriptor), &uid, &gid) != 0)
        return -1;
    return uid;
#else
    Q_UNUSED(socketDescriptor);
    return -1;
#endif
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
        this,
        [this] {
            // Nothing is said to, or taken from, a socket in a folder someone else controls.
            const QString folder = QFileInfo(m_name).absolutePath();
            const bool ownFolder = folder == QDir::tempPath() + u"/weatherdash-"_s + userPart();
            if (const QString why = checkPrivateDirectory(folder, ownFolder); !why.isEmpty()) {
                qCWarning(lcInstance).noquote() << why;
                giveUp(why);
                return;
            }
            tryConnect(true);
        },
        Qt::QueuedConnection);
}

void SingleInstance::giveUp(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    Q_EMIT unavailable(why);
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
        // Whoever listens must be this user: another user's listener hears nothing, not even
        // that we are starting.
        const qint64 uid = peerUid(socket->socketDescriptor());
        if (uid != qint64(::getuid())) {
            const QString why
                = uid < 0
                      ? tr("Cannot tell who listens on %1; not handing anything over.").arg(m_name)
                      : tr("Another user (uid %1) listens on %2; not handing anything over.")
                            .arg(uid)
                            .arg(m_name);
            qCWarning(lcInstance).noquote() << why;
            giveUp(why);
            socket->abort();
            socket->deleteLater();
            return;
        }
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
        else
            giveUp(tr("Another program answers on WeatherDash's socket."));
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
                giveUp(socket->errorString());
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
    giveUp(why);
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        // Only this user's own launches are heard (the socket file's mode says the same,
        // unless someone loosened it).
        if (const qint64 uid = peerUid(socket->socketDescriptor()); uid != qint64(::getuid())) {
            qCWarning(lcInstance) << "dropped a connection from uid" << uid;
            socket->abort();
            socket->deleteLater();
            continue;
        }
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
