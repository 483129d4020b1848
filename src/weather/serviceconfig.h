// SPDX-License-Identifier: MIT
#pragma once

#include "providerendpoints.h"
#include "units.h"

#include <QString>

/** The id of the provider used when none (or an unknown one) is set: providers().front(). */
QString defaultProviderId();

/**
 * Everything WeatherService needs to know: which provider with which key, the units answers are
 * converted to, the language, the lifetimes and the memory budget. A plain value (Settings
 * builds it from the stored settings, the CLI from its options), so the settings and whatever
 * shows them need not include the service and its cache templates.
 */
struct ServiceConfig
{
    QString providerId = defaultProviderId(); // an id from providers() (providerfactory.h)
    QString apiKey; // for providers that require a key; never logged, never in a key
    /** What answers are converted to; not part of any key. */
    UnitSet units;
    QString language = QStringLiteral("en");
    qint64 currentTtlMs = 10 * 60 * 1000;
    qint64 forecastTtlMs = 60 * 60 * 1000;
    qint64 hourlyTtlMs = 30 * 60 * 1000;
    qint64 airQualityTtlMs = 60 * 60 * 1000; // issue 23: the air-quality model is hourly
    qint64 nowcastTtlMs = 15 * 60 * 1000; // issue 23: one 15-minute step
    qint64 geocodingTtlMs = 30LL * 24 * 60 * 60 * 1000;
    qint64 notFoundTtlMs = 5 * 60 * 1000;
    qint64 staleHorizonMs = 7LL * 24 * 60 * 60 * 1000;
    qint64 memoryLimitBytes = 64 * 1024 * 1024;
    int timeoutMs = 15'000;
    ProviderEndpoints endpoints = ProviderEndpoints::fromEnvironment();
};
