// SPDX-License-Identifier: MIT
#pragma once

#include "asynccache.h"

#include <QVariant>

#include <functional>
#include <type_traits>

/**
 * Async memoization, as aiocache's `@cached(ttl=...)` does it: wrap an async function so
 * that calls with the same arguments within the TTL share one result, and concurrent calls
 * share one run.
 *
 *     AsyncCache<quint64> cache;
 *     std::function<QFuture<CacheResult<quint64>>(int)> fib;
 *     fib = memoize<quint64, int>(&cache, u"fib"_s, [&](int n) { ... fib(n - 1) ... });
 *
 * The cache is borrowed and must outlive the returned function.
 */
namespace MemoizeDetail {

inline QString keyPart(const QString &s)
{
    return s;
}

template<typename A>
QString keyPart(const A &a)
{
    if constexpr (std::is_arithmetic_v<A>)
        return QString::number(a);
    else
        return QVariant::fromValue(a).toString();
}

} // namespace MemoizeDetail

template<typename R, typename... Args, typename F>
std::function<QFuture<CacheResult<R>>(Args...)> memoize(AsyncCache<R> *cache, const QString &name,
                                                        F function,
                                                        qint64 ttlMs = AsyncCache<R>::kDefaultTtl)
{
    static_assert(std::is_invocable_r_v<QFuture<Outcome<R>>, F, Args...>,
                  "the memoized function must return QFuture<Outcome<R>>");
    return [cache, name, function = std::move(function), ttlMs](Args... args) {
        QString key = name;
        ((key += u'\x1f' + MemoizeDetail::keyPart(args)), ...);
        return cache->get(
            key, [function, args...]() { return function(args...); }, ttlMs);
    };
}
