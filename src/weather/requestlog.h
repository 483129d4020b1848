// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>

#include <deque>

/**
 * The requests this process made, per provider, for the last kKeepMs: what the panel counts
 * against the provider's limits when there is no disk to share counts through (the disk tier
 * keeps everyone's, the CLI's included).
 */
class RequestLog
{
public:
    static constexpr qint64 kKeepMs = 2LL * 24 * 3600 * 1000;

    /** One request to `provider` at `at` (ms since the epoch; not before the last one). */
    void record(const QString &provider, qint64 at);
    /** Requests to `provider` at or after `since`. */
    qint64 countSince(const QString &provider, qint64 since) const;
    qint64 total() const { return m_total; }

private:
    QHash<QString, std::deque<qint64>> m_times; // per provider, ascending
    qint64 m_total = 0;
};
