// SPDX-License-Identifier: MIT
#pragma once

#include "weather/weatheralert.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimeZone>

#include <functional>
#include <optional>

class Clock;
class DesktopNotifier;

/**
 * Severe-weather alerts as desktop notifications (issue 22), opt-in by a severity threshold
 * (Settings; off until the person picks one):
 *
 * - once per alert id: an alert already told (here, or on another of the person's machines
 *   when a claim function is set) is not told again;
 * - urgency by severity: Extreme and Severe critical, Moderate normal, Minor and Unknown low;
 * - an update (an alert whose `replaces` names one told before) replaces that notification
 *   in place (replaces_id), never stacks a second one;
 * - the action "Show" (and a click on the notice) asks to show the place: showPlaceRequested().
 *
 * Ownership: the DesktopNotifier and the Clock are borrowed and must outlive it.
 */
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    /**
     * Asks the other machines whether to tell about `alertId` (true: tell here); the answer may
     * come later, once. RedisAlertClaims::claim() fits, wrapped.
     */
    using Claim = std::function<void(const QString &alertId, qint64 ttlMs, QObject *context,
                                     std::function<void(bool tellHere)> answer)>;

    AlertNotifier(DesktopNotifier *notifier, Clock *clock, QObject *parent = nullptr);

    /** The least severity that is told; nullopt: none (the default). */
    void setThreshold(std::optional<WeatherAlert::Severity> threshold) { m_threshold = threshold; }
    std::optional<WeatherAlert::Severity> threshold() const { return m_threshold; }
    void setClaim(Claim claim) { m_claim = std::move(claim); }

    /** The live alerts of a place as last fetched; tells those not told yet. */
    void update(const QString &placeId, const QString &placeName, const WeatherAlertList &alerts,
                const QTimeZone &placeZone);

    static quint8 urgencyFor(WeatherAlert::Severity severity);
    /** Settings::alertThreshold()'s text ("severe"; "any": every severity); nullopt for "" (off).
     */
    static std::optional<WeatherAlert::Severity> thresholdFromSetting(const QString &text);

Q_SIGNALS:
    /** The person chose "Show" on an alert of this place. */
    void showPlaceRequested(const QString &placeId);

private:
    void tell(const QString &placeId, const QString &placeName, const WeatherAlert &alert,
              const QTimeZone &zone, uint replacesId);

    DesktopNotifier *m_notifier;
    Clock *m_clock;
    std::optional<WeatherAlert::Severity> m_threshold;
    Claim m_claim;
    QSet<QString> m_told; // alert ids told or being told (here or elsewhere)
    QHash<QString, uint> m_notificationOf; // alert id -> the server's notification id
    QHash<uint, QString> m_placeOf; // notification id -> place id
};
