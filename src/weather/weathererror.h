// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QMetaType>
#include <QString>

class QDataStream;

/**
 * Why a weather request failed, as a kind the code can branch on and a sentence a person
 * understands. A plain value.
 *
 * message() never contains the API key or a request URL: the parts it is built from are the
 * provider's display name, a number of seconds, an HTTP status and a detail text that the
 * providers scrub of the key before storing it.
 */
class WeatherError
{
    Q_DECLARE_TR_FUNCTIONS(WeatherError)

public:
    enum Kind : quint8 {
        None,
        CityNotFound,
        ApiKeyMissing,
        ApiKeyRejected,
        RateLimited, ///< the provider asked us to slow down (HTTP 429) or we hold back for it
        Offline, ///< host unreachable, DNS failure, connection refused or dropped
        Timeout,
        ServerError, ///< HTTP 5xx, or we back off after one
        BadResponse, ///< an answer we could not read (not JSON, cut off, wrong shape)
        ResponseTooLarge,
        InvalidInput, ///< the request itself was refused (HTTP 400, or rejected before sending)
        TlsFailed, ///< no secure connection: the server's certificate was not accepted, or the
                   ///< TLS handshake failed; detail says why (TLS errors are never ignored)
        LastKind = TlsFailed
    };

    WeatherError() = default;
    explicit WeatherError(Kind kind, const QString &provider = {}, const QString &detail = {});

    Kind kind() const { return m_kind; }
    bool isError() const { return m_kind != None; }

    /** Display name of the provider that failed ("OpenWeatherMap"); may be empty. */
    QString provider() const { return m_provider; }
    void setProvider(const QString &provider) { m_provider = provider; }

    /**
     * Extra text: for InvalidInput the server's reason or our own sentence, for CityNotFound
     * the place typed, for TlsFailed what was wrong with the certificate. Never contains the
     * API key.
     */
    QString detail() const { return m_detail; }
    void setDetail(const QString &detail) { m_detail = detail; }

    /**
     * Seconds until a retry makes sense (RateLimited, ServerError backoff or the server's
     * Retry-After); -1 if unknown. message() words anything over a day as "over a day".
     */
    int retryAfter() const { return m_retryAfter; }
    void setRetryAfter(int seconds) { m_retryAfter = seconds; }

    /** The HTTP status that caused the error, 0 if none (network failure, local check). */
    int httpStatus() const { return m_httpStatus; }
    void setHttpStatus(int status) { m_httpStatus = status; }

    /** One plain-English sentence (sometimes two) for the status bar or a message box. */
    QString message() const;

    /** Stable identifier of the kind ("rate-limited") for logs, tests and the CLI. */
    static QString kindName(Kind kind);

    friend bool operator==(const WeatherError &, const WeatherError &) = default;

private:
    Kind m_kind = None;
    QString m_provider;
    QString m_detail;
    int m_retryAfter = -1;
    int m_httpStatus = 0;
};

QDataStream &operator<<(QDataStream &out, const WeatherError &error);
QDataStream &operator>>(QDataStream &in, WeatherError &error);

Q_DECLARE_METATYPE(WeatherError)
