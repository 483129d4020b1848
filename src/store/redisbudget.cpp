// SPDX-License-Identifier: MIT
#include "redisbudget.h"

#include "cache/clock.h"
#include "redisconnection.h"

#include <QRandomGenerator>

namespace {

const QByteArray kBudgetPrefix = QByteArrayLiteral("weatherdash:v1:budget:");
const QByteArray kBlockedPrefix = QByteArrayLiteral("weatherdash:v1:blocked:");
const QByteArray kBlockedChannel = QByteArrayLiteral("weatherdash:v1:blocked");
constexpr qint64 kWindowMs = 60'000;

// KEYS[1] the window, KEYS[2] the block; ARGV now, window, limit, member.
// {2, until}: blocked; {1, count}: taken; {0, when the oldest leaves the window}.
const QByteArray kAcquireScript = QByteArrayLiteral(R"lua(
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local blocked = redis.call('get', KEYS[2])
if blocked then
  local untilMs = tonumber(string.match(blocked, '^%d+'))
  if untilMs and untilMs > now then return {2, untilMs} end
end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local count = redis.call('zcard', KEYS[1])
if count < tonumber(ARGV[3]) then
  redis.call('zadd', KEYS[1], now, ARGV[4])
  redis.call('pexpire', KEYS[1], window)
  return {1, count + 1}
end
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window}
)lua");

// KEYS[1] the block; ARGV until, its lifetime in ms, the value. Never shortens a block.
const QByteArray kBlockScript = QByteArrayLiteral(R"lua(
local old = redis.call('get', KEYS[1])
if old then
  local oldUntil = tonumber(string.match(old, '^%d+'))
  if oldUntil and oldUntil >= tonumber(ARGV[1]) then return 0 end
end
redis.call('set', KEYS[1], ARGV[3], 'PX', ARGV[2])
return 1
)lua");

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
                // "<provider> <until ms>"
                const QList<QByteArray> parts = payload.split(' ');
                bool ok = false;
                const qint64 until = parts.size() == 2 ? parts.at(1).toLongLong(&ok) : 0;
                if (ok)
                    Q_EMIT blockShared(QString::fromUtf8(parts.at(0)), until);
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
                        QByteArray::number(nowMs), QByteArray::number(kWindowMs),
                        QByteArray::number(qMax(1, perMinute)), member},
                       [this, callback](const RedisReply &r) {
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
                           switch (r.elements.at(0).integer) {
                           case 1:
                               d.verdict = Verdict::Granted;
                               break;
                           case 0:
                               d.verdict = Verdict::Wait;
                               d.untilMs = r.elements.at(1).integer;
                               break;
                           case 2:
                               d.verdict = Verdict::Blocked;
                               d.untilMs = r.elements.at(1).integer;
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
    const qint64 lifetime = untilMs - nowMs;
    if (lifetime <= 0)
        return;
    const QByteArray until = QByteArray::number(untilMs);
    m_connection->send({"EVAL", kBlockScript, "1", blockedKey(provider), until,
                        QByteArray::number(lifetime), until + " rate-limited"},
                       [this, provider, until](const RedisReply &r) {
                           if (r.type != RedisReply::Type::Integer) {
                               qCInfo(lcRedis).noquote()
                                   << "rate limit not shared:"
                                   << (m_connection ? m_connection->describe(r) : r.failure);
                               return;
                           }
                           if (r.integer == 1)
                               m_connection->send({"PUBLISH", kBlockedChannel,
                                                   providerPart(provider) + ' ' + until},
                                                  [](const RedisReply &) {});
                       });
}
