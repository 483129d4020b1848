// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>
#include <QVariant>

#include <optional>
#include <utility>

/**
 * Value types of the asynchronous TTL cache (AsyncCache). They know nothing of weather.
 * All are plain copyable values; nothing here owns anything beyond its own members.
 */

/** Why a load failed. `code` is the caller's own error kind; the cache only compares it. */
struct LoadError
{
    int code = 0;
    QString message;
    QVariant detail; // caller's extra data (e.g. retry-after), carried through untouched

    bool isError() const { return code != 0; }
    friend bool operator==(const LoadError &a, const LoadError &b)
    {
        return a.code == b.code && a.message == b.message;
    }
};

/**
 * What a loader produces: a value or an error. A loader may override the TTL of this one
 * value, say when it was really produced (a value read back from disk keeps its age) and tag
 * where it came from (`origin`, the caller's own meaning, handed back in CacheResult).
 */
template<typename T>
struct Outcome
{
    std::optional<T> value;
    LoadError error;
    qint64 ttlMs = -1; // -1: the TTL given to the request
    qint64 loadedAt = -1; // -1: now
    int origin = 0;

    static Outcome success(T v, qint64 ttl = -1)
    {
        Outcome o;
        o.value = std::move(v);
        o.ttlMs = ttl;
        return o;
    }
    static Outcome failure(LoadError e)
    {
        Outcome o;
        o.error = std::move(e);
        return o;
    }
    bool ok() const { return value.has_value(); }
};

/** Where the answer a caller received came from. */
enum class CacheSource : quint8 {
    Hit, // fresh value from memory
    Loaded, // the loader ran (for this caller or for a load it joined)
    Stale, // the load failed; an expired value within the stale horizon is served instead
    NegativeHit, // a cached failure (negative caching), no load ran
    Failed, // the load failed and there is nothing to serve
};

/** The answer to get-or-load. `value` is set for Hit, Loaded and Stale. */
template<typename T>
struct CacheResult
{
    std::optional<T> value;
    LoadError error; // set for Stale (why the reload failed), NegativeHit and Failed
    CacheSource source = CacheSource::Failed;
    qint64 ageMs = 0; // now minus when the value was loaded
    int origin = 0; // the loader's tag for this value (see Outcome::origin)
    bool stored = true; // false when a loaded value was refused by the size budget

    bool ok() const { return value.has_value(); }
};

/** The state of one entry, as a panel shows it. */
enum class EntryState : quint8 {
    Fresh,
    Stale, // expired but kept within the stale horizon
    Loading, // a load is in flight (it may also hold an older value)
    Failed, // a cached failure (negative caching)
};

/** Why an entry left the cache. */
enum class RemovalCause : quint8 {
    Expired, // its TTL (plus stale horizon) ran out
    Evicted, // the entry or byte bound pushed it out (least recently used first)
    Invalidated, // invalidate() or remove()
    Cleared, // clear()
};

/** A snapshot of one entry; cheap to make for a few hundred entries every second. */
struct CacheEntryInfo
{
    QString key;
    EntryState state = EntryState::Fresh;
    qint64 createdAt = 0; // first inserted (ms since epoch)
    qint64 loadedAt = 0; // last (re)loaded
    qint64 expiresAt = 0; // loadedAt + TTL
    qint64 ttlMs = 0;
    qint64 ageMs = 0;
    qint64 timeLeftMs = 0; // 0 once expired
    quint32 hits = 0; // since stored or since resetStats(); stops at 16,777,215
    qint64 bytes = 0; // what this entry costs the budget (key, value, bookkeeping)
    bool hasValue = false;
    LoadError error; // for Failed entries
};

/** Cumulative counters and current totals. Reading them is O(1). */
struct CacheStats
{
    quint64 hits = 0;
    quint64 misses = 0;
    quint64 staleServes = 0;
    quint64 negativeHits = 0;
    quint64 loadsSucceeded = 0;
    quint64 loadsFailed = 0;
    quint64 coalesced = 0; // callers who joined a load already in flight
    quint64 expirations = 0; // entries whose TTL ran out (turned stale or were removed)
    quint64 evictions = 0;
    quint64 rejected = 0; // values refused because they exceed the whole byte budget
    qint64 totalLoadTimeMs = 0;
    qint64 maxLoadTimeMs = 0;
    qint64 entries = 0;
    qint64 bytes = 0;
    qint64 loadsInFlight = 0;

    double hitRatio() const
    {
        const quint64 total = hits + misses;
        return total ? double(hits) / double(total) : 0.0;
    }
    double meanLoadTimeMs() const
    {
        const quint64 loads = loadsSucceeded + loadsFailed;
        return loads ? double(totalLoadTimeMs) / double(loads) : 0.0;
    }
};

/** What set()/add() did. */
enum class InsertResult : quint8 {
    Inserted,
    Replaced,
    Exists, // add() on a key that holds a fresh value
    TooLarge, // the value alone exceeds the byte budget: refused, nothing changed
};

Q_DECLARE_METATYPE(RemovalCause)
