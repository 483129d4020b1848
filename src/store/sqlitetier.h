// SPDX-License-Identifier: MIT
#pragma once

#include "cache/cachetier.h"
#include "cache/requestlogstore.h"

#include <QCoreApplication>
#include <QFuture>
#include <QHash>
#include <QPromise>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class Clock;
class QThread;

/**
 * The SQLite PersistentStore as a CacheTier, on a worker thread of its own: no SQLite call
 * ever runs in the thread that uses the tier (the GUI thread), so a busy lock held by the CLI
 * (up to PersistentStore::kBusyTimeoutMs) never freezes a window.
 *
 * Requests cross to the worker by queued calls and answer through futures; a continuation
 * attached with a context object (QFuture::then(context, ...)) runs in the caller's thread.
 * Every future is finished in the tier's own thread (the worker's result crosses back by a
 * queued call): Qt 6.4 can crash when a promise is finished on one thread while another
 * attaches `.then(context, …)` (QFutureInterfaceBase::reportStarted() on a moved-from QPromise,
 * seen once in CI under tst_cli), and this way the two never overlap. So an answer arrives
 * only while the tier's thread runs its event loop.
 * The worker answers in the order it was asked. Writes are coalesced: the puts of one turn of
 * the caller's event loop go to the worker as one batch, one write per key (the last put
 * wins); a get() sees a put not yet sent.
 *
 * Negative entries are stored as the value with a one-byte marker in front (0xff 0x01); a
 * value that itself starts with 0xff is escaped (0xff 0x00). Values written by earlier
 * versions (no marker) read back unchanged.
 *
 * Failures answer as errors whose text is the store's sentence ("The folder … is read-only:
 * the weather cache cannot be saved …"); the tier keeps answering (a LayeredCache then skips
 * it). When the folder cannot be opened at all, every call answers with why.
 *
 * Ownership: the tier owns the worker thread and, on it, the PersistentStore. The clock is
 * borrowed (only read, from the worker: "now" for purge) and must outlive the tier. The
 * destructor hands the worker its last writes and waits for it at most kShutdownWaitMs.
 */
class SqliteTier final
    : public CacheTier
    , public RequestLogStore
{
    Q_OBJECT
public:
    /** The longest the destructor waits for queued writes to reach the disk. */
    static constexpr int kShutdownWaitMs = 5000;

    // [start branch, issue 26] The whole-file check can wait until the app is on screen.
    enum class IntegrityCheck {
        AtOpen, ///< PersistentStore::OpenCheck::Full: opened() comes after every page is read
        WhenAsked, ///< OpenCheck::Structure at open; checkIntegrity() reads every page
    };

    /** Opens (or creates) the store in `directory` on the worker; see opened(). */
    explicit SqliteTier(const QString &directory, const Clock *clock = nullptr,
                        QObject *parent = nullptr, IntegrityCheck check = IntegrityCheck::AtOpen);
    ~SqliteTier() override;

    QString name() const override { return QStringLiteral("disk"); }
    QString directory() const { return m_directory; }

    /**
     * How the opening went: success with the store's warning (empty, or "the cache file was
     * damaged and has been set aside…"), or the error why there is no disk cache.
     */
    QFuture<TierResult<QString>> opened() const { return m_opened; }

    /**
     * PersistentStore::checkIntegrity() on the worker, after what was asked before: success
     * with an empty text (sound), or with the sentence that the damaged file was set aside
     * and a new one started; failure with why there is no disk cache any more.
     */
    QFuture<TierResult<QString>> checkIntegrity();

    /** list() first drops entries that expired more than `ms` ago (0: keeps everything). */
    void setPurgeHorizon(qint64 ms);
    /**
     * Drops the entries that expired more than the purge horizon ago, on the worker, as list()
     * does first: for a process that never lists (the app reads by key). Succeeds with the
     * number dropped (0 without a horizon).
     */
    QFuture<TierResult<int>> purge();

    QFuture<TierGetResult> get(const QString &key) override;
    QFuture<TierDoneResult> put(const QString &key, const TierEntry &entry) override;
    QFuture<TierDoneResult> remove(const QString &key) override;
    QFuture<TierDoneResult> clear() override;
    QFuture<TierListResult> list() override;

    /** PersistentStore::logRequest(), on the worker: one request made to `provider`. */
    QFuture<TierDoneResult> logRequest(const QString &provider, qint64 at) override;
    /** PersistentStore::countRequests(), on the worker; empty when it cannot tell. */
    QFuture<QList<qint64>> countRequests(const QString &provider,
                                         const QList<qint64> &since) override;

    /** Bytes on disk (database and log), read on the worker. */
    QFuture<qint64> fileSize();

    /** Writes what is queued and closes the store; later calls answer with an error. */
    QFuture<TierDoneResult> close();

    // ---- for tests -----------------------------------------------------------------------
    /** Runs on the worker at the start of every operation, with its name ("get", "put"…). */
    void setOperationHookForTesting(std::function<void(const char *operation)> hook);
    /** PersistentStore::setMaxPageCountForTesting, on the worker. */
    QFuture<int> setMaxPageCountForTesting(int pages);
    QThread *workerThread() const { return m_thread; }
    /** Sends the puts of this turn now, as the end of the turn would. */
    void sendBatchForTesting() { sendBatch(); }

    /** The bytes the store holds for an entry, and back (exposed for tests). */
    static QByteArray encodeValue(const TierEntry &entry);
    static void decodeValue(const QByteArray &stored, TierEntry *entry);

private:
    class Worker;
    struct Mailbox;
    using DonePromise = std::shared_ptr<QPromise<TierDoneResult>>;
    struct PendingWrite
    {
        TierEntry entry;
        std::vector<DonePromise> promises;
    };
    using Batch = QHash<QString, PendingWrite>;

    /** Hands the puts gathered so far to the worker, before any later request. */
    void sendBatch();
    /** Finishes the promises the worker has answered, in its order, in this thread. */
    void deliverAnswers();

    template<typename R, typename F>
    QFuture<R> post(F job);

    QString m_directory;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr; // lives in m_thread; deleted once the thread has finished
    std::shared_ptr<Mailbox> m_mailbox; // shared with the worker's queued jobs
    bool m_closed = false;
    Batch m_batch; // puts of this turn of the event loop, not yet sent
    bool m_batchScheduled = false;
    QFuture<TierResult<QString>> m_opened;
};
