// SPDX-License-Identifier: MIT
#include "providerfactory.h"

#include "openmeteoparser.h"
#include "openmeteoprovider.h"
#include "openweathermapparser.h"
#include "openweathermapprovider.h"

#include <algorithm>

using namespace Qt::StringLiterals;

const QList<ProviderInfo> &providers()
{
    // A function-local static: ServiceConfig's defaults (defaultProviderId()) are read during
    // other files' static initialisation.
    static const QList<ProviderInfo> table = {
        {QString(OpenMeteoProvider::kId), OpenMeteoParser::providerName(),
         QUrl(u"https://open-meteo.com/"_s), OpenMeteoProvider::kRequiresApiKey,
         [](const ServiceConfig &config, QNetworkAccessManager *network,
            Clock *clock) -> std::unique_ptr<WeatherProvider> {
             auto provider = std::make_unique<OpenMeteoProvider>(network, clock);
             provider->setEndpoints(config.endpoints);
             return provider;
         }},
        {QString(OpenWeatherMapProvider::kId), OpenWeatherMapParser::providerName(),
         QUrl(u"https://openweathermap.org/"_s), OpenWeatherMapProvider::kRequiresApiKey,
         [](const ServiceConfig &config, QNetworkAccessManager *network,
            Clock *clock) -> std::unique_ptr<WeatherProvider> {
             auto provider
                 = std::make_unique<OpenWeatherMapProvider>(network, config.apiKey, clock);
             provider->setEndpoints(config.endpoints);
             return provider;
         }},
    };
    return table;
}

const ProviderInfo *findProvider(QStringView id)
{
    const auto &all = providers();
    const auto it = std::find_if(all.cbegin(), all.cend(),
                                 [id](const ProviderInfo &info) { return info.id == id; });
    return it == all.cend() ? nullptr : &*it;
}

const ProviderInfo &providerOrDefault(QStringView id)
{
    const ProviderInfo *info = findProvider(id);
    return info ? *info : providers().front();
}

QString defaultProviderId()
{
    return providers().front().id;
}

std::unique_ptr<WeatherProvider> makeProvider(const ServiceConfig &config,
                                              QNetworkAccessManager *network, Clock *clock)
{
    std::unique_ptr<WeatherProvider> provider
        = providerOrDefault(config.providerId).make(config, network, clock);
    provider->setTimeoutMs(config.timeoutMs);
    provider->setLanguage(config.language);
    return provider;
}
