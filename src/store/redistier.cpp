// SPDX-License-Identifier: MIT
#include "redistier.h"

#include "cache/clock.h"
#include "cache/layeredcache.h"
#include "redisconnection.h"

#include <QRandomGenerator>
#include <QSet>
#include <QStringEncoder>
#include <QtEndian>

#include <charconv>
#include <chrono>
#include <cstring>
#include <limits>
#include <vector>

namespace {

const QByteArray kPrefix = QByteArrayLiteral("weatherdash:v1:");
const QByteArray kLeasePrefix = QByteArrayLiteral("weatherdash:v1:lock:");
const QByteArray kLandedChannel = QByteArrayLiteral("weatherdash:v1:landed");
// The shared provider budget's keys (RedisBudget) live in our namespace but are not entries:
// clear() leaves them, so clearing a cache never lifts another machine's rate-limit block.
const QByteArray kBudgetPrefix = QByteArrayLiteral("weatherdash:v1:budget:");
const QByteArray kBlockedPrefix = QByteArrayLiteral("weatherdash:v1:blocked:");
// Never sleep longer than this between renewal checks (a suspend, a clock without jumps).
constexpr qint64 kMaxRenewSleepMs = 60'000;

bool isBudgetKey(const QByteArray &key)
{
    return key.startsWith(kBudgetPrefix) || key.startsWith(kBlockedPrefix);
}

// The stored value: "WD", version, flags, loadedAt and ttlMs (big-endian int64), the bytes.
constexpr char kMagic0 = 'W';
constexpr char kMagic1 = 'D';
constexpr char kVersion = 1;
constexpr char kFlagNegative = 0x01;
constexpr qsizetype kHeaderSize = 4 + 8 + 8;

// Take-or-check: the lease is ours (1) or another's (0). A lease key that would never end
// (no TTL: written by hand, or by a broken client; or a key of another type) is given one
// lease length, so a machine waits for it at most once.
const QByteArray kLeaseScript = QByteArrayLiteral(
    "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end "
    "if redis.call('pttl', KEYS[1]) == -1 then redis.call('pexpire', KEYS[1], ARGV[2]) end "
    "return 0");
// Compare-and-delete: the lease goes only if the token is still the one that took it (a key
// of another type is nobody's lease, and no error either).
const QByteArray kReleaseScript = QByteArrayLiteral(
    "if redis.call('type', KEYS[1]).ok == 'string' and redis.call('get', KEYS[1]) == ARGV[1] "
    "then return redis.call('del', KEYS[1]) else return 0 end");
// Compare-and-extend: only a lease that is still ours lives longer.
const QByteArray kRenewScript = QByteArrayLiteral(
    "if redis.call('type', KEYS[1]).ok == 'string' and redis.call('get', KEYS[1]) == ARGV[1] "
    "then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end");

template<typename R>
void answer(const std::shared_ptr<QPromise<R>> &promise, R result)
{
    promise->addResult(std::move(result));
    promise->finish();
}

// The callback forms' sink: the same answer, no promise.
template<typename R>
void answer(const std::function<void(const R &)> &handler, R result)
{
    handler(result);
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (qAddOverflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

} // namespace

RedisTier::RedisTier(const RedisUrl &url, Clock *clock, QObject *parent)
    : CacheTier(parent)
    , m_url(url)
    , m_clock(clock ? clock : Clock::system())
    , m_connection(new RedisConnection(url, m_clock, {}, this))
{
    connect(m_connection, &RedisConnection::statusChanged, this, &RedisTier::statusChanged);
    m_renewTimer.setSingleShot(true);
    connect(&m_renewTimer, &QTimer::timeout, this, &RedisTier::renewLeases);
    // A ManualClock moves by jumps: renewals are due then, so tests never wait.
    connect(m_clock, &Clock::jumped, this, &RedisTier::renewLeases);
}

RedisTier::~RedisTier()
{
    // Waiting requests are answered while every member is still there; multi-step requests
    // see m_closing and stop.
    m_closing = true;
    // Deleted while the pointers still point at them: the connection answers what waits with
    // "closed" from its destructor, and those handlers ask it to describe that answer (its
    // members are all still there then). Nulled first, they met a null pointer.
    delete m_subscriber;
    m_subscriber = nullptr;
    delete m_connection;
    m_connection = nullptr;
    for (const auto &start : std::exchange(m_held, {}))
        start(); // with m_closing set, each answers "closed" at once
}

void RedisTier::setTimeouts(qint64 connectMs, qint64 commandMs)
{
    m_connection->setTimeouts(connectMs, commandMs);
    if (m_subscriber)
        m_subscriber->setTimeouts(connectMs, commandMs);
}

void RedisTier::setRetryDelays(qint64 firstMs, qint64 maxMs)
{
    m_connection->setRetryDelays(firstMs, maxMs);
    if (m_subscriber)
        m_subscriber->setRetryDelays(firstMs, maxMs);
}

bool RedisTier::isAvailable() const
{
    return m_connection && m_connection->isReady();
}

QString RedisTier::lastError() const
{
    return m_connection ? m_connection->lastError() : QString();
}

QByteArray RedisTier::redisKey(const QString &key)
{
    // One allocation: the key's UTF-8 is written straight after the prefix.
    QStringEncoder utf8(QStringEncoder::Utf8);
    QByteArray out(kPrefix.size() + utf8.requiredSpace(key.size()), Qt::Uninitialized);
    std::memcpy(out.data(), kPrefix.constData(), size_t(kPrefix.size()));
    const char *end = utf8.appendToBuffer(out.data() + kPrefix.size(), key);
    out.truncate(end - out.constData());
    return out;
}

QByteArray RedisTier::leaseKey(const QString &key)
{
    return kLeasePrefix + key.toUtf8();
}

QByteArray RedisTier::landedChannel()
{
    return kLandedChannel;
}

QByteArray RedisTier::encodeValue(const TierEntry &entry)
{
    QByteArray out(kHeaderSize + entry.value.size(), Qt::Uninitialized); // one allocation
    char *p = out.data();
    p[0] = kMagic0;
    p[1] = kMagic1;
    p[2] = kVersion;
    p[3] = entry.negative ? kFlagNegative : char(0);
    qToBigEndian<qint64>(entry.loadedAt, p + 4);
    qToBigEndian<qint64>(entry.ttlMs, p + 12);
    if (!entry.value.isEmpty())
        std::memcpy(p + kHeaderSize, entry.value.constData(), size_t(entry.value.size()));
    return out;
}

std::optional<TierEntry> RedisTier::decodeValue(const QByteArray &stored)
{
    if (stored.size() < kHeaderSize || stored.at(0) != kMagic0 || stored.at(1) != kMagic1
        || stored.at(2) != kVersion || (stored.at(3) & ~kFlagNegative) != 0)
        return std::nullopt;
    TierEntry entry;
    entry.negative = (stored.at(3) & kFlagNegative) != 0;
    entry.loadedAt = qFromBigEndian<qint64>(stored.constData() + 4);
    entry.ttlMs = qFromBigEndian<qint64>(stored.constData() + 12);
    entry.value = stored.mid(kHeaderSize);
    return entry;
}

template<typename R, typename F>
QFuture<R> RedisTier::run(F start)
{
    // Made started (as QPromise::start() leaves it) without start()'s lock: on every request.
    auto promise = std::make_shared<QPromise<R>>(QFutureInterface<R>(QFutureInterfaceBase::State(
        QFutureInterfaceBase::Started | QFutureInterfaceBase::Running)));
    QFuture<R> future = promise->future();
    runWith<R>(std::move(promise), std::move(start));
    return future;
}

template<typename R, typename Sink, typename F>
void RedisTier::runWith(Sink sink, F start)
{
    if (m_closing) {
        answer(sink, R::failure(tr("The shared cache at %1 was closed.").arg(endpoint())));
    } else if (m_clearsRunning > 0) {
        if (qsizetype(m_held.size()) >= kMaxHeld) {
            answer(sink,
                   R::failure(tr("The shared cache at %1 is too slow: %2 requests already wait "
                                 "for it to be cleared.")
                                  .arg(endpoint(), QString::number(kMaxHeld))));
        } else {
            m_held.push_back([this, start = std::move(start), sink = std::move(sink)] {
                if (m_closing)
                    answer(sink,
                           R::failure(tr("The shared cache at %1 was closed.").arg(endpoint())));
                else
                    start(sink);
            });
        }
    } else {
        start(std::move(sink));
    }
}

template<typename Sink>
void RedisTier::startGet(const QString &key, Sink sink)
{
    m_connection->sendViews({"GET", redisKey(key)}, [this, sink](const RedisReply &r) {
        // A key of another type under our prefix is no entry of ours: absent (a put()
        // replaces it), not a failing shared cache.
        if (r.type == RedisReply::Type::Nil
            || (r.type == RedisReply::Type::Error && r.text.startsWith("WRONGTYPE")))
            return answer(sink, TierGetResult::success(std::nullopt));
        if (r.type != RedisReply::Type::String)
            return answer(sink, TierGetResult::failure(m_connection->describe(r)));
        std::optional<TierEntry> entry = decodeValue(r.text);
        if (!entry)
            qCDebug(lcRedis) << "an entry not of this version, read as absent";
        answer(sink, TierGetResult::success(std::move(entry)));
    });
}

template<typename Sink>
void RedisTier::startPut(const QString &key, const TierEntry &entry, Sink sink)
{
    // What is left of its life, plus the horizon in which a stale entry is still shown.
    const qint64 px
        = qMin(saturatingAdd(saturatingAdd(entry.expiresAt(), m_staleHorizonMs), -m_clock->now()),
               kMaxLifetimeMs);
    if (px <= 0) {
        // Already past the horizon: nobody may be shown it; what was there is older still.
        m_connection->send({"UNLINK", redisKey(key)}, [this, sink](const RedisReply &r) {
            if (r.isError())
                return answer(sink, TierDoneResult::failure(m_connection->describe(r)));
            answer(sink, TierDoneResult::success());
        });
        return;
    }
    char pxText[24];
    const auto pxEnd = std::to_chars(pxText, pxText + sizeof pxText, px).ptr;
    m_connection->sendViews(
        {"SET", redisKey(key), encodeValue(entry), "PX", QByteArrayView(pxText, pxEnd)},
        [this, sink](const RedisReply &r) {
            if (r.isError())
                return answer(sink, TierDoneResult::failure(m_connection->describe(r)));
            if (!r.isText("OK"))
                return answer(sink, TierDoneResult::failure(m_connection->unexpected(r)));
            answer(sink, TierDoneResult::success());
        });
}

QFuture<TierGetResult> RedisTier::get(const QString &key)
{
    return run<TierGetResult>(
        [this, key](PromisePtr<TierGetResult> promise) { startGet(key, std::move(promise)); });
}

QFuture<TierDoneResult> RedisTier::put(const QString &key, const TierEntry &entry)
{
    return run<TierDoneResult>([this, key, entry](PromisePtr<TierDoneResult> promise) {
        startPut(key, entry, std::move(promise));
    });
}

void RedisTier::readEntry(const QString &key, GetHandler handler)
{
    runWith<TierGetResult>(std::move(handler),
                           [this, key](GetHandler h) { startGet(key, std::move(h)); });
}

void RedisTier::writeEntry(const QString &key, const TierEntry &entry, DoneHandler handler)
{
    runWith<TierDoneResult>(std::move(handler), [this, key, entry](DoneHandler h) {
        startPut(key, entry, std::move(h));
    });
}

QFuture<TierDoneResult> RedisTier::remove(const QString &key)
{
    return run<TierDoneResult>([this, key](PromisePtr<TierDoneResult> promise) {
        m_connection->send({"UNLINK", redisKey(key)}, [this, promise](const RedisReply &r) {
            if (r.isError())
                return answer(promise, TierDoneResult::failure(m_connection->describe(r)));
            answer(promise, TierDoneResult::success());
        });
    });
}

QFuture<TierDoneResult> RedisTier::clear()
{
    return run<TierDoneResult>([this](PromisePtr<TierDoneResult> promise) {
        ++m_clearsRunning;
        clearStep(promise, "0");
    });
}

void RedisTier::clearStep(const PromisePtr<TierDoneResult> &promise, const QByteArray &cursor)
{
    m_connection->send(
        {"SCAN", cursor, "MATCH", kPrefix + '*', "COUNT", QByteArray::number(kScanBatch)},
        [this, promise](const RedisReply &r) {
            auto finish = [this, promise](TierDoneResult result) {
                answer(promise, std::move(result));
                clearFinished();
            };
            if (r.isError())
                return finish(TierDoneResult::failure(m_connection->describe(r)));
            if (r.type != RedisReply::Type::Array || r.elements.size() != 2
                || r.elements.at(1).type != RedisReply::Type::Array)
                return finish(TierDoneResult::failure(m_connection->unexpected(r)));
            const QByteArray next = r.elements.at(0).text;
            QList<QByteArray> unlink{"UNLINK"};
            for (const RedisReply &key : r.elements.at(1).elements) {
                if (!isBudgetKey(key.text))
                    unlink.append(key.text);
            }
            auto proceed = [this, promise, next, finish] {
                if (m_closing)
                    return finish(TierDoneResult::failure(
                        tr("The shared cache at %1 was closed.").arg(endpoint())));
                if (next == "0")
                    return finish(TierDoneResult::success());
                clearStep(promise, next);
            };
            if (unlink.size() == 1)
                return proceed();
            m_connection->send(unlink, [this, proceed, finish](const RedisReply &d) {
                if (d.isError())
                    return finish(TierDoneResult::failure(m_connection->describe(d)));
                proceed();
            });
        });
}

void RedisTier::clearFinished()
{
    if (--m_clearsRunning > 0 || m_closing)
        return;
    // In the order they were asked; one of them may be another clear(), which holds the rest.
    while (!m_held.empty() && m_clearsRunning == 0) {
        std::function<void()> start = std::move(m_held.front());
        m_held.pop_front();
        start();
    }
}

struct RedisTier::ListState
{
    PromisePtr<TierListResult> promise;
    QList<TierRecord> records;
    QSet<QByteArray> seen; // SCAN may return a key twice
};

QFuture<TierListResult> RedisTier::list()
{
    return run<TierListResult>([this](PromisePtr<TierListResult> promise) {
        auto state = std::make_shared<ListState>();
        state->promise = std::move(promise);
        listStep(state, "0");
    });
}

void RedisTier::listStep(const std::shared_ptr<ListState> &state, const QByteArray &cursor)
{
    m_connection->send(
        {"SCAN", cursor, "MATCH", kPrefix + '*', "COUNT", QByteArray::number(kScanBatch)},
        [this, state](const RedisReply &r) {
            if (r.isError())
                return answer(state->promise, TierListResult::failure(m_connection->describe(r)));
            if (r.type != RedisReply::Type::Array || r.elements.size() != 2
                || r.elements.at(1).type != RedisReply::Type::Array)
                return answer(state->promise, TierListResult::failure(m_connection->unexpected(r)));
            const QByteArray next = r.elements.at(0).text;
            QList<QByteArray> keys;
            for (const RedisReply &key : r.elements.at(1).elements) {
                if (key.text.startsWith(kLeasePrefix) || isBudgetKey(key.text)
                    || state->seen.contains(key.text))
                    continue;
                state->seen.insert(key.text);
                keys.append(key.text);
            }
            auto proceed = [this, state, next] {
                if (m_closing)
                    return answer(state->promise,
                                  TierListResult::failure(
                                      tr("The shared cache at %1 was closed.").arg(endpoint())));
                if (next == "0")
                    return answer(state->promise, TierListResult::success(state->records));
                if (state->records.size() > kMaxListed)
                    return answer(state->promise,
                                  TierListResult::failure(
                                      tr("The shared cache at %1 holds more than %2 entries; "
                                         "WeatherDash reads them one by one instead.")
                                          .arg(endpoint(), QString::number(kMaxListed))));
                listStep(state, next);
            };
            if (keys.isEmpty())
                return proceed();
            QList<QByteArray> mget{"MGET"};
            mget.append(keys);
            m_connection->send(mget, [this, state, keys, proceed](const RedisReply &values) {
                if (values.isError())
                    return answer(state->promise,
                                  TierListResult::failure(m_connection->describe(values)));
                if (values.type != RedisReply::Type::Array || values.elements.size() != keys.size())
                    return answer(state->promise,
                                  TierListResult::failure(m_connection->unexpected(values)));
                for (qsizetype i = 0; i < keys.size(); ++i) {
                    if (values.elements.at(i).type != RedisReply::Type::String)
                        continue; // gone meanwhile
                    std::optional<TierEntry> entry = decodeValue(values.elements.at(i).text);
                    if (!entry)
                        continue; // not ours
                    // Loaded in the future (another machine's clock runs ahead) or with an
                    // impossible TTL: of unknown age, no warm start shows it.
                    if (LayeredCacheBase::checkEntry(*entry, m_clock->now(),
                                                     LayeredCacheBase::kTierForeverMs)
                        != LayeredCacheBase::EntryFault::None)
                        continue;
                    state->records.append(
                        {QString::fromUtf8(keys.at(i).mid(kPrefix.size())), std::move(*entry)});
                }
                proceed();
            });
        });
}

QFuture<TierResult<QByteArray>> RedisTier::tryLease(const QString &key, qint64 leaseMs)
{
    using R = TierResult<QByteArray>;
    // Whoever may lose the race must hear when the winner's value lands.
    watchLandings(true);
    return run<R>([this, key, leaseMs](PromisePtr<R> promise) {
        QByteArray token(16, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(token.data()), 4);
        token = token.toHex();
        const qint64 lease = qBound<qint64>(1, leaseMs, kMaxLifetimeMs);
        m_connection->send(
            {"EVAL", kLeaseScript, "1", leaseKey(key), token, QByteArray::number(lease)},
            [this, promise, token, key, lease](const RedisReply &r) {
                if (r.type == RedisReply::Type::Integer && r.integer == 0)
                    return answer(promise, R::success(QByteArray()));
                if (r.type != RedisReply::Type::Integer || r.integer != 1)
                    return answer(promise, R::failure(r.isError() ? m_connection->describe(r)
                                                                  : m_connection->unexpected(r)));
                if (!m_closing) {
                    const qint64 now = m_clock->now();
                    m_leases.insert(key, {token, lease, now, now + qMax<qint64>(1, lease / 3)});
                    armRenewal();
                }
                answer(promise, R::success(token));
            });
    });
}

QFuture<TierResult<bool>> RedisTier::releaseLease(const QString &key, const QByteArray &token)
{
    using R = TierResult<bool>;
    if (const auto it = m_leases.constFind(key); it != m_leases.cend() && it->token == token)
        m_leases.erase(it);
    return run<R>([this, key, token](PromisePtr<R> promise) {
        m_connection->send({"EVAL", kReleaseScript, "1", leaseKey(key), token},
                           [this, promise](const RedisReply &r) {
                               if (r.type != RedisReply::Type::Integer)
                                   return answer(promise, R::failure(m_connection->describe(r)));
                               answer(promise, R::success(r.integer == 1));
                           });
    });
}

QFuture<TierDoneResult> RedisTier::announceLanded(const QString &key)
{
    return run<TierDoneResult>([this, key](PromisePtr<TierDoneResult> promise) {
        m_connection->send(
            {"PUBLISH", kLandedChannel, key.toUtf8()}, [this, promise](const RedisReply &r) {
                if (r.type != RedisReply::Type::Integer)
                    return answer(promise, TierDoneResult::failure(m_connection->describe(r)));
                answer(promise, TierDoneResult::success());
            });
    });
}

void RedisTier::watchLandings(bool on)
{
    if (on == bool(m_subscriber))
        return;
    if (!on) {
        delete std::exchange(m_subscriber, nullptr);
        return;
    }
    m_subscriber = new RedisConnection(m_url, m_clock, {kLandedChannel}, this);
    m_subscriber->setTimeouts(m_connection->connectTimeout(), m_connection->commandTimeout());
    connect(m_subscriber, &RedisConnection::messageReceived, this,
            [this](const QByteArray &channel, const QByteArray &payload) {
                if (channel == kLandedChannel)
                    Q_EMIT entryLanded(QString::fromUtf8(payload));
            });
    // Ready again (the first subscription, or after Redis was down): each time, say so.
    connect(m_subscriber, &RedisConnection::statusChanged, this, [this](bool ok) {
        if (ok)
            Q_EMIT landingsHeard();
    });
}

bool RedisTier::isWatchingLandings() const
{
    return m_subscriber && m_subscriber->isReady();
}

void RedisTier::renewLeases()
{
    if (m_closing || m_leases.isEmpty())
        return;
    const qint64 now = m_clock->now();
    struct Due
    {
        QString key;
        QByteArray token;
        qint64 leaseMs;
    };
    std::vector<Due> due;
    for (auto it = m_leases.begin(); it != m_leases.end();) {
        HeldLease &held = it.value();
        if (now - held.takenAt >= kMaxLeaseHoldMs) {
            qCInfo(lcRedis) << "a load held its lease for" << (now - held.takenAt) / 1000
                            << "s; no longer renewed";
            it = m_leases.erase(it);
            continue;
        }
        if (now >= held.renewAt) {
            held.renewAt = now + qMax<qint64>(1, held.leaseMs / 3);
            due.push_back({it.key(), held.token, held.leaseMs});
        }
        ++it;
    }
    armRenewal();
    // Sent after the walk: a connection that is down answers at once, from inside send().
    for (const Due &d : due) {
        m_connection->send(
            {"EVAL", kRenewScript, "1", leaseKey(d.key), d.token, QByteArray::number(d.leaseMs)},
            [this, key = d.key, token = d.token](const RedisReply &r) {
                // 0: it ran out and another took it; a failure: try later.
                if (r.type != RedisReply::Type::Integer || r.integer != 0)
                    return;
                if (const auto lost = m_leases.constFind(key);
                    lost != m_leases.cend() && lost->token == token) {
                    qCDebug(lcRedis) << "lease on" << key << "lost";
                    m_leases.erase(lost);
                    armRenewal();
                }
            });
    }
}

void RedisTier::armRenewal()
{
    if (m_leases.isEmpty()) {
        m_renewTimer.stop();
        return;
    }
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const HeldLease &held : std::as_const(m_leases))
        earliest = qMin(earliest, held.renewAt);
    const qint64 delay = qBound<qint64>(0, earliest - m_clock->now(), kMaxRenewSleepMs);
    m_renewTimer.start(std::chrono::milliseconds(delay));
}
