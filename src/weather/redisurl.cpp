// SPDX-License-Identifier: MIT
#include "redisurl.h"

#include <QHostAddress>
#include <QUrl>

namespace {

// sockaddr_un::sun_path holds 108 bytes with the terminating zero.
constexpr qsizetype kMaxSocketPathBytes = 107;
constexpr qsizetype kMaxHostLength = 253;
constexpr qsizetype kMaxDatabaseDigits = 9; // fits an int

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QString percentDecoded(QStringView text)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text.toUtf8()));
}

bool allDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

bool plausibleHostName(QStringView host)
{
    if (host.size() > kMaxHostLength)
        return false;
    for (QChar c : host) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                        || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.' || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

bool parseDatabase(QStringView text, int *database, QString *error)
{
    if (text.isEmpty()) {
        *database = 0;
        return true;
    }
    if (!allDigits(text) || text.size() > kMaxDatabaseDigits)
        return fail(error,
                    RedisUrl::tr("The database in the shared cache address must be a number from "
                                 "0 up, as in redis://127.0.0.1:6379/2."));
    *database = text.toInt();
    return true;
}

/** `[user:]password` (percent-encoded) into its parts. */
bool parseUserInfo(QStringView info, RedisUrl *url, QString *error)
{
    const qsizetype colon = info.indexOf(u':');
    if (colon < 0) {
        url->password = percentDecoded(info);
        return true;
    }
    url->user = percentDecoded(info.left(colon));
    url->password = percentDecoded(info.mid(colon + 1));
    if (!url->user.isEmpty() && url->password.isEmpty())
        return fail(error,
                    RedisUrl::tr("The shared cache address names a user but no password; write "
                                 "it as redis://user:password@host:port."));
    return true;
}

bool parseTcp(QStringView rest, RedisUrl *url, QString *error)
{
    const qsizetype at = rest.lastIndexOf(u'@');
    if (at >= 0) {
        if (!parseUserInfo(rest.left(at), url, error))
            return false;
        rest = rest.mid(at + 1);
    }
    if (rest.contains(u'?') || rest.contains(u'#'))
        return fail(error,
                    RedisUrl::tr("The shared cache address has options after the host, which "
                                 "WeatherDash does not understand; give the database as a path, "
                                 "as in redis://127.0.0.1:6379/2."));
    const qsizetype slash = rest.indexOf(u'/');
    QStringView authority = slash < 0 ? rest : rest.left(slash);
    if (slash >= 0) {
        QStringView db = rest.mid(slash + 1);
        if (db.endsWith(u'/'))
            db.chop(1);
        if (!parseDatabase(db, &url->database, error))
            return false;
    }

    QStringView host;
    QStringView port;
    bool havePort = false;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return fail(error,
                        RedisUrl::tr("The IPv6 address in the shared cache address lacks its "
                                     "closing bracket, as in redis://[::1]:6379."));
        host = authority.mid(1, close - 1);
        const QStringView after = authority.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return fail(error,
                            RedisUrl::tr("The shared cache address has something after the IPv6 "
                                         "address that is not a port, as in redis://[::1]:6379."));
            port = after.mid(1);
            havePort = true;
        }
        QHostAddress address;
        if (host.isEmpty() || !address.setAddress(host.toString())
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return fail(error,
                        RedisUrl::tr("The address in brackets in the shared cache address is not "
                                     "an IPv6 address."));
    } else {
        const qsizetype colon = authority.indexOf(u':');
        if (colon >= 0 && authority.indexOf(u':', colon + 1) >= 0)
            return fail(error,
                        RedisUrl::tr("An IPv6 address in the shared cache address must be in "
                                     "brackets, as in redis://[::1]:6379."));
        host = colon < 0 ? authority : authority.left(colon);
        if (colon >= 0) {
            port = authority.mid(colon + 1);
            havePort = true;
        }
        if (!plausibleHostName(host))
            return fail(error,
                        RedisUrl::tr("The host in the shared cache address has characters a host "
                                     "name cannot have."));
    }
    if (!host.isEmpty())
        url->host = host.toString();
    if (havePort) {
        const int value = allDigits(port) && port.size() <= 5 ? port.toInt() : 0;
        if (value < 1 || value > 65535)
            return fail(error,
                        RedisUrl::tr("The port in the shared cache address must be a number from "
                                     "1 to 65535."));
        url->port = quint16(value);
    }
    return true;
}

bool parseUnix(QStringView rest, RedisUrl *url, QString *error)
{
    url->transport = RedisUrl::Transport::Unix;
    url->host.clear();
    url->port = 0;
    if (!rest.startsWith(u'/')) {
        // The password (if any) ends where the absolute path begins.
        const qsizetype at = rest.indexOf(u"@/");
        if (at < 0)
            return fail(error,
                        RedisUrl::tr("The socket in a unix:// address must be an absolute path, "
                                     "as in unix:///run/redis/redis-server.sock."));
        if (!parseUserInfo(rest.left(at), url, error))
            return false;
        rest = rest.mid(at + 1);
    }
    const qsizetype query = rest.indexOf(u'?');
    QStringView path = query < 0 ? rest : rest.left(query);
    if (query >= 0) {
        const QStringView options = rest.mid(query + 1);
        if (!options.startsWith(u"db="))
            return fail(error,
                        RedisUrl::tr("A unix:// address understands only the option db=N after "
                                     "the path, as in unix:///run/redis.sock?db=2."));
        if (!parseDatabase(options.mid(3), &url->database, error))
            return false;
    }
    url->socketPath = percentDecoded(path);
    if (url->socketPath.size() < 2 || !url->socketPath.startsWith(u'/')
        || url->socketPath.endsWith(u'/') || url->socketPath.contains(QChar(0)))
        return fail(error,
                    RedisUrl::tr("The socket in a unix:// address must be the absolute path of "
                                 "a file, as in unix:///run/redis/redis-server.sock."));
    if (url->socketPath.toUtf8().size() > kMaxSocketPathBytes)
        return fail(error,
                    RedisUrl::tr("The socket path in the shared cache address is too long: a "
                                 "Unix socket path has at most %1 bytes.")
                        .arg(kMaxSocketPathBytes));
    return true;
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        fail(error, tr("No address of the shared cache was given."));
        return std::nullopt;
    }
    const qsizetype sep = trimmed.indexOf(u"://");
    const QString scheme = sep < 0 ? QString() : trimmed.left(sep).toLower();
    RedisUrl url;
    const QStringView rest = QStringView(trimmed).mid(sep + 3);
    bool ok = false;
    if (scheme == u"redis") {
        ok = parseTcp(rest, &url, error);
    } else if (scheme == u"unix") {
        ok = parseUnix(rest, &url, error);
    } else if (scheme == u"rediss") {
        url.tls = true;
        ok = parseTcp(rest, &url, error);
    } else {
        fail(error, tr("The shared cache address must start with redis://, rediss:// (over TLS) "
                       "or unix://, as in redis://127.0.0.1:6379/0."));
    }
    if (!ok)
        return std::nullopt;
    return url;
}

QString RedisUrl::endpoint() const
{
    if (transport == Transport::Unix)
        return socketPath;
    const QString h = host.contains(u':') ? u'[' + host + u']' : host;
    return h + u':' + QString::number(port);
}

QString RedisUrl::redacted() const
{
    QString out = transport == Transport::Unix ? QStringLiteral("unix://")
                  : tls                        ? QStringLiteral("rediss://")
                                               : QStringLiteral("redis://");
    if (!password.isEmpty()) {
        if (!user.isEmpty())
            out += QString::fromLatin1(QUrl::toPercentEncoding(user)) + u':';
        out += u"***@";
    }
    if (transport == Transport::Unix) {
        out += QString::fromLatin1(QUrl::toPercentEncoding(socketPath, "/"));
        if (database != 0)
            out += u"?db=" + QString::number(database);
    } else {
        out += endpoint() + u'/' + QString::number(database);
    }
    return out;
}
