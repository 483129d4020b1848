// SPDX-License-Identifier: MIT
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QString>
#include <QStringList>

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

    /** A notice with the spec's extras (issue 22's alerts); not an overload of notify(), which
     *  is connected to by its address. */
    struct Notice
    {
        QString title;
        QString body;
        uint replacesId = 0; // the server's id of the notice this one replaces in place
        quint8 urgency = 1; // 0 low, 1 normal, 2 critical
        QStringList actions; // key, label, key, label...
    };
    /**
     * Sends `notice`; `whenDelivered` gets the server's id (0: the fallback showed it), before
     * delivered(). actionInvoked() reports a click on one of its actions.
     */
    void sendNotice(const Notice &notice, std::function<void(uint id)> whenDelivered = {});

Q_SIGNALS:
    /** The notification service took it (its id), or the fallback did (id 0). */
    void delivered(uint id);
    /** Neither the service nor the fallback could show it. */
    void notDelivered(const QString &why);
    /** The person chose action `key` of the notice the server calls `id`. */
    void actionInvoked(uint id, const QString &key);

private Q_SLOTS:
    // Old-style on purpose: QDBusConnection::connect() takes a slot signature.
    void onActionInvoked(uint id, const QString &key);

private:
    void fallBack(const QString &title, const QString &body, const QString &why);

    QDBusConnection m_bus;
    bool m_listening = false;
    Fallback m_fallback;
};
