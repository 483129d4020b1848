// SPDX-License-Identifier: MIT
#pragma once

#include "weather/redisurl.h"

#include <QObject>
#include <QPointer>

#include <functional>

class Clock;
class RedisConnection;

/**
 * "Has this person been told about this alert yet?", kept in the shared Redis with the other
 * machines, so an alert is notified once per person and not once per machine (issue 22):
 *
 *     SET weatherdash:v1:alert-told:<user>:<alert id> <now> NX PX <until the alert expires>
 *
 * The machine whose SET creates the key tells the person; the others stay quiet. When Redis
 * cannot answer (down, refused, no reply in time), every machine tells: twice is better than
 * never for a storm warning. The user is the Redis URL's user when it names one, else the
 * login name: the same person on their machines, two people sharing an office server apart.
 *
 * Ownership: its connection is its own; the Clock is borrowed and must outlive it.
 */
class RedisAlertClaims : public QObject
{
    Q_OBJECT
public:
    enum class Claim { First, AlreadyTold, Unavailable };
    using Answer = std::function<void(Claim)>;

    RedisAlertClaims(const RedisUrl &url, Clock *clock, const QString &user = {},
                     QObject *parent = nullptr);
    ~RedisAlertClaims() override;

    QString user() const { return m_user; }
    /** The key for `alertId`; the user and the id go in as they are (both are tokens). */
    QByteArray key(const QString &alertId) const;

    /** Claims telling about `alertId` for `ttlMs` (at least a minute); `answer` once. */
    void claim(const QString &alertId, qint64 ttlMs, QObject *context, Answer answer);

private:
    RedisConnection *m_connection;
    Clock *m_clock;
    QString m_user;
};
