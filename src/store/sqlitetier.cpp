// SPDX-License-Identifier: MIT
#include "sqlitetier.h"

#include "persistentstore.h"

#include "cache/clock.h"
#include "cache/layeredcache.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QPromise>
#include <QThread>

#include <memory>
#include <vector>

namespace {

constexpr char kEscape = char(0xff);
constexpr char kPositive = char(0x00);
constexpr char kNegative = char(0x01);

template<typename R>
QFuture<R> readyFailure(const QString &message)
{
    return QtFuture::makeReadyFuture(R::failure(message));
}

} // namespace

/**
 * The worker's answers on their way back: each one finishes its promise in the tier's thread.
 *
 * Why: a promise finished on the worker while the tier's thread attaches `.then(context, …)` to
 * its future races inside Qt 6.4 (a CI run of tst_cli crashed in reportStarted() on a moved-from
 * QPromise, see SqliteTier's class comment). Finished in the thread that attaches, the two can
 * never overlap. Shared by the tier and the worker, so a worker left behind by the destructor
 * never touches a deleted tier.
 */
struct SqliteTier::Mailbox
{
    QMutex mutex;
    std::vector<std::function<void()>> answers;
    SqliteTier *owner = nullptr; // null once the tier is gone

    /** From the worker: queues `answer` and wakes the owner once per batch of answers. */
    void send(std::function<void()> answer)
    {
        QMutexLocker lock(&mutex);
        if (!owner)
            return; // the tier is gone: the promise is dropped here, its future cancelled
        answers.push_back(std::move(answer));
        if (answers.size() == 1) {
            SqliteTier *tier = owner;
            QMetaObject::invokeMethod(
                tier, [tier] { tier->deliverAnswers(); }, Qt::QueuedConnection);
        }
    }

    std::vector<std::function<void()>> take()
    {
        QMutexLocker lock(&mutex);
        return std::exchange(answers, {});
    }
};

/** Owns the PersistentStore; every member runs in the worker thread. */
class SqliteTier::Worker : public QObject
{
public:
    void hook(const char *operation)
    {
        if (m_hook)
            m_hook(operation);
    }

    TierResult<QString> open(const QString &directory, const Clock *clock,
                             PersistentStore::OpenCheck check)
    {
        hook("open");
        m_clock = clock ? clock : Clock::system();
        m_store = std::make_unique<PersistentStore>(clock);
        m_store->setOpenCheck(check);
        if (!m_store->open(directory)) {
            m_unavailable = m_store->errorString();
            m_store.reset();
            qCWarning(lcStore).noquote() << "disk tier unavailable:" << m_unavailable;
            return TierResult<QString>::failure(m_unavailable);
        }
        return TierResult<QString>::success(m_store->warning());
    }

    TierResult<QString> checkIntegrity()
    {
        hook("checkIntegrity");
        QString why;
        if (!usable(&why))
            return TierResult<QString>::failure(why);
        const QString before = m_store->warning();
        if (!m_store->checkIntegrity()) {
            m_unavailable = m_store->errorString();
            m_store.reset();
            qCWarning(lcStore).noquote() << "disk tier unavailable:" << m_unavailable;
            return TierResult<QString>::failure(m_unavailable);
        }
        const QString warning = m_store->warning();
        return TierResult<QString>::success(warning != before ? warning : QString());
    }

    bool usable(QString *why) const
    {
        if (m_store)
            return true;
        *why = m_unavailable.isEmpty() ? tr("The disk cache is closed.") : m_unavailable;
        return false;
    }

    TierGetResult get(const QString &key)
    {
        hook("get");
        QString why;
        if (!usable(&why))
            return TierGetResult::failure(why);
        const std::optional<StoredEntry> stored = m_store->read(key);
        if (!stored) {
            if (m_store->lastError() != PersistentStore::Error::None)
                return TierGetResult::failure(m_store->errorString());
            return TierGetResult::success(std::nullopt);
        }
        return TierGetResult::success(toEntry(*stored));
    }

    /** One result per key of `batch`, in its order; the caller's thread finishes the promises. */
    std::vector<TierDoneResult> write(const Batch &batch)
    {
        hook("flush");
        QString why;
        const bool ok = usable(&why);
        std::vector<TierDoneResult> results;
        results.reserve(size_t(batch.size()));
        for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
            TierDoneResult result;
            if (!ok) {
                result.error = why;
            } else {
                hook("write");
                if (!m_store->write(it.key(), encodeValue(it->entry), it->entry.loadedAt,
                                    it->entry.ttlMs))
                    result.error = m_store->errorString();
            }
            results.push_back(std::move(result));
        }
        return results;
    }

    TierDoneResult remove(const QString &key)
    {
        hook("remove");
        QString why;
        if (!usable(&why))
            return TierDoneResult::failure(why);
        if (!m_store->remove(key))
            return TierDoneResult::failure(m_store->errorString());
        return TierDoneResult::success();
    }

    TierDoneResult clear()
    {
        hook("clear");
        QString why;
        if (!usable(&why))
            return TierDoneResult::failure(why);
        if (!m_store->clear())
            return TierDoneResult::failure(m_store->errorString());
        return TierDoneResult::success();
    }

    TierResult<int> purge()
    {
        QString why;
        if (!usable(&why))
            return TierResult<int>::failure(why);
        if (m_purgeHorizon <= 0)
            return TierResult<int>::success(0);
        const int dropped = m_store->purge(m_purgeHorizon);
        if (dropped < 0)
            return TierResult<int>::failure(m_store->errorString());
        return TierResult<int>::success(dropped);
    }

    TierListResult list()
    {
        hook("list");
        QString why;
        if (!usable(&why))
            return TierListResult::failure(why);
        if (m_purgeHorizon > 0 && m_store->purge(m_purgeHorizon) < 0)
            qCWarning(lcStore).noquote() << "purge failed:" << m_store->errorString();
        const QList<StoredEntry> all = m_store->readAll();
        if (m_store->lastError() != PersistentStore::Error::None)
            return TierListResult::failure(m_store->errorString());
        QList<TierRecord> out;
        out.reserve(all.size());
        // After this machine's clock was set back, what it wrote before looks loaded in the
        // future: of unknown age, it is not listed for a warm start (a load replaces it). An
        // impossible TTL is not listed either.
        const qint64 now = m_clock->now();
        int skipped = 0;
        for (const StoredEntry &e : all) {
            TierEntry entry = toEntry(e);
            if (LayeredCacheBase::checkEntry(entry, now, LayeredCacheBase::kTierForeverMs)
                != LayeredCacheBase::EntryFault::None) {
                ++skipped;
                continue;
            }
            out.append({e.key, std::move(entry)});
        }
        if (skipped > 0)
            qCInfo(lcStore) << skipped
                            << "disk entries of unknown age or impossible TTL not listed";
        return TierListResult::success(out);
    }

    TierDoneResult close()
    {
        hook("close");
        if (m_store)
            m_store->close();
        m_store.reset();
        m_unavailable.clear();
        return TierDoneResult::success();
    }

    qint64 fileSize() const { return m_store ? m_store->fileSize() : 0; }

    TierDoneResult logRequest(const QString &provider, qint64 at)
    {
        hook("logRequest");
        QString why;
        if (!usable(&why))
            return TierDoneResult::failure(why);
        if (!m_store->logRequest(provider, at))
            return TierDoneResult::failure(m_store->errorString());
        return TierDoneResult::success();
    }

    QList<qint64> countRequests(const QString &provider, const QList<qint64> &since) const
    {
        return m_store ? m_store->countRequests(provider, since) : QList<qint64>();
    }
    int setMaxPageCount(int pages)
    {
        return m_store ? m_store->setMaxPageCountForTesting(pages) : -1;
    }

    static TierEntry toEntry(const StoredEntry &stored)
    {
        TierEntry entry;
        entry.loadedAt = stored.loadedAt;
        entry.ttlMs = stored.ttlMs;
        decodeValue(stored.value, &entry);
        return entry;
    }

    std::function<void(const char *)> m_hook;
    qint64 m_purgeHorizon = 0;

private:
    std::unique_ptr<PersistentStore> m_store;
    const Clock *m_clock = nullptr;
    QString m_unavailable;
};

SqliteTier::SqliteTier(const QString &directory, const Clock *clock, QObject *parent,
                       IntegrityCheck check)
    : CacheTier(parent)
    , m_directory(directory)
    , m_thread(new QThread)
    , m_worker(new Worker)
    , m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->owner = this;
    m_thread->setObjectName(QStringLiteral("disk cache"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    const auto openCheck = check == IntegrityCheck::AtOpen ? PersistentStore::OpenCheck::Full
                                                           : PersistentStore::OpenCheck::Structure;
    m_opened = post<TierResult<QString>>(
        [directory, clock, openCheck](Worker &w) { return w.open(directory, clock, openCheck); });
}

SqliteTier::~SqliteTier()
{
    if (!m_worker)
        return;
    close();
    // Bounded: the queue holds at most a few writes, each well under a millisecond unless
    // another process holds the lock (then up to the busy timeout).
    const bool finished = m_thread->wait(QDeadlineTimer(kShutdownWaitMs));
    {
        QMutexLocker lock(&m_mailbox->mutex);
        m_mailbox->owner = nullptr; // a worker left behind answers no one
    }
    // Answers not yet delivered (close()'s among them) are finished in a later turn of this
    // thread's event loop, as they would have been: a continuation never runs inside this
    // destructor. When no later turn will come they are finished here: without an
    // application, and when this thread runs no event loop any more (main() after exec(),
    // as the window's end is). A call queued then would wait in the application's queue until
    // the application is destroyed, and destroying its promises there ran their continuations
    // while Qt held that queue's lock: a continuation that posts anything (a deleteLater())
    // hung the quitting process for ever.
    std::vector<std::function<void()>> answers = m_mailbox->take();
    QCoreApplication *app = QCoreApplication::instance();
    if (!answers.empty() && app && app->thread() == QThread::currentThread()
        && QThread::currentThread()->loopLevel() > 0) {
        QMetaObject::invokeMethod(
            app,
            [answers = std::move(answers)] {
                for (const auto &answer : answers)
                    answer();
            },
            Qt::QueuedConnection);
    } else {
        for (const auto &answer : answers)
            answer();
    }
    if (!finished) {
        qCWarning(lcStore) << "the disk cache did not finish within" << kShutdownWaitMs
                           << "ms; leaving it behind";
        return; // deleting a running thread would abort; the process is ending anyway
    }
    delete m_worker;
    delete m_thread;
}

void SqliteTier::deliverAnswers()
{
    for (const auto &answer : m_mailbox->take())
        answer();
}

template<typename R, typename F>
QFuture<R> SqliteTier::post(F job)
{
    auto promise = std::make_shared<QPromise<R>>();
    promise->start();
    QFuture<R> future = promise->future();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, mailbox = m_mailbox, promise = std::move(promise),
         job = std::move(job)]() mutable {
            mailbox->send([promise = std::move(promise), result = job(*worker)]() {
                promise->addResult(result);
                promise->finish();
            });
        },
        Qt::QueuedConnection);
    return future;
}

void SqliteTier::setPurgeHorizon(qint64 ms)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, ms] { worker->m_purgeHorizon = qMax<qint64>(0, ms); },
        Qt::QueuedConnection);
}

QFuture<TierGetResult> SqliteTier::get(const QString &key)
{
    if (m_closed)
        return readyFailure<TierGetResult>(tr("The disk cache is closed."));
    if (const auto it = m_batch.constFind(key); it != m_batch.constEnd())
        return QtFuture::makeReadyFuture(TierGetResult::success(it->entry)); // your own write
    return post<TierGetResult>([key](Worker &w) { return w.get(key); });
}

QFuture<TierDoneResult> SqliteTier::put(const QString &key, const TierEntry &entry)
{
    if (m_closed)
        return readyFailure<TierDoneResult>(tr("The disk cache is closed."));
    auto promise = std::make_shared<QPromise<TierDoneResult>>();
    promise->start();
    QFuture<TierDoneResult> future = promise->future();
    PendingWrite &pending = m_batch[key];
    pending.entry = entry;
    pending.promises.push_back(std::move(promise));
    if (!m_batchScheduled) {
        // Every put of this turn of the event loop goes in one batch: one write per key.
        m_batchScheduled = true;
        QMetaObject::invokeMethod(
            this, [this] { sendBatch(); }, Qt::QueuedConnection);
    }
    return future;
}

void SqliteTier::sendBatch()
{
    m_batchScheduled = false;
    if (m_batch.isEmpty())
        return;
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, mailbox = m_mailbox, batch = std::exchange(m_batch, {})]() mutable {
            std::vector<TierDoneResult> results = worker->write(batch);
            mailbox->send([batch = std::move(batch), results = std::move(results)] {
                size_t i = 0;
                for (auto it = batch.cbegin(); it != batch.cend(); ++it, ++i) {
                    for (const DonePromise &p : it->promises) {
                        p->addResult(results[i]);
                        p->finish();
                    }
                }
            });
        },
        Qt::QueuedConnection);
}

QFuture<TierDoneResult> SqliteTier::remove(const QString &key)
{
    if (m_closed)
        return readyFailure<TierDoneResult>(tr("The disk cache is closed."));
    sendBatch(); // writes asked for before go first
    return post<TierDoneResult>([key](Worker &w) { return w.remove(key); });
}

QFuture<TierDoneResult> SqliteTier::clear()
{
    if (m_closed)
        return readyFailure<TierDoneResult>(tr("The disk cache is closed."));
    sendBatch();
    return post<TierDoneResult>([](Worker &w) { return w.clear(); });
}

QFuture<TierResult<QString>> SqliteTier::checkIntegrity()
{
    if (m_closed)
        return readyFailure<TierResult<QString>>(tr("The disk cache is closed."));
    sendBatch(); // writes asked for before go first
    return post<TierResult<QString>>([](Worker &w) { return w.checkIntegrity(); });
}

QFuture<TierResult<int>> SqliteTier::purge()
{
    if (m_closed)
        return readyFailure<TierResult<int>>(tr("The disk cache is closed."));
    sendBatch(); // writes asked for before go first
    return post<TierResult<int>>([](Worker &w) { return w.purge(); });
}

QFuture<TierListResult> SqliteTier::list()
{
    if (m_closed)
        return readyFailure<TierListResult>(tr("The disk cache is closed."));
    sendBatch();
    return post<TierListResult>([](Worker &w) { return w.list(); });
}

QFuture<TierDoneResult> SqliteTier::logRequest(const QString &provider, qint64 at)
{
    if (m_closed)
        return readyFailure<TierDoneResult>(tr("The disk cache is closed."));
    return post<TierDoneResult>([provider, at](Worker &w) { return w.logRequest(provider, at); });
}

QFuture<QList<qint64>> SqliteTier::countRequests(const QString &provider,
                                                 const QList<qint64> &since)
{
    if (m_closed)
        return QtFuture::makeReadyFuture(QList<qint64>());
    return post<QList<qint64>>(
        [provider, since](Worker &w) { return w.countRequests(provider, since); });
}

QFuture<qint64> SqliteTier::fileSize()
{
    if (m_closed)
        return QtFuture::makeReadyFuture(qint64(0));
    return post<qint64>([](Worker &w) { return w.fileSize(); });
}

QFuture<TierDoneResult> SqliteTier::close()
{
    if (m_closed)
        return QtFuture::makeReadyFuture(TierDoneResult::success());
    sendBatch();
    m_closed = true;
    // The last request: it writes what is queued, then ends the worker's event loop (a quit()
    // from here could end it before the queue is done).
    return post<TierDoneResult>([](Worker &w) {
        TierDoneResult r = w.close();
        QThread::currentThread()->quit();
        return r;
    });
}

void SqliteTier::setOperationHookForTesting(std::function<void(const char *operation)> hook)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, hook = std::move(hook)] { worker->m_hook = hook; }, Qt::QueuedConnection);
}

QFuture<int> SqliteTier::setMaxPageCountForTesting(int pages)
{
    return post<int>([pages](Worker &w) { return w.setMaxPageCount(pages); });
}

QByteArray SqliteTier::encodeValue(const TierEntry &entry)
{
    if (entry.negative)
        return QByteArray(1, kEscape) + kNegative + entry.value;
    if (entry.value.startsWith(kEscape))
        return QByteArray(1, kEscape) + kPositive + entry.value;
    return entry.value;
}

void SqliteTier::decodeValue(const QByteArray &stored, TierEntry *entry)
{
    entry->negative = false;
    if (stored.size() >= 2 && stored.at(0) == kEscape) {
        entry->negative = stored.at(1) == kNegative;
        entry->value = stored.mid(2);
        return;
    }
    entry->value = stored;
}
