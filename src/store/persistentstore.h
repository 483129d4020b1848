// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include <memory>
#include <optional>

class Clock;
class QSqlQuery;

Q_DECLARE_LOGGING_CATEGORY(lcStore)

/** One row of the persistent tier, exactly as it was written. */
struct StoredEntry
{
    QString key;
    QByteArray value;
    qint64 loadedAt = 0; ///< ms since the Unix epoch, when the value was fetched.
    qint64 ttlMs = 0; ///< how long the value counts as fresh after loadedAt.

    qint64 expiresAt() const { return loadedAt + ttlMs; }
    friend bool operator==(const StoredEntry &, const StoredEntry &) = default;
};

/**
 * The disk tier of the TTL cache: a key -> blob store in one SQLite file (cache.sqlite) inside a
 * directory the caller chooses. It knows nothing about weather; keys and values are opaque.
 *
 * Ownership: the store owns its QSqlDatabase connection (a name unique to this instance, removed
 * in the destructor) and its prepared statements. It does not own the Clock, which must outlive it
 * (Clock::system() does). Not thread-safe: use an instance only from the thread that opened it,
 * as Qt SQL requires. Several instances, and several processes (the GUI and the CLI), may share
 * one directory: SQLite in WAL mode does the locking, and open() takes cache.sqlite.lock.
 *
 * Every call is synchronous and normally takes well under a millisecond (open() a few ms, plus
 * a quick_check of about 0.5 ms per 1,000 rows unless OpenCheck::Structure defers it to
 * checkIntegrity()); the worst case is the busy timeout
 * (kBusyTimeoutMs) while another process holds the write lock, twice for open() (the lock file,
 * then the file). A failure never throws and never loses what the memory cache holds: the call
 * returns false / nullopt / -1 and lastError() + errorString() say why, so the app can carry on
 * memory-only; takeNewProblems() hands out each kind of problem once, for the user.
 */
class PersistentStore
{
    Q_DECLARE_TR_FUNCTIONS(PersistentStore)
public:
    enum class Error {
        None,
        CannotOpen, ///< the folder or file could not be created or opened.
        Corrupt, ///< the file is damaged (open() sets such a file aside and starts afresh).
        DiskFull,
        ReadOnly, ///< the folder or file is not writable.
        Busy, ///< another process held the lock for longer than kBusyTimeoutMs.
        Other,
    };

    /** Bumped when the table layout changes; see persistentstore.cpp for the upgrade policy. */
    static constexpr int kSchemaVersion = 1;
    /** Written into the SQLite header (PRAGMA application_id) so a foreign file is recognised. */
    static constexpr qint32 kApplicationId = 0x57444331; // "WDC1"
    static constexpr int kBusyTimeoutMs = 2000;

    /** @p clock stamps the names of set-aside files and is "now" for purge(); nullptr: system. */
    explicit PersistentStore(const Clock *clock = nullptr);
    ~PersistentStore();
    PersistentStore(const PersistentStore &) = delete;
    PersistentStore &operator=(const PersistentStore &) = delete;

    /** How much of the file open() reads to decide it is sound (see checkIntegrity()). */
    enum class OpenCheck {
        /** PRAGMA quick_check: every page, about 0.5 ms per 1,000 rows. */
        Full,
        /**
         * The header, the schema and the first page of each table and index: microseconds,
         * whatever the size. Garbage, a foreign or truncated file and a broken root are found
         * as with Full; damage deeper in the file only by checkIntegrity() (or by the read
         * that meets it). For a program that checks once it is up (the app, after its first
         * frame), so a large cache does not delay its start.
         */
        Structure,
    };
    /** Applies from the next open() (and to the reopen after a replaced file). Default: Full. */
    void setOpenCheck(OpenCheck check) { m_openCheck = check; }
    OpenCheck openCheck() const { return m_openCheck; }

    /**
     * PRAGMA quick_check of the open file, every page, as open() does with OpenCheck::Full.
     * A damaged file is then handled as open() would have: under the lock file, set aside
     * (never deleted) and replaced by an empty one, and warning() and takeNewProblems() say
     * so ("The cache file was damaged and has been set aside as …"); writes from then on go
     * to the new file. Returns true when the store is open afterwards (the file is sound,
     * was replaced, or could not be checked just now, e.g. busy: then a later start checks
     * it). False when the damaged file could not be set aside (another process still uses
     * it): the store is closed, lastError() is Corrupt and errorString() says why.
     */
    bool checkIntegrity();

    /** $WEATHERDASH_CACHE_DIR if set and non-empty, else QStandardPaths::CacheLocation. */
    static QString defaultDirectory();
    static QString fileName() { return QStringLiteral("cache.sqlite"); }

    /**
     * Creates @p directory if needed and opens (or creates) cache.sqlite in it. A damaged or
     * foreign file is renamed to cache.sqlite.corrupt-<yyyyMMdd-HHmmss> and replaced by an
     * empty one (open() succeeds, warning() says so). A cache that can be read but not written
     * (read-only file or folder, full disk) is opened read-only: reads serve what it holds,
     * writes fail with Error::ReadOnly, and warning() says so. Returns false, with lastError(),
     * when nothing can be used; the app then runs from memory. Calling open() again reopens.
     *
     * Several processes may call open() on one folder at the same moment: creating, inspecting
     * and setting aside happen under an exclusive lock file (cache.sqlite.lock, held only during
     * open()), and the file is inspected inside one transaction, so a healthy file that another
     * process is creating is never mistaken for a foreign one.
     */
    bool open(const QString &directory);
    bool isOpen() const;
    /** Open, but writes are refused (see open()). */
    bool isReadOnly() const { return isOpen() && m_readOnly; }
    void close();
    QString directory() const { return m_directory; }
    QString filePath() const;

    std::optional<StoredEntry> read(const QString &key) const;
    /** Inserts or replaces @p key, in its own transaction: all or nothing. */
    bool write(const QString &key, const QByteArray &value, qint64 loadedAt, qint64 ttlMs);
    /** True also when @p key was not there: afterwards it is not. */
    bool remove(const QString &key);
    bool clear();
    /** Every entry, fresh or stale, ordered by key: for warming the memory cache at start. */
    QList<StoredEntry> readAll() const;
    /**
     * Drops the entries that expired more than @p horizonMs ago (loadedAt + ttlMs + horizonMs
     * < clock now): too old even to be shown as "stale, n hours old" when offline.
     * Returns the number dropped, or -1 on error.
     */
    int purge(qint64 horizonMs);
    /**
     * Notes one request made to @p provider at @p at (ms since the Unix epoch). Every process
     * sharing the folder adds its own rows, so counts include the CLI's. Kept for
     * kRequestLogDays; not touched by clear() (the requests were made).
     */
    bool logRequest(const QString &provider, qint64 at);
    /**
     * How many requests to @p provider were noted at or after each time in @p since; empty on
     * failure (or a file of an earlier version opened read-only, which has no log).
     */
    QList<qint64> countRequests(const QString &provider, const QList<qint64> &since) const;
    static constexpr int kRequestLogDays = 2;

    /** Bytes on disk: the database file plus its write-ahead log; 0 when not open. */
    qint64 fileSize() const;

    Error lastError() const { return m_error; }
    /** A sentence for the user about lastError(); empty when lastError() is None. */
    QString errorString() const { return m_errorString; }
    /** Something the user may want to know although open() succeeded; empty if nothing. */
    QString warning() const { return m_warning; }
    /**
     * The problems to tell the user, each once per store (per run of the app): a sentence for
     * each kind of failure (disk full, read-only, busy, damaged, ...) the first time it occurs,
     * and open()'s warning(). Returns them oldest first and forgets them; a later failure of a
     * kind already taken is not returned again, so 120 failed writes on a full disk are said
     * once. errorString() still describes every single failure.
     */
    QStringList takeNewProblems();

    /**
     * Checks that the connection, the prepared statements, the error fields and the file on
     * disk agree with the store's state (closed, open read-write, open read-only). Returns
     * false and says why in @p why when they do not. Debug builds assert it after every call.
     */
    bool checkInvariants(QString *why = nullptr) const;

    /**
     * TEST ONLY: caps the database at @p pages pages (PRAGMA max_page_count, this connection
     * only) so a test can make SQLite report "database or disk is full" without filling a
     * real disk. SQLite never shrinks below the current size. Returns the cap in effect.
     */
    int setMaxPageCountForTesting(int pages);

private:
    struct Statements;
    enum class OpenResult { Ok, Failed, SetAside, ReadOnly };
    enum class Layout { Empty, Current, Older, Newer, Foreign };
    struct Inspection
    {
        Layout layout = Layout::Empty;
        QString detail; ///< for the log
        QSqlError error; ///< valid when the file could not be read
    };

    /** Identifies the file behind a path (device and inode), to notice it was replaced. */
    struct FileId
    {
        quint64 device = 0;
        quint64 inode = 0;
        bool valid = false;
        friend bool operator==(const FileId &, const FileId &) = default;
    };
    static FileId fileIdOf(const QString &path);

    bool openLocked();
    OpenResult openConnection();
    bool openReadOnly(Error reason, const QString &detail);
    bool addConnection(const QString &databaseName, const QString &options);
    bool prepareStatements();
    Inspection inspect(QSqlQuery &q) const;
    OpenResult prepareSchema(QSqlQuery &q);
    QSqlError probeRoots(QSqlQuery &q) const;
    bool setAside(const QString &warningTemplate);
    bool usable(const char *what) const;
    bool refuseWrite(const char *what) const;
    void sayOnce(Error kind, const QString &sentence) const;
    bool ensureSameFile() const;
    bool fail(Error error, const QString &what, const QString &sentence = QString()) const;
    bool fail(const QSqlError &sqlError, const QString &what) const;
    void resetError() const;
    void closeConnection();
    void assertInvariants() const;

    const Clock *m_clock;
    QString m_connectionName;
    QString m_directory;
    QSqlDatabase m_db;
    std::unique_ptr<Statements> m_statements;
    bool m_readOnly = false;
    Error m_readOnlyKind = Error::None; ///< ReadOnly or DiskFull, when m_readOnly
    QString m_readOnlySentence; ///< why writes are refused, when m_readOnly
    FileId m_fileId; ///< the file the connection has open
    mutable Error m_error = Error::None;
    mutable QString m_errorString;
    QString m_warning;
    Error m_warningKind = Error::None; ///< the kind of problem m_warning is about
    bool m_opening = false;
    OpenCheck m_openCheck = OpenCheck::Full;
    FileId
        m_setAside; ///< checkIntegrity(): the damaged file the next open sets aside, if still there
    mutable QString m_openDetail; ///< what failed last during open(), for the log
    mutable QList<Error> m_kindsSaid; ///< kinds of problem already handed to takeNewProblems()
    mutable QStringList m_newProblems;
};
