// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

class QLocalServer;
class QLocalSocket;

/**
 * One WeatherDash window per user and profile. The first process listens on a local socket;
 * a second one connects, hands over its command line's city (or nothing: "raise the
 * window"), waits for the first to say it has it, and exits.
 *
 * Everything is asynchronous: start() returns at once and exactly one of forwarded(),
 * becameFirst() or unavailable() follows, the last at the latest after the timeout. A
 * socket file left by a crashed first process refuses connections: it is removed
 * (QLocalServer::removeServer) and this process listens in its place.
 *
 * The server name carries the user id and a hash of the profile (the settings file), so two
 * users, or one user's two profiles, never reach each other's window; the socket is the
 * user's alone (QLocalServer::UserAccessOption).
 */
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    /** How long a second process waits for the first to answer. */
    static constexpr int kDefaultTimeoutMs = 3000;
    /** The longest message accepted (a city name is far shorter). */
    static constexpr qsizetype kMaxMessageBytes = 4096;

    /** "weatherdash-<uid>-<hash of profile>": `profile` is the settings file's path. */
    static QString serverName(const QString &profile);

    explicit SingleInstance(const QString &serverName, QObject *parent = nullptr);
    ~SingleInstance() override;

    /** Hands `city` (may be empty) to a running instance, or becomes the one that runs. */
    void start(const QString &city, int timeoutMs = kDefaultTimeoutMs);

    /** Listening: this process is the first. */
    bool isListening() const;
    QString name() const { return m_name; }

Q_SIGNALS:
    /** Another instance has the city: this process can leave. */
    void forwarded();
    /** No other instance: this one listens now and goes on starting. */
    void becameFirst();
    /** Neither (no answer in time, or no socket): start without being the single instance. */
    void unavailable(const QString &why);
    /** Listening side: a later launch asked to be shown, with its city (may be empty). */
    void activationRequested(const QString &city);

private:
    void tryConnect(bool retryAfterListenRace);
    void listenInstead(bool retryAfterListenRace);
    void onNewConnection();
    void finish(void (SingleInstance::*signal)());

    QString m_name;
    QString m_city;
    QLocalServer *m_server = nullptr;
    QPointer<QLocalSocket> m_client;
    QTimer m_timeout;
    bool m_done = false;
};
