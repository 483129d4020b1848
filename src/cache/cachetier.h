// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <variant>

/**
 * One entry as a tier below the memory cache keeps it: the encoded value with its real load
 * time, so an entry read back keeps its age. A negative entry stands for a cached failure
 * ("not found"); its value is the encoded error.
 */
struct TierEntry
{
    QByteArray value;
    qint64 loadedAt = 0; // ms since the Unix epoch
    qint64 ttlMs = 0;
    bool negative = false;

    qint64 expiresAt() const { return loadedAt + ttlMs; }
    friend bool operator==(const TierEntry &, const TierEntry &) = default;
};

/** A key with its entry, as a tier lists them for a warm start. */
struct TierRecord
{
    QString key;
    TierEntry entry;
    friend bool operator==(const TierRecord &, const TierRecord &) = default;
};

/**
 * The answer of one tier operation: a value, or an error. `error` is a sentence a person
 * understands ("The disk cache is read-only: …"); empty when the operation worked.
 */
template<typename T>
struct TierResult
{
    T value{};
    QString error;

    bool ok() const { return error.isEmpty(); }
    static TierResult success(T v = T{}) { return {std::move(v), {}}; }
    static TierResult failure(QString message) { return {T{}, std::move(message)}; }
};

using TierGetResult = TierResult<std::optional<TierEntry>>; // nullopt: the tier does not hold it
using TierListResult = TierResult<QList<TierRecord>>;
using TierDoneResult = TierResult<std::monostate>;

/**
 * One asynchronous tier below the in-memory AsyncCache (a disk, a shared server): keys to
 * bytes, nothing more. It knows no value types; the LayeredCache encodes and decodes.
 *
 * Every call returns at once; the future finishes later, possibly in another thread. Callers
 * attach continuations with a context object (QFuture::then(context, ...)), so the answer is
 * handled in the caller's thread. A tier never throws and never blocks its caller: a failure is
 * an answer with an error, and the caller carries on without the tier.
 *
 * A tier answers in the order it was asked for the same key: a get() after a put() sees the
 * put, a get() after remove() or clear() does not see what was there.
 *
 * Ownership: whoever creates the tier owns it; the LayeredCache borrows it.
 */
class CacheTier : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /** A short name for statistics and messages ("disk"). */
    virtual QString name() const = 0;

    /** The entry for `key`, fresh or expired; nullopt when absent. */
    virtual QFuture<TierGetResult> get(const QString &key) = 0;
    /** Inserts or replaces `key`. */
    virtual QFuture<TierDoneResult> put(const QString &key, const TierEntry &entry) = 0;
    // ---- the same reads and writes answered by a callback (optional) ----------------------
    // A future per operation costs more than the work of a tier on a fast server (a Redis GET
    // on loopback): the promise, its continuation and a posted call per answer. A tier that
    // answers in the caller's thread may offer these forms, and the LayeredCache then uses
    // them for every read and write-through. `handler` is called exactly once, in this
    // thread, with what the future form would have answered, in the same order with the other
    // calls for the key; possibly from inside the call (a tier that is down answers at once,
    // as its future form then returns a finished future). Whoever calls keeps `handler` safe
    // to call: the tier may answer after its caller is gone, and answers what waits from its
    // destructor.

    /** True when readEntry() and writeEntry() work; the defaults below are never called. */
    virtual bool answersByCallback() const { return false; }
    using GetHandler = std::function<void(const TierGetResult &)>;
    using DoneHandler = std::function<void(const TierDoneResult &)>;
    /** get(key), answered through `handler`. */
    virtual void readEntry(const QString &key, GetHandler handler)
    {
        Q_UNUSED(key);
        handler(TierGetResult::failure(callbacksUnsupported()));
    }
    /** put(key, entry), answered through `handler`. */
    virtual void writeEntry(const QString &key, const TierEntry &entry, DoneHandler handler)
    {
        Q_UNUSED(key);
        Q_UNUSED(entry);
        handler(TierDoneResult::failure(callbacksUnsupported()));
    }

    /** Succeeds also when `key` was not there: afterwards it is not. */
    virtual QFuture<TierDoneResult> remove(const QString &key) = 0;
    virtual QFuture<TierDoneResult> clear() = 0;
    /** Every entry the tier holds, for warming the memory cache at start. */
    virtual QFuture<TierListResult> list() = 0;

    // ---- single flight across machines (optional) -----------------------------------------
    // A tier shared by several machines may hand out leases, so that one machine loads a
    // missing entry while the others wait for it to land. A tier that does not support them
    // keeps these defaults, and the LayeredCache never calls the rest.
    //
    // Lease calls are answered in order with the other calls for the same key: a put()
    // followed by releaseLease() and announceLanded() is visible before the announcement.

    /** True when tryLease() and the rest do something. */
    virtual bool supportsLeases() const { return false; }
    /**
     * Takes the lease on `key` for `leaseMs`: a non-empty token when taken, an empty token
     * when another holder has it. A holder that never gives it back loses it after `leaseMs`.
     */
    virtual QFuture<TierResult<QByteArray>> tryLease(const QString &key, qint64 leaseMs)
    {
        Q_UNUSED(key);
        Q_UNUSED(leaseMs);
        return unsupported<QByteArray>();
    }
    /** Gives the lease back if `token` still holds it; true when it did. */
    virtual QFuture<TierResult<bool>> releaseLease(const QString &key, const QByteArray &token)
    {
        Q_UNUSED(key);
        Q_UNUSED(token);
        return unsupported<bool>();
    }
    /** Tells every machine watching that `key` has a new value (or that its load ended). */
    virtual QFuture<TierDoneResult> announceLanded(const QString &key)
    {
        Q_UNUSED(key);
        return unsupported<std::monostate>();
    }
    /** Starts (or stops) reporting announcements as entryLanded(). */
    virtual void watchLandings(bool on) { Q_UNUSED(on); }

Q_SIGNALS:
    /** A machine (maybe this one) announced a new value for `key`, or the end of its load. */
    void entryLanded(const QString &key);
    /**
     * Announcements are heard from now on: watchLandings() subscribed, or subscribed again
     * after the tier was down. What was announced before this (while subscribing, or while
     * down) was not heard: a watcher re-reads what it shows.
     */
    void landingsHeard();

private:
    QString callbacksUnsupported() const
    {
        return tr("The %1 cache answers through futures only.").arg(name());
    }
    template<typename V>
    QFuture<TierResult<V>> unsupported() const
    {
        return QtFuture::makeReadyFuture(
            TierResult<V>::failure(tr("The %1 cache does not support leases.").arg(name())));
    }
};
