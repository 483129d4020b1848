// SPDX-License-Identifier: MIT
#pragma once

#include "serviceconfig.h"

#include <QList>
#include <QString>
#include <QStringView>
#include <QUrl>

#include <memory>

class Clock;
class QNetworkAccessManager;
class WeatherProvider;

/**
 * What the program knows about a provider without building one: its id (settings, cache keys,
 * --provider), the name it is credited with, its home page (the credit links there), whether
 * it needs the person's own API key, and how to build it. The preference combo, the CLI's and
 * the settings' checks, the credit and makeProvider() all read providers(); a third provider is
 * one more row here and its own classes, nothing else.
 */
struct ProviderInfo
{
    QString id;
    QString displayName;
    QUrl homepage;
    bool requiresKey = false;
    /** Builds it with the key and the endpoints of `config`; network and clock are borrowed. */
    std::unique_ptr<WeatherProvider> (*make)(const ServiceConfig &config,
                                             QNetworkAccessManager *network, Clock *clock)
        = nullptr;
};

/** Every provider, the default (no key needed) first. */
const QList<ProviderInfo> &providers();
/** The provider with this id, or nullptr when there is none. */
const ProviderInfo *findProvider(QStringView id);
/** The provider with this id, or the default provider for an unknown one. */
const ProviderInfo &providerOrDefault(QStringView id);

/**
 * The one place a provider is built from a configuration: provider id, API key, endpoints and
 * timeout. The service and the "Test key" button both use it, so a test asks exactly the
 * endpoints, with exactly the key and timeout, that the service will use.
 *
 * An unknown provider id builds the default provider. The network manager and the clock
 * (nullptr: the system clock) are borrowed and must outlive the provider.
 */
std::unique_ptr<WeatherProvider> makeProvider(const ServiceConfig &config,
                                              QNetworkAccessManager *network, Clock *clock);
