// SPDX-License-Identifier: MIT
#include "fakeredis.h"

#include "cache/clock.h"

#include <QTcpSocket>

namespace {

QByteArray bulk(const QByteArray &bytes)
{
    return '$' + QByteArray::number(bytes.size()) + "\r\n" + bytes + "\r\n";
}

QByteArray integer(qint64 n)
{
    return ':' + QByteArray::number(n) + "\r\n";
}

constexpr QByteArrayView kNil = "$-1\r\n";

/** One complete command (an array of bulk strings) from the front of `in`, consumed. */
bool takeCommand(QByteArray &in, QList<QByteArray> &args)
{
    args.clear();
    if (!in.startsWith('*'))
        return false;
    qsizetype pos = in.indexOf("\r\n");
    if (pos < 0)
        return false;
    const int count = in.mid(1, pos - 1).toInt();
    pos += 2;
    for (int i = 0; i < count; ++i) {
        if (pos >= in.size() || in.at(pos) != '$')
            return false;
        const qsizetype end = in.indexOf("\r\n", pos);
        if (end < 0)
            return false;
        const qsizetype len = in.mid(pos + 1, end - pos - 1).toLongLong();
        if (in.size() < end + 2 + len + 2)
            return false;
        args.append(in.mid(end + 2, len));
        pos = end + 2 + len + 2;
    }
    in.remove(0, pos);
    return true;
}

} // namespace

FakeRedis::FakeRedis(Clock *clock, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_random(seed)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            auto *c = new Connection;
            c->socket = s;
            m_connections.append(c);
            connect(s, &QTcpSocket::readyRead, this, [this, c] { onReadyRead(c); });
            connect(s, &QTcpSocket::disconnected, this, [this, c] {
                m_connections.removeOne(c);
                c->socket->deleteLater();
                delete c;
            });
        }
    });
    connect(m_clock, &Clock::jumped, this, &FakeRedis::flush);
}

FakeRedis::~FakeRedis()
{
    for (Connection *c : std::as_const(m_connections)) {
        c->socket->disconnect(this);
        c->socket->abort();
        delete c->socket;
        delete c;
    }
}

QString FakeRedis::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1/0").arg(port());
}

const char *FakeRedis::faultName(Fault fault)
{
    static const char *const kNames[FaultCount] = {"none",
                                                   "garbage",
                                                   "error",
                                                   "wrong type",
                                                   "delay",
                                                   "silence",
                                                   "no TTL",
                                                   "stamp in the past",
                                                   "stamp in the future",
                                                   "bad TTL",
                                                   "other kind",
                                                   "implausible value",
                                                   "budget nonsense"};
    return kNames[fault];
}

FakeRedis::Fault FakeRedis::pickFault()
{
    if (m_random.generateDouble() >= m_faultRate)
        return None;
    return Fault(1 + m_random.bounded(int(FaultCount) - 1));
}

FakeRedis::Entry *FakeRedis::find(const QByteArray &key)
{
    auto it = m_store.find(key);
    if (it == m_store.end())
        return nullptr;
    if (it->expiresAt >= 0 && it->expiresAt <= m_clock->now()) {
        m_store.erase(it);
        return nullptr;
    }
    return &*it;
}

void FakeRedis::onReadyRead(Connection *c)
{
    c->in += c->socket->readAll();
    QList<QByteArray> args;
    while (takeCommand(c->in, args)) {
        ++m_commands;
        const QByteArray reply = handle(c, args);
        if (!reply.isNull())
            queueReply(c, reply, 0);
    }
    flush();
}

void FakeRedis::queueReply(Connection *c, QByteArray reply, qint64 delayMs)
{
    // In order: a reply held back holds back the ones after it, as on a real connection.
    const qint64 due = qMax(m_clock->now() + delayMs, c->out.empty() ? 0 : c->out.back().first);
    c->out.emplace_back(due, std::move(reply));
}

void FakeRedis::flush()
{
    const qint64 now = m_clock->now();
    for (Connection *c : std::as_const(m_connections)) {
        while (!c->out.empty() && c->out.front().first <= now) {
            if (!c->silent)
                c->socket->write(c->out.front().second);
            c->out.pop_front();
        }
    }
}

QByteArray FakeRedis::handle(Connection *c, const QList<QByteArray> &args)
{
    const QByteArray cmd = args.value(0).toUpper();
    // The handshake is always answered: the faults are for the conversation after it.
    if (cmd == "PING")
        return "+PONG\r\n";
    if (cmd == "SELECT" || cmd == "AUTH")
        return "+OK\r\n";
    if (cmd == "SUBSCRIBE") {
        c->subscriber = true;
        return "*3\r\n" + bulk("subscribe") + bulk(args.value(1)) + integer(1);
    }
    if (c->silent)
        return {};
    Fault fault = pickFault();
    ++m_faults[fault];
    switch (fault) {
    case Garbage:
        return "!\x01 not RESP at all\r\n";
    case Error:
        return "-ERR the fake says no\r\n";
    case Silence:
        c->silent = true;
        return {};
    case Delay: {
        const QByteArray reply = handle(c, args); // what it would have said, later
        if (!reply.isNull())
            queueReply(c, reply, qint64(m_random.bounded(4000)));
        return {};
    }
    default:
        break;
    }
    const qint64 now = m_clock->now();
    const QByteArray key = args.value(1);
    if (cmd == "GET") {
        if (fault == WrongType)
            return "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        const Entry *e = find(key);
        if (!e)
            return kNil.toByteArray();
        if ((fault == StampPast || fault == StampFuture || fault == BadTtl || fault == OtherKind
             || fault == Implausible)
            && m_valueFault)
            return bulk(m_valueFault(e->value, fault, m_random));
        return bulk(e->value);
    }
    if (cmd == "SET") {
        bool nx = false;
        qint64 px = -1;
        for (int i = 3; i < args.size(); ++i) {
            const QByteArray opt = args.at(i).toUpper();
            if (opt == "NX")
                nx = true;
            else if (opt == "PX" && i + 1 < args.size())
                px = args.at(++i).toLongLong();
        }
        if (nx && find(key))
            return kNil.toByteArray();
        m_store.insert(key, {args.value(2), px > 0 && fault != NoTtl ? now + px : -1});
        return "+OK\r\n";
    }
    if (cmd == "UNLINK" || cmd == "DEL") {
        int n = 0;
        for (int i = 1; i < args.size(); ++i)
            n += find(args.at(i)) ? int(m_store.remove(args.at(i))) : 0;
        return integer(n);
    }
    if (cmd == "PTTL") {
        const Entry *e = find(key);
        return integer(!e ? -2 : e->expiresAt < 0 ? -1 : e->expiresAt - now);
    }
    if (cmd == "PUBLISH") {
        int n = 0;
        for (Connection *other : std::as_const(m_connections)) {
            if (other->subscriber && !other->silent) {
                other->socket->write("*3\r\n" + bulk("message") + bulk(key) + bulk(args.value(2)));
                ++n;
            }
        }
        return integer(n);
    }
    if (cmd == "EVAL") {
        const QByteArray script = args.value(1);
        const QByteArray k = args.value(3);
        if (script.contains("zremrangebyscore")) {
            // The budget: granted, full, or blocked; or anything at all.
            ++m_budgetScripts;
            if (fault == BudgetNonsense || fault == WrongType) {
                const qint64 values[] = {std::numeric_limits<qint64>::min(), -1, 0, 1,
                                         std::numeric_limits<qint64>::max()};
                return "*2\r\n" + integer(qint64(m_random.bounded(5)) - 1)
                       + integer(values[m_random.bounded(5)]);
            }
            const int verdict = m_random.bounded(3);
            return "*2\r\n" + integer(verdict)
                   + integer(verdict == 1 ? 1 : qint64(m_random.bounded(60'000)));
        }
        if (script.contains("rate-limited")) // sharing a block
            return integer(1);
        if (script.contains("'NX'")) { // taking a lease
            if (find(k))
                return integer(0);
            const qint64 px = args.value(5).toLongLong();
            m_store.insert(k, {args.value(4), fault == NoTtl ? -1 : now + px});
            return integer(1);
        }
        Entry *e = find(k);
        const bool ours = e && e->value == args.value(4);
        if (script.contains("'del'")) { // giving a lease back
            if (ours)
                m_store.remove(k);
            return integer(ours ? 1 : 0);
        }
        if (script.contains("pexpire")) { // renewing it
            if (ours)
                e->expiresAt = now + args.value(5).toLongLong();
            return integer(ours ? 1 : 0);
        }
        return "-ERR unknown script\r\n";
    }
    return "-ERR unknown command '" + cmd + "'\r\n";
}
