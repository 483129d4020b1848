// SPDX-License-Identifier: MIT
#include "redisbudget.h"

#include "cache/clock.h"
#include "redisconnection.h"

#include <QRandomGenerator>

namespace {

const QByteArray kBudgetPrefix = QByteArrayLiteral("weatherdash:v1:budget:");
const QByteArray kBlockedPrefix = QByteArrayLiteral("weatherdash:v1:blocked:");
const QByteArray kBlockedChannel = QByteArrayLiteral("weatherdash:v1:blocked");

// Every time in these keys is the server's (TIME): no machine's clock enters Redis, so a
// machine whose clock runs an hour ahead neither queues the others nor lifts their blocks.
// Whatever is found is checked: slots stamped in the future (beyond kFutureToleranceMs) are
// dropped, a set or block without a TTL gets one, a key of another type goes, and a block
// lasts at most kMaxBlockMs however large the number in it.
//
// KEYS[1] the window, KEYS[2] the block; ARGV window, limit, member, max block, tolerance.
// {2, ms left of a block}: blocked; {1, count}: taken; {0, ms until the oldest leaves}.
const QByteArray kAcquireScript = QByteArrayLiteral(R"lua(
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local maxBlock = tonumber(ARGV[4])
local kind = redis.call('type', KEYS[2]).ok
if kind == 'string' then
  local untilMs = tonumber(string.match(redis.call('get', KEYS[2]), '^%d+') or '')
  if untilMs and untilMs > now then
    local left = math.floor(math.min(untilMs - now, maxBlock))
    local ttl = redis.call('pttl', KEYS[2])
    if ttl < 0 or ttl > left then redis.call('pexpire', KEYS[2], left) end
    return {2, left}
  end
  redis.call('del', KEYS[2]) -- over, or no block at all
elseif kind ~= 'none' then
  redis.call('del', KEYS[2])
end
kind = redis.call('type', KEYS[1]).ok
if kind ~= 'zset' and kind ~= 'none' then redis.call('del', KEYS[1]) end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
redis.call('zremrangebyscore', KEYS[1], '(' .. string.format('%d', now + tonumber(ARGV[5])), '+inf')
local count = redis.call('zcard', KEYS[1])
if count < tonumber(ARGV[2]) then
  redis.call('zadd', KEYS[1], now, ARGV[3])
  redis.call('pexpire', KEYS[1], window)
  return {1, count + 1}
end
redis.call('pexpire', KEYS[1], window)
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
local wait = math.floor(tonumber(oldest[2]) + window - now)
return {0, math.max(0, math.min(window, wait))}
)lua");

// KEYS[1] the block; ARGV its lifetime in ms, the max block, the provider, the channel.
// Never shortens a block; the until it stores is the server's; PUBLISHes
// "<provider> <ms left>" when it blocked longer.
const QByteArray kBlockScript = QByteArrayLiteral(R"lua(
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lifetime = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]))
local untilMs = now + lifetime
local kind = redis.call('type', KEYS[1]).ok
if kind == 'string' then
  local old = tonumber(string.match(redis.call('get', KEYS[1]), '^%d+') or '')
  if old and old >= untilMs and old - now <= tonumber(ARGV[2])
     and redis.call('pttl', KEYS[1]) >= 0 then return 0 end
elseif kind ~= 'none' then
  redis.call('del', KEYS[1])
end
redis.call('set', KEYS[1], string.format('%d', untilMs) .. ' rate-limited', 'PX', lifetime)
redis.call('publish', ARGV[4], ARGV[3] .. ' ' .. string.format('%d', lifetime))
return 1
)lua");

/** Slots are stamped by the server: one from its future is a fault beyond this. */
constexpr qint64 kFutureToleranceMs = 30'000;

} // namespace

RedisBudget::RedisBudget(const RedisUrl &url, Clock *clock, QObject *parent)
    : SharedBudget(parent)
    , m_url(url)
    , m_clock(clock ? clock : Clock::system())
    , m_connection(new RedisConnection(url, m_clock, {}, this))
    , m_subscriber(new RedisConnection(url, m_clock, {kBlockedChannel}, this))
{
    QByteArray token(8, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(token.data()), 2);
    m_memberPrefix = token.toHex() + ':';
    connect(m_subscriber, &RedisConnection::messageReceived, this,
            [this](const QByteArray &channel, const QByteArray &payload) {
                if (channel != kBlockedChannel)
                    return;
                // "<provider> <ms left>": a duration, so no machine's clock is in it.
                const QList<QByteArray> parts = payload.split(' ');
                bool ok = false;
                const qint64 left = parts.size() == 2 ? parts.at(1).toLongLong(&ok) : 0;
                if (ok && left > 0)
                    Q_EMIT blockShared(QString::fromUtf8(parts.at(0)),
                                       m_clock->now() + qMin(left, kMaxBlockMs));
            });
}

RedisBudget::~RedisBudget()
{
    delete std::exchange(m_subscriber, nullptr);
    delete std::exchange(m_connection, nullptr);
}

void RedisBudget::setTimeouts(qint64 connectMs, qint64 commandMs)
{
    m_connection->setTimeouts(connectMs, commandMs);
    m_subscriber->setTimeouts(connectMs, commandMs);
}

void RedisBudget::setRetryDelays(qint64 firstMs, qint64 maxMs)
{
    m_connection->setRetryDelays(firstMs, maxMs);
    m_subscriber->setRetryDelays(firstMs, maxMs);
}

bool RedisBudget::isAvailable() const
{
    return m_connection && m_connection->isReady();
}

bool RedisBudget::isListening() const
{
    return m_subscriber && m_subscriber->isReady();
}

QByteArray RedisBudget::providerPart(const QString &provider)
{
    QByteArray out;
    for (const QChar c : provider.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-')
            out += char(c.unicode());
    }
    return out.isEmpty() ? QByteArrayLiteral("unknown") : out;
}

QByteArray RedisBudget::budgetKey(const QString &provider)
{
    return kBudgetPrefix + providerPart(provider);
}

QByteArray RedisBudget::blockedKey(const QString &provider)
{
    return kBlockedPrefix + providerPart(provider);
}

QByteArray RedisBudget::blockedChannel()
{
    return kBlockedChannel;
}

void RedisBudget::acquire(const QString &provider, int perMinute, qint64 nowMs, Callback callback)
{
    using Verdict = Decision::Verdict;
    const QByteArray member = m_memberPrefix + QByteArray::number(++m_counter);
    m_connection->send({"EVAL", kAcquireScript, "2", budgetKey(provider), blockedKey(provider),
                        QByteArray::number(kWindowMs), QByteArray::number(qMax(1, perMinute)),
                        member, QByteArray::number(kMaxBlockMs),
                        QByteArray::number(kFutureToleranceMs)},
                       [this, callback, nowMs](const RedisReply &r) {
                           Decision d;
                           if (r.type != RedisReply::Type::Array || r.elements.size() != 2
                               || r.elements.at(0).type != RedisReply::Type::Integer
                               || r.elements.at(1).type != RedisReply::Type::Integer) {
                               d.verdict = Verdict::Unavailable;
                               d.reason = !m_connection ? r.failure
                                          : r.isError() ? m_connection->describe(r)
                                                        : m_connection->unexpected(r);
                               return callback(d);
                           }
                           // Durations on the server's clock, made times on the caller's;
                           // clamped again: the reply may not come from our script.
                           const qint64 ms = r.elements.at(1).integer;
                           switch (r.elements.at(0).integer) {
                           case 1:
                               d.verdict = Verdict::Granted;
                               break;
                           case 0:
                               d.verdict = Verdict::Wait;
                               d.untilMs = nowMs + qBound<qint64>(0, ms, kWindowMs);
                               break;
                           case 2:
                               d.verdict = Verdict::Blocked;
                               d.untilMs = nowMs + qBound<qint64>(0, ms, kMaxBlockMs);
                               break;
                           default:
                               d.verdict = Verdict::Unavailable;
                               d.reason = m_connection->unexpected(r);
                               break;
                           }
                           callback(d);
                       });
}

void RedisBudget::shareBlock(const QString &provider, qint64 untilMs, qint64 nowMs)
{
    // Sent as a duration: the script turns it into a time on the server's clock.
    const qint64 lifetime = qMin(untilMs - nowMs, kMaxBlockMs);
    if (lifetime <= 0)
        return;
    m_connection->send(
        {"EVAL", kBlockScript, "1", blockedKey(provider), QByteArray::number(lifetime),
         QByteArray::number(kMaxBlockMs), providerPart(provider), kBlockedChannel},
        [this](const RedisReply &r) {
            if (r.type != RedisReply::Type::Integer)
                qCInfo(lcRedis).noquote() << "rate limit not shared:"
                                          << (m_connection ? m_connection->describe(r) : r.failure);
        });
}
