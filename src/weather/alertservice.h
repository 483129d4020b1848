// SPDX-License-Identifier: MIT
#pragma once

#include "alertprovider.h"
#include "weatheralert.h"
#include "weatheranswer.h"
#include "weatherservice.h"

#include <QFuture>
#include <QObject>

class Clock;
class QNetworkAccessManager;
class SharedBudget;

/**
 * Severe-weather alerts for a place, through the weather service's layered cache (memory,
 * disk, the shared tier), so an office fetches each message once:
 *
 *     alerts/al/52.52,13.41    the ids the server lists for the place's cell,
 * AlertLifetime::kListMs alerts/cap/<id>          one CAP message, until its expires
 * (AlertLifetime)
 *
 * alerts() answers the live alerts at the place's point, in the language given (CapParser's
 * filters): a value, possibly empty, when the list and every message it names were read; no
 * value and an error when the list could not be had ("unknown", never "none"). When some
 * messages failed and others were read, the live ones among those read are the value and the
 * error says that some are missing; with none live, there is no value.
 *
 * Its requests go through its own AlertProvider (own gate, own timeout): the alert server
 * down or slow never delays the weather.
 *
 * Ownership: the network, the service and the clock are borrowed and must outlive this.
 */
class AlertService : public QObject
{
    Q_OBJECT
public:
    AlertService(QNetworkAccessManager *network, WeatherService *service,
                 Clock *clock = Clock::system(), QObject *parent = nullptr);
    ~AlertService() override;

    AlertProvider *provider() { return &m_provider; }
    /** The budget kept with other machines (borrowed; nullptr: this process alone). */
    void setSharedBudget(SharedBudget *budget);
    /** The info picked when a message has several ("de", "pt_BR"). */
    void setLanguage(const QString &language) { m_language = language; }
    QString language() const { return m_language; }

    QFuture<WeatherAnswer<WeatherAlertList>> alerts(const Location &place,
                                                    bool forceRefresh = false);

    /** The cache key of the place's id list. */
    static QString listKey(const Location &place);
    /** How long the message stays in every tier when fetched at `nowMs`. */
    static qint64 messageTtlMs(const CapMessage &message, qint64 nowMs);

private:
    WeatherService *m_service;
    Clock *m_clock;
    AlertProvider m_provider;
    QString m_language = QStringLiteral("en");
};
