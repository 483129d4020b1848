// SPDX-License-Identifier: MIT
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QString>

#include <functional>

/**
 * Passing notices through the desktop's notification service: org.freedesktop.Notifications
 * Notify over D-Bus, asynchronously. When the bus or the service is not there, or the call
 * fails, the fallback (the tray's bubble) is used; never a modal box.
 *
 * Both texts may hold a provider's words. The summary goes as one plain line
 * (DisplayEscape::plain()); the body as the freedesktop markup subset with its '&', '<' and '>'
 * escaped (DisplayEscape::notificationMarkup()), to the service and to the fallback alike.
 */
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCallTimeoutMs = 5000;

    /** Through `bus` (the session bus by default). */
    explicit DesktopNotifier(const QDBusConnection &bus = QDBusConnection::sessionBus(),
                             QObject *parent = nullptr);

    /** Shows (title, body) some other way; returns false when it could not. */
    using Fallback = std::function<bool(const QString &title, const QString &body)>;
    void setFallback(Fallback fallback) { m_fallback = std::move(fallback); }

    /** Sends one notice; delivered() or notDelivered() follows. */
    void notify(const QString &title, const QString &body);

Q_SIGNALS:
    /** The notification service took it (its id), or the fallback did (id 0). */
    void delivered(uint id);
    /** Neither the service nor the fallback could show it. */
    void notDelivered(const QString &why);

private:
    void fallBack(const QString &title, const QString &body, const QString &why);

    QDBusConnection m_bus;
    Fallback m_fallback;
};
