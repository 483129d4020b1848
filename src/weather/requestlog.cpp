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
