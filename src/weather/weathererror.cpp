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
        return WeatherError::tr("over a day");
    if (seconds < 120)
        return seconds == 1 ? WeatherError::tr("1 second")
                            : WeatherError::tr("%1 seconds").arg(seconds);
    const int minutes = (seconds + 59) / 60;
    if (minutes < 120)
        return WeatherError::tr("%1 minutes").arg(minutes);
    return WeatherError::tr("%1 hours").arg((minutes + 59) / 60);
}
} // namespace

WeatherError::WeatherError(Kind kind, const QString &provider, const QString &detail)
    : m_kind(kind)
    , m_provider(provider)
    , m_detail(detail.left(kMaxDetailLength))
{ }

QString WeatherError::message() const
{
    const QString who = m_provider.isEmpty() ? tr("The weather service") : m_provider;
    const QString retry = m_retryAfter >= 0 ? tr("try again in %1").arg(humanDuration(m_retryAfter))
                                            : tr("try again in a minute");
    switch (m_kind) {
    case None:
        return {};
    case CityNotFound:
        if (!m_detail.isEmpty())
            return tr("No place called “%1” was found. Check the spelling, or add the country, "
                      "for example “London, GB”.")
                .arg(m_detail);
        return tr("That place was not found. Check the spelling, or add the country, for example "
                  "“London, GB”.");
    case ApiKeyMissing:
        return tr("%1 needs an API key. Enter your own key in the settings or set "
                  "OPENWEATHERMAP_API_KEY.")
            .arg(who);
    case ApiKeyRejected:
        return tr("%1 rejected the API key. A new key can take up to two hours to become active.")
            .arg(who);
    case RateLimited:
        return tr("%1 asked us to slow down; %2.").arg(who, retry);
    case Offline:
        return tr("Could not reach %1. Check your internet connection.").arg(who);
    case Timeout:
        return tr("%1 did not answer in time. Try again in a moment.").arg(who);
    case ServerError: {
        QString text = m_httpStatus > 0 ? tr("%1 is having problems right now (server error %2)")
                                              .arg(who)
                                              .arg(m_httpStatus)
                                        : tr("%1 is having problems right now").arg(who);
        if (m_retryAfter >= 0)
            text += u"; "_s + retry;
        return text + u"."_s;
    }
    case BadResponse:
        return tr("%1 sent an answer WeatherDash could not read. Try again later.").arg(who);
    case ResponseTooLarge:
        return tr("%1 sent an unexpectedly large answer, so WeatherDash stopped reading it.")
            .arg(who);
    case TlsFailed:
        if (!m_detail.isEmpty()) {
            return tr("The server's certificate for %1 was not accepted (%2), so WeatherDash did "
                      "not connect. Check that the computer's date and time are right and that "
                      "nothing on the network intercepts secure connections.")
                .arg(who, m_detail);
        }
        return tr("A secure connection to %1 could not be set up, so WeatherDash did not "
                  "connect. Check that the computer's date and time are right and that nothing "
                  "on the network intercepts secure connections.")
            .arg(who);
    case InvalidInput:
        if (m_detail.isEmpty())
            return tr("%1 did not accept the request.").arg(who);
        if (m_provider.isEmpty())
            return m_detail;
        return tr("%1 did not accept the request: %2").arg(who, m_detail);
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
