// SPDX-License-Identifier: MIT
#pragma once

#include "cache/cachetier.h"
#include "weather/redisurl.h"

#include <QByteArray>
#include <QFuture>
#include <QHash>
#include <QPromise>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

class Clock;
class RedisConnection;
struct RedisReply;

/**
 * A Redis server as a CacheTier ("shared"): many dashboards on many machines, one cache.
 *
 * Entries live under `weatherdash:v1:<key>` as a small versioned header (loaded time, TTL,
 * negative flag) followed by the value bytes, so every machine computes the same age. Redis
 * drops an entry by itself once it is past its TTL plus the stale horizon
 * (`SET … PX <remaining lifetime + horizon>`, at most kMaxLifetimeMs). clear() removes only
 * our namespace (SCAN MATCH + UNLINK in batches, never FLUSHDB); list() reads it with SCAN +
 * MGET for a warm start. Values under our prefix that are not ours (another version, another
 * program) read as absent.
 *
 * All I/O is one pipelined RedisConnection in this thread: nothing blocks, answers come in
 * the order asked (a get() after a put() sees it). clear() runs in several steps; what is
 * asked while it runs waits for it (at most kMaxHeld requests), so a get() after clear() does
 * not see what was there. While the server is unreachable every call answers at once with a
 * sentence ("The shared cache at 127.0.0.1:6379 is not reachable: …"); the connection comes
 * back by itself and statusChanged() says so. A full server (maxmemory with noeviction)
 * answers puts with "… is full …" and keeps serving reads.
 *
 * Trust: a value read back is only as good as the machine that wrote it. Its load time is
 * that machine's clock; the LayeredCache reading it checks it (a load time more than 30 s in
 * the future is of unknown age, an impossible TTL a miss) and the payload codec checks the
 * value; list() leaves such entries out. A key of another type under our prefix reads as
 * absent.
 *
 * Leases for single flight across machines (the LayeredCache takes one before it loads):
 * tryLease() takes `weatherdash:v1:lock:<key>` with a random token for a while (a script
 * that also gives a lease key without a TTL, left by anyone, one lease length), releaseLease()
 * gives it back only if it is still ours, announceLanded() tells the others (PUBLISH), and
 * with watchLandings(true) a second, subscriber connection reports those as entryLanded().
 * The LayeredCache turns the watch on when the tier is added; the first tryLease() does too.
 * A lease taken here is renewed (PEXPIRE by a compare script, every third of its length on
 * the clock) until it is given back, so a load that waits longer than the lease (queued in
 * the request gate behind the provider's budget) keeps it; a crashed holder renews nothing,
 * and no lease is renewed beyond kMaxLeaseHoldMs.
 *
 * The password is never in name(), logs or error text. Ownership: the tier owns its
 * connections; the Clock is borrowed and must outlive it. The destructor answers what is
 * still waiting with "closed".
 */
class RedisTier final : public CacheTier
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultStaleHorizonMs = 7LL * 24 * 3600 * 1000;
    /** No entry is kept longer than this, whatever its TTL. */
    static constexpr qint64 kMaxLifetimeMs = 90LL * 24 * 3600 * 1000;
    static constexpr qsizetype kMaxHeld = 1000;
    static constexpr int kScanBatch = 500;
    /** list() stops (with an error) beyond this many entries. */
    static constexpr qsizetype kMaxListed = 200'000;
    /** A lease is renewed for at most this long: a load that never ends lets others load. */
    static constexpr qint64 kMaxLeaseHoldMs = 15LL * 60 * 1000;

    RedisTier(const RedisUrl &url, Clock *clock, QObject *parent = nullptr);
    ~RedisTier() override;

    QString name() const override { return QStringLiteral("shared"); }
    /** Where the server is ("127.0.0.1:6379"), for messages. */
    QString endpoint() const { return m_url.endpoint(); }
    /** The address without its password. */
    QString address() const { return m_url.redacted(); }

    /** How long past its TTL Redis keeps an entry (so a stale one can still be shown). */
    void setStaleHorizon(qint64 ms) { m_staleHorizonMs = qMax<qint64>(0, ms); }
    qint64 staleHorizon() const { return m_staleHorizonMs; }
    void setTimeouts(qint64 connectMs, qint64 commandMs);
    void setRetryDelays(qint64 firstMs, qint64 maxMs);

    /** The connection the tier's requests go through (for its state and statistics). */
    const RedisConnection *connection() const { return m_connection; }
    bool isAvailable() const;
    /** Why the shared cache does not work (a sentence); empty while it does. */
    QString lastError() const;

    QFuture<TierGetResult> get(const QString &key) override;
    QFuture<TierDoneResult> put(const QString &key, const TierEntry &entry) override;
    /** The callback forms (no future per request): what the LayeredCache uses. */
    bool answersByCallback() const override { return true; }
    void readEntry(const QString &key, GetHandler handler) override;
    void writeEntry(const QString &key, const TierEntry &entry, DoneHandler handler) override;
    QFuture<TierDoneResult> remove(const QString &key) override;
    QFuture<TierDoneResult> clear() override;
    QFuture<TierListResult> list() override;

    // ---- single flight across machines --------------------------------------------------
    /**
     * Takes the lease on `key` for `leaseMs`: its token when taken, an empty token when
     * another holds it. A holder that crashes loses it when the lease runs out.
     */
    bool supportsLeases() const override { return true; }
    QFuture<TierResult<QByteArray>> tryLease(const QString &key, qint64 leaseMs) override;
    /** Gives the lease back if `token` still holds it; true when it did. */
    QFuture<TierResult<bool>> releaseLease(const QString &key, const QByteArray &token) override;
    /** Tells every machine watching that `key` has a new value. */
    QFuture<TierDoneResult> announceLanded(const QString &key) override;
    /** Opens (or closes) the subscriber connection that reports entryLanded(). */
    void watchLandings(bool on) override;
    bool isWatchingLandings() const;
    /** Leases this tier holds and renews. */
    int heldLeaseCount() const { return int(m_leases.size()); }

    /** The Redis key of a cache key, and the channel landings are announced on. */
    static QByteArray redisKey(const QString &key);
    static QByteArray leaseKey(const QString &key);
    static QByteArray landedChannel();
    /** The stored bytes of an entry, and back (nullopt: not an entry of this version). */
    static QByteArray encodeValue(const TierEntry &entry);
    static std::optional<TierEntry> decodeValue(const QByteArray &stored);

Q_SIGNALS:
    /** The shared cache started or stopped working; `reason` says why it stopped. */
    void statusChanged(bool ok, const QString &reason);
    // entryLanded(key) is CacheTier's: another machine (or this one) announced `key`.

private:
    template<typename R>
    using PromisePtr = std::shared_ptr<QPromise<R>>;

    /** Runs `start` now, or after a running clear() when one is. */
    /** `start(promise)` is called with the request's promise (`F`: any such callable). */
    template<typename R, typename F>
    QFuture<R> run(F start);
    /** run() for an answer going to `sink`: a promise or a handler (`start(sink)`). */
    template<typename R, typename Sink, typename F>
    void runWith(Sink sink, F start);
    template<typename Sink>
    void startGet(const QString &key, Sink sink);
    template<typename Sink>
    void startPut(const QString &key, const TierEntry &entry, Sink sink);
    void clearStep(const PromisePtr<TierDoneResult> &promise, const QByteArray &cursor);
    void clearFinished();
    struct ListState;
    void listStep(const std::shared_ptr<ListState> &state, const QByteArray &cursor);
    void renewLeases();
    void armRenewal();

    struct HeldLease
    {
        QByteArray token;
        qint64 leaseMs = 0;
        qint64 takenAt = 0;
        qint64 renewAt = 0;
    };

    RedisUrl m_url;
    Clock *m_clock;
    RedisConnection *m_connection = nullptr;
    RedisConnection *m_subscriber = nullptr;
    qint64 m_staleHorizonMs = kDefaultStaleHorizonMs;
    int m_clearsRunning = 0;
    std::deque<std::function<void()>> m_held;
    bool m_closing = false;
    QHash<QString, HeldLease> m_leases; // by cache key
    QTimer m_renewTimer;
};
