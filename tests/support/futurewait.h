// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>

#include <optional>
#include <source_location>

namespace FutureWait {

/** Records a failure of the running test at the caller's line (not this header's). */
inline void fail(const QByteArray &message, const std::source_location &where)
{
    QTest::qFail(message.constData(), where.file_name(), int(where.line()));
}

} // namespace FutureWait

/**
 * Spins the event loop until `future` finishes (at most `timeoutMs`) and returns its result;
 * nullopt on cancellation or no result, which the caller may expect and check. For tests only:
 * src/ never waits.
 *
 * A timeout always fails the running test (at the caller's line), whatever the caller checks
 * next: a test expecting a failure must not pass because the code hangs.
 */
template<typename T>
std::optional<T> waitForResult(QFuture<T> future, int timeoutMs = 10'000,
                               const std::source_location &where = std::source_location::current())
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        if (!future.isFinished() && !spy.wait(timeoutMs) && !future.isFinished()) {
            FutureWait::fail("waitForResult: the future did not finish within "
                                 + QByteArray::number(timeoutMs) + " ms (a hang?)",
                             where);
            return std::nullopt;
        }
    }
    if (future.isCanceled() || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

/**
 * The result of `future`, for callers that want one: a timeout, a cancellation or a future
 * without a result fails the running test (at the caller's line), and a default-constructed T
 * is returned so the caller can go on to its next check without crashing.
 */
template<typename T>
T awaitResult(QFuture<T> future, int timeoutMs = 10'000,
              const std::source_location &where = std::source_location::current())
{
    const bool finishedInTime = [&] {
        if (future.isFinished())
            return true;
        QFutureWatcher<T> watcher;
        QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        return future.isFinished() || spy.wait(timeoutMs) || future.isFinished();
    }();
    if (!finishedInTime) {
        FutureWait::fail("awaitResult: the future did not finish within "
                             + QByteArray::number(timeoutMs) + " ms (a hang?)",
                         where);
        return T{};
    }
    if (future.isCanceled() || future.resultCount() == 0) {
        FutureWait::fail("awaitResult: the future finished without a result (canceled)", where);
        return T{};
    }
    return future.result();
}
