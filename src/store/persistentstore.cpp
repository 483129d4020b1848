// SPDX-License-Identifier: MIT
#include "persistentstore.h"

#include "cache/clock.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <atomic>

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
 * Damaged files: open() runs PRAGMA quick_check and checks the header ids and the table layout.
 * Anything unreadable (SQLITE_NOTADB for garbage, SQLITE_CORRUPT for a truncated file) or foreign
 * is renamed aside together with whatever -wal/-shm files SQLite left, never deleted: it may be
 * someone's data, and the user (or a bug report) can look at it. Until the file is known to be
 * ours, open() only reads it, so a set-aside file keeps its original bytes. A zero-length file is
 * a valid empty database. Only environment errors (busy, read-only, cannot open) leave the file
 * where it is: a healthy file that is merely locked must never be renamed. Renaming a file that
 * another process still has open is safe on POSIX (it keeps its inode) but that process's later
 * writes go to the set-aside file; damage is rare enough to accept this.
 *
 * Runtime damage (SQLITE_CORRUPT from a read or write after open) is reported as Error::Corrupt;
 * the next open() sets the file aside.
 *
 * Schema versions: PRAGMA user_version holds kSchemaVersion and application_id holds
 * kApplicationId. The contents are a cache, re-fetchable at any time, so an older layout of ours
 * is not migrated row by row: it is rebuilt empty, in place, in one transaction. A newer layout
 * (user_version > kSchemaVersion) belongs to a newer WeatherDash that may be running right now
 * on this very file; renaming or rebuilding it would break that process, so open() leaves it
 * untouched and fails with CannotOpen, and this older version runs memory-only.
 */

namespace {

// SQLite primary result codes (the low byte of an extended code), from sqlite3.h. Qt SQL reports
// them as QSqlError::nativeErrorCode(); linking libsqlite3 for a handful of numbers is not worth
// it.
constexpr int kSqlitePerm = 3;
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADb = 26;

std::atomic<quint64> s_instanceCounter{0};

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

QString describe(const QSqlError &error)
{
    return u"%1 (SQLite code %2)"_s.arg(error.text(), error.nativeErrorCode());
}

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
    { }

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
        for (QSqlQuery *q :
             {&begin, &commit, &rollback, &read, &readAll, &write, &remove, &clear, &purge}) {
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
}

bool PersistentStore::open(const QString &directory)
{
    closeConnection();
    resetError();
    m_warning.clear();
    m_directory.clear();

    if (directory.isEmpty())
        return fail(Error::CannotOpen, u"no cache directory given"_s,
                    tr("No folder was given for the weather cache. WeatherDash keeps working from "
                       "memory."));
    m_directory = QDir::cleanPath(QDir(directory).absolutePath());

    const QString shown = QDir::toNativeSeparators(m_directory);
    if (!QDir().mkpath(m_directory))
        return fail(Error::CannotOpen, u"cannot create directory %1"_s.arg(m_directory),
                    tr("The folder %1 for the weather cache could not be created. WeatherDash "
                       "keeps working from memory.")
                        .arg(shown));
    if (!QFileInfo(m_directory).isWritable())
        return fail(Error::ReadOnly, u"directory %1 is not writable"_s.arg(m_directory));
    // SQLite silently opens a read-only file read-only and fails only at the first write; the
    // app should learn at start that nothing will be saved.
    const QFileInfo file(filePath());
    if (file.exists() && !file.isWritable())
        return fail(Error::ReadOnly, u"file %1 is not writable"_s.arg(filePath()),
                    tr("The weather cache file %1 is read-only: forecasts cannot be saved between "
                       "runs. WeatherDash keeps working from memory.")
                        .arg(QDir::toNativeSeparators(filePath())));

    switch (openConnection()) {
    case OpenResult::Ok:
        return true;
    case OpenResult::Failed:
        closeConnection();
        return false;
    case OpenResult::SetAside:
        break;
    }
    // The damaged file is out of the way: one more try, on a fresh file. A second failure is not
    // retried, so a folder that damages every file cannot make us rename files in a loop.
    if (openConnection() == OpenResult::Ok)
        return true;
    closeConnection();
    return false;
}

PersistentStore::OpenResult PersistentStore::openConnection()
{
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(filePath());
    // Applies from the very first statement (quick_check below may have to wait for a lock);
    // the PRAGMA further down states the same value where a reader of the SQL will look.
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kBusyTimeoutMs));
    if (!m_db.open()) {
        fail(m_db.lastError(), u"open %1"_s.arg(filePath()));
        return OpenResult::Failed;
    }

    QSqlQuery q(m_db);
    const QString damaged = tr("The cache file was damaged and has been set aside as %1; "
                               "starting with an empty cache.");
    // Every failure below is either "the file is damaged" (set it aside) or something about the
    // environment (locked, read-only, ...) where the file itself must be left alone.
    const auto failed = [&](const QSqlError &error, const QString &what) {
        q = QSqlQuery(); // setAside() removes the connection, which must then be unused
        if (classify(error) == Error::Corrupt) {
            qCWarning(lcStore) << "cache file" << filePath() << "is damaged:" << what
                               << describe(error);
            return setAside(damaged) ? OpenResult::SetAside : OpenResult::Failed;
        }
        fail(error, what);
        return OpenResult::Failed;
    };

    if (!q.exec(u"PRAGMA busy_timeout = %1"_s.arg(kBusyTimeoutMs)))
        return failed(q.lastError(), u"set busy timeout"_s);

    // Until we know the file is ours, only read it: a foreign or newer file is set aside or left
    // alone byte for byte. The first read is here; garbage fails with "file is not a database".
    // quick_check reads every page (milliseconds for a cache of a few MB) but skips the costly
    // index cross-checks of integrity_check; it finds truncated files and broken b-trees. It
    // cannot find a damaged value inside an intact page; the parsers above reject those.
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

    const Inspection seen = inspect(q);
    if (seen.error.isValid())
        return failed(seen.error, u"read schema"_s);
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

    if (!q.exec(u"PRAGMA journal_mode = WAL"_s))
        return failed(q.lastError(), u"set journal mode"_s);
    if (q.next() && q.value(0).toString() != u"wal"_s) {
        // e.g. a file system without shared memory: still correct, only writers block readers.
        qCWarning(lcStore) << "WAL not available, journal mode is" << q.value(0).toString();
    }
    q.finish();
    if (!q.exec(u"PRAGMA synchronous = NORMAL"_s))
        return failed(q.lastError(), u"set synchronous"_s);

    if (!prepareSchema(q)) {
        q = QSqlQuery();
        return OpenResult::Failed;
    }
    q = QSqlQuery();

    auto statements = std::make_unique<Statements>(m_db);
    if (!statements->prepare()) {
        const QSqlError error = statements->firstFailed()->lastError();
        statements.reset();
        return failed(error, u"prepare statements"_s);
    }
    m_statements = std::move(statements);
    qCDebug(lcStore) << "opened" << filePath();
    return OpenResult::Ok;
}

/*
 * Classifies the file by its header ids and its tables; reads only. Empty: a new (or zero-length)
 * file. Foreign: someone else's SQLite file, or ours with a layout that does not match its
 * version, which only damage or a bug can produce.
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
 * Creates the table in a new file or rebuilds an older layout. Under BEGIN IMMEDIATE, and the
 * layout is looked at again inside: when the GUI and the CLI start together on a new folder, one
 * creates the table and the other then finds it. Taking the write lock also proves at open()
 * that the file is writable, rather than at the first write.
 */
bool PersistentStore::prepareSchema(QSqlQuery &q)
{
    if (!q.exec(u"BEGIN IMMEDIATE"_s))
        return fail(q.lastError(), u"begin schema transaction"_s);
    const auto rollbackAnd = [&q](bool result) {
        q.exec(u"ROLLBACK"_s);
        return result;
    };

    const Inspection seen = inspect(q);
    if (seen.error.isValid())
        return rollbackAnd(fail(seen.error, u"read schema"_s));
    switch (seen.layout) {
    case Layout::Current:
        return q.exec(u"COMMIT"_s) || rollbackAnd(fail(q.lastError(), u"commit"_s));
    case Layout::Foreign:
    case Layout::Newer:
        // Changed by another process between our two looks; leave it to the next start.
        return rollbackAnd(
            fail(Error::CannotOpen, u"cache file changed while opening: "_s + seen.detail));
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
        u"PRAGMA application_id = %1"_s.arg(kApplicationId),
        u"PRAGMA user_version = %1"_s.arg(kSchemaVersion),
        u"COMMIT"_s,
    };
    for (const QString &sql : statements) {
        if (!q.exec(sql))
            return rollbackAnd(fail(q.lastError(), u"create schema"_s));
    }
    return true;
}

bool PersistentStore::setAside(const QString &warningTemplate)
{
    const QString original = filePath();
    closeConnection();

    const QString stamp
        = QDateTime::fromMSecsSinceEpoch(m_clock->now()).toString(u"yyyyMMdd-HHmmss"_s);
    const QString base = original + u".corrupt-"_s + stamp;
    QString aside = base;
    for (int i = 2; QFileInfo::exists(aside); ++i)
        aside = base + u'-' + QString::number(i);

    if (!QFile::rename(original, aside)) {
        return fail(Error::Corrupt, u"cannot rename %1 to %2"_s.arg(original, aside),
                    tr("The weather cache file %1 is damaged and could not be set aside. "
                       "WeatherDash keeps working from memory.")
                        .arg(QDir::toNativeSeparators(original)));
    }
    // The companions go along: a leftover -wal next to the fresh file could be replayed into it.
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s}) {
        if (QFileInfo::exists(original + suffix)
            && !QFile::rename(original + suffix, aside + suffix)
            && !QFile::remove(original + suffix)) {
            return fail(Error::Corrupt, u"cannot move %1%2 aside"_s.arg(original, suffix),
                        tr("The weather cache file %1 is damaged and could not be set aside. "
                           "WeatherDash keeps working from memory.")
                            .arg(QDir::toNativeSeparators(original)));
        }
    }
    m_warning = warningTemplate.arg(QFileInfo(aside).fileName());
    qCWarning(lcStore).noquote() << "set aside" << original << "as" << aside;
    return true;
}

std::optional<StoredEntry> PersistentStore::read(const QString &key) const
{
    resetError();
    if (!isOpen()) {
        fail(Error::CannotOpen, u"read while not open"_s);
        return std::nullopt;
    }
    QSqlQuery &q = m_statements->read;
    q.bindValue(0, key);
    if (!q.exec()) {
        fail(q.lastError(), u"read"_s);
        return std::nullopt;
    }
    std::optional<StoredEntry> entry;
    if (q.next()) {
        entry = StoredEntry{key, q.value(0).toByteArray(), q.value(1).toLongLong(),
                            q.value(2).toLongLong()};
    } else if (q.lastError().isValid()) {
        fail(q.lastError(), u"read"_s);
    }
    // An unfinished SELECT keeps its read transaction, and with it a snapshot that would hide
    // what the other process commits from now on.
    q.finish();
    return entry;
}

QList<StoredEntry> PersistentStore::readAll() const
{
    resetError();
    QList<StoredEntry> entries;
    if (!isOpen()) {
        fail(Error::CannotOpen, u"readAll while not open"_s);
        return entries;
    }
    QSqlQuery &q = m_statements->readAll;
    if (!q.exec()) {
        fail(q.lastError(), u"readAll"_s);
        return entries;
    }
    while (q.next()) {
        entries.append(StoredEntry{q.value(0).toString(), q.value(1).toByteArray(),
                                   q.value(2).toLongLong(), q.value(3).toLongLong()});
    }
    if (q.lastError().isValid())
        fail(q.lastError(), u"readAll"_s);
    q.finish();
    return entries;
}

bool PersistentStore::write(const QString &key, const QByteArray &value, qint64 loadedAt,
                            qint64 ttlMs)
{
    resetError();
    if (!isOpen())
        return fail(Error::CannotOpen, u"write while not open"_s);

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
}

bool PersistentStore::remove(const QString &key)
{
    resetError();
    if (!isOpen())
        return fail(Error::CannotOpen, u"remove while not open"_s);
    QSqlQuery &q = m_statements->remove;
    q.bindValue(0, key);
    return q.exec() || fail(q.lastError(), u"remove"_s);
}

bool PersistentStore::clear()
{
    resetError();
    if (!isOpen())
        return fail(Error::CannotOpen, u"clear while not open"_s);
    QSqlQuery &q = m_statements->clear;
    return q.exec() || fail(q.lastError(), u"clear"_s);
}

int PersistentStore::purge(qint64 horizonMs)
{
    resetError();
    if (!isOpen()) {
        fail(Error::CannotOpen, u"purge while not open"_s);
        return -1;
    }
    QSqlQuery &q = m_statements->purge;
    q.bindValue(0, m_clock->now() - horizonMs);
    if (!q.exec()) {
        fail(q.lastError(), u"purge"_s);
        return -1;
    }
    const int dropped = q.numRowsAffected();
    if (dropped > 0)
        qCDebug(lcStore) << "purged" << dropped << "entries";
    return dropped;
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
    qCWarning(lcStore).noquote() << what << "failed:" << m_errorString;
    return false;
}

bool PersistentStore::fail(const QSqlError &sqlError, const QString &what) const
{
    return fail(classify(sqlError), what + u": "_s + describe(sqlError));
}

void PersistentStore::resetError() const
{
    m_error = Error::None;
    m_errorString.clear();
}

void PersistentStore::closeConnection()
{
    // Order matters: Qt SQL warns, and keeps the connection alive, if a query or a QSqlDatabase
    // copy still refers to it when it is removed.
    m_statements.reset();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
}
