// SPDX-License-Identifier: MIT
#include "alertservice.h"

#include "capparser.h"
#include "requestgate.h"
#include "weatherkey.h"
#include "weatherlogging.h"

#include <QPointer>
#include <QPromise>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

LoadError toLoadError(const WeatherError &error)
{
    return {int(error.kind()), error.message(), QVariant::fromValue(error)};
}

WeatherError toWeatherError(const LoadError &error)
{
    if (error.detail.canConvert<WeatherError>())
        return error.detail.value<WeatherError>();
    return WeatherError(WeatherError::Offline, QString(), error.message);
}

/** What one alerts() call gathers while its messages come in. */
struct Gathering
{
    QPromise<WeatherAnswer<WeatherAlertList>> promise;
    Location place;
    QString language;
    QList<CapMessage> messages;
    WeatherError failure; // of the first message that could not be had
    AnswerSource source = AnswerSource::Cache;
    qint64 ageMs = 0;
    qsizetype pending = 0;
};

} // namespace

AlertService::AlertService(QNetworkAccessManager *network, WeatherService *service, Clock *clock,
                           QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_clock(clock)
    , m_provider(network, clock)
{
    m_provider.setBaseUrl(AlertProvider::baseUrlFromEnvironment());
}

AlertService::~AlertService() = default;

void AlertService::setSharedBudget(SharedBudget *budget)
{
    m_provider.requestGate()->setSharedBudget(budget, m_provider.id());
}

QString AlertService::listKey(const Location &place)
{
    return WeatherKey::alertList(place.latitude, place.longitude).toString();
}

qint64 AlertService::messageTtlMs(const CapMessage &message, qint64 nowMs)
{
    const QDateTime expires = message.expires();
    if (!expires.isValid())
        return AlertLifetime::kNoExpiryMessageMs;
    return qBound(AlertLifetime::kMinMessageMs, expires.toMSecsSinceEpoch() - nowMs,
                  AlertLifetime::kMaxMessageMs);
}

QFuture<WeatherAnswer<WeatherAlertList>> AlertService::alerts(const Location &place,
                                                              bool forceRefresh)
{
    auto state = std::make_shared<Gathering>();
    state->promise.start();
    state->place = place;
    state->language = m_language;
    QFuture<WeatherAnswer<WeatherAlertList>> future = state->promise.future();

    const QString key = listKey(place);
    if (key.isEmpty()) {
        WeatherAnswer<WeatherAlertList> answer;
        answer.error = WeatherError(WeatherError::InvalidInput);
        state->promise.addResult(std::move(answer));
        state->promise.finish();
        return future;
    }

    QPointer<AlertService> self(this);
    auto finish = [self](const std::shared_ptr<Gathering> &s) {
        WeatherAnswer<WeatherAlertList> answer;
        answer.source = s->source;
        answer.ageMs = s->ageMs;
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(
            self ? self->m_clock->now() : QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
        WeatherAlertList live = CapParser::liveAlerts(s->messages, s->place.latitude,
                                                      s->place.longitude, now, s->language);
        if (s->failure.isError()) {
            answer.error = s->failure;
            if (!live.isEmpty())
                answer.value = std::move(live); // certain, though others may be missing
        } else {
            answer.value = std::move(live);
        }
        s->promise.addResult(std::move(answer));
        s->promise.finish();
    };

    auto messageAnswered = [state, finish](const CacheResult<WeatherPayload> &r) {
        const CapMessage *message = r.value ? std::get_if<CapMessage>(&*r.value) : nullptr;
        if (message)
            state->messages.append(*message);
        else if (!state->failure.isError())
            state->failure = r.error.isError() ? toWeatherError(r.error)
                                               : WeatherError(WeatherError::BadResponse);
        if (answerSourceOf(r) == AnswerSource::Network && state->source == AnswerSource::Cache)
            state->source = AnswerSource::Network;
        if (--state->pending == 0)
            finish(state);
    };

    // Forcing refetches the list only: a message never changes once issued.
    auto listAnswered = [self, state, finish,
                         messageAnswered](const CacheResult<WeatherPayload> &r) {
        const AlertIdList *ids = r.value ? std::get_if<AlertIdList>(&*r.value) : nullptr;
        state->source = answerSourceOf(r);
        state->ageMs = r.ageMs;
        if (!ids || !self) {
            WeatherAnswer<WeatherAlertList> answer;
            answer.source = state->source;
            answer.error = r.error.isError() ? toWeatherError(r.error)
                                             : WeatherError(WeatherError::BadResponse);
            state->promise.addResult(std::move(answer));
            state->promise.finish();
            return;
        }
        if (r.error.isError())
            state->failure = toWeatherError(r.error); // a stale list: say why it is not newer
        if (ids->ids.isEmpty()) {
            finish(state);
            return;
        }
        state->pending = ids->ids.size();
        // Every message of the list, each through the cache: a message never changes, so it is
        // fetched once per office (or once per machine without the shared tier).
        for (const QString &id : ids->ids) {
            const QString messageKey = WeatherKey::alertMessage(id).toString();
            QPointer<AlertProvider> provider(&self->m_provider);
            Clock *clock = self->m_clock;
            auto loader = [provider, id, clock]() -> QFuture<Outcome<WeatherPayload>> {
                if (!provider)
                    return QtFuture::makeReadyFuture(Outcome<WeatherPayload>::failure(
                        toLoadError(WeatherError(WeatherError::Offline))));
                return provider->fetchMessage(id).then(
                    [clock](const WeatherResult<CapMessage> &result) {
                        if (!result.ok())
                            return Outcome<WeatherPayload>::failure(toLoadError(result.error));
                        const qint64 ttl = messageTtlMs(*result.value, clock->now());
                        return Outcome<WeatherPayload>::success(WeatherPayload(*result.value), ttl);
                    });
            };
            self->m_service->layers()->get(messageKey, self, messageAnswered, std::move(loader),
                                           AlertLifetime::kMaxMessageMs);
        }
    };

    QPointer<AlertProvider> provider(&m_provider);
    const double lat = place.latitude;
    const double lon = place.longitude;
    auto listLoader = [provider, lat, lon]() -> QFuture<Outcome<WeatherPayload>> {
        if (!provider)
            return QtFuture::makeReadyFuture(
                Outcome<WeatherPayload>::failure(toLoadError(WeatherError(WeatherError::Offline))));
        return provider->fetchAlertIds(lat, lon).then([](const WeatherResult<AlertIdList> &result) {
            if (!result.ok())
                return Outcome<WeatherPayload>::failure(toLoadError(result.error));
            return Outcome<WeatherPayload>::success(WeatherPayload(*result.value),
                                                    AlertLifetime::kListMs);
        });
    };
    if (forceRefresh)
        m_service->layers()->refresh(key, this, std::move(listAnswered), std::move(listLoader),
                                     AlertLifetime::kListMs);
    else
        m_service->layers()->get(key, this, std::move(listAnswered), std::move(listLoader),
                                 AlertLifetime::kListMs);
    return future;
}
