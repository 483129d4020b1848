// SPDX-License-Identifier: MIT
#pragma once

#include "weatherservice.h"

#include <memory>

class Clock;
class QNetworkAccessManager;
class WeatherProvider;

/**
 * The one place a provider is built from a configuration: provider id, API key, endpoints and
 * timeout. The service and the "Test key" button both use it, so a test asks exactly the
 * endpoints, with exactly the key and timeout, that the service will use.
 *
 * An unknown provider id builds Open-Meteo (the default). The network manager and the clock
 * (nullptr: the system clock) are borrowed and must outlive the provider.
 */
std::unique_ptr<WeatherProvider> makeProvider(const WeatherService::Config &config,
                                              QNetworkAccessManager *network, Clock *clock);
