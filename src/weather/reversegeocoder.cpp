// SPDX-License-Identifier: MIT
#include "reversegeocoder.h"

#include "nominatimprovider.h"
#include "weatherkey.h"

#include <QPointer>
#include <QPromise>

using namespace Qt::StringLiterals;

ReverseGeocoder::ReverseGeocoder(QNetworkAccessManager *network, WeatherLayers *layers,
                                 Clock *clock, const QUrl &base, QObject *parent)
    : QObject(parent)
    , m_layers(layers)
    , m_provider(std::make_unique<NominatimProvider>(
          network, clock, base.isEmpty() ? NominatimProvider::baseUrlFromEnvironment() : base))
{
    Q_ASSERT(m_layers);
    connect(m_provider.get(), &WeatherProvider::requestSent, this, [this] {
        ++m_requestsSent;
        Q_EMIT requestSent();
    });
}

ReverseGeocoder::~ReverseGeocoder() = default;

void ReverseGeocoder::setLanguage(const QString &language)
{
    m_provider->setLanguage(language);
}

QString ReverseGeocoder::language() const
{
    return m_provider->language();
}

QUrl ReverseGeocoder::baseUrl() const
{
    return m_provider->baseUrl();
}

QString ReverseGeocoder::key(double latitude, double longitude) const
{
    return WeatherKey::reverse(m_provider->id(), latitude, longitude, m_provider->language())
        .toString();
}

QFuture<WeatherAnswer<Location>> ReverseGeocoder::name(double latitude, double longitude)
{
    const QString cacheKey = key(latitude, longitude);
    if (cacheKey.isEmpty()) {
        WeatherAnswer<Location> answer;
        answer.error = WeatherError(WeatherError::InvalidInput, m_provider->displayName(),
                                    tr("That is no position on Earth."));
        return QtFuture::makeReadyFuture(answer);
    }
    QPointer<NominatimProvider> provider(m_provider.get());
    auto loader = [provider, latitude, longitude]() -> QFuture<Outcome<WeatherPayload>> {
        if (!provider)
            return QFuture<Outcome<WeatherPayload>>();
        return provider->reverse(latitude, longitude).then([](const WeatherResult<Location> &r) {
            if (!r.ok())
                return Outcome<WeatherPayload>::failure(
                    {int(r.error.kind()), r.error.message(), QVariant::fromValue(r.error)});
            return Outcome<WeatherPayload>::success(WeatherPayload(QList<Location>{*r.value}),
                                                    kNameTtlMs);
        });
    };
    auto promise = std::make_shared<QPromise<WeatherAnswer<Location>>>();
    promise->start();
    QFuture<WeatherAnswer<Location>> future = promise->future();
    auto answered = [promise](const CacheResult<WeatherPayload> &r) {
        WeatherAnswer<Location> answer;
        answer.ageMs = r.ageMs;
        if (r.error.isError()) {
            answer.error = r.error.detail.canConvert<WeatherError>()
                               ? r.error.detail.value<WeatherError>()
                               : WeatherError(WeatherError::Offline, QString(), r.error.message);
        }
        if (r.value) {
            const auto *places = std::get_if<QList<Location>>(&*r.value);
            if (places && places->size() == 1)
                answer.value = places->first();
        }
        answer.source = answerSourceOf(r);
        promise->addResult(std::move(answer));
        promise->finish();
    };
    m_layers->get(cacheKey, this, std::move(answered), std::move(loader), kNameTtlMs);
    return future;
}
