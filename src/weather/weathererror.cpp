// SPDX-License-Identifier: MIT
#include "weathererror.h"

#include "streamhelpers_p.h"

#include <QDataStream>

using namespace Qt::StringLiterals;

namespace {
constexpr quint8 kStreamVersion = 1;
constexpr int kMaxDetailLength = 300;
constexpr int kDaySeconds = 24 * 60 * 60;

QString humanDuration(int seconds)
{
    // A server may ask for years; beyond a day the exact figure tells a person nothing.
    if (seconds > kDaySeconds)
        return u"over a day"_s;
    if (seconds < 120)
        return seconds == 1 ? u"1 second"_s : u"%1 seconds"_s.arg(seconds);
    const int minutes = (seconds + 59) / 60;
    if (minutes < 120)
        return u"%1 minutes"_s.arg(minutes);
    return u"%1 hours"_s.arg((minutes + 59) / 60);
}
} // namespace

WeatherError::WeatherError(Kind kind, const QString &provider, const QString &detail)
    : m_kind(kind)
    , m_provider(provider)
    , m_detail(detail.left(kMaxDetailLength))
{ }

QString WeatherError::message() const
{
    const QString who = m_provider.isEmpty() ? u"The weather service"_s : m_provider;
    const QString retry = m_retryAfter >= 0 ? u"try again in %1"_s.arg(humanDuration(m_retryAfter))
                                            : u"try again in a minute"_s;
    switch (m_kind) {
    case None:
        return {};
    case CityNotFound:
        if (!m_detail.isEmpty())
            return u"No place called “%1” was found. Check the spelling, or add the country, "
                   u"for example “London, GB”."_s.arg(m_detail);
        return u"That place was not found. Check the spelling, or add the country, for example "
               u"“London, GB”."_s;
    case ApiKeyMissing:
        return u"%1 needs an API key. Enter your own key in the settings or set "
               u"OPENWEATHERMAP_API_KEY."_s.arg(who);
    case ApiKeyRejected:
        return u"%1 rejected the API key. A new key can take up to two hours to become active."_s
            .arg(who);
    case RateLimited:
        return u"%1 asked us to slow down; %2."_s.arg(who, retry);
    case Offline:
        return u"Could not reach %1. Check your internet connection."_s.arg(who);
    case Timeout:
        return u"%1 did not answer in time. Try again in a moment."_s.arg(who);
    case ServerError: {
        QString text = m_httpStatus > 0
                           ? u"%1 is having problems right now (server error %2)"_s.arg(who).arg(
                               m_httpStatus)
                           : u"%1 is having problems right now"_s.arg(who);
        if (m_retryAfter >= 0)
            text += u"; "_s + retry;
        return text + u"."_s;
    }
    case BadResponse:
        return u"%1 sent an answer WeatherDash could not read. Try again later."_s.arg(who);
    case ResponseTooLarge:
        return u"%1 sent an unexpectedly large answer, so WeatherDash stopped reading it."_s.arg(
            who);
    case TlsFailed:
        if (!m_detail.isEmpty()) {
            return u"The server's certificate for %1 was not accepted (%2), so WeatherDash did "
                   u"not connect. Check that the computer's date and time are right and that "
                   u"nothing on the network intercepts secure connections."_s.arg(who, m_detail);
        }
        return u"A secure connection to %1 could not be set up, so WeatherDash did not "
               u"connect. Check that the computer's date and time are right and that nothing "
               u"on the network intercepts secure connections."_s.arg(who);
    case InvalidInput:
        if (m_detail.isEmpty())
            return u"%1 did not accept the request."_s.arg(who);
        if (m_provider.isEmpty())
            return m_detail;
        return u"%1 did not accept the request: %2"_s.arg(who, m_detail);
    }
    return {};
}

QString WeatherError::kindName(Kind kind)
{
    switch (kind) {
    case None:
        return u"none"_s;
    case CityNotFound:
        return u"city-not-found"_s;
    case ApiKeyMissing:
        return u"api-key-missing"_s;
    case ApiKeyRejected:
        return u"api-key-rejected"_s;
    case RateLimited:
        return u"rate-limited"_s;
    case Offline:
        return u"offline"_s;
    case Timeout:
        return u"timeout"_s;
    case ServerError:
        return u"server-error"_s;
    case BadResponse:
        return u"bad-response"_s;
    case ResponseTooLarge:
        return u"response-too-large"_s;
    case InvalidInput:
        return u"invalid-input"_s;
    case TlsFailed:
        return u"tls-failed"_s;
    }
    return u"unknown"_s;
}

QDataStream &operator<<(QDataStream &out, const WeatherError &error)
{
    return out << kStreamVersion << static_cast<quint8>(error.kind()) << error.provider()
               << error.detail() << qint32(error.retryAfter()) << qint32(error.httpStatus());
}

QDataStream &operator>>(QDataStream &in, WeatherError &error)
{
    error = WeatherError();
    if (!WeatherStream::readVersion(in, kStreamVersion))
        return in;
    quint8 kind = 0;
    QString provider;
    QString detail;
    qint32 retryAfter = -1;
    qint32 status = 0;
    in >> kind >> provider >> detail >> retryAfter >> status;
    if (kind > WeatherError::LastKind) {
        in.setStatus(QDataStream::ReadCorruptData);
        return in;
    }
    error = WeatherError(static_cast<WeatherError::Kind>(kind), provider, detail);
    error.setRetryAfter(retryAfter);
    error.setHttpStatus(status);
    return in;
}
