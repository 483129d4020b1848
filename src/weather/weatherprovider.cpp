// SPDX-License-Identifier: MIT
#include "weatherprovider.h"

#include "cache/clock.h"
#include "requestgate.h"
#include "weatherlogging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>

#include <utility>
#if QT_CONFIG(ssl)
#include <QSslError>
#endif

using namespace Qt::StringLiterals;

namespace {

struct ReplyState
{
    QByteArray body;
    /** Why the server's certificate was not accepted (first error), if it was not. */
    QString certificateProblem;
    bool tooLarge = false;
    bool timedOut = false;
};

} // namespace

WeatherProvider::WeatherProvider(QNetworkAccessManager *network, Clock *clock,
                                 int requestsPerMinute, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock ? clock : Clock::system())
    , m_gate(new RequestGate(m_clock, requestsPerMinute, QString(), this))
{
    Q_ASSERT(m_network);
}

WeatherProvider::~WeatherProvider()
{
    // The replies belong to the network manager, which outlives us: without this they would
    // stay alive (and keep their sockets) until the manager goes. Disconnect first so that
    // abort() does not run our handlers while the provider is half destroyed; dropping the
    // handlers drops the promises, whose futures then finish canceled.
    const auto replies = std::exchange(m_inFlight, {});
    for (const QPointer<QNetworkReply> &reply : replies) {
        if (!reply)
            continue;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void WeatherProvider::setLanguage(const QString &language)
{
    m_language = sanitizedLanguage(language);
}

QString WeatherProvider::sanitizedLanguage(const QString &tag)
{
    static const QRegularExpression pattern(u"\\A[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?\\z"_s);
    const QString trimmed = tag.trimmed();
    return pattern.match(trimmed).hasMatch() ? trimmed : u"en"_s;
}

void WeatherProvider::setTimeoutMs(int milliseconds)
{
    m_timeoutMs = std::max(1, milliseconds);
}

void WeatherProvider::setMaxResponseSize(qint64 bytes)
{
    m_maxResponseSize = std::max<qint64>(1, bytes);
}

QByteArray WeatherProvider::userAgent()
{
    return QByteArrayLiteral("WeatherDash/" WEATHERDASH_VERSION
                             " (+https://github.com/weatherdash)");
}

QString WeatherProvider::redactedUrl(const QUrl &url)
{
    QUrl copy = url;
    QUrlQuery query(copy);
    if (query.hasQueryItem(u"appid"_s)) {
        const auto items = query.queryItems(QUrl::FullyEncoded);
        QUrlQuery redacted;
        for (const auto &item : items) {
            redacted.addQueryItem(item.first,
                                  item.first == u"appid"_s ? u"REDACTED"_s : item.second);
        }
        copy.setQuery(redacted);
    }
    return copy.toDisplayString(QUrl::RemoveUserInfo);
}

void WeatherProvider::addQueryItem(QUrlQuery &query, const QString &key, const QString &value)
{
    query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
}

std::optional<WeatherError> WeatherProvider::normalizeQuery(QString &query)
{
    QString cleaned;
    cleaned.reserve(query.size());
    for (const QChar c : std::as_const(query)) {
        if (c.category() == QChar::Other_Control && !c.isSpace())
            continue;
        cleaned.append(c);
    }
    cleaned = cleaned.simplified();
    if (cleaned.isEmpty())
        return WeatherError(WeatherError::InvalidInput, QString(), tr("Type the name of a place."));
    if (cleaned.size() > kMaxQueryLength) {
        return WeatherError(
            WeatherError::InvalidInput, QString(),
            tr("That place name is too long; use at most %1 characters.").arg(kMaxQueryLength));
    }
    query = cleaned;
    return std::nullopt;
}

WeatherError WeatherProvider::finalized(WeatherError error) const
{
    // Local input checks carry no provider name: their detail is the whole sentence.
    if (error.provider().isEmpty() && error.kind() != WeatherError::InvalidInput)
        error.setProvider(displayName());
    error.setDetail(scrubbed(error.detail()));
    return error;
}

void WeatherProvider::fetch(const QUrl &url, FetchCallback callback)
{
    m_gate->setProviderName(displayName());
    m_gate->submit(
        this, [this, url, callback] { start(url, callback); },
        [this, callback](const WeatherError &error) {
            WeatherError named = error;
            named.setProvider(displayName());
            callback({}, finalized(named));
        });
}

void WeatherProvider::start(const QUrl &url, const FetchCallback &callback)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    request.setRawHeader("Accept", acceptHeader());

    qCDebug(lcWeather) << "GET" << redactedUrl(url);
    QNetworkReply *reply = m_network->get(request);
    m_inFlight.append(reply);
    Q_EMIT requestSent();
    auto state = std::make_shared<ReplyState>();
    const qint64 cap = m_maxResponseSize;

    // Stop as soon as the answer is known to be too big, never buffer it whole.
    connect(reply, &QNetworkReply::metaDataChanged, this, [reply, state, cap] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (!state->tooLarge && length.isValid() && length.toLongLong() > cap) {
            state->tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [reply, state, cap] {
        if (state->tooLarge)
            return;
        state->body += reply->read(cap + 1 - state->body.size());
        if (state->body.size() > cap || reply->bytesAvailable() > 0) {
            state->tooLarge = true;
            state->body.clear();
            reply->abort();
        }
    });
#if QT_CONFIG(ssl)
    // Only recorded, never ignored: the reply then fails with SslHandshakeFailedError.
    connect(reply, &QNetworkReply::sslErrors, this, [state](const QList<QSslError> &errors) {
        if (!errors.isEmpty() && state->certificateProblem.isEmpty())
            state->certificateProblem = errors.first().errorString();
    });
#endif
    // The transfer timeout restarts with every byte; a slow trickle needs an overall deadline.
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, state] {
        state->timedOut = true;
        reply->abort();
    });
    deadline->start(m_timeoutMs);

    connect(reply, &QNetworkReply::finished, this, [this, reply, state, callback, url] {
        m_inFlight.removeAll(reply);
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkReply::NetworkError networkError = reply->error();
        if (!state->tooLarge && !state->timedOut) {
            state->body += reply->read(m_maxResponseSize + 1 - state->body.size());
            if (state->body.size() > m_maxResponseSize || reply->bytesAvailable() > 0)
                state->tooLarge = true;
        }

        WeatherError error;
        if (state->tooLarge) {
            error = WeatherError(WeatherError::ResponseTooLarge);
        } else if (state->timedOut || networkError == QNetworkReply::OperationCanceledError
                   || networkError == QNetworkReply::TimeoutError) {
            error = WeatherError(WeatherError::Timeout);
        } else if (status == 0 && networkError == QNetworkReply::SslHandshakeFailedError) {
            error = WeatherError(WeatherError::TlsFailed, QString(), state->certificateProblem);
        } else if (status == 0) {
            switch (networkError) {
            case QNetworkReply::InsecureRedirectError:
            case QNetworkReply::TooManyRedirectsError:
            case QNetworkReply::ProtocolFailure:
                error = WeatherError(WeatherError::BadResponse);
                break;
            default:
                error = WeatherError(WeatherError::Offline);
                break;
            }
        } else if (status >= 200 && status < 300) {
            // A 2xx whose transfer broke off: what we have is not the whole answer.
            if (networkError != QNetworkReply::NoError)
                error = WeatherError(WeatherError::BadResponse);
        } else {
            error = errorForStatus(status, state->body);
            error.setHttpStatus(status);
        }

        // The error says what the server asked for ("over a day" when absurd); the gate holds
        // requests back for that long, but never for more than an hour.
        const int retryAfter
            = status == 429 || status >= 500
                  ? RequestGate::parseRetryAfter(reply->rawHeader("Retry-After"), m_clock->now())
                  : -1;
        if (status == 429) {
            m_gate->reportRateLimited(retryAfter);
            error.setRetryAfter(retryAfter < 0 ? RequestGate::kDefaultRetryAfterSeconds
                                               : retryAfter);
        } else if (status >= 500) {
            m_gate->reportServerError(retryAfter);
            if (retryAfter >= 0)
                error.setRetryAfter(retryAfter);
            else if (const auto blocked = m_gate->blockedError())
                error.setRetryAfter(blocked->retryAfter());
        } else if (status >= 200 && status < 300 && !error.isError()) {
            m_gate->reportSuccess();
        }

        if (error.isError()) {
            qCDebug(lcWeather).nospace()
                << "GET " << redactedUrl(url) << " failed: " << WeatherError::kindName(error.kind())
                << " (HTTP " << status << ", " << networkError << ")";
            callback({}, finalized(error));
        } else {
            callback(state->body, error);
        }
    });
}
