// SPDX-License-Identifier: MIT
#pragma once

#include "cache/cachetier.h"
#include "cache/clock.h"

#include <QHash>
#include <QPromise>

#include <functional>
#include <map>
#include <memory>
#include <vector>

/**
 * A CacheTier in memory whose behaviour a test controls: it answers on the next turn of the
 * event loop (like a real asynchronous tier), or holds its answers until release() (a slow
 * tier), or answers every call with an error (a broken tier). It counts what it was asked.
 *
 * With enableLeases() it also hands out leases like a shared server: one holder per key until
 * released or until the lease runs out on the given clock; announceLanded() reaches every
 * cache over this tier (every "machine") as entryLanded().
 */
class FakeTier final : public CacheTier
{
public:
    enum class Mode { Prompt, Held, Failing };

    explicit FakeTier(QString name, QObject *parent = nullptr)
        : CacheTier(parent)
        , m_name(std::move(name))
    { }

    QString name() const override { return m_name; }

    void setMode(Mode mode) { m_mode = mode; }
    void setFailure(const QString &message) { m_failure = message; }

    QFuture<TierGetResult> get(const QString &key) override
    {
        ++gets;
        return answer<TierGetResult>([this, key] {
            const auto it = entries.find(key);
            return TierGetResult::success(it == entries.end() ? std::nullopt
                                                              : std::optional(it->second));
        });
    }
    QFuture<TierDoneResult> put(const QString &key, const TierEntry &entry) override
    {
        ++puts;
        return answer<TierDoneResult>([this, key, entry] {
            entries[key] = entry;
            return TierDoneResult::success();
        });
    }
    /**
     * With `byCallback` set the tier also has the callback forms, as the Redis tier does, and
     * the cache reads and writes through them: answered the same way as the futures (the next
     * turn, held, or failing), in order with them.
     */
    bool answersByCallback() const override { return byCallback; }
    void readEntry(const QString &key, GetHandler handler) override
    {
        ++gets;
        ++callbackCalls;
        answer<TierGetResult>(
            [this, key] {
                const auto it = entries.find(key);
                return TierGetResult::success(it == entries.end() ? std::nullopt
                                                                  : std::optional(it->second));
            },
            std::move(handler));
    }
    void writeEntry(const QString &key, const TierEntry &entry, DoneHandler handler) override
    {
        ++puts;
        ++callbackCalls;
        answer<TierDoneResult>(
            [this, key, entry] {
                entries[key] = entry;
                return TierDoneResult::success();
            },
            std::move(handler));
    }

    QFuture<TierDoneResult> remove(const QString &key) override
    {
        ++removes;
        return answer<TierDoneResult>([this, key] {
            entries.erase(key);
            return TierDoneResult::success();
        });
    }
    QFuture<TierDoneResult> clear() override
    {
        ++clears;
        return answer<TierDoneResult>([this] {
            entries.clear();
            return TierDoneResult::success();
        });
    }
    QFuture<TierListResult> list() override
    {
        ++lists;
        return answer<TierListResult>([this] {
            QList<TierRecord> out;
            for (const auto &[key, entry] : entries)
                out.append({key, entry});
            return TierListResult::success(out);
        });
    }

    /** Leases from now on, timed on `clock` (borrowed). */
    void enableLeases(Clock *clock) { m_leaseClock = clock; }
    bool supportsLeases() const override { return m_leaseClock != nullptr; }

    QFuture<TierResult<QByteArray>> tryLease(const QString &key, qint64 leaseMs) override
    {
        ++leaseAttempts;
        using R = TierResult<QByteArray>;
        if (!leaseFailure.isEmpty())
            return answer<R>([this] { return R::failure(leaseFailure); });
        auto take = [this, key, leaseMs] {
            const qint64 now = m_leaseClock->now();
            if (const auto it = leases.find(key); it != leases.end() && it->second.second > now)
                return R::success(QByteArray());
            const QByteArray token = "token-" + QByteArray::number(++m_lastToken);
            leases[key] = {token, now + leaseMs};
            return R::success(token);
        };
        if (holdLeases) {
            auto promise = std::make_shared<QPromise<R>>();
            promise->start();
            m_held.push_back([promise, take] {
                promise->addResult(take());
                promise->finish();
            });
            return promise->future();
        }
        return answer<R>(take);
    }
    QFuture<TierResult<bool>> releaseLease(const QString &key, const QByteArray &token) override
    {
        ++releases;
        return answer<TierResult<bool>>([this, key, token] {
            const auto it = leases.find(key);
            if (it == leases.end() || it->second.first != token
                || it->second.second <= m_leaseClock->now())
                return TierResult<bool>::success(false);
            leases.erase(it);
            return TierResult<bool>::success(true);
        });
    }
    QFuture<TierDoneResult> announceLanded(const QString &key) override
    {
        ++announcements;
        return answer<TierDoneResult>([this, key] {
            if (!dropAnnouncements)
                Q_EMIT entryLanded(key);
            return TierDoneResult::success();
        });
    }
    void watchLandings(bool on) override { watching = on; }

    /** Held mode: answer every call held so far, in order. */
    void release()
    {
        auto held = std::move(m_held);
        m_held.clear();
        for (auto &run : held)
            run();
    }
    int heldCount() const { return int(m_held.size()); }

    std::map<QString, TierEntry> entries;
    bool byCallback = false; // readEntry()/writeEntry() answer (answersByCallback())
    int callbackCalls = 0; // of the gets and puts, how many came through the callback forms
    int gets = 0;
    int puts = 0;
    int removes = 0;
    int clears = 0;
    int lists = 0;
    // Leases: key -> (token, runs out at)
    std::map<QString, std::pair<QByteArray, qint64>> leases;
    int leaseAttempts = 0;
    int releases = 0;
    int announcements = 0;
    bool watching = false;
    QString leaseFailure; // non-empty: tryLease() answers this error, the rest works
    bool holdLeases = false; // tryLease() answers only at release()
    bool dropAnnouncements = false; // announcements get lost (a subscriber reconnecting)

private:
    template<typename R>
    QFuture<R> answer(std::function<R()> op)
    {
        auto promise = std::make_shared<QPromise<R>>();
        promise->start();
        QFuture<R> future = promise->future();
        answer<R>(std::move(op), [promise](const R &result) {
            promise->addResult(result);
            promise->finish();
        });
        return future;
    }
    template<typename R>
    void answer(std::function<R()> op, std::function<void(const R &)> handler)
    {
        const Mode mode = m_mode;
        const QString failure = m_failure;
        // The operation takes effect when it is answered: a held write is not yet visible,
        // exactly like a tier whose worker has not reached it.
        auto run = [handler = std::move(handler), op = std::move(op), mode, failure] {
            handler(mode == Mode::Failing ? R::failure(failure) : op());
        };
        if (mode == Mode::Held)
            m_held.push_back(std::move(run));
        else
            QMetaObject::invokeMethod(this, std::move(run), Qt::QueuedConnection);
    }

    QString m_name;
    Mode m_mode = Mode::Prompt;
    QString m_failure = QStringLiteral("The fake tier is broken.");
    std::vector<std::function<void()>> m_held;
    Clock *m_leaseClock = nullptr;
    int m_lastToken = 0;
};
