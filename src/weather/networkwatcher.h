// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

/**
 * Says when the network comes back, from QNetworkInformation (Qt 6.1+) when this system has a
 * backend for it (NetworkManager on Linux); without one it stays silent and reports the
 * network as reachable, so nothing waits for a signal that never comes.
 *
 * Connect reachableChanged to WeatherSession::setNetworkReachable.
 */
class NetworkWatcher : public QObject
{
    Q_OBJECT
public:
    explicit NetworkWatcher(QObject *parent = nullptr);

    /** True also when unknown (no backend, or the backend does not know). */
    bool isReachable() const { return m_reachable; }
    bool hasBackend() const { return m_backend; }

Q_SIGNALS:
    void reachableChanged(bool reachable);

private:
    bool m_backend = false;
    bool m_reachable = true;
};
