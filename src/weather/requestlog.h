// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

/**
 * The requests this process made, per provider, for the last kKeepMs: what the panel counts
 * against the provider's limits when there is no disk to share counts through (the disk tier
 * keeps everyone's, the CLI's included).
 *
 * Beside the counts, the last kEventCapacity events of the cache's story (a request to a
 * provider, forced or not; an answer the cache gave without asking; an entry's fresh time
 * running out; a failed load), for the panel's timeline. They live in a ring of fixed size:
 * an old event makes room for a new one, so a day of traffic costs no more memory than a
 * minute. Times are the caller's clock (ms since the epoch).
 */
class RequestLog
{
public:
    static constexpr qint64 kKeepMs = 2LL * 24 * 3600 * 1000;
    static constexpr int kEventCapacity = 2000;

    struct Event
    {
        enum class Kind : quint8 {
            Request, ///< the cache asked the provider (a Force Refresh too: see forced)
            Answer, ///< the cache answered without asking: memory, disk, shared tier, stale
            Expiry, ///< an entry's fresh time ran out
            Error, ///< a load failed (the provider refused, the network was down...)
        };
        qint64 at = 0;
        Kind kind = Kind::Request;
        bool forced = false; ///< Request: a Force Refresh or Refresh now
        quint8 providerIndex = 0; ///< into providers(); Request and Error

        friend bool operator==(const Event &, const Event &) = default;
    };

    /** One request to `provider` at `at` (ms since the epoch; not before the last one). */
    void record(const QString &provider, qint64 at);
    /** Requests to `provider` at or after `since`. */
    qint64 countSince(const QString &provider, qint64 since) const;
    qint64 total() const { return m_total; }

    /** One event of the story; the oldest goes once kEventCapacity are kept. */
    void recordEvent(Event::Kind kind, qint64 at, const QString &provider = QString(),
                     bool forced = false);
    /** The kept events at or after `since`, oldest first. */
    QList<Event> eventsSince(qint64 since) const;
    /** How many events are kept (at most kEventCapacity). */
    int eventCount() const { return int(m_events.size()); }
    /** Every event recorded, the forgotten ones included: a change shows as a new total. */
    quint64 eventsRecorded() const { return m_eventsRecorded; }
    /** The provider ids Event::providerIndex points into. */
    const QStringList &providers() const { return m_providers; }
    void clearEvents();

private:
    QHash<QString, std::deque<qint64>> m_times; // per provider, ascending
    qint64 m_total = 0;
    std::vector<Event> m_events; // a ring: m_head is the oldest once it is full
    std::size_t m_head = 0;
    quint64 m_eventsRecorded = 0;
    QStringList m_providers;
};
