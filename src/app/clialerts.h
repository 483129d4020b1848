// SPDX-License-Identifier: MIT
#pragma once

#include "weather/alertservice.h"

#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

/**
 * weatherdash-cli's alerts (issue 22): fetched beside the weather of the city being answered,
 * and waited for at most kGraceMs once the weather is in, so a slow alert server costs a run
 * two seconds at worst and a dead one none (its connection fails at once). What did not come
 * in time is unknown: null in --json, a line saying so in the text.
 */
class CliAlerts : public QObject
{
    Q_OBJECT
public:
    static constexpr int kGraceMs = 2'000;

    CliAlerts(QNetworkAccessManager *network, WeatherService *service, QObject *parent = nullptr);

    AlertService *service() { return &m_service; }

    /** Starts the fetch for `place`; forgets the last city's answer. */
    void start(const Location &place, bool force);
    /** Calls `then` once: when the answer is in, or kGraceMs from now, whichever is first. */
    void whenReady(QObject *context, std::function<void()> then);

    /** The live alerts; nullopt when unknown (failed, or not in time). */
    std::optional<WeatherAlertList> live() const;
    QJsonValue json() const;
    /** One line per live alert (text from outside: the caller makes it terminal-safe). */
    QStringList textLines(const Location &place, std::optional<int> utcOffsetSeconds) const;

private:
    AlertService m_service;
    quint64 m_generation = 0;
    std::optional<WeatherAnswer<WeatherAlertList>> m_answer;
    std::function<void()> m_waiting;
    QPointer<QObject> m_waitingContext;
    QTimer m_grace;
    void release();
};
