// SPDX-License-Identifier: MIT
#pragma once

#include "weather/redisurl.h"
#include "weather/sharedbudget.h"

#include <QByteArray>
#include <QString>

class Clock;
class RedisConnection;

/**
 * The provider budget of every machine on one Redis server: a SharedBudget for RequestGate.
 *
 * - The budget is a sliding 60 s window, like the gate's own: a sorted set
 *   `weatherdash:v1:budget:<provider>` of the requests sent, scored by the server's TIME. One
 *   EVAL drops what left the window, counts, and adds the request when there is room (else
 *   says how long until the oldest leaves), so two machines never both take the last slot.
 *   The set expires a window after its last request.
 * - A 429 is `weatherdash:v1:blocked:<provider>` = "<until ms> rate-limited" (the server's
 *   time), `PX` until then (a script that never shortens a block), and a PUBLISH of
 *   "<provider> <ms left>" on `weatherdash:v1:blocked`, which a second, subscriber
 *   connection hears as blockShared(). A machine that was not listening (started later,
 *   reconnecting) meets the key in its next acquire().
 * - One clock: every time stored is the server's, every time exchanged a duration, so a
 *   client whose clock is wrong by an hour harms nobody. What the scripts find is checked:
 *   slots stamped more than 30 s in the server's future are dropped, a set or block without a
 *   TTL gets one, a key of another type is deleted, a block lasts at most kMaxBlockMs
 *   (however large its number), and the answers are clamped once more on arrival.
 *
 * While the server is unreachable or answers with an error, acquire() answers Unavailable
 * (at once when the connection is known to be down); the gate then uses its own budget. The
 * connection comes back by itself.
 *
 * `<provider>` is the provider id with everything but [a-z0-9-] dropped: never an API key.
 * Ownership: the budget owns its connections; the Clock is borrowed and must outlive it.
 */
class RedisBudget final : public SharedBudget
{
    Q_OBJECT
public:
    RedisBudget(const RedisUrl &url, Clock *clock, QObject *parent = nullptr);
    ~RedisBudget() override;

    void setTimeouts(qint64 connectMs, qint64 commandMs);
    void setRetryDelays(qint64 firstMs, qint64 maxMs);

    void acquire(const QString &provider, int perMinute, qint64 nowMs, Callback callback) override;
    void shareBlock(const QString &provider, qint64 untilMs, qint64 nowMs) override;

    bool isAvailable() const;
    /** True once the subscriber hears other machines' blocks. */
    bool isListening() const;
    const RedisConnection *connection() const { return m_connection; }
    const RedisConnection *subscriber() const { return m_subscriber; }

    static QByteArray budgetKey(const QString &provider);
    static QByteArray blockedKey(const QString &provider);
    static QByteArray blockedChannel();

private:
    static QByteArray providerPart(const QString &provider);

    RedisUrl m_url;
    Clock *m_clock;
    RedisConnection *m_connection = nullptr;
    RedisConnection *m_subscriber = nullptr;
    QByteArray m_memberPrefix; // random per budget: members of the set never collide
    quint64 m_counter = 0;
};
