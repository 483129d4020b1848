// SPDX-License-Identifier: MIT
#include "persistentstore.h"

#include "cache/clock.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QUrl>
#include <QVariant>

#include <array>
#include <atomic>
#include <utility>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStore, "weatherdash.store", QtWarningMsg)

/*
 * Design notes
 *
 * Sharing one file between the GUI and the CLI: WAL journal mode lets readers run while one
 * writer commits, so the only waiting is writer against writer. A write here is one small row
 * (a few KB) and with synchronous=NORMAL a commit does not fsync, so the lock is held for well
 * under a millisecond; the exception is an automatic checkpoint, or a slow disk, which can hold
 * it for tens of milliseconds. busy_timeout = 2000 ms absorbs those with a wide margin while still
 * bounding the worst case a GUI-thread call can wait: after 2 s we give up with Error::Busy and the
 * value simply stays in memory, which for a cache is harmless. synchronous=NORMAL in WAL mode keeps
 * the database consistent on power loss; at worst the last few commits are lost, again harmless.
 *
 * Opening is one step across processes. When the GUI and the CLI (or three CLIs from a script)
 * start together on a new folder, one of them creates the file while the others look at it. Two
 * things used to let a looker take a healthy file being created for a foreign one and rename it
 * aside, while its creator went on writing into the renamed file: the header fields and the
 * table list were read in separate statements (so one could be from before the creator's commit
 * and the next from after), and nothing stopped two openers deciding at once. Now:
 *  - open() holds an exclusive lock file, cache.sqlite.lock (QLockFile: removed on unlock,
 *    taken over when its holder died), from before it first touches the file until the
 *    statements are prepared. Creating, inspecting, rebuilding and setting aside therefore never
 *    overlap with another opener's. Waiting for it is bounded like the busy timeout.
 *  - Every look at the file (quick_check, application_id, user_version, tables, columns) is made
 *    inside one read transaction, so it is one snapshot; the schema is created under
 *    BEGIN IMMEDIATE after looking again. A zero-length file, or one without a schema yet, is
 *    "being created" (Layout::Empty), never foreign.
 *  - A file is set aside only if it is damaged or foreign in that snapshot, and only if no other
 *    connection still has it open: another store in this process (a registry of open paths) or
 *    another process in WAL mode (it holds a shared lock on the -shm file's DMS byte; we test it
 *    with F_GETLK). Renaming a file in use would leave its user writing into the renamed file, and
 *    that user's SQLite would, at close, delete the -wal and -shm that by then belong to the new
 *    file. Such a file is left where it is; this run works from memory, a later start sets it
 *    aside once nobody uses it.
 *  - Every call first checks that the path still names the file the connection has open (device
 *    and inode). If another program removed or replaced it, the store reopens, so it never keeps
 *    writing into a file nobody will read again. (Closing the stale connection may still make
 *    SQLite delete a -wal or -shm that a third process has meanwhile created under the same
 *    names; that takes someone deleting the files of a cache two programs are using, and is
 *    left at that.)
 *
 * Damaged files: anything unreadable (SQLITE_NOTADB for garbage, SQLITE_CORRUPT for a truncated
 * file, quick_check problems) or foreign is renamed aside together with its -wal/-shm files,
 * never deleted: it may be someone's data, and the user (or a bug report) can look at it. Until
 * the file is known to be ours, open() only reads it, so a set-aside file keeps its original
 * bytes. Only environment errors (busy, read-only, cannot open) leave the file where it is: a
 * healthy file that is merely locked must never be renamed. Runtime damage (SQLITE_CORRUPT from a
 * read or write after open) is reported as Error::Corrupt; the next open() sets the file aside.
 *
 * A cache that can be read but not written is still worth its contents: offline, a stale
 * forecast beats none. When the folder takes no new file (read-only folder), the file refuses
 * writes (read-only file) or the disk is full, open() opens the file read-only (SQLite
 * mode=ro). A WAL-mode file in a read-only folder needs its -shm, which cannot be created there;
 * then immutable=1 reads the database file alone (what a clean close left in it). Writes then
 * fail at once with the reason, without touching SQLite.
 *
 * Saying a problem once: every failed call sets lastError()/errorString(), but the sentence for
 * the user is queued for takeNewProblems() only the first time its kind occurs, and only that
 * first time is logged as a warning (later ones at debug level): a full disk during a refresh of
 * 120 cities is one sentence, not 120.
 *
 * Schema versions: PRAGMA user_version holds kSchemaVersion and application_id holds
 * kApplicationId. The contents are a cache, re-fetchable at any time, so an older layout of ours
 * is not migrated row by row: it is rebuilt empty, in place, in one transaction. A newer layout
 * (user_version > kSchemaVersion) belongs to a newer WeatherDash that may be running right now
 * on this very file; renaming or rebuilding it would break that process, so open() leaves it
 * untouched and fails with CannotOpen, and this older version runs memory-only.
 */

namespace {

const QString kCreateRequestLog = QStringLiteral(
    "CREATE TABLE IF NOT EXISTS requests (provider TEXT NOT NULL, at INTEGER NOT NULL)");
const QString kCreateRequestIndex
    = QStringLiteral("CREATE INDEX IF NOT EXISTS requests_by_time ON requests (provider, at)");
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// SQLite primary result codes (the low byte of an extended code), from sqlite3.h. Qt SQL reports
// them as QSqlError::nativeErrorCode(); linking libsqlite3 for a handful of numbers is not worth
// it.
constexpr int kSqlitePerm = 3;
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADb = 26;

// sqlite3 os_unix.c: UNIX_SHM_DMS = (22 + SQLITE_SHM_NLOCK) * 4 + SQLITE_SHM_NLOCK. Every
// connection that has the WAL index mapped holds a shared lock on this byte of the -shm file.
constexpr off_t kShmDmsByte = 128;

std::atomic<quint64> s_instanceCounter{0};

/** Which database files stores of this process have open, and how many of them. */
struct OpenFiles
{
    QMutex mutex;
    QHash<QString, int> count;
};

OpenFiles &openFiles()
{
    static OpenFiles files;
    return files;
}

void registerOpen(const QString &path, int delta)
{
    OpenFiles &files = openFiles();
    const QMutexLocker locker(&files.mutex);
    int &count = files.count[path];
    count += delta;
    if (count <= 0)
        files.count.remove(path);
}

int openCount(const QString &path)
{
    OpenFiles &files = openFiles();
    const QMutexLocker locker(&files.mutex);
    return files.count.value(path);
}

/** True if another process has @p databasePath open in WAL mode. */
bool inUseByAnotherProcess(const QString &databasePath)
{
#ifdef Q_OS_UNIX
    const QByteArray shm = QFile::encodeName(databasePath + u"-shm"_s);
    const int fd = ::open(shm.constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false; // no -shm: nobody has the file open in WAL mode
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kShmDmsByte;
    lock.l_len = 1;
    // F_GETLK reports only other processes' locks. Closing fd drops this process's POSIX locks
    // on the -shm, which is why the caller first makes sure no store here has the file open.
    const bool held = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
    ::close(fd);
    return held;
#else
    Q_UNUSED(databasePath);
    return false;
#endif
}

int sqlitePrimaryCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

PersistentStore::Error classify(const QSqlError &error)
{
    switch (sqlitePrimaryCode(error)) {
    case kSqliteBusy:
    case kSqliteLocked:
        return PersistentStore::Error::Busy;
    case kSqliteReadOnly:
    case kSqlitePerm:
        return PersistentStore::Error::ReadOnly;
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return PersistentStore::Error::Corrupt;
    case kSqliteFull:
        return PersistentStore::Error::DiskFull;
    case kSqliteCantOpen:
        return PersistentStore::Error::CannotOpen;
    default:
        return PersistentStore::Error::Other;
    }
}

/**
 * On a full disk SQLite does not always say SQLITE_FULL: growing the -shm file fails with
 * SQLITE_IOERR_SHMSIZE, a write with SQLITE_IOERR_WRITE. An I/O error where the volume has no
 * room left is taken for a full disk.
 */
PersistentStore::Error classifyIn(const QSqlError &error, const QString &directory)
{
    const PersistentStore::Error kind = classify(error);
    if (kind != PersistentStore::Error::Other || sqlitePrimaryCode(error) != kSqliteIoErr)
        return kind;
    const QStorageInfo volume(directory);
    constexpr qint64 kNoRoom = 1024 * 1024;
    return volume.isValid() && volume.bytesAvailable() < kNoRoom ? PersistentStore::Error::DiskFull
                                                                 : kind;
}

QString describe(const QSqlError &error)
{
    return u"%1 (SQLite code %2)"_s.arg(error.text(), error.nativeErrorCode());
}

/**
 * The lock that makes open() one step across processes: an exclusive SQLite lock on an empty
 * database next to the cache, cache.sqlite.lock. A SQLite lock rather than a lock file of our
 * own: the kernel drops it when its holder dies (no stale lock to detect), and waiting for it is
 * SQLite's busy timeout, bounded and with a fine backoff (1, 2, 5, 10 ms ...). Released with
 * ROLLBACK, so the file is never written and stays empty.
 */
struct OpenLock
{
    enum State { Locked, Busy, CannotCreate, Failed };

    OpenLock(const QString &path, const QString &connectionName)
        : name(connectionName)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(PersistentStore::kBusyTimeoutMs));
            if (db.open()) {
                QSqlQuery q(db);
                // No journal: the lock database is never written, so it needs none, and
                // BEGIN EXCLUSIVE would otherwise create and delete one every time.
                if (q.exec(u"PRAGMA journal_mode = OFF"_s) && q.exec(u"BEGIN EXCLUSIVE"_s)) {
                    state = Locked;
                    return;
                }
                detail = describe(q.lastError());
                state = stateFor(classifyIn(q.lastError(), QFileInfo(path).path()));
            } else {
                detail = describe(db.lastError());
                state = CannotCreate;
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    static State stateFor(PersistentStore::Error error)
    {
        switch (error) {
        case PersistentStore::Error::Busy:
            return Busy;
        case PersistentStore::Error::ReadOnly:
        case PersistentStore::Error::CannotOpen:
        case PersistentStore::Error::DiskFull:
            return CannotCreate;
        default:
            return Failed;
        }
    }

    ~OpenLock()
    {
        if (state != Locked)
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            QSqlQuery(db).exec(u"ROLLBACK"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    OpenLock(const OpenLock &) = delete;
    OpenLock &operator=(const OpenLock &) = delete;

    QString name;
    State state = Failed;
    QString detail;
};

const QStringList &expectedColumns()
{
    static const QStringList columns{u"key"_s, u"value"_s, u"loaded_at"_s, u"ttl_ms"_s};
    return columns;
}

} // namespace

/** Prepared once per open connection: each call then only binds and steps. */
struct PersistentStore::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : begin(db)
        , commit(db)
        , rollback(db)
        , read(db)
        , readAll(db)
        , write(db)
        , remove(db)
        , clear(db)
        , purge(db)
    {
        // Forward-only: Qt SQL would otherwise keep a copy of every row it stepped over, which
        // for readAll() of 100k rows doubles the memory and the copying.
        for (QSqlQuery *q : all())
            q->setForwardOnly(true);
    }

    std::array<QSqlQuery *, 9> all()
    {
        return {&begin, &commit, &rollback, &read, &readAll, &write, &remove, &clear, &purge};
    }

    bool prepare()
    {
        // IMMEDIATE takes the write lock up front, where the busy timeout applies. A deferred
        // BEGIN would take it only at the INSERT, and a reader that must upgrade to writer after
        // another process committed gets SQLITE_BUSY at once, without waiting.
        return begin.prepare(u"BEGIN IMMEDIATE"_s) && commit.prepare(u"COMMIT"_s)
               && rollback.prepare(u"ROLLBACK"_s)
               && read.prepare(u"SELECT value, loaded_at, ttl_ms FROM entries WHERE key = ?"_s)
               && readAll.prepare(
                   u"SELECT key, value, loaded_at, ttl_ms FROM entries ORDER BY key"_s)
               && write.prepare(u"INSERT INTO entries (key, value, loaded_at, ttl_ms) "
                                "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                                "value = excluded.value, loaded_at = excluded.loaded_at, "
                                "ttl_ms = excluded.ttl_ms"_s)
               && remove.prepare(u"DELETE FROM entries WHERE key = ?"_s)
               && clear.prepare(u"DELETE FROM entries"_s)
               && purge.prepare(u"DELETE FROM entries WHERE loaded_at + ttl_ms < ?"_s);
    }

    QSqlQuery *firstFailed()
    {
        for (QSqlQuery *q : all()) {
            if (q->lastError().isValid())
                return q;
        }
        return &begin;
    }

    QSqlQuery begin;
    QSqlQuery commit;
    QSqlQuery rollback;
    QSqlQuery read;
    QSqlQuery readAll;
    QSqlQuery write;
    QSqlQuery remove;
    QSqlQuery clear;
    QSqlQuery purge;
};

PersistentStore::PersistentStore(const Clock *clock)
    : m_clock(clock ? clock : Clock::system())
    , m_connectionName(u"weatherdash.store.%1"_s.arg(++s_instanceCounter))
{ }

PersistentStore::~PersistentStore()
{
    closeConnection();
}

QString PersistentStore::defaultDirectory()
{
    const QString fromEnv = qEnvironmentVariable("WEATHERDASH_CACHE_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
}

QString PersistentStore::filePath() const
{
    return m_directory.isEmpty() ? QString() : m_directory + u'/' + fileName();
}

bool PersistentStore::isOpen() const
{
    return m_statements != nullptr;
}

void PersistentStore::close()
{
    closeConnection();
    assertInvariants();
}

bool PersistentStore::open(const QString &directory)
{
    closeConnection();
    resetError();
    m_warning.clear();
    m_warningKind = Error::None;
    m_directory.clear();
    m_opening = true;
    const bool ok = [&] {
        if (directory.isEmpty())
            return fail(Error::CannotOpen, u"no cache directory given"_s,
                        tr("No folder was given for the weather cache. WeatherDash keeps "
                           "working from memory."));
        m_directory = QDir::cleanPath(QDir(directory).absolutePath());
        if (!QDir().mkpath(m_directory))
            return fail(Error::CannotOpen, u"cannot create directory %1"_s.arg(m_directory),
                        tr("The folder %1 for the weather cache could not be created. "
                           "WeatherDash keeps working from memory.")
                            .arg(QDir::toNativeSeparators(m_directory)));
        return openLocked();
    }();
    m_opening = false;
    if (!ok) {
        closeConnection();
        qCWarning(lcStore).noquote() << m_openDetail << "failed:" << m_errorString;
        sayOnce(m_error, m_errorString);
    } else if (!m_warning.isEmpty()) {
        sayOnce(m_warningKind, m_warning);
    }
    assertInvariants();
    return ok;
}

bool PersistentStore::openLocked()
{
    const OpenLock lock(filePath() + u".lock"_s, m_connectionName + u".lock"_s);
    switch (lock.state) {
    case OpenLock::Locked:
        break;
    case OpenLock::Busy:
        return fail(Error::Busy,
                    u"another process held %1.lock too long: %2"_s.arg(filePath(), lock.detail));
    case OpenLock::CannotCreate:
        // No file can be made in the folder. As long as nothing can be created or renamed
        // there, there is nothing to coordinate either: read what the folder holds.
        return openReadOnly(QFileInfo(m_directory).isWritable() ? Error::DiskFull : Error::ReadOnly,
                            u"cannot create the lock file: "_s + lock.detail);
    case OpenLock::Failed:
        return fail(Error::Other, u"cannot take %1.lock: %2"_s.arg(filePath(), lock.detail));
    }

    OpenResult result = openConnection();
    // The damaged file is out of the way: one more try, on a fresh file. A second failure is not
    // retried, so a folder that damages every file cannot make us rename files in a loop.
    if (result == OpenResult::SetAside)
        result = openConnection();
    switch (result) {
    case OpenResult::Ok:
        return true;
    case OpenResult::SetAside:
    case OpenResult::Failed:
        closeConnection();
        return false;
    case OpenResult::ReadOnly:
        break;
    }
    closeConnection();
    const QString detail = m_openDetail;
    return openReadOnly(m_error == Error::DiskFull ? Error::DiskFull : Error::ReadOnly, detail);
}

bool PersistentStore::addConnection(const QString &databaseName, const QString &options)
{
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(databaseName);
    // Applies from the very first statement (quick_check below may have to wait for a lock);
    // the PRAGMA further down states the same value where a reader of the SQL will look.
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kBusyTimeoutMs) + options);
    return m_db.open();
}

bool PersistentStore::prepareStatements()
{
    auto statements = std::make_unique<Statements>(m_db);
    if (!statements->prepare()) {
        const QSqlError error = statements->firstFailed()->lastError();
        statements.reset();
        return fail(error, u"prepare statements"_s);
    }
    m_statements = std::move(statements);
    m_fileId = fileIdOf(filePath());
    registerOpen(filePath(), 1);
    return true;
}

/* Runs with the lock file held. */
PersistentStore::OpenResult PersistentStore::openConnection()
{
    const QFileInfo before(filePath());
    const bool fresh = !before.exists() || (before.isFile() && before.size() == 0);
    // SQLite opens a read-only file read-only without a word, and in WAL mode even an empty
    // BEGIN IMMEDIATE ... COMMIT succeeds on it: only the first real write would fail.
    if (before.isFile() && !before.isWritable()) {
        fail(Error::ReadOnly, u"file %1 is not writable"_s.arg(filePath()));
        return OpenResult::ReadOnly;
    }
    if (!addConnection(filePath(), QString())) {
        fail(m_db.lastError(), u"open %1"_s.arg(filePath()));
        return OpenResult::Failed;
    }

    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    const QString damaged = tr("The cache file was damaged and has been set aside as %1; "
                               "starting with an empty cache.");
    // Every failure below is either "the file is damaged" (set it aside), "it cannot be written"
    // (read it read-only) or something else about the environment (locked, ...) where the file
    // itself must be left alone.
    const auto failed = [&](const QSqlError &error, const QString &what) {
        q = QSqlQuery(); // setAside() removes the connection, which must then be unused
        switch (classifyIn(error, m_directory)) {
        case Error::Corrupt:
            qCWarning(lcStore) << "cache file" << filePath() << "is damaged:" << what
                               << describe(error);
            return setAside(damaged) ? OpenResult::SetAside : OpenResult::Failed;
        case Error::ReadOnly:
        case Error::DiskFull:
            fail(error, what);
            return OpenResult::ReadOnly;
        default:
            fail(error, what);
            return OpenResult::Failed;
        }
    };

    // checkIntegrity() found this very file damaged (not one that replaced it meanwhile).
    if (const FileId damagedFile = std::exchange(m_setAside, FileId());
        damagedFile.valid && !fresh && damagedFile == fileIdOf(filePath())) {
        q = QSqlQuery();
        return setAside(damaged) ? OpenResult::SetAside : OpenResult::Failed;
    }
    if (!q.exec(u"PRAGMA busy_timeout = %1"_s.arg(kBusyTimeoutMs)))
        return failed(q.lastError(), u"set busy timeout"_s);
    if (fresh) {
        // Ours to create (we hold the lock): in WAL mode from the start, so creating the schema
        // is one WAL commit rather than a rollback journal's two fsyncs.
        if (!q.exec(u"PRAGMA journal_mode = WAL"_s))
            return failed(q.lastError(), u"set journal mode"_s);
        q.finish();
    }

    // One read transaction: quick_check and every header field below come from one snapshot.
    // Until we know the file is ours, only read it: a foreign or newer file is set aside or left
    // alone byte for byte. The first read is here; garbage fails with "file is not a database".
    // quick_check reads every page (milliseconds for a cache of a few MB, 80 ms for 100,000
    // rows on a loaded machine) but skips the costly index cross-checks of integrity_check; it
    // finds truncated files and broken b-trees. It cannot find a damaged value inside an intact
    // page; the parsers above reject those. OpenCheck::Structure leaves it to checkIntegrity()
    // and reads the first page of each b-tree instead (probeRoots()).
    if (!q.exec(u"BEGIN"_s))
        return failed(q.lastError(), u"begin inspection"_s);
    if (m_openCheck == OpenCheck::Full) {
        if (!q.exec(u"PRAGMA quick_check"_s))
            return failed(q.lastError(), u"quick_check"_s);
        QStringList problems;
        while (q.next())
            problems << q.value(0).toString();
        if (q.lastError().isValid())
            return failed(q.lastError(), u"quick_check"_s);
        q.finish();
        if (problems != QStringList{u"ok"_s}) {
            qCWarning(lcStore) << "cache file" << filePath()
                               << "failed quick_check:" << problems.mid(0, 5);
            q = QSqlQuery();
            return setAside(damaged) ? OpenResult::SetAside : OpenResult::Failed;
        }
    }
    const Inspection seen = inspect(q);
    if (seen.error.isValid())
        return failed(seen.error, u"read schema"_s);
    if (m_openCheck == OpenCheck::Structure && seen.layout == Layout::Current) {
        if (const QSqlError error = probeRoots(q); error.isValid())
            return failed(error, u"read the first pages"_s);
    }
    if (!q.exec(u"COMMIT"_s))
        return failed(q.lastError(), u"end inspection"_s);

    switch (seen.layout) {
    case Layout::Foreign:
        qCWarning(lcStore).noquote() << "cache file" << filePath() << "is not ours:" << seen.detail;
        q = QSqlQuery();
        return setAside(tr("The cache file was not a WeatherDash cache and has been set aside as "
                           "%1; starting with an empty cache."))
                   ? OpenResult::SetAside
                   : OpenResult::Failed;
    case Layout::Newer:
        fail(Error::CannotOpen, seen.detail,
             tr("The weather cache in %1 was written by a newer version of WeatherDash and is "
                "left as it is. WeatherDash keeps working from memory.")
                 .arg(QDir::toNativeSeparators(m_directory)));
        return OpenResult::Failed;
    case Layout::Empty:
    case Layout::Older:
    case Layout::Current:
        break;
    }

    const OpenResult schema = prepareSchema(q);
    if (schema != OpenResult::Ok) {
        q = QSqlQuery();
        return schema;
    }
    if (!fresh) {
        if (!q.exec(u"PRAGMA journal_mode = WAL"_s))
            return failed(q.lastError(), u"set journal mode"_s);
        if (q.next() && q.value(0).toString() != u"wal"_s) {
            // e.g. a file system without shared memory: still correct, only writers block
            // readers.
            qCWarning(lcStore) << "WAL not available, journal mode is" << q.value(0).toString();
        }
        q.finish();
    }
    if (!q.exec(u"PRAGMA synchronous = NORMAL"_s))
        return failed(q.lastError(), u"set synchronous"_s);
    q = QSqlQuery();

    if (!prepareStatements())
        return OpenResult::Failed;
    qCDebug(lcStore) << "opened" << filePath();
    return OpenResult::Ok;
}

bool PersistentStore::openReadOnly(Error reason, const QString &detail)
{
    closeConnection();
    QString servingSentence;
    if (reason == Error::DiskFull) {
        servingSentence = tr("The disk is full: WeatherDash shows the weather saved in its cache "
                             "but cannot save new forecasts.");
    } else if (QFileInfo(filePath()).isFile() && !QFileInfo(filePath()).isWritable()) {
        servingSentence = tr("The weather cache file %1 is read-only: WeatherDash shows the "
                             "weather saved in it but cannot save new forecasts.")
                              .arg(QDir::toNativeSeparators(filePath()));
    } else {
        servingSentence = tr("The folder %1 is read-only: WeatherDash shows the weather saved "
                             "there but cannot save new forecasts.")
                              .arg(QDir::toNativeSeparators(m_directory));
    }
    const QString memoryOnly
        = reason == Error::DiskFull
              ? tr("The disk is full: the weather cache could not be saved. WeatherDash keeps "
                   "working from memory.")
              : tr("The folder %1 is read-only: the weather cache cannot be saved there. "
                   "WeatherDash keeps working from memory.")
                    .arg(QDir::toNativeSeparators(m_directory));
    if (!QFileInfo(filePath()).isFile())
        return fail(reason, detail + u", and there is no cache file to read"_s, memoryOnly);

    const QString uri = QUrl::fromLocalFile(filePath()).toString(QUrl::FullyEncoded);
    // mode=ro first: it sees what other processes commit. A WAL-mode file whose -shm cannot be
    // created (read-only folder) opens only as immutable: the database file alone.
    for (const QString &parameters : {u"?mode=ro"_s, u"?mode=ro&immutable=1"_s}) {
        closeConnection();
        if (!addConnection(uri + parameters, u";QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"_s)) {
            qCDebug(lcStore) << "read-only open" << parameters << describe(m_db.lastError());
            continue;
        }
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        Inspection seen;
        if (!q.exec(u"BEGIN"_s)) {
            seen.error = q.lastError();
        } else {
            seen = inspect(q);
            q.exec(u"COMMIT"_s);
        }
        q = QSqlQuery();
        if (seen.error.isValid()) {
            qCDebug(lcStore) << "read-only open" << parameters << describe(seen.error);
            continue;
        }
        if (seen.layout != Layout::Current) {
            closeConnection();
            return fail(reason, detail + u", and the file holds no cache of this version"_s,
                        memoryOnly);
        }
        if (!prepareStatements()) {
            closeConnection();
            return false;
        }
        m_readOnly = true;
        m_readOnlyKind = reason;
        m_readOnlySentence = servingSentence;
        m_warning = servingSentence;
        m_warningKind = reason;
        resetError();
        qCInfo(lcStore).noquote() << "opened" << filePath() << "read-only" << parameters
                                  << "because" << detail;
        return true;
    }
    closeConnection();
    return fail(reason, detail + u", and the file could not be read either"_s, memoryOnly);
}

/*
 * Classifies the file by its header ids and its tables; reads only, inside the caller's
 * transaction. Empty: a new (or zero-length) file, or one whose creator has not committed yet.
 * Foreign: someone else's SQLite file, or ours with a layout that does not match its version,
 * which only damage or a bug can produce.
 */
PersistentStore::Inspection PersistentStore::inspect(QSqlQuery &q) const
{
    Inspection result;
    const auto scalar = [&q](const QString &sql, qint64 *out) {
        if (!q.exec(sql) || !q.next())
            return false;
        *out = q.value(0).toLongLong();
        q.finish();
        return true;
    };
    qint64 applicationId = 0;
    qint64 userVersion = 0;
    if (!scalar(u"PRAGMA application_id"_s, &applicationId)
        || !scalar(u"PRAGMA user_version"_s, &userVersion)
        || !q.exec(
            u"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"_s)) {
        result.error = q.lastError();
        return result;
    }
    QStringList tables;
    while (q.next())
        tables << q.value(0).toString();
    q.finish();

    if (applicationId == 0 && userVersion == 0 && tables.isEmpty()) {
        result.layout = Layout::Empty;
        return result;
    }
    if (applicationId != kApplicationId) {
        result.layout = Layout::Foreign;
        result.detail
            = u"application_id %1, tables %2"_s.arg(applicationId).arg(tables.join(u", "_s));
        return result;
    }
    if (userVersion > kSchemaVersion) {
        result.layout = Layout::Newer;
        result.detail
            = u"schema version %1 is newer than %2"_s.arg(userVersion).arg(kSchemaVersion);
        return result;
    }
    if (userVersion < kSchemaVersion) {
        result.layout = Layout::Older;
        result.detail = u"schema version %1"_s.arg(userVersion);
        return result;
    }
    if (!q.exec(u"PRAGMA table_info(entries)"_s)) {
        result.error = q.lastError();
        return result;
    }
    QStringList columns;
    while (q.next())
        columns << q.value(1).toString();
    q.finish();
    if (columns != expectedColumns()) {
        result.layout = Layout::Foreign;
        result.detail
            = u"version %1 with columns (%2)"_s.arg(userVersion).arg(columns.join(u", "_s));
        return result;
    }
    result.layout = Layout::Current;
    return result;
}

/*
 * OpenCheck::Structure: descends from the root of each b-tree the store reads (the entries,
 * the request log and its index) to its first leaf, inside the caller's transaction. A zeroed
 * or garbled root answers SQLITE_CORRUPT here, as it would under quick_check.
 */
QSqlError PersistentStore::probeRoots(QSqlQuery &q) const
{
    if (!q.exec(u"SELECT name FROM sqlite_schema WHERE name IN ('requests', 'requests_by_time')"_s))
        return q.lastError();
    QStringList present;
    while (q.next())
        present << q.value(0).toString();
    q.finish();
    QStringList probes{u"SELECT key FROM entries LIMIT 1"_s};
    if (present.contains(u"requests"_s))
        probes << u"SELECT at FROM requests LIMIT 1"_s;
    if (present.contains(u"requests_by_time"_s))
        probes << u"SELECT provider, at FROM requests INDEXED BY requests_by_time LIMIT 1"_s;
    for (const QString &sql : std::as_const(probes)) {
        if (!q.exec(sql))
            return q.lastError();
        while (q.next()) { }
        if (q.lastError().isValid())
            return q.lastError();
        q.finish();
    }
    return QSqlError();
}

bool PersistentStore::checkIntegrity()
{
    resetError();
    if (!usable("checkIntegrity")) {
        assertInvariants();
        return false;
    }
    QStringList problems;
    QSqlError error;
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (q.exec(u"PRAGMA quick_check"_s)) {
            while (q.next())
                problems << q.value(0).toString();
        }
        error = q.lastError();
    }
    if (!error.isValid() && problems == QStringList{u"ok"_s}) {
        assertInvariants();
        return true;
    }
    if (error.isValid() && classifyIn(error, m_directory) != Error::Corrupt) {
        // Busy (another process writing), ...: the file stays as it is, in use; the next
        // start checks it again.
        qCInfo(lcStore).noquote() << "integrity check of" << filePath()
                                  << "not done:" << describe(error);
        assertInvariants();
        return true;
    }
    qCWarning(lcStore) << "cache file" << filePath() << "failed quick_check:"
                       << (error.isValid() ? QStringList{describe(error)} : problems.mid(0, 5));
    // As open() does with a damaged file: under the lock file, set aside if it is still this
    // file (another opener may have replaced it meanwhile), then a fresh one.
    m_setAside = m_fileId;
    const QString directory = m_directory; // open() clears the member first
    const bool reopened = open(directory);
    m_setAside = FileId();
    return reopened;
}

/*
 * Creates the table in a new file or rebuilds an older layout, under BEGIN IMMEDIATE, and the
 * layout is looked at again inside: the write lock is what makes "empty, so create" one step.
 * Taking it also proves at open() that the file is writable, rather than at the first write.
 */
PersistentStore::OpenResult PersistentStore::prepareSchema(QSqlQuery &q)
{
    const auto failedWith = [this](const QSqlError &error, const QString &what) {
        fail(error, what);
        switch (classifyIn(error, m_directory)) {
        case Error::ReadOnly:
        case Error::DiskFull:
            return OpenResult::ReadOnly;
        default:
            return OpenResult::Failed;
        }
    };
    if (!q.exec(u"BEGIN IMMEDIATE"_s))
        return failedWith(q.lastError(), u"begin schema transaction"_s);
    const auto rollbackAnd = [&q](OpenResult result) {
        q.exec(u"ROLLBACK"_s);
        return result;
    };

    const Inspection seen = inspect(q);
    if (seen.error.isValid())
        return rollbackAnd(failedWith(seen.error, u"read schema"_s));
    switch (seen.layout) {
    case Layout::Current:
        // The request log came later than schema version 1 and is only added, never
        // required: earlier versions ignore the table, and a file without it still opens.
        if (!q.exec(kCreateRequestLog) || !q.exec(kCreateRequestIndex))
            return rollbackAnd(failedWith(q.lastError(), u"create request log"_s));
        if (q.exec(u"COMMIT"_s))
            return OpenResult::Ok;
        return rollbackAnd(failedWith(q.lastError(), u"commit"_s));
    case Layout::Foreign:
    case Layout::Newer:
        // Changed between our two looks by a program that does not take our lock file.
        fail(Error::CannotOpen, u"cache file changed while opening: "_s + seen.detail);
        return rollbackAnd(OpenResult::Failed);
    case Layout::Older:
        qCInfo(lcStore).noquote() << "rebuilding the cache, found" << seen.detail
                                  << "expected version" << kSchemaVersion;
        break;
    case Layout::Empty:
        break;
    }

    // WITHOUT ROWID: the key is the primary key and the only lookup, so the rows live in the key's
    // b-tree itself instead of a rowid table plus a separate index.
    const QStringList statements{
        u"DROP TABLE IF EXISTS entries"_s,
        u"CREATE TABLE entries (key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL, "
        "loaded_at INTEGER NOT NULL, ttl_ms INTEGER NOT NULL) WITHOUT ROWID"_s,
        kCreateRequestLog,
        kCreateRequestIndex,
        u"PRAGMA application_id = %1"_s.arg(kApplicationId),
        u"PRAGMA user_version = %1"_s.arg(kSchemaVersion),
        u"COMMIT"_s,
    };
    for (const QString &sql : statements) {
        if (!q.exec(sql))
            return rollbackAnd(failedWith(q.lastError(), u"create schema"_s));
    }
    return OpenResult::Ok;
}

/* Runs with the lock file held. */
bool PersistentStore::setAside(const QString &warningTemplate)
{
    const QString original = filePath();
    closeConnection();
    const QString cannot = tr("The weather cache file %1 is damaged and could not be set aside. "
                              "WeatherDash keeps working from memory.")
                               .arg(QDir::toNativeSeparators(original));

    // Whoever still has the file open would go on writing into the renamed file, and its
    // SQLite would delete the new file's -wal and -shm when it closes.
    if (openCount(original) > 0 || inUseByAnotherProcess(original)) {
        return fail(Error::Corrupt, u"%1 is damaged but still in use"_s.arg(original),
                    tr("The weather cache file %1 is damaged, and another WeatherDash is still "
                       "using it. WeatherDash keeps working from memory and will start a new "
                       "cache file next time.")
                        .arg(QDir::toNativeSeparators(original)));
    }

    const QString stamp
        = QDateTime::fromMSecsSinceEpoch(m_clock->now()).toString(u"yyyyMMdd-HHmmss"_s);
    const QString base = original + u".corrupt-"_s + stamp;
    QString aside = base;
    for (int i = 2; QFileInfo::exists(aside); ++i)
        aside = base + u'-' + QString::number(i);

    if (!QFile::rename(original, aside))
        return fail(Error::Corrupt, u"cannot rename %1 to %2"_s.arg(original, aside), cannot);
    // The companions go along: a leftover -wal next to the fresh file could be replayed into it.
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s}) {
        if (QFileInfo::exists(original + suffix)
            && !QFile::rename(original + suffix, aside + suffix)
            && !QFile::remove(original + suffix)) {
            return fail(Error::Corrupt, u"cannot move %1%2 aside"_s.arg(original, suffix), cannot);
        }
    }
    m_warning = warningTemplate.arg(QFileInfo(aside).fileName());
    m_warningKind = Error::Corrupt;
    qCWarning(lcStore).noquote() << "set aside" << original << "as" << aside;
    return true;
}

PersistentStore::FileId PersistentStore::fileIdOf(const QString &path)
{
    FileId id;
#ifdef Q_OS_UNIX
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) == 0) {
        id.device = quint64(st.st_dev);
        id.inode = quint64(st.st_ino);
        id.valid = true;
    }
#else
    // Windows does not rename or delete a file that is open, so the path keeps its file.
    id.valid = QFileInfo::exists(path);
#endif
    return id;
}

/* The start of every call on an open store. */
bool PersistentStore::usable(const char *what) const
{
    if (!isOpen())
        return fail(Error::CannotOpen, QLatin1String(what) + u" while not open"_s);
    return ensureSameFile();
}

bool PersistentStore::ensureSameFile() const
{
    if (fileIdOf(filePath()) == m_fileId)
        return true;
    qCWarning(lcStore) << "cache file" << filePath()
                       << "was removed or replaced by another program; opening it again";
    // Reopening renews the connection, as a cache renews a value: read() and readAll() stay
    // const for their callers. No store is ever created const, so this is defined behaviour.
    auto *self = const_cast<PersistentStore *>(this);
    const QString directory = m_directory;
    return self->open(directory);
}

std::optional<StoredEntry> PersistentStore::read(const QString &key) const
{
    resetError();
    if (!usable("read")) {
        assertInvariants();
        return std::nullopt;
    }
    QSqlQuery &q = m_statements->read;
    q.bindValue(0, key);
    std::optional<StoredEntry> entry;
    if (!q.exec()) {
        fail(q.lastError(), u"read"_s);
    } else if (q.next()) {
        entry = StoredEntry{key, q.value(0).toByteArray(), q.value(1).toLongLong(),
                            q.value(2).toLongLong()};
    } else if (q.lastError().isValid()) {
        fail(q.lastError(), u"read"_s);
    }
    // An unfinished SELECT keeps its read transaction, and with it a snapshot that would hide
    // what the other process commits from now on.
    q.finish();
    assertInvariants();
    return entry;
}

QList<StoredEntry> PersistentStore::readAll() const
{
    resetError();
    QList<StoredEntry> entries;
    if (!usable("readAll")) {
        assertInvariants();
        return entries;
    }
    QSqlQuery &q = m_statements->readAll;
    if (!q.exec()) {
        fail(q.lastError(), u"readAll"_s);
        assertInvariants();
        return entries;
    }
    while (q.next()) {
        entries.append(StoredEntry{q.value(0).toString(), q.value(1).toByteArray(),
                                   q.value(2).toLongLong(), q.value(3).toLongLong()});
    }
    if (q.lastError().isValid())
        fail(q.lastError(), u"readAll"_s);
    q.finish();
    assertInvariants();
    return entries;
}

bool PersistentStore::refuseWrite(const char *what) const
{
    return fail(m_readOnlyKind, QLatin1String(what) + u": the cache is open read-only"_s,
                m_readOnlySentence);
}

bool PersistentStore::write(const QString &key, const QByteArray &value, qint64 loadedAt,
                            qint64 ttlMs)
{
    resetError();
    const bool ok = [&] {
        if (!usable("write"))
            return false;
        if (m_readOnly)
            return refuseWrite("write");
        Statements &s = *m_statements;
        if (!s.begin.exec())
            return fail(s.begin.lastError(), u"begin write"_s);
        s.write.bindValue(0, key);
        // Qt binds a null QByteArray as SQL NULL; an empty value is still a value.
        s.write.bindValue(1, value.isNull() ? QByteArray("") : value);
        s.write.bindValue(2, loadedAt);
        s.write.bindValue(3, ttlMs);
        QSqlError error;
        if (!s.write.exec())
            error = s.write.lastError();
        else if (!s.commit.exec())
            error = s.commit.lastError();
        if (!error.isValid())
            return true;
        // After SQLITE_FULL SQLite may already have rolled back; a second ROLLBACK then fails
        // harmlessly. Without it a half-open transaction would block the other process.
        s.rollback.exec();
        return fail(error, u"write"_s);
    }();
    assertInvariants();
    return ok;
}

bool PersistentStore::remove(const QString &key)
{
    resetError();
    const bool ok = [&] {
        if (!usable("remove"))
            return false;
        if (m_readOnly)
            return refuseWrite("remove");
        QSqlQuery &q = m_statements->remove;
        q.bindValue(0, key);
        return q.exec() || fail(q.lastError(), u"remove"_s);
    }();
    assertInvariants();
    return ok;
}

bool PersistentStore::clear()
{
    resetError();
    const bool ok = [&] {
        if (!usable("clear"))
            return false;
        if (m_readOnly)
            return refuseWrite("clear");
        QSqlQuery &q = m_statements->clear;
        return q.exec() || fail(q.lastError(), u"clear"_s);
    }();
    assertInvariants();
    return ok;
}

int PersistentStore::purge(qint64 horizonMs)
{
    resetError();
    const int dropped = [&] {
        if (!usable("purge"))
            return -1;
        if (m_readOnly) {
            refuseWrite("purge");
            return -1;
        }
        QSqlQuery &q = m_statements->purge;
        q.bindValue(0, m_clock->now() - horizonMs);
        if (!q.exec()) {
            fail(q.lastError(), u"purge"_s);
            return -1;
        }
        return q.numRowsAffected();
    }();
    if (dropped >= 0 && !m_readOnly) {
        // The request log keeps a few days; failing to trim it loses nothing.
        QSqlQuery q(m_db);
        q.prepare(u"DELETE FROM requests WHERE at < ?"_s);
        q.addBindValue(m_clock->now() - kRequestLogDays * kDayMs);
        if (!q.exec())
            qCDebug(lcStore) << "trimming the request log failed:" << q.lastError().text();
    }
    if (dropped > 0)
        qCDebug(lcStore) << "purged" << dropped << "entries";
    assertInvariants();
    return dropped;
}

bool PersistentStore::logRequest(const QString &provider, qint64 at)
{
    resetError();
    const bool ok = [&] {
        if (!usable("log request"))
            return false;
        if (m_readOnly)
            return refuseWrite("log request");
        QSqlQuery q(m_db);
        q.prepare(u"INSERT INTO requests (provider, at) VALUES (?, ?)"_s);
        q.addBindValue(provider);
        q.addBindValue(at);
        return q.exec() || fail(q.lastError(), u"log request"_s);
    }();
    assertInvariants();
    return ok;
}

QList<qint64> PersistentStore::countRequests(const QString &provider,
                                             const QList<qint64> &since) const
{
    resetError();
    QList<qint64> counts;
    if (!usable("count requests"))
        return counts;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(u"SELECT COUNT(*) FROM requests WHERE provider = ? AND at >= ?"_s))
        return counts; // a file of an earlier version, read-only: no log in it
    for (const qint64 from : since) {
        q.bindValue(0, provider);
        q.bindValue(1, from);
        if (!q.exec() || !q.next()) {
            fail(q.lastError(), u"count requests"_s);
            return {};
        }
        counts.append(q.value(0).toLongLong());
        q.finish();
    }
    return counts;
}

qint64 PersistentStore::fileSize() const
{
    if (!isOpen())
        return 0;
    const QString path = filePath();
    return QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
}

int PersistentStore::setMaxPageCountForTesting(int pages)
{
    if (!isOpen())
        return -1;
    QSqlQuery q(m_db);
    if (!q.exec(u"PRAGMA max_page_count = %1"_s.arg(pages)) || !q.next())
        return -1;
    return q.value(0).toInt();
}

QStringList PersistentStore::takeNewProblems()
{
    return std::exchange(m_newProblems, {});
}

void PersistentStore::sayOnce(Error kind, const QString &sentence) const
{
    if (kind == Error::None || sentence.isEmpty() || m_kindsSaid.contains(kind))
        return;
    m_kindsSaid.append(kind);
    m_newProblems.append(sentence);
}

bool PersistentStore::fail(Error error, const QString &what, const QString &sentence) const
{
    m_error = error;
    if (!sentence.isEmpty()) {
        m_errorString = sentence;
    } else {
        const QString folder = QDir::toNativeSeparators(m_directory);
        switch (error) {
        case Error::None:
            m_errorString.clear();
            break;
        case Error::CannotOpen:
            m_errorString = tr("The weather cache in %1 could not be opened. WeatherDash keeps "
                               "working from memory.")
                                .arg(folder);
            break;
        case Error::Corrupt:
            m_errorString = tr("The weather cache file is damaged. WeatherDash keeps working from "
                               "memory and will start a new cache file next time.");
            break;
        case Error::DiskFull:
            m_errorString = tr("The disk is full: the weather cache could not be saved. "
                               "WeatherDash keeps working from memory.");
            break;
        case Error::ReadOnly:
            m_errorString = tr("The folder %1 is read-only: the weather cache cannot be saved "
                               "there. WeatherDash keeps working from memory.")
                                .arg(folder);
            break;
        case Error::Busy:
            m_errorString = tr("Another WeatherDash program kept the weather cache busy, so it "
                               "could not be used just now. WeatherDash keeps working from "
                               "memory.");
            break;
        case Error::Other:
            m_errorString = tr("The weather cache could not be used. WeatherDash keeps working "
                               "from memory.");
            break;
        }
    }
    if (m_opening) {
        // open() may still recover (a read-only file still opens); it logs its outcome.
        m_openDetail = what;
        qCDebug(lcStore).noquote() << what << "failed:" << m_errorString;
    } else if (!m_kindsSaid.contains(error)) {
        qCWarning(lcStore).noquote() << what << "failed:" << m_errorString;
        sayOnce(error, m_errorString);
    } else {
        qCDebug(lcStore).noquote() << what << "failed again:" << m_errorString;
    }
    return false;
}

bool PersistentStore::fail(const QSqlError &sqlError, const QString &what) const
{
    return fail(classifyIn(sqlError, m_directory), what + u": "_s + describe(sqlError));
}

void PersistentStore::resetError() const
{
    m_error = Error::None;
    m_errorString.clear();
}

void PersistentStore::closeConnection()
{
    if (m_statements)
        registerOpen(filePath(), -1);
    // Order matters: Qt SQL warns, and keeps the connection alive, if a query or a QSqlDatabase
    // copy still refers to it when it is removed.
    m_statements.reset();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
    m_readOnly = false;
    m_readOnlyKind = Error::None;
    m_readOnlySentence.clear();
    m_fileId = FileId();
}

bool PersistentStore::checkInvariants(QString *why) const
{
    const auto broken = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if ((m_error == Error::None) != m_errorString.isEmpty())
        return broken(u"lastError() and errorString() disagree"_s);
    if (m_kindsSaid.contains(Error::None) || m_newProblems.size() > m_kindsSaid.size())
        return broken(u"a problem was queued without its kind, or twice"_s);
    if (m_opening)
        return broken(u"open() did not finish"_s);
    if (!isOpen()) {
        if (m_db.isValid() || QSqlDatabase::contains(m_connectionName))
            return broken(u"closed, but the connection is still there"_s);
        if (m_readOnly || m_fileId.valid)
            return broken(u"closed, but still marked read-only or holding a file"_s);
        return true;
    }
    if (!m_db.isOpen())
        return broken(u"statements without an open connection"_s);
    if (m_directory.isEmpty() || !m_fileId.valid)
        return broken(u"open without a directory or a file"_s);
    if (openCount(filePath()) < 1)
        return broken(u"open, but not in the registry of open files"_s);
    if (m_readOnly != !m_readOnlySentence.isEmpty()
        || m_readOnly != (m_readOnlyKind != Error::None))
        return broken(u"read-only state and its reason disagree"_s);
    if (m_readOnly && m_warning.isEmpty())
        return broken(u"read-only without saying so in warning()"_s);
    return true;
}

void PersistentStore::assertInvariants() const
{
#ifndef QT_NO_DEBUG
    QString why;
    Q_ASSERT_X(checkInvariants(&why), "PersistentStore", qPrintable(why));
#endif
}
