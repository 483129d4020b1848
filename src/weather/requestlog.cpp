// SPDX-License-Identifier: MIT
#include "requestlog.h"

#include <algorithm>

void RequestLog::record(const QString &provider, qint64 at)
{
    std::deque<qint64> &times = m_times[provider];
    // A clock set back must not break the order the counts rely on.
    times.push_back(times.empty() ? at : qMax(at, times.back()));
    while (!times.empty() && times.front() < at - kKeepMs)
        times.pop_front();
    ++m_total;
}

qint64 RequestLog::countSince(const QString &provider, qint64 since) const
{
    const auto it = m_times.constFind(provider);
    if (it == m_times.cend())
        return 0;
    const std::deque<qint64> &times = *it;
    return qint64(times.end() - std::lower_bound(times.begin(), times.end(), since));
}

void RequestLog::recordEvent(Event::Kind kind, qint64 at, const QString &provider, bool forced)
{
    Event event;
    event.kind = kind;
    event.forced = forced;
    if (!provider.isEmpty()) {
        qsizetype index = m_providers.indexOf(provider);
        if (index < 0 && m_providers.size() < 255) {
            m_providers.append(provider);
            index = m_providers.size() - 1;
        }
        event.providerIndex = quint8(qMax<qsizetype>(0, index));
    }
    // Kept in order even if the clock is set back, like the counts.
    const qint64 last
        = m_events.empty() ? at : m_events[(m_head + m_events.size() - 1) % m_events.size()].at;
    event.at = qMax(at, last);
    if (m_events.size() < std::size_t(kEventCapacity)) {
        if (m_events.capacity() == 0)
            m_events.reserve(kEventCapacity); // the whole ring at once: no growth later
        m_events.push_back(event);
    } else {
        m_events[m_head] = event;
        m_head = (m_head + 1) % m_events.size();
    }
    ++m_eventsRecorded;
}

QList<RequestLog::Event> RequestLog::eventsSince(qint64 since) const
{
    QList<Event> out;
    const std::size_t n = m_events.size();
    // The ring is in time order from m_head: find the first at or after `since` by bisection.
    std::size_t lo = 0;
    std::size_t hi = n;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (m_events[(m_head + mid) % n].at < since)
            lo = mid + 1;
        else
            hi = mid;
    }
    out.reserve(qsizetype(n - lo));
    for (std::size_t i = lo; i < n; ++i)
        out.append(m_events[(m_head + i) % n]);
    return out;
}

void RequestLog::clearEvents()
{
    m_events.clear();
    m_events.shrink_to_fit();
    m_head = 0;
}
