// SPDX-License-Identifier: MIT
#include "redisalertclaims.h"

#include "cache/clock.h"
#include "redisconnection.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
const QByteArray kToldPrefix = QByteArrayLiteral("weatherdash:v1:alert-told:");
constexpr qint64 kMinTtlMs = 60'000;

/** Keeps a key readable and unambiguous: the ':' that separates user and id is escaped. */
QByteArray token(const QString &text)
{
    return QUrl::toPercentEncoding(text, "@._-~");
}
} // namespace

RedisAlertClaims::RedisAlertClaims(const RedisUrl &url, Clock *clock, const QString &user,
                                   QObject *parent)
    : QObject(parent)
    , m_connection(new RedisConnection(url, clock, {}, this))
    , m_clock(clock)
    , m_user(!user.isEmpty()       ? user
             : !url.user.isEmpty() ? url.user
                                   : qEnvironmentVariable("USER", u"default"_s))
{ }

RedisAlertClaims::~RedisAlertClaims() = default;

QByteArray RedisAlertClaims::key(const QString &alertId) const
{
    return kToldPrefix + token(m_user) + ':' + token(alertId);
}

void RedisAlertClaims::claim(const QString &alertId, qint64 ttlMs, QObject *context, Answer answer)
{
    QPointer<QObject> guard(context);
    m_connection->send({"SET", key(alertId), QByteArray::number(m_clock->now()), "NX", "PX",
                        QByteArray::number(qMax(kMinTtlMs, ttlMs))},
                       [guard, answer](const RedisReply &reply) {
                           if (!guard)
                               return;
                           if (reply.isText("OK"))
                               answer(Claim::First);
                           else if (reply.type == RedisReply::Type::Nil)
                               answer(Claim::AlreadyTold);
                           else
                               answer(Claim::Unavailable);
                       });
}
