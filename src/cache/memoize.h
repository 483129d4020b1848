// SPDX-License-Identifier: MIT
#pragma once

#include "asynccache.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cmath>
#include <concepts>
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
 * The key is exact: equal keys mean equal arguments. Integers and enums by value, floating
 * point by a round-trip exact text (-0.0 and 0.0 differ; every NaN is one key), strings,
 * byte arrays and string lists length-prefixed (a separator inside one cannot make two calls
 * collide). Another type is keyed by a `QString memoizeKey(const T &)` found by
 * argument-dependent lookup, which must be exact too; without one, memoize() does not compile.
 *
 * The cache is borrowed and must outlive the returned function.
 */
namespace MemoizeDetail {

template<typename A>
concept HasMemoizeKey = requires(const A &a)
{
    {
        memoizeKey(a)
        } -> std::convertible_to<QString>;
};

template<typename A>
constexpr bool isKeyable
    = (std::is_arithmetic_v<A> && !std::is_same_v<A, long double>)
      || std::is_enum_v<
          A> || std::is_same_v<A, QString> || std::is_same_v<A, QByteArray> || std::is_same_v<A, QStringList> || HasMemoizeKey<A>;

inline void appendCounted(QString &key, QStringView s)
{
    key += QString::number(s.size());
    key += u':';
    key += s;
}

template<typename A>
void appendPart(QString &key, const A &a)
{
    static_assert(isKeyable<A>,
                  "memoize(): this argument type cannot be keyed exactly; use an integer, "
                  "floating point (not long double), enum, QString, QByteArray or QStringList, "
                  "or give the type a `QString memoizeKey(const T &)` found by ADL");
    key += u'\x1f';
    if constexpr (std::is_same_v<A, bool>) {
        key += a ? u'1' : u'0';
    } else if constexpr (std::is_enum_v<A>) {
        appendPart(key, static_cast<std::underlying_type_t<A>>(a));
    } else if constexpr (std::is_integral_v<A> && std::is_signed_v<A>) {
        key += QString::number(qlonglong(a));
    } else if constexpr (std::is_integral_v<A>) {
        key += QString::number(qulonglong(a));
    } else if constexpr (std::is_floating_point_v<A>) {
        // 17 significant digits give back the same double (a float widens exactly).
        const double d = double(a);
        if (std::isnan(d))
            key += u"nan";
        else if (d == 0)
            key += std::signbit(d) ? u"-0" : u"0";
        else
            key += QString::number(d, 'g', 17);
    } else if constexpr (std::is_same_v<A, QString>) {
        appendCounted(key, a);
    } else if constexpr (std::is_same_v<A, QByteArray>) {
        appendCounted(key, QString::fromLatin1(a)); // one char per byte: every byte kept
    } else if constexpr (std::is_same_v<A, QStringList>) {
        key += QString::number(a.size());
        for (const QString &s : a) {
            key += u':';
            appendCounted(key, s);
        }
    } else {
        appendCounted(key, QString(memoizeKey(a)));
    }
}

} // namespace MemoizeDetail

template<typename R, typename... Args, typename F>
std::function<QFuture<CacheResult<R>>(Args...)> memoize(AsyncCache<R> *cache, const QString &name,
                                                        F function,
                                                        qint64 ttlMs = AsyncCache<R>::kDefaultTtl)
{
    static_assert(std::is_invocable_r_v<QFuture<Outcome<R>>, F, Args...>,
                  "the memoized function must return QFuture<Outcome<R>>");
    static_assert((MemoizeDetail::isKeyable<std::remove_cvref_t<Args>> && ...),
                  "memoize(): an argument type cannot be keyed exactly (see memoize.h)");
    return [cache, name, function = std::move(function), ttlMs](Args... args) {
        QString key = name;
        (MemoizeDetail::appendPart(key, std::remove_cvref_t<Args>(args)), ...);
        return cache->get(
            key, [function, args...]() { return function(args...); }, ttlMs);
    };
}
