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
 * one directory: SQLite in WAL mode does the locking.
 *
 * Every call is synchronous and normally takes well under a millisecond; the worst case is the
 * busy timeout (kBusyTimeoutMs) while another process holds the write lock. A failure never
 * throws and never loses what the memory cache holds: the call returns false / nullopt / -1 and
 * lastError() + errorString() say why, so the app can carry on memory-only.
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

    /** $WEATHERDASH_CACHE_DIR if set and non-empty, else QStandardPaths::CacheLocation. */
    static QString defaultDirectory();
    static QString fileName() { return QStringLiteral("cache.sqlite"); }

    /**
     * Creates @p directory if needed and opens (or creates) cache.sqlite in it. A damaged or
     * foreign file is renamed to cache.sqlite.corrupt-<yyyyMMdd-HHmmss> and replaced by an
     * empty one (open() succeeds, warning() says so). Returns false, with lastError(), when the
     * folder cannot be used; the app then runs from memory. Calling open() again reopens.
     */
    bool open(const QString &directory);
    bool isOpen() const;
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
    /** Bytes on disk: the database file plus its write-ahead log; 0 when not open. */
    qint64 fileSize() const;

    Error lastError() const { return m_error; }
    /** A sentence for the user about lastError(); empty when lastError() is None. */
    QString errorString() const { return m_errorString; }
    /** Something the user may want to know although open() succeeded; empty if nothing. */
    QString warning() const { return m_warning; }

    /**
     * TEST ONLY: caps the database at @p pages pages (PRAGMA max_page_count, this connection
     * only) so a test can make SQLite report "database or disk is full" without filling a
     * real disk. SQLite never shrinks below the current size. Returns the cap in effect.
     */
    int setMaxPageCountForTesting(int pages);

private:
    struct Statements;
    enum class OpenResult { Ok, Failed, SetAside };
    enum class Layout { Empty, Current, Older, Newer, Foreign };
    struct Inspection
    {
        Layout layout = Layout::Empty;
        QString detail; ///< for the log
        QSqlError error; ///< valid when the file could not be read
    };

    OpenResult openConnection();
    Inspection inspect(QSqlQuery &q) const;
    bool prepareSchema(QSqlQuery &q);
    bool setAside(const QString &warningTemplate);
    bool fail(Error error, const QString &what, const QString &sentence = QString()) const;
    bool fail(const QSqlError &sqlError, const QString &what) const;
    void resetError() const;
    void closeConnection();

    const Clock *m_clock;
    QString m_connectionName;
    QString m_directory;
    QSqlDatabase m_db;
    std::unique_ptr<Statements> m_statements;
    mutable Error m_error = Error::None;
    mutable QString m_errorString;
    QString m_warning;
};
