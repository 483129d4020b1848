// SPDX-License-Identifier: MIT
#pragma once

#include "sharedbudget.h"
#include "weathererror.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

class Clock;

/**
 * Keeps one provider within its terms and away from a server that is struggling. One gate
 * per provider; the provider owns it.
 *
 * - Budget: at most requestsPerMinute() requests in any 60 s window. A request past the
 *   budget is not failed but queued (FIFO) and sent when the window allows, by a QTimer.
 * - After a 429 (reportRateLimited) every request fails at once with RateLimited, without being
 *   sent, until the Retry-After time has passed.
 * - After a 5xx (reportServerError) likewise with ServerError, for the 5xx's Retry-After when
 *   it sent one, else for 2 s, then 4 s, 8 s, ... at most 5 min for consecutive failures;
 *   reportSuccess() resets the backoff.
 * - A Retry-After holds requests for at most kMaxBlockSeconds (an hour), whatever the server
 *   said: a typo or a hostile server must not silence the app for days. The error still tells
 *   the person what the server asked for.
 * - Shared (setSharedBudget()): several machines keep the budget together. A request the
 *   local budget allows still asks the shared budget for a slot (asynchronously, one request
 *   at a time, in queue order); it waits while every machine's slots are taken, fails with
 *   RateLimited while another machine's 429 holds, and a 429 seen here is shared. When the
 *   shared budget is unavailable, or gives no answer within kSharedAnswerTimeoutMs on the
 *   clock, the local budget alone decides. It is asked at most every kSharedRetryMinMs, and
 *   no request waits on it longer than kMaxSharedWaitMs beyond the local budget's wait.
 * There are no automatic retries: the caller decides when to ask again.
 *
 * Time comes from the injected Clock (not owned, must outlive the gate); a ManualClock's
 * jumped() re-checks the queue, so tests move time instead of sleeping.
 */
class RequestGate : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultRetryAfterSeconds = 60;
    /** parseRetryAfter() never returns more: anything longer reads "over a day" anyway. */
    static constexpr int kMaxRetryAfterSeconds = 7 * 24 * 60 * 60;
    /** The longest the gate holds requests back after one answer. */
    static constexpr int kMaxBlockSeconds = 60 * 60;
    static constexpr int kInitialBackoffSeconds = 2;
    static constexpr int kMaxBackoffSeconds = 5 * 60;
    static constexpr qint64 kWindowMs = 60'000;
    /** The longest a request waits for the shared budget's answer before going on without. */
    static constexpr qint64 kSharedAnswerTimeoutMs = 1'000;
    /**
     * The shared budget is asked again no sooner than this after an answer that was not a
     * grant (at most four questions a second, whatever it answers: no spinning).
     */
    static constexpr qint64 kSharedRetryMinMs = 250;
    /**
     * The longest a request the local budget lets go waits for the shared budget (every
     * machine's slots taken, or answers that make no sense); then it goes on the local budget.
     */
    static constexpr qint64 kMaxSharedWaitMs = 5'000;

    using SendFunction = std::function<void()>;
    using RejectFunction = std::function<void(const WeatherError &)>;

    RequestGate(Clock *clock, int requestsPerMinute, const QString &providerName,
                QObject *parent = nullptr);

    void setProviderName(const QString &name) { m_providerName = name; }

    /**
     * Keeps the budget with the other machines through `budget` (borrowed, must outlive the
     * gate; nullptr: this process alone), under `providerId` (a provider id, never a key).
     */
    void setSharedBudget(SharedBudget *budget, const QString &providerId);
    SharedBudget *sharedBudget() const { return m_shared; }

    int requestsPerMinute() const { return m_requestsPerMinute; }
    void setRequestsPerMinute(int requests);
    /**
     * Requests leave at least `ms` apart (0, the default: only the per-minute budget counts).
     * Nominatim's "at most one request a second" is a spacing, not a budget per minute.
     */
    void setMinimumIntervalMs(qint64 ms);
    qint64 minimumIntervalMs() const { return m_minIntervalMs; }

    /**
     * Calls `send` now or once the budget allows, or `reject` (synchronously) while blocked.
     * Nothing is called if `context` is destroyed while the request waits.
     */
    void submit(QObject *context, SendFunction send, RejectFunction reject);

    /** The error a request arriving now would get, or nullopt if it may go ahead. */
    std::optional<WeatherError> blockedError() const;

    void reportSuccess();
    /** `retryAfterSeconds` < 0 means the server did not say: 60 s. At most kMaxBlockSeconds. */
    void reportRateLimited(int retryAfterSeconds);
    /**
     * `retryAfterSeconds` >= 0: the server's Retry-After (at most kMaxBlockSeconds is held);
     * < 0: exponential backoff.
     */
    void reportServerError(int retryAfterSeconds = -1);

    /** Clock time (ms) until which requests fail at once; 0 if not blocked. */
    qint64 blockedUntil() const;
    int queuedCount() const { return int(m_queue.size()); }
    /** Requests sent in the current 60 s window. */
    int sentInWindow() const;
    /** Requests the shared budget let go, and those sent on the local budget alone. */
    quint64 sharedGrants() const { return m_sharedGrants; }
    quint64 localFallbacks() const { return m_localFallbacks; }
    /** A question to the shared budget is in flight. */
    bool isAskingShared() const { return m_asking; }

    /**
     * Retry-After as delta-seconds ("120") or HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"),
     * relative to `nowMs`. -1 if absent or unreadable; at least 0, at most
     * kMaxRetryAfterSeconds.
     */
    static int parseRetryAfter(const QByteArray &header, qint64 nowMs);

private:
    struct Pending
    {
        QPointer<QObject> context;
        SendFunction send;
        RejectFunction reject;
        qint64 queuedAt = 0; // the bound on the shared budget is each request's own
    };

    void prune(qint64 now) const;
    void drain();
    void drainOnce();
    void scheduleDrain();
    void block(qint64 untilMs, WeatherError::Kind kind);
    void askShared();
    void onSharedAnswer(quint64 ask, const SharedBudget::Decision &decision);

    Clock *m_clock;
    int m_requestsPerMinute;
    qint64 m_minIntervalMs = 0;
    QString m_providerName;
    mutable std::deque<qint64> m_sent;
    std::deque<Pending> m_queue;
    QTimer m_timer;
    qint64 m_blockedUntil = 0;
    WeatherError::Kind m_blockKind = WeatherError::None;
    int m_consecutiveServerErrors = 0;

    QPointer<SharedBudget> m_shared;
    QString m_budgetId;
    quint64 m_ask = 0; // the shared question in flight; answers to older ones are dropped
    bool m_asking = false;
    qint64 m_askDeadline = 0;
    int m_granted = 0; // slots granted (or allowed locally) not yet used by a request
    qint64 m_sharedRetryAt = 0; // every shared slot is taken until then
    quint64 m_sharedGrants = 0;
    quint64 m_localFallbacks = 0;
    bool m_draining = false;
    bool m_drainAgain = false;
};
