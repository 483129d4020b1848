// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>

/**
 * A provider's request budget and its rate-limit blocks, shared by several machines (a
 * RequestGate consults it before each request; RedisBudget is the Redis implementation).
 *
 * acquire() asks for one request slot within `perMinute` requests per 60 s window of every
 * machine together. The answer comes by callback, once, never blocking: maybe before acquire()
 * returns (a budget that knows at once that it cannot answer), usually later. A budget that
 * cannot decide (unreachable, an error) says Unavailable, and the gate goes on with its own
 * per-process budget: a shared budget never stalls a request.
 *
 * shareBlock() tells every machine that the provider rate-limited us until `untilMs`;
 * blockShared() says that one of them (maybe this one) did. Times are ms since the Unix
 * epoch on the caller's own clock; an implementation never compares them with another
 * machine's clock (it passes durations, or keeps time on its server), so a machine whose
 * clock is wrong misleads nobody. A Wait or Blocked answer lies within kWindowMs or
 * kMaxBlockMs of `nowMs`, whatever the shared store held.
 *
 * `provider` is a provider id ("open-meteo"), never anything secret: it names shared keys.
 */
class SharedBudget : public QObject
{
    Q_OBJECT
public:
    struct Decision
    {
        enum class Verdict {
            Granted, // send now: the slot is taken
            Wait, // every slot is taken; untilMs: when the oldest leaves the window
            Blocked, // the provider rate-limited a machine; untilMs: until when
            Unavailable, // no shared answer (reason says why): use the local budget
        };
        Verdict verdict = Verdict::Unavailable;
        qint64 untilMs = 0;
        QString reason;
    };
    using Callback = std::function<void(const Decision &decision)>;

    /** The budget's window: requests are counted over the last minute. */
    static constexpr qint64 kWindowMs = 60'000;
    /** The longest block one machine can impose on the others (RequestGate's own cap). */
    static constexpr qint64 kMaxBlockMs = 60LL * 60 * 1000;

    using QObject::QObject;

    virtual void acquire(const QString &provider, int perMinute, qint64 nowMs, Callback callback)
        = 0;
    virtual void shareBlock(const QString &provider, qint64 untilMs, qint64 nowMs) = 0;

Q_SIGNALS:
    /** A machine (maybe this one) was rate-limited by `provider` until `untilMs`. */
    void blockShared(const QString &provider, qint64 untilMs);
};
