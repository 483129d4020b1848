// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

/**
 * Where the shared cache (a Redis server) is and how to log in, parsed from the address a
 * person gives (`--redis URL`, WEATHERDASH_REDIS_URL, Preferences):
 *
 *   redis://[[user]:password@]host[:port][/db]      defaults 127.0.0.1, 6379, 0
 *   rediss://[[user]:password@]host[:port][/db]     the same over TLS
 *   unix://[[user]:password@]/path/to/redis.sock[?db=N]
 *
 * The user and the password may be percent-encoded (a password with '@' or '/' in it); a
 * userinfo without ':' is taken as a password alone (Redis's `requirepass`), never shown. A
 * host is a name, an IPv4 address or a bracketed IPv6 address (`[::1]`). With `rediss://` the
 * connection is TLS (Qt's QSslSocket; hiredis only encodes and parses): the server's
 * certificate must be valid for `host` and signed by a system CA, or by the CA in tlsCaFile
 * when one is set; tlsCertFile and tlsKeyFile are a client certificate for servers with
 * `tls-auth-clients yes`. Those three files are not part of the text: the caller sets them
 * (from WEATHERDASH_REDIS_TLS_CA / _CERT / _KEY or the settings).
 *
 * The password is a secret: redacted() and endpoint() never contain it, and no error sentence
 * of parse() repeats any part of the text it was given, since that text may hold the password.
 * A plain value; no ownership.
 */
struct RedisUrl
{
    Q_DECLARE_TR_FUNCTIONS(RedisUrl)
public:
    enum class Transport { Tcp, Unix };

    static constexpr quint16 kDefaultPort = 6379;

    Transport transport = Transport::Tcp;
    QString host = QStringLiteral("127.0.0.1"); // Tcp only; an IPv6 address without brackets
    quint16 port = kDefaultPort; // Tcp only
    QString socketPath; // Unix only, absolute
    QString user; // empty: the default user
    QString password; // empty: no AUTH
    int database = 0;
    bool tls = false; // rediss://
    QString tlsCaFile; // PEM; empty: the system's CAs
    QString tlsCertFile; // PEM client certificate; empty: none
    QString tlsKeyFile; // PEM key of tlsCertFile

    /** The address, or nullopt with a sentence in `error` saying what is wrong with it. */
    static std::optional<RedisUrl> parse(const QString &text, QString *error = nullptr);

    /** Where the server is, for messages: "127.0.0.1:6379", "[::1]:6380", "/run/redis.sock". */
    QString endpoint() const;

    /**
     * The address as text with the password replaced by "***" (shown, so a person sees that
     * one is set): "redis://alice:***@10.0.0.5:6379/2". Parses back to the same address with
     * "***" as the password.
     */
    QString redacted() const;

    friend bool operator==(const RedisUrl &, const RedisUrl &) = default;
};
