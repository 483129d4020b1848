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
 * The server name is a path: the socket lives in $XDG_RUNTIME_DIR, or where that is unset (or
 * not the user's), in a folder of our own in the temporary folder, created 0700. Before
 * either end touches the socket, its folder is checked to be the user's alone: owned by this
 * user, not a symbolic link, writable by no one else. Its file name carries the user id and a
 * hash of the profile (the settings file), so one user's two profiles never meet.
 *
 * And both ends ask the kernel who is at the other end (SO_PEERCRED): the second launch
 * hands nothing to a listener of another user's (unavailable() says whose it is, and the
 * launch opens its own window), and the listener drops connections of another user's unread.
 */
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    /** How long a second process waits for the first to answer. */
    static constexpr int kDefaultTimeoutMs = 3000;
    /** The longest message accepted (a city name is far shorter). */
    static constexpr qsizetype kMaxMessageBytes = 4096;

    /**
     * "<socketDirectory()>/weatherdash-<uid>-<hash of profile>": `profile` is the settings
     * file's path.
     */
    static QString serverName(const QString &profile);
    /** $XDG_RUNTIME_DIR when set and the user's alone, else "<temp>/weatherdash-<uid>". */
    static QString socketDirectory();
    /**
     * Empty when `dir` is a folder of this user's alone: not a symbolic link, owned by this
     * user, writable by no one else. Else a sentence saying why not. With `makeOwn`, a
     * missing folder is created 0700 and one of the user's own is set back to 0700.
     */
    static QString checkPrivateDirectory(const QString &dir, bool makeOwn);
    /** The user id at the other end of a connected local socket, or -1 when not known. */
    static qint64 peerUid(qintptr socketDescriptor);

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
    void giveUp(const QString &why);

    QString m_name;
    QString m_city;
    QLocalServer *m_server = nullptr;
    QPointer<QLocalSocket> m_client;
    QTimer m_timeout;
    bool m_done = false;
};
