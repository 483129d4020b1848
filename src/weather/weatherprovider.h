// SPDX-License-Identifier: MIT
#pragma once

#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "units.h"
#include "weatherresult.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

class Clock;
class QNetworkAccessManager;
class QNetworkReply;
class RequestGate;

/**
 * A source of weather data. Asynchronous: every call returns a QFuture that finishes with a
 * WeatherResult (value or typed error), never throws, never blocks. A future whose provider is
 * destroyed before the answer arrives finishes canceled.
 *
 * Ownership: the QNetworkAccessManager and the Clock are injected, not owned, and must outlive
 * the provider. The provider owns its RequestGate (budget, Retry-After, backoff) and its
 * replies in flight: destroying it aborts and deletes them, and their futures finish canceled.
 *
 * Every request: query built with QUrlQuery (user text percent-encoded so `&`, `=`, `+`, `#`
 * and `%` reach the server as typed), a transfer timeout plus an overall deadline of timeout(),
 * NoLessSafeRedirectPolicy, TLS errors never ignored (a rejected certificate is TlsFailed, with
 * what was wrong), User-Agent userAgent(), and a body size
 * cap (maxResponseSize(), checked against Content-Length and while reading) -> ResponseTooLarge.
 * No automatic retries.
 */
class WeatherProvider : public QObject
{
    Q_OBJECT
public:
    /** Requests sent and not answered yet (not those still waiting in the gate). */
    int requestsInFlight() const { return int(m_inFlight.size()); }

    /** The provider's published request limits; 0 where it publishes none. */
    struct Limits
    {
        int perMinute = 0;
        int perHour = 0;
        int perDay = 0;
    };

    static constexpr int kDefaultTimeoutMs = 15'000;
    static constexpr qint64 kDefaultMaxResponseSize = 4 * 1024 * 1024;
    /** Longer place names are refused before sending (the longest real ones are ~85). */
    static constexpr int kMaxQueryLength = 120;

    WeatherProvider(QNetworkAccessManager *network, Clock *clock, int requestsPerMinute,
                    QObject *parent = nullptr);
    ~WeatherProvider() override;

    /** "open-meteo" / "openweathermap": stable, for settings and cache keys. */
    virtual QString id() const = 0;
    /** "Open-Meteo" / "OpenWeatherMap". */
    virtual QString displayName() const = 0;
    /** The attribution the provider's terms ask the UI to show. */
    virtual QString attribution() const = 0;
    virtual bool requiresApiKey() const = 0;
    /** What the free plan allows (Open-Meteo 600/min, 5,000/h, 10,000/day; OWM 60/min). */
    virtual Limits limits() const = 0;

    /**
     * Places matching `query` ("London", "London, GB"), best first; an empty list when nothing
     * matches. An empty or over-long query fails with InvalidInput without a request.
     */
    virtual QFuture<WeatherResult<QList<Location>>> searchLocations(const QString &query,
                                                                    int maxResults)
        = 0;
    virtual QFuture<WeatherResult<CurrentConditions>> fetchCurrent(const Location &location,
                                                                   Units units)
        = 0;
    virtual QFuture<WeatherResult<QList<DailyForecast>>> fetchForecast(const Location &location,
                                                                       Units units)
        = 0;
    /** The coming hours (at least the next 48), in the provider's own steps (1 h or 3 h). */
    virtual QFuture<WeatherResult<HourlyForecastList>> fetchHourly(const Location &location,
                                                                   Units units)
        = 0;

    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int milliseconds);
    qint64 maxResponseSize() const { return m_maxResponseSize; }
    void setMaxResponseSize(qint64 bytes);

    /**
     * The language place names and descriptions are asked in ("en", "de", "pt_br"): sent as
     * Open-Meteo geocoding `language=` and OpenWeatherMap `lang=`. Anything that is not a short
     * tag is "en" (see sanitizedLanguage()).
     */
    QString language() const { return m_language; }
    void setLanguage(const QString &language);
    /** `tag` if it looks like [A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?, else "en". */
    static QString sanitizedLanguage(const QString &tag);

    RequestGate *requestGate() const { return m_gate; }
    Clock *clock() const { return m_clock; }

    /** "WeatherDash/<version> (+https://github.com/weatherdash)". */
    static QByteArray userAgent();

    /** `url` for logs: the value of any `appid` query item replaced by "REDACTED". */
    static QString redactedUrl(const QUrl &url);

    /**
     * Adds key=value with the value fully percent-encoded (UTF-8), so QUrlQuery cannot read a
     * `&`, `=`, `+`, `#` or `%` in user text as syntax.
     */
    static void addQueryItem(QUrlQuery &query, const QString &key, const QString &value);

    /**
     * Trims and collapses whitespace and drops control characters; nullopt if the result is a
     * usable place name, InvalidInput otherwise.
     */
    static std::optional<WeatherError> normalizeQuery(QString &query);

Q_SIGNALS:
    /** A request left for the provider (after the gate let it go): what counts against limits. */
    void requestSent();

protected:
    /** Called with the body of a 2xx answer, or with the error (already scrubbed). */
    using FetchCallback = std::function<void(const QByteArray &body, const WeatherError &error)>;

    /** Sends GET `url` through the gate; the callback runs once, unless the provider dies. */
    void fetch(const QUrl &url, FetchCallback callback);

    /** Maps a non-2xx status and its body to an error: the provider's own parser. */
    virtual WeatherError errorForStatus(int httpStatus, const QByteArray &body) const = 0;

    /** The Accept header of every request (the alert server's messages are XML: issue 22). */
    virtual QByteArray acceptHeader() const { return QByteArrayLiteral("application/json"); }
    /** Removes secrets (the API key) from text that may end up in an error. */
    virtual QString scrubbed(const QString &text) const { return text; }

    /** Gives the error this provider's name and scrubs its detail. */
    WeatherError finalized(WeatherError error) const;

    template<typename T>
    static QFuture<WeatherResult<T>> finishedFuture(WeatherResult<T> result)
    {
        QPromise<WeatherResult<T>> promise;
        QFuture<WeatherResult<T>> future = promise.future();
        promise.start();
        promise.addResult(std::move(result));
        promise.finish();
        return future;
    }

    /** GET `url`; a 2xx body goes through `parse`, everything else becomes an error. */
    template<typename T, typename Parse>
    QFuture<WeatherResult<T>> request(const QUrl &url, Parse parse)
    {
        auto promise = std::make_shared<QPromise<WeatherResult<T>>>();
        QFuture<WeatherResult<T>> future = promise->future();
        promise->start();
        fetch(url, [this, promise, parse](const QByteArray &body, const WeatherError &error) {
            WeatherResult<T> result
                = error.isError() ? WeatherResult<T>::failure(error) : parse(body);
            if (!result.ok())
                result.error = finalized(result.error);
            promise->addResult(std::move(result));
            promise->finish();
        });
        return future;
    }

private:
    void start(const QUrl &url, const FetchCallback &callback);

    QNetworkAccessManager *m_network;
    Clock *m_clock;
    RequestGate *m_gate;
    /** Started and not yet finished; aborted and deleted with the provider. */
    QList<QPointer<QNetworkReply>> m_inFlight;
    QString m_language = QStringLiteral("en");
    int m_timeoutMs = kDefaultTimeoutMs;
    qint64 m_maxResponseSize = kDefaultMaxResponseSize;
};
