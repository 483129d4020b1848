// SPDX-License-Identifier: MIT
#include "providerfactory.h"

#include "openmeteoprovider.h"
#include "openweathermapprovider.h"

using namespace Qt::StringLiterals;

std::unique_ptr<WeatherProvider> makeProvider(const WeatherService::Config &config,
                                              QNetworkAccessManager *network, Clock *clock)
{
    std::unique_ptr<WeatherProvider> provider;
    if (config.providerId == u"openweathermap"_s) {
        auto owm = std::make_unique<OpenWeatherMapProvider>(network, config.apiKey, clock);
        owm->setEndpoints(config.endpoints);
        provider = std::move(owm);
    } else {
        auto om = std::make_unique<OpenMeteoProvider>(network, clock);
        om->setEndpoints(config.endpoints);
        provider = std::move(om);
    }
    provider->setTimeoutMs(config.timeoutMs);
    provider->setLanguage(config.language);
    return provider;
}
