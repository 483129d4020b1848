// SPDX-License-Identifier: MIT
#pragma once

#include "cachetier.h"

#include <QFuture>
#include <QList>
#include <QString>

/**
 * Where the requests a loader made to an upstream source are noted, so that every process
 * sharing it counts them together (the app's panel shows the CLI's requests too). The SQLite
 * tier is one. Asynchronous like a CacheTier; a failure answers with an error or no counts.
 */
class RequestLogStore
{
public:
    virtual ~RequestLogStore() = default;
    /** One request to `source` at `at` (ms since the Unix epoch). */
    virtual QFuture<TierDoneResult> logRequest(const QString &source, qint64 at) = 0;
    /** How many requests to `source` at or after each of `since`; empty when unknown. */
    virtual QFuture<QList<qint64>> countRequests(const QString &source, const QList<qint64> &since)
        = 0;
};
