// SPDX-License-Identifier: MIT
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QSignalSpy>

#include <optional>

/**
 * Spins the event loop until `future` finishes (at most `timeoutMs`) and returns its result;
 * nullopt on timeout, cancellation or no result. For tests only: src/ never waits.
 */
template<typename T>
std::optional<T> waitForResult(QFuture<T> future, int timeoutMs = 10'000)
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        if (!future.isFinished() && !spy.wait(timeoutMs))
            return std::nullopt;
    }
    if (future.isCanceled() || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

/**
 * waitForResult(), or a default-constructed T when the future did not finish in time: the test
 * then fails on whatever it checks next, with a readable comparison.
 */
template<typename T>
T awaitResult(QFuture<T> future, int timeoutMs = 10'000)
{
    return waitForResult(std::move(future), timeoutMs).value_or(T{});
}
