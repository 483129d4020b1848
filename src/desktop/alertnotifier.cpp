// SPDX-License-Identifier: MIT
#include "alertnotifier.h"

#include "cache/clock.h"
#include "desktopnotifier.h"
#include "weather/alertformat.h"

using namespace Qt::StringLiterals;

namespace {
const QString kShowAction = u"show"_s;
const QString kDefaultAction = u"default"_s; // a click on the notice itself
constexpr qint64 kNoExpiryClaimMs = 24LL * 3600 * 1000;
} // namespace

AlertNotifier::AlertNotifier(DesktopNotifier *notifier, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_notifier(notifier)
    , m_clock(clock)
{
    connect(m_notifier, &DesktopNotifier::actionInvoked, this, [this](uint id, const QString &key) {
        if (key != kShowAction && key != kDefaultAction)
            return;
        if (const auto it = m_placeOf.constFind(id); it != m_placeOf.cend())
            Q_EMIT showPlaceRequested(*it);
    });
}

quint8 AlertNotifier::urgencyFor(WeatherAlert::Severity severity)
{
    switch (severity) {
    case WeatherAlert::Severity::Extreme:
    case WeatherAlert::Severity::Severe:
        return 2;
    case WeatherAlert::Severity::Moderate:
        return 1;
    case WeatherAlert::Severity::Minor:
    case WeatherAlert::Severity::Unknown:
        break;
    }
    return 0;
}

std::optional<WeatherAlert::Severity> AlertNotifier::thresholdFromSetting(const QString &text)
{
    if (text.isEmpty())
        return std::nullopt;
    if (text == u"any"_s)
        return WeatherAlert::Severity::Unknown; // every alert, whatever its severity
    const QString cap = text.left(1).toUpper() + text.mid(1).toLower();
    const WeatherAlert::Severity severity = WeatherAlert::severityFromCap(cap);
    if (severity == WeatherAlert::Severity::Unknown)
        return std::nullopt;
    return severity;
}

void AlertNotifier::update(const QString &placeId, const QString &placeName,
                           const WeatherAlertList &alerts, const QTimeZone &placeZone)
{
    if (!m_threshold)
        return;
    for (const WeatherAlert &alert : alerts) {
        if (alert.severity < *m_threshold || m_told.contains(alert.id))
            continue;
        m_told.insert(alert.id);
        // An update of a notice shown here replaces it, whatever the other machines did.
        uint replaces = 0;
        for (const QString &old : alert.replaces) {
            if (const uint id = m_notificationOf.value(old))
                replaces = id;
        }
        if (replaces || !m_claim) {
            tell(placeId, placeName, alert, placeZone, replaces);
            continue;
        }
        const qint64 ttl = alert.expires.isValid()
                               ? alert.expires.toMSecsSinceEpoch() - m_clock->now()
                               : kNoExpiryClaimMs;
        QPointer<AlertNotifier> self(this);
        m_claim(alert.id, ttl, this, [self, placeId, placeName, alert, placeZone](bool tellHere) {
            if (self && tellHere)
                self->tell(placeId, placeName, alert, placeZone, 0);
        });
    }
}

void AlertNotifier::tell(const QString &placeId, const QString &placeName,
                         const WeatherAlert &alert, const QTimeZone &zone, uint replacesId)
{
    DesktopNotifier::Notice notice;
    //: A notification's title: severity in words, the event, the place.
    notice.title = tr("%1: %2 in %3")
                       .arg(WeatherAlert::severityText(alert.severity),
                            alert.event.isEmpty() ? alert.headline : alert.event, placeName);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
    QStringList body{AlertFormat::period(alert, zone, now)};
    if (!alert.headline.isEmpty() && alert.headline != alert.event)
        body << alert.headline;
    if (!alert.instruction.isEmpty())
        body << alert.instruction;
    if (!alert.sender.isEmpty())
        body << alert.sender;
    notice.body = body.join(u'\n');
    notice.replacesId = replacesId;
    notice.urgency = urgencyFor(alert.severity);
    notice.actions = {kDefaultAction, tr("Show"), kShowAction, tr("Show")};
    QPointer<AlertNotifier> self(this);
    const QString id = alert.id;
    m_notifier->sendNotice(notice, [self, id, placeId](uint notificationId) {
        if (!self || notificationId == 0)
            return;
        self->m_notificationOf.insert(id, notificationId);
        self->m_placeOf.insert(notificationId, placeId);
    });
}
