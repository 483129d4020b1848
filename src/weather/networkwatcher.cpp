// SPDX-License-Identifier: MIT
#include "networkwatcher.h"

#include "weatherlogging.h"

#include <QNetworkInformation>

namespace {
bool reachable(QNetworkInformation::Reachability r)
{
    // Unknown counts as reachable: better one request too many than a window that never
    // refreshes. Local or site-only networks may still reach a provider through a proxy.
    return r != QNetworkInformation::Reachability::Disconnected;
}
} // namespace

NetworkWatcher::NetworkWatcher(QObject *parent)
    : QObject(parent)
{
    if (!QNetworkInformation::instance()
        && !QNetworkInformation::loadBackendByFeatures(
            QNetworkInformation::Feature::Reachability)) {
        qCDebug(lcWeather) << "no network information backend: not watching reachability";
        return;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    if (!info)
        return;
    m_backend = true;
    m_reachable = reachable(info->reachability());
    connect(info, &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability r) {
                const bool now = reachable(r);
                if (now == m_reachable)
                    return;
                m_reachable = now;
                Q_EMIT reachableChanged(now);
            });
}
