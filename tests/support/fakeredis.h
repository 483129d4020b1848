// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <QTcpServer>

#include <deque>
#include <functional>

class Clock;
class QTcpSocket;

/**
 * A real TCP server on 127.0.0.1 (port 0) that speaks just enough RESP for RedisTier and
 * RedisBudget (PING, SELECT, AUTH, GET, SET [NX] [PX], UNLINK, DEL, PTTL, PEXPIRE, PUBLISH,
 * SUBSCRIBE, and the EVAL scripts they send, recognised by their text), and that misbehaves
 * on purpose, reply by reply, as a seeded generator decides: garbage, errors, wrong types,
 * replies held back on the clock, a connection that falls silent, SETs whose PX is dropped
 * (keys without TTL), entries whose stored load time is moved into the past or the future or
 * whose TTL is impossible, values of another kind or with implausible readings, and budget
 * answers out of any range. Faults are counted by kind, so a test can say what it met.
 *
 * Time is the injected clock's (a ManualClock in tests): key expiry and held replies follow it.
 * Ownership: the clock is borrowed.
 */
class FakeRedis : public QObject
{
    Q_OBJECT
public:
    enum Fault {
        None,
        Garbage, // bytes that are not RESP: the client drops the connection
        Error, // -ERR
        WrongType, // -WRONGTYPE, or an integer where a string belongs
        Delay, // the reply (and those after it) held back for up to 4 s on the clock
        Silence, // this connection never answers again
        NoTtl, // SET's PX dropped: the key lives for ever
        StampPast, // a stored entry read back with its load time moved into the past
        StampFuture, // ... into the future
        BadTtl, // ... with a TTL of 0, negative or absurd
        OtherKind, // ... with a value of another kind under the key
        Implausible, // ... with a value holding an implausible reading
        BudgetNonsense, // a budget answer with a verdict and a time out of any range
        FaultCount
    };

    FakeRedis(Clock *clock, quint32 seed, QObject *parent = nullptr);
    ~FakeRedis() override;

    quint16 port() const { return m_server.serverPort(); }
    QString url() const;
    /** The chance (0..1) that a reply carries a fault. 0: a well-behaved server. */
    void setFaultRate(double rate) { m_faultRate = rate; }
    /** `replace(storedBytes, fault)`: how a value read back is damaged for the stamp faults. */
    using ValueFault = std::function<QByteArray(const QByteArray &stored, Fault fault,
                                                QRandomGenerator &random)>;
    void setValueFault(ValueFault damage) { m_valueFault = std::move(damage); }

    int faultCount(Fault fault) const { return m_faults[fault]; }
    int commandCount() const { return m_commands; }
    int budgetScripts() const { return m_budgetScripts; }
    static const char *faultName(Fault fault);

private:
    struct Entry
    {
        QByteArray value;
        qint64 expiresAt = -1; // on the clock; -1: never
    };
    struct Connection
    {
        QTcpSocket *socket = nullptr;
        QByteArray in;
        std::deque<std::pair<qint64, QByteArray>> out; // (due on the clock, bytes)
        bool silent = false;
        bool subscriber = false;
    };

    void onReadyRead(Connection *c);
    QByteArray handle(Connection *c, const QList<QByteArray> &args);
    Fault pickFault();
    void queueReply(Connection *c, QByteArray reply, qint64 delayMs);
    void flush();
    Entry *find(const QByteArray &key);

    Clock *m_clock;
    QRandomGenerator m_random;
    QTcpServer m_server;
    QList<Connection *> m_connections;
    QHash<QByteArray, Entry> m_store;
    double m_faultRate = 0.3;
    ValueFault m_valueFault;
    int m_faults[FaultCount] = {};
    int m_commands = 0;
    int m_budgetScripts = 0;
};
