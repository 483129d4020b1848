// SPDX-License-Identifier: MIT
#include "desktopnotifier.h"

#include "weather/displayescape.h"

#include <QCoreApplication>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QVariantMap>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcNotify, "weatherdash.notify", QtWarningMsg)

namespace {
const QString kService = u"org.freedesktop.Notifications"_s;
const QString kPath = u"/org/freedesktop/Notifications"_s;
const QString kAppId = u"io.github.weatherdash.WeatherDash"_s;
/** The server picks how long a notice stays. */
constexpr int kServerDefaultExpiry = -1;
} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{ }

void DesktopNotifier::notify(const QString &titleText, const QString &bodyText)
{
    // The summary is plain text to every server; the body is markup to many (and the tray's
    // bubble, the fallback, is itself a notification on a StatusNotifier desktop).
    const QString title = DisplayEscape::plain(titleText);
    const QString body = DisplayEscape::notificationMarkup(bodyText);
    if (!m_bus.isConnected()) {
        fallBack(title, body, m_bus.lastError().message());
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService, u"Notify"_s);
    const QVariantMap hints{{u"desktop-entry"_s, kAppId}};
    call << QCoreApplication::applicationName() << uint(0) << kAppId << title << body
         << QStringList() << hints << kServerDefaultExpiry;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, kCallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, title, body] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            fallBack(title, body, reply.error().message());
            return;
        }
        Q_EMIT delivered(reply.value());
    });
}

void DesktopNotifier::sendNotice(const Notice &notice, std::function<void(uint id)> whenDelivered)
{
    const QString title = DisplayEscape::plain(notice.title);
    const QString body = DisplayEscape::notificationMarkup(notice.body);
    if (!m_bus.isConnected()) {
        fallBack(title, body, m_bus.lastError().message());
        return;
    }
    if (!m_listening && !notice.actions.isEmpty()) {
        m_listening = m_bus.connect(kService, kPath, kService, u"ActionInvoked"_s, this,
                                    SLOT(onActionInvoked(uint, QString)));
    }
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService, u"Notify"_s);
    const QVariantMap hints{
        {u"desktop-entry"_s, kAppId},
        {u"urgency"_s, QVariant::fromValue(uchar(qMin<quint8>(notice.urgency, 2)))}};
    call << QCoreApplication::applicationName() << notice.replacesId << kAppId << title << body
         << notice.actions << hints << kServerDefaultExpiry;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, kCallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, watcher, title, body, whenDelivered] {
                watcher->deleteLater();
                const QDBusPendingReply<uint> reply = *watcher;
                if (reply.isError()) {
                    if (m_fallback && m_fallback(title, body)) {
                        if (whenDelivered)
                            whenDelivered(0);
                        Q_EMIT delivered(0);
                        return;
                    }
                    Q_EMIT notDelivered(reply.error().message());
                    return;
                }
                if (whenDelivered)
                    whenDelivered(reply.value());
                Q_EMIT delivered(reply.value());
            });
}

void DesktopNotifier::onActionInvoked(uint id, const QString &key)
{
    Q_EMIT actionInvoked(id, key);
}

void DesktopNotifier::fallBack(const QString &title, const QString &body, const QString &why)
{
    qCDebug(lcNotify) << "no notification service:" << why;
    if (m_fallback && m_fallback(title, body)) {
        Q_EMIT delivered(0);
        return;
    }
    Q_EMIT notDelivered(why);
}
