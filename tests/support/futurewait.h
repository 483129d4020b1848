// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>

#include <optional>

namespace FutureWait {

/**
 * Records a failure of the running test at the caller's line (not this header's). The callers
 * take `file` and `line` from __builtin_FILE()/__builtin_LINE() default arguments, which give
 * the call site: std::source_location is not there for clang 14 with Debian's libstdc++ 12.
 */
inline void fail(const QByteArray &message, const char *file, int line)
{
    QTest::qFail(message.constData(), file, line);
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
                               const char *file = __builtin_FILE(), int line = __builtin_LINE())
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        if (!future.isFinished() && !spy.wait(timeoutMs) && !future.isFinished()) {
            FutureWait::fail("waitForResult: the future did not finish within "
                                 + QByteArray::number(timeoutMs) + " ms (a hang?)",
                             file, line);
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
T awaitResult(QFuture<T> future, int timeoutMs = 10'000, const char *file = __builtin_FILE(),
              int line = __builtin_LINE())
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
                         file, line);
        return T{};
    }
    if (future.isCanceled() || future.resultCount() == 0) {
        FutureWait::fail("awaitResult: the future finished without a result (canceled)", file,
                         line);
        return T{};
    }
    return future.result();
}
