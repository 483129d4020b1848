// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "store/persistentstore.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <map>
#include <memory>
#include <vector>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// Re-invoking this executable with this first argument makes it a second process writing to the
// same cache folder (see main() at the bottom).
constexpr auto kWriterChildArg = "--persistentstore-writer-child";
// ... and with this one a process that starts a store on each folder its parent names.
constexpr auto kStarterChildArg = "--persistentstore-starter-child";
// ... and with this one a process that keeps the store open until its stdin closes.
constexpr auto kHolderChildArg = "--persistentstore-holder-child";
constexpr qint64 kT0 = 1'700'000'000'000; // 2023-11-14, a fixed "now" for the ManualClock
constexpr qint64 kHour = 3'600'000;

QByteArray valueFor(const QString &key, int size = 4096)
{
    QByteArray seed = key.toUtf8() + '\0' + '|';
    QByteArray value;
    while (value.size() < size)
        value += seed;
    value.truncate(size);
    return value;
}

QString cacheFile(const QString &directory)
{
    return directory + u'/' + PersistentStore::fileName();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
           && file.write(bytes) == bytes.size();
}

QStringList setAsideFiles(const QString &directory)
{
    return QDir(directory).entryList({u"cache.sqlite.corrupt-*"_s}, QDir::Files, QDir::Name);
}

/**
 * Runs @p statements on @p file through a connection of the test's own, the way another
 * program (or an older or newer WeatherDash) would. Returns the first column of the last row of
 * the last statement, or "ERROR: ..." .
 */
QString runSql(const QString &file, const QStringList &statements)
{
    const QString name = u"tst_persistentstore.helper"_s;
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(file);
        if (!db.open()) {
            result = u"ERROR: "_s + db.lastError().text();
        } else {
            QSqlQuery q(db);
            for (const QString &sql : statements) {
                if (!q.exec(sql)) {
                    result = u"ERROR: "_s + q.lastError().text();
                    break;
                }
                while (q.next())
                    result = q.value(0).toString();
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

/** A real cache file with @p count entries of 2 KB, closed again (WAL checkpointed away). */
QByteArray makeRealCacheFile(const QString &directory, int count)
{
    {
        PersistentStore store;
        if (!store.open(directory))
            return QByteArray();
        for (int i = 0; i < count; ++i) {
            const QString key = u"city-%1"_s.arg(i);
            if (!store.write(key, valueFor(key, 2048), kT0, kHour))
                return QByteArray();
        }
    }
    return fileBytes(cacheFile(directory));
}

/**
 * @p bytes with a b-tree leaf page in the middle zeroed (4 KiB pages): damage that PRAGMA
 * quick_check finds but reading the first page of each b-tree does not. -1 if there is none.
 */
QByteArray withMiddleLeafZeroed(QByteArray bytes, int *page = nullptr)
{
    constexpr int kPage = 4096;
    QList<int> leaves;
    for (int i = 1; i < bytes.size() / kPage; ++i) {
        if (quint8(bytes.at(i * kPage)) == 0x0a) // an index b-tree leaf (WITHOUT ROWID table)
            leaves.append(i);
    }
    if (leaves.size() < 3)
        return QByteArray();
    const int zeroed = leaves.at(leaves.size() / 2);
    bytes.replace(zeroed * kPage, kPage, QByteArray(kPage, '\0'));
    if (page)
        *page = zeroed + 1;
    return bytes;
}

int runWriterChild(const QStringList &args)
{
    // args: program, kWriterChildArg, directory, key prefix, count
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() != 5) {
        err << "usage: " << kWriterChildArg << " <dir> <prefix> <count>\n";
        return 2;
    }
    PersistentStore store;
    if (!store.open(args.at(2))) {
        err << "open failed: " << store.errorString() << '\n';
        return 2;
    }
    out << "ready" << Qt::endl;
    // Blocks until the parent says go, so both processes write at the same moment instead of the
    // child finishing during the parent's set-up.
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly) || in.readLine().trimmed() != "go") {
        err << "no go from parent\n";
        return 2;
    }
    const QString prefix = args.at(3);
    const int count = args.at(4).toInt();
    for (int i = 0; i < count; ++i) {
        const QString key = prefix + u'-' + QString::number(i);
        if (!store.write(key, valueFor(key), kT0 + i, kHour)) {
            err << "write " << key << " failed: " << store.errorString() << '\n';
            return 1;
        }
        if (i % 25 == 0 && store.lastError() == PersistentStore::Error::None) {
            store.readAll(); // reads mixed in, as the GUI warms up while the CLI writes
            if (store.lastError() != PersistentStore::Error::None) {
                err << "readAll failed: " << store.errorString() << '\n';
                return 1;
            }
        }
    }
    return 0;
}

/**
 * One start of the GUI or the CLI, as far as the store is concerned: opens a store on <dir>,
 * writes <count> keys "<prefix>-<i>", reads them back and exits 0, or says what went wrong and
 * exits 1. args: program, kStarterChildArg, dir, prefix, count.
 */
int runStarterChild(const QStringList &args)
{
    QTextStream err(stderr);
    if (args.size() != 5) {
        err << "usage: " << kStarterChildArg << " <dir> <prefix> <count>\n";
        return 2;
    }
    const QString prefix = args.at(3);
    const int count = args.at(4).toInt();
    PersistentStore store;
    QString problem;
    if (!store.open(args.at(2)))
        problem = u"open: "_s + store.errorString();
    else if (!store.warning().isEmpty())
        problem = u"open warned: "_s + store.warning();
    for (int i = 0; i < count && problem.isEmpty(); ++i) {
        const QString key = prefix + u'-' + QString::number(i);
        if (!store.write(key, valueFor(key, 1024), kT0 + i, kHour))
            problem = u"write: "_s + store.errorString();
    }
    for (int i = 0; i < count && problem.isEmpty(); ++i) {
        const QString key = prefix + u'-' + QString::number(i);
        const std::optional<StoredEntry> entry = store.read(key);
        if (!entry || entry->value != valueFor(key, 1024))
            problem = u"read back "_s + key + u": "_s + store.errorString();
    }
    if (problem.isEmpty())
        return 0;
    err << prefix << ": " << problem << '\n';
    return 1;
}

int runHolderChild(const QStringList &args)
{
    // args: program, kHolderChildArg, directory [, "structure": OpenCheck::Structure]
    if (args.size() != 3 && args.size() != 4)
        return 2;
    PersistentStore store;
    if (args.size() == 4 && args.at(3) == u"structure"_s)
        store.setOpenCheck(PersistentStore::OpenCheck::Structure);
    if (!store.open(args.at(2)) || !store.read(u"city-0"_s))
        return 1;
    QTextStream(stdout) << "ready" << Qt::endl;
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 2;
    in.readAll(); // until the parent closes the channel
    return 0;
}

/** Counts the warnings of the store's logging category while it lives. */
class StoreWarningCounter
{
public:
    StoreWarningCounter()
    {
        s_count = 0;
        s_previous = qInstallMessageHandler(&StoreWarningCounter::handle);
    }
    ~StoreWarningCounter() { qInstallMessageHandler(s_previous); }
    int count() const { return s_count; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && qstrcmp(context.category, "weatherdash.store") == 0)
            ++s_count;
        s_previous(type, context, message);
    }
    static inline int s_count = 0;
    static inline QtMessageHandler s_previous = nullptr;
};

} // namespace

class tst_PersistentStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void roundTripSurvivesReopening_data();
    void roundTripSurvivesReopening();
    void writeReplacesExistingValue();
    void removeAndClear();
    void readAllWarmsTheMemoryCache();
    void purge_data();
    void purge();
    void fileSizeReflectsContents();
    void callsBeforeOpenFailCleanly();
    void connectionsAreRemovedWithTheStore();
    void reopenOnAnotherDirectory();
    void defaultDirectory_data();
    void defaultDirectory();

    void twoConnectionsInterleave();
    void twoProcessesWriteAtTheSameTime();
    void simultaneousStartsOnAFreshFolderLoseNothing();

    void damagedFileIsSetAside_data();
    void damagedFileIsSetAside();
    void deepDamageIsSetAsideByTheLaterCheck();
    void soundFilePassesTheLaterCheck();
    void deepDamageInUseIsLeftAloneByTheLaterCheck();
    void zeroLengthFileIsAnEmptyCache();
    void fileWithoutSchemaYetIsAdopted();
    void newerSchemaIsLeftUntouched();
    void olderSchemaIsRebuilt();
    void unusableDirectory_data();
    void unusableDirectory();
    void readOnlyCacheIsServed_data();
    void readOnlyCacheIsServed();
    void fullDiskKeepsEarlierEntries();
    void fullDiskIsSaidOnce();
    void lockHeldTooLongReportsBusy();
    void replacedFileIsNoticed_data();
    void replacedFileIsNoticed();
    void damagedFileInUseIsLeftAlone();
    void randomOperationsMatchAModel();
    void requestsCountAcrossProcessesAndDays();
    void requestLogIsAddedToAnOlderFile();
};

void tst_PersistentStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
}

void tst_PersistentStore::roundTripSurvivesReopening_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");

    const QString longKey = u"Zürich \"Wetter\" it's 東京 "_s.repeated(30).left(500);
    QCOMPARE(longKey.size(), 500);

    QTest::newRow("plain key") << u"openmeteo|Berlin|metric"_s << QByteArray(R"({"t":21.5})");
    QTest::newRow("key with quotes and SQL")
        << u"it's \"Köln\"'); DROP TABLE entries; --"_s << QByteArray("x");
    QTest::newRow("unicode key") << u"Москва 東京 São Paulo 🌦"_s << QByteArray("snow");
    QTest::newRow("500-character key") << longKey << valueFor(longKey);
    QTest::newRow("empty value") << u"empty"_s << QByteArray();
    QTest::newRow("binary value with NUL bytes") << u"binary"_s << QByteArray("\0\1\2\xff\0", 5);
    QTest::newRow("2 MB value") << u"big"_s << valueFor(u"big"_s, 2 * 1024 * 1024);
}

void tst_PersistentStore::roundTripSurvivesReopening()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, value);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const StoredEntry expected{key, value, kT0, 15 * 60'000};

    {
        PersistentStore store;
        QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
        QVERIFY(store.isOpen());
        QVERIFY(store.warning().isEmpty());
        QVERIFY(!store.read(key).has_value());
        QVERIFY2(store.write(key, value, kT0, 15 * 60'000), qPrintable(store.errorString()));
        QCOMPARE(store.lastError(), PersistentStore::Error::None);
        QCOMPARE(store.read(key), expected);
    }
    // A second run of the CLI: a new store on the same folder finds the entry.
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    const std::optional<StoredEntry> read = store.read(key);
    QVERIFY(read.has_value());
    QCOMPARE(read->value.size(), value.size());
    QCOMPARE(*read, expected);
    QCOMPARE(store.readAll(), QList<StoredEntry>{expected});
    QCOMPARE(runSql(cacheFile(dir.path()), {u"PRAGMA integrity_check"_s}), u"ok"_s);
}

void tst_PersistentStore::writeReplacesExistingValue()
{
    QTemporaryDir dir;
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.write(u"k"_s, "old", kT0, kHour));
    QVERIFY(store.write(u"k"_s, "new", kT0 + 5, 2 * kHour));
    const QList<StoredEntry> expected{StoredEntry{u"k"_s, "new", kT0 + 5, 2 * kHour}};
    QCOMPARE(store.readAll(), expected);
    store.close();
    QVERIFY(!store.isOpen());
    QVERIFY(store.open(dir.path()));
    QCOMPARE(store.readAll(), expected);
}

void tst_PersistentStore::removeAndClear()
{
    QTemporaryDir dir;
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    for (const QString &key : {u"a"_s, u"b"_s, u"c"_s})
        QVERIFY(store.write(key, key.toUtf8(), kT0, kHour));

    QVERIFY(store.remove(u"b"_s));
    QVERIFY(!store.read(u"b"_s).has_value());
    QVERIFY(store.read(u"a"_s).has_value());
    QVERIFY2(store.remove(u"never-there"_s), "removing a missing key is not an error");
    QCOMPARE(store.lastError(), PersistentStore::Error::None);

    PersistentStore reopened;
    QVERIFY(reopened.open(dir.path()));
    QCOMPARE(reopened.readAll().size(), 2);
    QVERIFY(!reopened.read(u"b"_s).has_value());

    QVERIFY(store.clear());
    QVERIFY(store.readAll().isEmpty());
    QVERIFY(reopened.readAll().isEmpty());
}

void tst_PersistentStore::readAllWarmsTheMemoryCache()
{
    QTemporaryDir dir;
    {
        PersistentStore store;
        QVERIFY(store.open(dir.path()));
        // Written out of order, with fresh and long-expired entries: readAll returns them all.
        QVERIFY(store.write(u"c"_s, "3", kT0, kHour));
        QVERIFY(store.write(u"a"_s, "1", kT0 - 48 * kHour, kHour));
        QVERIFY(store.write(u"b"_s, "2", kT0, 0));
    }
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    const QList<StoredEntry> expected{
        {u"a"_s, "1", kT0 - 48 * kHour, kHour},
        {u"b"_s, "2", kT0, 0},
        {u"c"_s, "3", kT0, kHour},
    };
    QCOMPARE(store.readAll(), expected);
}

void tst_PersistentStore::purge_data()
{
    QTest::addColumn<qint64>("loadedAt");
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<bool>("dropped");

    // now = kT0, horizon = 24 h: dropped when loadedAt + ttl < kT0 - 24 h.
    QTest::newRow("fresh entry") << kT0 - kHour << 2 * kHour << false;
    QTest::newRow("expired an hour ago: still shown as stale") << kT0 - 2 * kHour << kHour << false;
    QTest::newRow("expired exactly at the horizon") << kT0 - 25 * kHour << kHour << false;
    QTest::newRow("expired just beyond the horizon") << kT0 - 25 * kHour - 1 << kHour << true;
    QTest::newRow("expired a week ago") << kT0 - 7 * 24 * kHour << kHour << true;
    QTest::newRow("zero ttl loaded two days ago") << kT0 - 48 * kHour << qint64(0) << true;
}

void tst_PersistentStore::purge()
{
    QFETCH(qint64, loadedAt);
    QFETCH(qint64, ttlMs);
    QFETCH(bool, dropped);

    QTemporaryDir dir;
    ManualClock clock(kT0);
    PersistentStore store(&clock);
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.write(u"entry"_s, "v", loadedAt, ttlMs));
    QVERIFY(store.write(u"recent"_s, "v", kT0, kHour));

    QCOMPARE(store.purge(24 * kHour), dropped ? 1 : 0);
    QCOMPARE(store.read(u"entry"_s).has_value(), !dropped);
    QVERIFY(store.read(u"recent"_s).has_value());

    // The same entry is dropped once the clock moves far enough.
    clock.advance(30 * 24 * kHour);
    QCOMPARE(store.purge(24 * kHour), dropped ? 1 : 2);
    QVERIFY(store.readAll().isEmpty());
}

void tst_PersistentStore::fileSizeReflectsContents()
{
    QTemporaryDir dir;
    PersistentStore store;
    QCOMPARE(store.fileSize(), 0);
    QVERIFY(store.open(dir.path()));
    const qint64 empty = store.fileSize();
    QVERIFY(empty > 0);
    QVERIFY(store.write(u"big"_s, valueFor(u"big"_s, 512 * 1024), kT0, kHour));
    QVERIFY2(store.fileSize() >= empty + 512 * 1024, qPrintable(QString::number(store.fileSize())));
}

void tst_PersistentStore::callsBeforeOpenFailCleanly()
{
    PersistentStore store;
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastError(), PersistentStore::Error::None);
    QVERIFY(!store.write(u"k"_s, "v", kT0, kHour));
    QCOMPARE(store.lastError(), PersistentStore::Error::CannotOpen);
    QVERIFY(!store.errorString().isEmpty());
    QVERIFY(!store.read(u"k"_s).has_value());
    QVERIFY(store.readAll().isEmpty());
    QVERIFY(!store.remove(u"k"_s));
    QVERIFY(!store.clear());
    QCOMPARE(store.purge(0), -1);
    QVERIFY(!store.open(QString()));
    QCOMPARE(store.lastError(), PersistentStore::Error::CannotOpen);
}

void tst_PersistentStore::connectionsAreRemovedWithTheStore()
{
    const QStringList before = QSqlDatabase::connectionNames();
    QTemporaryDir dir;
    {
        PersistentStore first;
        PersistentStore second;
        QVERIFY(first.open(dir.path()));
        QVERIFY(second.open(dir.path()));
        QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
        // Reopening reuses the instance's own connection instead of adding one.
        QVERIFY(first.open(dir.path()));
        QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
    }
    QCOMPARE(QSqlDatabase::connectionNames(), before);
}

void tst_PersistentStore::reopenOnAnotherDirectory()
{
    QTemporaryDir one;
    QTemporaryDir two;
    PersistentStore store;
    QVERIFY(store.open(one.path()));
    QVERIFY(store.write(u"k"_s, "in one", kT0, kHour));
    QVERIFY(store.open(two.path()));
    QCOMPARE(store.directory(), QDir(two.path()).absolutePath());
    QVERIFY(!store.read(u"k"_s).has_value());
    QVERIFY(store.open(one.path()));
    QCOMPARE(store.read(u"k"_s)->value, QByteArray("in one"));
}

void tst_PersistentStore::defaultDirectory_data()
{
    QTest::addColumn<bool>("setVariable");
    QTest::addColumn<QString>("variable");
    QTest::addColumn<bool>("expectStandardLocation");

    QTest::newRow("WEATHERDASH_CACHE_DIR set") << true << u"/tmp/wd cache"_s << false;
    QTest::newRow("WEATHERDASH_CACHE_DIR empty") << true << QString() << true;
    QTest::newRow("WEATHERDASH_CACHE_DIR unset") << false << QString() << true;
}

void tst_PersistentStore::defaultDirectory()
{
    QFETCH(bool, setVariable);
    QFETCH(QString, variable);
    QFETCH(bool, expectStandardLocation);

    const QByteArray saved = qgetenv("WEATHERDASH_CACHE_DIR");
    const bool wasSet = qEnvironmentVariableIsSet("WEATHERDASH_CACHE_DIR");
    if (setVariable)
        qputenv("WEATHERDASH_CACHE_DIR", variable.toLocal8Bit());
    else
        qunsetenv("WEATHERDASH_CACHE_DIR");

    const QString directory = PersistentStore::defaultDirectory();

    if (wasSet)
        qputenv("WEATHERDASH_CACHE_DIR", saved);
    else
        qunsetenv("WEATHERDASH_CACHE_DIR");

    const QString standard = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QVERIFY(!standard.isEmpty());
    QCOMPARE(directory, expectStandardLocation ? standard : variable);
}

void tst_PersistentStore::twoConnectionsInterleave()
{
    QTemporaryDir dir;
    PersistentStore gui;
    PersistentStore cli;
    QVERIFY(gui.open(dir.path()));
    QVERIFY(cli.open(dir.path()));

    QVERIFY(gui.write(u"berlin"_s, "gui 1", kT0, kHour));
    QCOMPARE(cli.read(u"berlin"_s)->value, QByteArray("gui 1"));
    QVERIFY(cli.write(u"paris"_s, "cli 1", kT0, kHour));
    QCOMPARE(gui.read(u"paris"_s)->value, QByteArray("cli 1"));

    // A read must not pin an old snapshot: what the other connection commits afterwards shows up.
    QCOMPARE(gui.readAll().size(), 2);
    QVERIFY(gui.read(u"berlin"_s).has_value());
    QVERIFY(cli.write(u"rome"_s, "cli 1", kT0, kHour));
    QCOMPARE(gui.readAll().size(), 3);
    QVERIFY(cli.remove(u"rome"_s));
    QVERIFY(cli.write(u"berlin"_s, "cli 2", kT0 + 1, kHour));
    QCOMPARE(gui.read(u"berlin"_s)->value, QByteArray("cli 2"));
    QVERIFY(cli.remove(u"paris"_s));
    QVERIFY(!gui.read(u"paris"_s).has_value());

    for (int i = 0; i < 100; ++i) {
        PersistentStore &writer = i % 2 ? gui : cli;
        PersistentStore &reader = i % 2 ? cli : gui;
        const QString key = u"k%1"_s.arg(i);
        QVERIFY2(writer.write(key, valueFor(key), kT0 + i, kHour),
                 qPrintable(writer.errorString()));
        QCOMPARE(reader.read(key)->value, valueFor(key));
    }
    QCOMPARE(gui.readAll(), cli.readAll());
    QCOMPARE(gui.readAll().size(), 101);
}

void tst_PersistentStore::twoProcessesWriteAtTheSameTime()
{
    constexpr int kCount = 400;
    QTemporaryDir dir;
    PersistentStore store;
    QVERIFY(store.open(dir.path()));

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(
        QCoreApplication::applicationFilePath(),
        {QString::fromLatin1(kWriterChildArg), dir.path(), u"child"_s, QString::number(kCount)});
    QVERIFY2(child.waitForStarted(10'000), qPrintable(child.errorString()));
    while (!child.canReadLine()) {
        QVERIFY2(child.waitForReadyRead(30'000), "the writer child did not get ready");
    }
    QCOMPARE(child.readLine().trimmed(), QByteArray("ready"));
    child.write("go\n");
    QVERIFY(child.waitForBytesWritten(10'000));

    int childKeysSeenWhileWriting = 0;
    for (int i = 0; i < kCount; ++i) {
        const QString key = u"parent-%1"_s.arg(i);
        QVERIFY2(store.write(key, valueFor(key), kT0 + i, kHour), qPrintable(store.errorString()));
        if (i % 50 == 0) {
            const QList<StoredEntry> all = store.readAll();
            QCOMPARE(store.lastError(), PersistentStore::Error::None);
            childKeysSeenWhileWriting = int(all.size()) - (i + 1);
        }
    }
    QVERIFY(child.waitForFinished(120'000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    qInfo("child entries visible during the parent's last readAll: %d of %d",
          childKeysSeenWhileWriting, kCount);

    // Nothing lost, nothing mixed up, and the file is sound.
    PersistentStore after;
    QVERIFY(after.open(dir.path()));
    QVERIFY(after.warning().isEmpty());
    const QList<StoredEntry> all = after.readAll();
    QCOMPARE(all.size(), 2 * kCount);
    for (const QString &prefix : {u"parent"_s, u"child"_s}) {
        for (int i = 0; i < kCount; ++i) {
            const QString key = prefix + u'-' + QString::number(i);
            const std::optional<StoredEntry> entry = after.read(key);
            QVERIFY2(entry.has_value(), qPrintable(key));
            QCOMPARE(entry->value, valueFor(key));
            QCOMPARE(entry->loadedAt, kT0 + i);
        }
    }
    QCOMPARE(runSql(cacheFile(dir.path()), {u"PRAGMA integrity_check"_s}), u"ok"_s);
}

/*
 * Three processes start together on a folder without a cache file, round after round, as when a
 * script runs three CLIs at once or the GUI and the CLI start together: each opens the store,
 * writes its own keys and reads them back. Afterwards every key of every process is in the one
 * cache file and nothing was set aside as "damaged" or "not ours". Real process starts, launched
 * back to back: their own start-up jitter (a few ms) is what spreads one process's look at the
 * file over another's creating it. WEATHERDASH_STORE_START_ROUNDS overrides the number of rounds.
 */
void tst_PersistentStore::simultaneousStartsOnAFreshFolderLoseNothing()
{
    constexpr int kProcesses = 3;
    constexpr int kKeys = 5;
#if defined(__SANITIZE_ADDRESS__)
    constexpr int kDefaultRounds = 100; // each sanitized start costs several times more
#else
    constexpr int kDefaultRounds = 400;
#endif
    const int rounds = qEnvironmentVariableIsSet("WEATHERDASH_STORE_START_ROUNDS")
                           ? qEnvironmentVariableIntValue("WEATHERDASH_STORE_START_ROUNDS")
                           : kDefaultRounds;
    QTemporaryDir base;
    QVERIFY(base.isValid());

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_s, u"*.debug=false;*.info=false"_s);

    QElapsedTimer timer;
    timer.start();
    int roundsLosingKeys = 0;
    int roundsSettingAside = 0;
    int roundsWithChildProblems = 0;
    QString firstProblem;
    for (int round = 0; round < rounds; ++round) {
        const QString directory = base.path() + u"/round-"_s + QString::number(round);
        std::vector<std::unique_ptr<QProcess>> children;
        for (int p = 0; p < kProcesses; ++p) {
            auto child = std::make_unique<QProcess>();
            child->setProcessChannelMode(QProcess::ForwardedChannels);
            child->setProcessEnvironment(environment);
            child->start(QCoreApplication::applicationFilePath(),
                         {QString::fromLatin1(kStarterChildArg), directory, u"p%1"_s.arg(p),
                          QString::number(kKeys)});
            children.push_back(std::move(child));
        }
        for (auto &child : children) {
            QVERIFY2(child->waitForFinished(60'000), qPrintable(child->errorString()));
            if (child->exitStatus() != QProcess::NormalExit || child->exitCode() != 0) {
                ++roundsWithChildProblems;
                if (firstProblem.isEmpty())
                    firstProblem
                        = u"round %1: a process exited with %2"_s.arg(round).arg(child->exitCode());
            }
        }

        const bool setAside = !setAsideFiles(directory).isEmpty();
        roundsSettingAside += setAside;
        int found = 0;
        {
            PersistentStore after;
            QVERIFY2(after.open(directory), qPrintable(after.errorString()));
            for (int p = 0; p < kProcesses; ++p) {
                for (int i = 0; i < kKeys; ++i) {
                    const QString key = u"p%1-%2"_s.arg(p).arg(i);
                    const std::optional<StoredEntry> entry = after.read(key);
                    found += entry && entry->value == valueFor(key, 1024);
                }
            }
        }
        if (found != kProcesses * kKeys) {
            ++roundsLosingKeys;
            if (firstProblem.isEmpty()) {
                firstProblem = u"round %1: %2 of %3 keys found, set aside: %4"_s.arg(round)
                                   .arg(found)
                                   .arg(kProcesses * kKeys)
                                   .arg(setAsideFiles(directory).join(u", "_s));
            }
        }
    }
    qInfo("%d rounds of %d simultaneous starts in %lld ms: %d lost keys, %d set a file aside, "
          "%d had a process report a problem%s%s",
          rounds, kProcesses, qint64(timer.elapsed()), roundsLosingKeys, roundsSettingAside,
          roundsWithChildProblems,
          firstProblem.isEmpty() ? "" : "; first: ", qPrintable(firstProblem));
    QCOMPARE(roundsLosingKeys, 0);
    QCOMPARE(roundsSettingAside, 0);
    QCOMPARE(roundsWithChildProblems, 0);
}

void tst_PersistentStore::damagedFileIsSetAside_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("sql"); // run on the file after writing content
    QTest::addColumn<QByteArray>("walContent"); // a -wal companion, if not empty
    QTest::addColumn<bool>("structureOnly"); // OpenCheck::Structure: no quick_check at open

    QByteArray garbage(64 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(42);
    rng.fillRange(reinterpret_cast<quint32 *>(garbage.data()), garbage.size() / 4);

    // Every kind of damage found at open() is found there with either check: the quick one
    // (header, schema, first page of each b-tree) catches all of these too.
    const auto row = [](const char *name, const QByteArray &content, const QStringList &sql,
                        const QByteArray &wal) {
        QTest::addRow("%s, quick_check", name) << content << sql << wal << false;
        QTest::addRow("%s, structure only", name) << content << sql << wal << true;
    };

    QTemporaryDir scratch;
    const QByteArray real = makeRealCacheFile(scratch.path(), 200);
    QVERIFY(real.size() > 100 * 1024);

    row("random bytes", garbage, QStringList(), QByteArray());
    // SQLite deletes a -wal it cannot use when the probing connection closes; what matters is that
    // the garbage is not replayed into the fresh file (checked by integrity_check below).
    row("random bytes with a -wal", garbage, QStringList(), garbage.left(4096));
    row("text file", QByteArray("this is not a database\n"), QStringList(), QByteArray());
    row("cache file cut in half", real.left(real.size() / 2), QStringList(), QByteArray());
    // Page 2 (from byte 4096) is the root of the entries b-tree; zeroing it breaks the structure.
    // (Damage inside a stored value with intact pages is invisible to SQLite: it keeps no
    // checksums. The parsers above the cache reject such values.)
    QByteArray zeroed = real;
    zeroed.replace(4096, 4096, QByteArray(4096, '\0'));
    row("table root page zeroed", zeroed, QStringList(), QByteArray());
    row("foreign table named entries", QByteArray(),
        QStringList{u"CREATE TABLE entries (id INTEGER PRIMARY KEY, payload TEXT)"_s,
                    u"INSERT INTO entries (payload) VALUES ('someone else''s data')"_s},
        QByteArray());
    row("foreign database", QByteArray(), QStringList{u"CREATE TABLE notes (body TEXT)"_s},
        QByteArray());
    row("our ids but other columns", QByteArray(),
        QStringList{u"CREATE TABLE entries (key TEXT, value BLOB)"_s,
                    u"PRAGMA application_id = %1"_s.arg(PersistentStore::kApplicationId),
                    u"PRAGMA user_version = %1"_s.arg(PersistentStore::kSchemaVersion)},
        QByteArray());
}

void tst_PersistentStore::damagedFileIsSetAside()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, sql);
    QFETCH(QByteArray, walContent);
    QFETCH(bool, structureOnly);

    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    QVERIFY(writeBytes(file, content));
    if (!sql.isEmpty()) {
        // Journal mode DELETE: the foreign file is complete on its own, no -wal beside it.
        QVERIFY(!runSql(file, sql).startsWith(u"ERROR"_s));
    }
    if (!walContent.isEmpty())
        QVERIFY(writeBytes(file + u"-wal"_s, walContent));
    const QByteArray original = fileBytes(file);
    QVERIFY(!original.isEmpty());

    ManualClock clock(kT0);
    const QString asideName = u"cache.sqlite.corrupt-"_s
                              + QDateTime::fromMSecsSinceEpoch(kT0).toString(u"yyyyMMdd-HHmmss"_s);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^set aside .*cache\\.sqlite as .*"_s
                                            + QRegularExpression::escape(asideName) + u'$'));
    {
        PersistentStore store(&clock);
        if (structureOnly)
            store.setOpenCheck(PersistentStore::OpenCheck::Structure);
        QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
        QCOMPARE(store.lastError(), PersistentStore::Error::None);
        QVERIFY2(store.warning().contains(asideName), qPrintable(store.warning()));
        QVERIFY(store.warning().contains(u"starting with an empty cache"_s));
        QVERIFY(store.readAll().isEmpty());
        QVERIFY(store.write(u"new"_s, "after the damage", kT0, kHour));
    }

    // The damaged bytes are kept for the user (or a bug report), companions next to them.
    QCOMPARE(setAsideFiles(dir.path()), QStringList{asideName});
    QCOMPARE(fileBytes(dir.path() + u'/' + asideName), original);
    // The fresh file is a sound cache that keeps what was written after the damage.
    PersistentStore reopened(&clock);
    QVERIFY(reopened.open(dir.path()));
    QVERIFY(reopened.warning().isEmpty());
    QCOMPARE(reopened.read(u"new"_s)->value, QByteArray("after the damage"));
    QCOMPARE(setAsideFiles(dir.path()).size(), 1);
    QCOMPARE(runSql(file, {u"PRAGMA integrity_check"_s}), u"ok"_s);
}

/*
 * The app opens with OpenCheck::Structure and runs the whole-file check once it is on screen:
 * damage deep in the file, which only that check finds, is then handled as open() handles it.
 * Nothing is lost: the damaged bytes are set aside, what is written afterwards is kept.
 */
void tst_PersistentStore::deepDamageIsSetAsideByTheLaterCheck()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    int page = -1;
    const QByteArray damaged = withMiddleLeafZeroed(makeRealCacheFile(dir.path(), 1000), &page);
    QVERIFY(!damaged.isEmpty());
    QVERIFY(writeBytes(file, damaged));
    // quick_check does see it (so OpenCheck::Full sets it aside at open):
    QVERIFY2(runSql(file, {u"PRAGMA quick_check"_s}) != u"ok"_s, "the damage is not deep");

    ManualClock clock(kT0);
    const QString asideName = u"cache.sqlite.corrupt-"_s
                              + QDateTime::fromMSecsSinceEpoch(kT0).toString(u"yyyyMMdd-HHmmss"_s);
    PersistentStore store(&clock);
    store.setOpenCheck(PersistentStore::OpenCheck::Structure);
    QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
    QVERIFY2(store.warning().isEmpty(), qPrintable(store.warning()));
    QVERIFY(store.takeNewProblems().isEmpty());
    // What the start reads by key is there (the damaged page holds other keys).
    QCOMPARE(store.read(u"city-0"_s)->value, valueFor(u"city-0"_s, 2048));
    QCOMPARE(fileBytes(file), damaged); // opening only read it

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed quick_check"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^set aside .*"_s + asideName));
    QVERIFY2(store.checkIntegrity(), qPrintable(store.errorString()));
    QVERIFY(store.isOpen());
    QCOMPARE(store.lastError(), PersistentStore::Error::None);
    QVERIFY2(store.warning().contains(asideName), qPrintable(store.warning()));
    QVERIFY(store.warning().contains(u"starting with an empty cache"_s));
    QCOMPARE(store.takeNewProblems(), QStringList{store.warning()});
    QCOMPARE(setAsideFiles(dir.path()), QStringList{asideName});
    QCOMPARE(fileBytes(dir.path() + u'/' + asideName), damaged);
    QVERIFY(store.readAll().isEmpty());
    QVERIFY(store.write(u"new"_s, "after the damage", kT0, kHour));
    QVERIFY(store.checkIntegrity()); // the new file is sound: nothing more is said
    QVERIFY(store.takeNewProblems().isEmpty());
    QCOMPARE(setAsideFiles(dir.path()).size(), 1);

    PersistentStore reopened(&clock);
    QVERIFY(reopened.open(dir.path())); // OpenCheck::Full
    QVERIFY(reopened.warning().isEmpty());
    QCOMPARE(reopened.read(u"new"_s)->value, QByteArray("after the damage"));
    QCOMPARE(runSql(file, {u"PRAGMA integrity_check"_s}), u"ok"_s);
}

void tst_PersistentStore::soundFilePassesTheLaterCheck()
{
    QTemporaryDir dir;
    const QByteArray original = makeRealCacheFile(dir.path(), 300);
    QVERIFY(!original.isEmpty());
    StoreWarningCounter warnings;
    PersistentStore store;
    store.setOpenCheck(PersistentStore::OpenCheck::Structure);
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.checkIntegrity());
    QVERIFY(store.checkIntegrity());
    QCOMPARE(store.lastError(), PersistentStore::Error::None);
    QVERIFY(store.warning().isEmpty());
    QVERIFY(store.takeNewProblems().isEmpty());
    QCOMPARE(store.readAll().size(), 300);
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QCOMPARE(warnings.count(), 0);
    // A check on a closed store says so, and opens nothing.
    store.close();
    QVERIFY(!store.checkIntegrity());
    QCOMPARE(store.lastError(), PersistentStore::Error::CannotOpen);
    QVERIFY(!store.isOpen());
}

/*
 * Deep damage found while another process has the file open: not renamed under it (as at
 * open()); this run goes on from memory, the file stays byte for byte.
 */
void tst_PersistentStore::deepDamageInUseIsLeftAloneByTheLaterCheck()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    const QByteArray damaged = withMiddleLeafZeroed(makeRealCacheFile(dir.path(), 1000));
    QVERIFY(!damaged.isEmpty());
    QVERIFY(writeBytes(file, damaged));

    PersistentStore store;
    store.setOpenCheck(PersistentStore::OpenCheck::Structure);
    QVERIFY(store.open(dir.path()));

    QProcess holder;
    holder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    holder.start(QCoreApplication::applicationFilePath(),
                 {QString::fromLatin1(kHolderChildArg), dir.path(), u"structure"_s});
    QVERIFY2(holder.waitForStarted(10'000), qPrintable(holder.errorString()));
    while (!holder.canReadLine())
        QVERIFY2(holder.waitForReadyRead(30'000), "the holder did not get ready");
    QCOMPARE(holder.readLine().trimmed(), QByteArray("ready"));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed quick_check"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"still in use"_s));
    QVERIFY(!store.checkIntegrity());
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastError(), PersistentStore::Error::Corrupt);
    QVERIFY2(store.errorString().contains(u"another WeatherDash is still using it"_s),
             qPrintable(store.errorString()));
    QCOMPARE(store.takeNewProblems(), QStringList{store.errorString()});
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QCOMPARE(fileBytes(file), damaged);
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(30'000));
}

void tst_PersistentStore::zeroLengthFileIsAnEmptyCache()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(cacheFile(dir.path()), QByteArray()));
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.warning().isEmpty());
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QVERIFY(store.write(u"k"_s, "v", kT0, kHour));
    QCOMPARE(store.read(u"k"_s)->value, QByteArray("v"));
}

/*
 * What a creator leaves for a moment before its schema commit: a valid SQLite file in WAL mode,
 * without tables or ids yet. Another start must take it for a cache being created.
 */
void tst_PersistentStore::fileWithoutSchemaYetIsAdopted()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    QCOMPARE(runSql(file, {u"PRAGMA journal_mode = WAL"_s}), u"wal"_s);
    QVERIFY(QFileInfo(file).size() > 0);
    PersistentStore store;
    QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
    QVERIFY(store.warning().isEmpty());
    QVERIFY(store.takeNewProblems().isEmpty());
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QVERIFY(store.write(u"k"_s, "v", kT0, kHour));
    QCOMPARE(store.read(u"k"_s)->value, QByteArray("v"));
}

void tst_PersistentStore::newerSchemaIsLeftUntouched()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    QVERIFY(!makeRealCacheFile(dir.path(), 3).isEmpty());
    QCOMPARE(runSql(file, {u"PRAGMA user_version = %1"_s.arg(PersistentStore::kSchemaVersion + 1),
                           u"PRAGMA user_version"_s}),
             QString::number(PersistentStore::kSchemaVersion + 1));
    const QByteArray original = fileBytes(file);

    PersistentStore store;
    QVERIFY(!store.open(dir.path()));
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastError(), PersistentStore::Error::CannotOpen);
    QVERIFY2(store.errorString().contains(u"newer version of WeatherDash"_s),
             qPrintable(store.errorString()));
    QVERIFY(!store.write(u"k"_s, "v", kT0, kHour));

    // The newer WeatherDash still finds its cache as it left it.
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QCOMPARE(fileBytes(file), original);
    QCOMPARE(runSql(file, {u"SELECT count(*) FROM entries"_s}), u"3"_s);
}

void tst_PersistentStore::olderSchemaIsRebuilt()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    // What a (hypothetical) version 0 of ours left: our application id, an older layout.
    QVERIFY(!runSql(file, {u"CREATE TABLE entries (key TEXT PRIMARY KEY, value BLOB)"_s,
                           u"INSERT INTO entries VALUES ('old', x'00')"_s,
                           u"PRAGMA application_id = %1"_s.arg(PersistentStore::kApplicationId)})
                 .startsWith(u"ERROR"_s));

    PersistentStore store;
    QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
    QVERIFY(store.warning().isEmpty());
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
    QVERIFY(store.readAll().isEmpty());
    QVERIFY(store.write(u"k"_s, "v", kT0, kHour));
    QCOMPARE(runSql(file, {u"PRAGMA user_version"_s}),
             QString::number(PersistentStore::kSchemaVersion));
}

void tst_PersistentStore::unusableDirectory_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<PersistentStore::Error>("error");

    QTest::newRow("parent is a regular file")
        << u"file-parent"_s << PersistentStore::Error::CannotOpen;
    QTest::newRow("cache.sqlite is a folder")
        << u"file-is-dir"_s << PersistentStore::Error::CannotOpen;
    // Nothing to serve and nothing can be saved: memory only.
    QTest::newRow("read-only folder without a cache file")
        << u"read-only"_s << PersistentStore::Error::ReadOnly;
}

void tst_PersistentStore::unusableDirectory()
{
    QFETCH(QString, kind);
    QFETCH(PersistentStore::Error, error);

    QTemporaryDir dir;
    QString target;
    if (kind == u"file-parent") {
        QVERIFY(writeBytes(dir.path() + u"/plainfile"_s, "x"));
        target = dir.path() + u"/plainfile/cache"_s;
    } else if (kind == u"file-is-dir") {
        target = dir.path();
        QVERIFY(QDir(target).mkdir(PersistentStore::fileName()));
    } else {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only folders; run the tests as a normal user");
        target = dir.path() + u"/ro"_s;
        QVERIFY(QDir().mkdir(target));
        QVERIFY(QFile::setPermissions(target, QFile::ReadOwner | QFile::ExeOwner));
    }
    const QByteArray before = fileBytes(cacheFile(target));

    PersistentStore store;
    QVERIFY(!store.open(target));
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastError(), error);
    QVERIFY2(store.errorString().endsWith(u"WeatherDash keeps working from memory."_s),
             qPrintable(store.errorString()));
    // The app carries on memory-only: every call fails quietly.
    QVERIFY(!store.write(u"k"_s, "v", kT0, kHour));
    QVERIFY(!store.read(u"k"_s).has_value());
    QVERIFY(store.readAll().isEmpty());
    QCOMPARE(store.fileSize(), 0);
    QCOMPARE(fileBytes(cacheFile(target)), before);
    QVERIFY(setAsideFiles(target).isEmpty());
    if (kind == u"read-only")
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void tst_PersistentStore::readOnlyCacheIsServed_data()
{
    QTest::addColumn<QString>("kind");

    QTest::newRow("read-only cache file") << u"file"_s;
    QTest::newRow("read-only folder") << u"folder"_s;
    // Left by a version without the lock file: not even that can be created.
    QTest::newRow("read-only folder without cache.sqlite.lock") << u"folder-no-lock"_s;
    // A WAL-mode file, no -shm beside it, none can be created: only immutable=1 reads it.
    QTest::newRow("read-only folder and file") << u"both"_s;
}

/*
 * Offline, a cache that cannot be written is still worth what it holds: open() opens it
 * read-only, reads serve it, writes fail at once, and the reason is said once however many
 * writes fail. Root writes anywhere, so these rows run only as a normal user (scripts/test.sh
 * runs this test once more as one).
 */
void tst_PersistentStore::readOnlyCacheIsServed()
{
    QFETCH(QString, kind);
    if (::geteuid() == 0)
        QSKIP("root writes into read-only files and folders; run the tests as a normal user");

    QTemporaryDir dir;
    const QString folder = dir.path() + u"/cache"_s;
    QVERIFY(!makeRealCacheFile(folder, 3).isEmpty());
    QVERIFY2(!QFileInfo::exists(cacheFile(folder) + u"-shm"_s), "a clean close leaves no -shm");
    if (kind == u"folder-no-lock"_s)
        QVERIFY(QFile::remove(cacheFile(folder) + u".lock"_s));
    if (kind == u"file"_s || kind == u"both"_s)
        QVERIFY(QFile::setPermissions(cacheFile(folder), QFile::ReadOwner));
    if (kind != u"file"_s)
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    const auto restore = qScopeGuard([&] {
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(cacheFile(folder), QFile::ReadOwner | QFile::WriteOwner);
    });
    const QByteArray before = fileBytes(cacheFile(folder));

    PersistentStore store;
    QVERIFY2(store.open(folder), qPrintable(store.errorString()));
    QVERIFY(store.isOpen());
    QVERIFY(store.isReadOnly());
    QCOMPARE(store.lastError(), PersistentStore::Error::None);
    QVERIFY2(store.warning().contains(u"read-only"_s), qPrintable(store.warning()));
    QVERIFY2(store.warning().contains(u"cannot save new forecasts"_s), qPrintable(store.warning()));

    // What it holds is served.
    const QList<StoredEntry> all = store.readAll();
    QCOMPARE(store.lastError(), PersistentStore::Error::None);
    QCOMPARE(all.size(), 3);
    QCOMPARE(store.read(u"city-1"_s)->value, valueFor(u"city-1"_s, 2048));

    // Writes fail quietly: the reason each time in errorString(), said to the user once.
    StoreWarningCounter warnings;
    for (int i = 0; i < 20; ++i) {
        QVERIFY(!store.write(u"new-%1"_s.arg(i), "v", kT0, kHour));
        QCOMPARE(store.lastError(), PersistentStore::Error::ReadOnly);
        QCOMPARE(store.errorString(), store.warning());
    }
    QVERIFY(!store.remove(u"city-1"_s));
    QVERIFY(!store.clear());
    QCOMPARE(store.purge(0), -1);
    QCOMPARE(store.takeNewProblems(), QStringList{store.warning()});
    QVERIFY(store.takeNewProblems().isEmpty());
    QCOMPARE(warnings.count(), 0);
    QCOMPARE(store.readAll(), all);
    QString why;
    QVERIFY2(store.checkInvariants(&why), qPrintable(why));

    store.close();
    QCOMPARE(fileBytes(cacheFile(folder)), before);
    QVERIFY(setAsideFiles(folder).isEmpty());
}

void tst_PersistentStore::fullDiskKeepsEarlierEntries()
{
    QTemporaryDir dir;
    const QByteArray big = valueFor(u"big"_s, 256 * 1024);
    {
        PersistentStore store;
        QVERIFY(store.open(dir.path()));
        for (int i = 0; i < 5; ++i)
            QVERIFY(store.write(u"early-%1"_s.arg(i), valueFor(u"early"_s), kT0, kHour));

        // SQLite never shrinks the cap below the current size: asking for 1 page means "full now".
        const int cap = store.setMaxPageCountForTesting(1);
        QVERIFY2(cap > 1, qPrintable(QString::number(cap)));
        QVERIFY(!store.write(u"big"_s, big, kT0, kHour));
        QCOMPARE(store.lastError(), PersistentStore::Error::DiskFull);
        QCOMPARE(store.errorString(), u"The disk is full: the weather cache could not be saved. "
                                      "WeatherDash keeps working from memory."_s);

        // Nothing written before is lost, and the store is usable again for reads.
        QVERIFY(!store.read(u"big"_s).has_value());
        QCOMPARE(store.lastError(), PersistentStore::Error::None);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(store.read(u"early-%1"_s.arg(i))->value, valueFor(u"early"_s));
    }
    // Space again (the cap was this connection's only): the same write now succeeds.
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QCOMPARE(store.readAll().size(), 5);
    QVERIFY2(store.write(u"big"_s, big, kT0, kHour), qPrintable(store.errorString()));
    QCOMPARE(store.read(u"big"_s)->value, big);
    QCOMPARE(runSql(cacheFile(dir.path()), {u"PRAGMA integrity_check"_s}), u"ok"_s);
}

/* A full disk during a refresh of many cities is one sentence, not one per failed write. */
void tst_PersistentStore::fullDiskIsSaidOnce()
{
    QTemporaryDir dir;
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.takeNewProblems().isEmpty());
    for (int i = 0; i < 5; ++i)
        QVERIFY(store.write(u"early-%1"_s.arg(i), valueFor(u"early"_s), kT0, kHour));
    QVERIFY(store.setMaxPageCountForTesting(1) > 1);

    StoreWarningCounter warnings;
    for (int i = 0; i < 120; ++i) {
        QVERIFY(!store.write(u"city-%1"_s.arg(i), valueFor(u"big"_s, 64 * 1024), kT0, kHour));
        QCOMPARE(store.lastError(), PersistentStore::Error::DiskFull);
    }
    const QStringList problems = store.takeNewProblems();
    QCOMPARE(problems, QStringList{u"The disk is full: the weather cache could not be saved. "
                                   "WeatherDash keeps working from memory."_s});
    QCOMPARE(warnings.count(), 1);
    for (int i = 0; i < 10; ++i)
        QVERIFY(!store.write(u"later-%1"_s.arg(i), valueFor(u"big"_s, 64 * 1024), kT0, kHour));
    QVERIFY(store.takeNewProblems().isEmpty());
    QCOMPARE(warnings.count(), 1);

    // Reads are still served, and small changes that fit still go through.
    QCOMPARE(store.readAll().size(), 5);
    QCOMPARE(store.read(u"early-3"_s)->value, valueFor(u"early"_s));
    QVERIFY(store.remove(u"early-4"_s));
    QCOMPARE(store.readAll().size(), 4);
}

void tst_PersistentStore::lockHeldTooLongReportsBusy()
{
    QTemporaryDir dir;
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.write(u"before"_s, "v", kT0, kHour));

    // Another program (a stuck WeatherDash) holds the write lock for longer than the timeout.
    const QString name = u"tst_persistentstore.locker"_s;
    {
        QSqlDatabase locker = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        locker.setDatabaseName(cacheFile(dir.path()));
        QVERIFY(locker.open());
        QSqlQuery lock(locker);
        QVERIFY2(lock.exec(u"BEGIN IMMEDIATE"_s), qPrintable(lock.lastError().text()));

        QElapsedTimer waited;
        waited.start();
        QVERIFY(!store.write(u"during"_s, "v", kT0, kHour));
        QCOMPARE(store.lastError(), PersistentStore::Error::Busy);
        QVERIFY2(store.errorString().endsWith(u"WeatherDash keeps working from memory."_s),
                 qPrintable(store.errorString()));
        // It waited for the lock rather than failing at once, and gave up in bounded time.
        QVERIFY2(waited.elapsed() >= PersistentStore::kBusyTimeoutMs - 100,
                 qPrintable(QString::number(waited.elapsed())));
        // Readers are not blocked by a writer in WAL mode.
        QCOMPARE(store.read(u"before"_s)->value, QByteArray("v"));

        // A second instance starting now cannot take the lock either; it must not treat the
        // healthy, merely locked file as damaged.
        PersistentStore second;
        QVERIFY(!second.open(dir.path()));
        QCOMPARE(second.lastError(), PersistentStore::Error::Busy);
        QVERIFY(setAsideFiles(dir.path()).isEmpty());

        QVERIFY(lock.exec(u"ROLLBACK"_s));
    }
    QSqlDatabase::removeDatabase(name);

    // Once the lock is gone the same write goes through.
    QVERIFY2(store.write(u"during"_s, "v", kT0, kHour), qPrintable(store.errorString()));
    QCOMPARE(store.readAll().size(), 2);
}

void tst_PersistentStore::replacedFileIsNoticed_data()
{
    QTest::addColumn<bool>("removed"); // else renamed

    QTest::newRow("cache file deleted by the user") << true;
    QTest::newRow("cache file renamed by another program") << false;
}

/*
 * Another program removes or renames the cache file while the store has it open. The store
 * must not go on writing into a file nobody will read: it notices at its next call and
 * continues in a new file at the path.
 */
void tst_PersistentStore::replacedFileIsNoticed()
{
    QFETCH(bool, removed);
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    PersistentStore store;
    QVERIFY(store.open(dir.path()));
    QVERIFY(store.write(u"before"_s, "v", kT0, kHour));

    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s}) {
        if (!QFileInfo::exists(file + suffix))
            continue;
        QVERIFY(removed ? QFile::remove(file + suffix)
                        : QFile::rename(file + suffix, dir.path() + u"/moved"_s + suffix));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"removed or replaced"_s));
    QVERIFY2(store.write(u"after"_s, "v", kT0, kHour), qPrintable(store.errorString()));
    QVERIFY(QFileInfo::exists(file));
    QVERIFY(store.read(u"after"_s).has_value());
    QString why;
    QVERIFY2(store.checkInvariants(&why), qPrintable(why));

    // Another start finds what was written after the change, in the file at the path.
    PersistentStore other;
    QVERIFY(other.open(dir.path()));
    QVERIFY(other.read(u"after"_s).has_value());
    QVERIFY(!other.read(u"before"_s).has_value());
    if (!removed) {
        store.close();
        other.close();
        const QString moved = dir.path() + u"/moved"_s;
        QCOMPARE(runSql(moved, {u"SELECT group_concat(key) FROM entries"_s}), u"before"_s);
    }
}

/*
 * A file damaged while another process has it open is not renamed under it: that process would
 * go on writing into the renamed file. This start works from memory; the next start after the
 * other process is gone sets the file aside.
 */
void tst_PersistentStore::damagedFileInUseIsLeftAlone()
{
    QTemporaryDir dir;
    const QString file = cacheFile(dir.path());
    QVERIFY(!makeRealCacheFile(dir.path(), 3).isEmpty());

    QProcess holder;
    holder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    holder.start(QCoreApplication::applicationFilePath(),
                 {QString::fromLatin1(kHolderChildArg), dir.path()});
    QVERIFY2(holder.waitForStarted(10'000), qPrintable(holder.errorString()));
    while (!holder.canReadLine())
        QVERIFY2(holder.waitForReadyRead(30'000), "the holder did not get ready");
    QCOMPARE(holder.readLine().trimmed(), QByteArray("ready"));

    // Damage from outside: the header page overwritten while the holder has the file open.
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.write(QByteArray(4096, 'x')) == 4096);
    }
    const QByteArray damaged = fileBytes(file);
    {
        PersistentStore store;
        QVERIFY(!store.open(dir.path()));
        QCOMPARE(store.lastError(), PersistentStore::Error::Corrupt);
        QVERIFY2(store.errorString().contains(u"another WeatherDash is still using it"_s),
                 qPrintable(store.errorString()));
        QCOMPARE(store.takeNewProblems(), QStringList{store.errorString()});
        QVERIFY(setAsideFiles(dir.path()).isEmpty());
        QCOMPARE(fileBytes(file), damaged);
    }

    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(30'000));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^set aside "_s));
    PersistentStore store;
    QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
    QVERIFY(store.warning().contains(u"set aside"_s));
    QCOMPARE(setAsideFiles(dir.path()).size(), 1);
}

/*
 * Random writes, reads, removes, clears, purges and readAll()s, with closes and reopens, a
 * second store on the same folder and clock moves, checked after every step against a plain
 * std::map. The seed is printed; WEATHERDASH_SEED=<n> replays a run.
 */
void tst_PersistentStore::randomOperationsMatchAModel()
{
    const quint32 seed = qEnvironmentVariableIsSet("WEATHERDASH_SEED")
                             ? quint32(qEnvironmentVariableIntValue("WEATHERDASH_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("seed %u (WEATHERDASH_SEED=%u reproduces this run)", seed, seed);
    QRandomGenerator rng(seed);
    constexpr int kSteps = 3000;
    constexpr int kKeySpace = 40;

    QTemporaryDir dir;
    ManualClock clock(kT0);
    PersistentStore store(&clock);
    PersistentStore other(&clock); // another program on the same folder
    QVERIFY(store.open(dir.path()));
    QVERIFY(other.open(dir.path()));
    std::map<QString, StoredEntry> model;

    const auto randomKey = [&] {
        return u"key-%1"_s.arg(rng.bounded(kKeySpace));
    };
    const auto modelList = [&] {
        QList<StoredEntry> list;
        for (const auto &[key, entry] : model)
            list.append(entry);
        return list;
    };
    QString trace;
    for (int step = 0; step < kSteps; ++step) {
        PersistentStore &s = rng.bounded(4) == 0 ? other : store;
        const int op = rng.bounded(100);
        const QString key = randomKey();
        QString why;
        if (op < 40) {
            const QByteArray value = QByteArray::number(rng.generate())
                                         .repeated(1 + rng.bounded(rng.bounded(10) ? 4 : 400));
            const qint64 loadedAt = clock.now() - rng.bounded(48) * kHour;
            const qint64 ttl = rng.bounded(6) * kHour;
            trace = u"write %1"_s.arg(key);
            QVERIFY2(s.write(key, value, loadedAt, ttl), qPrintable(s.errorString()));
            model[key] = StoredEntry{key, value, loadedAt, ttl};
        } else if (op < 65) {
            trace = u"read %1"_s.arg(key);
            const std::optional<StoredEntry> got = s.read(key);
            const auto it = model.find(key);
            QCOMPARE(s.lastError(), PersistentStore::Error::None);
            QCOMPARE(got.has_value(), it != model.end());
            if (got)
                QCOMPARE(*got, it->second);
        } else if (op < 78) {
            trace = u"remove %1"_s.arg(key);
            QVERIFY(s.remove(key));
            model.erase(key);
        } else if (op < 86) {
            trace = u"readAll"_s;
            QCOMPARE(s.readAll(), modelList());
        } else if (op < 90) {
            const qint64 horizon = rng.bounded(24) * kHour;
            trace = u"purge %1 h"_s.arg(horizon / kHour);
            int expected = 0;
            for (auto it = model.begin(); it != model.end();) {
                if (it->second.expiresAt() + horizon < clock.now()) {
                    it = model.erase(it);
                    ++expected;
                } else {
                    ++it;
                }
            }
            QCOMPARE(s.purge(horizon), expected);
        } else if (op < 92) {
            trace = u"clear"_s;
            QVERIFY(s.clear());
            model.clear();
        } else if (op < 96) {
            trace = u"close and reopen"_s;
            s.close();
            QVERIFY2(s.checkInvariants(&why), qPrintable(why));
            QVERIFY(!s.isOpen());
            QVERIFY(s.open(dir.path()));
        } else {
            trace = u"clock moves"_s;
            clock.advance(rng.bounded(6) * kHour);
        }
        QVERIFY2(s.checkInvariants(&why),
                 qPrintable(u"seed %1 step %2 (%3): %4"_s.arg(seed).arg(step).arg(trace, why)));
        if (QTest::currentTestFailed()) {
            qWarning("failed at step %d (%s), seed %u", step, qPrintable(trace), seed);
            return;
        }
    }
    store.close();
    other.close();
    PersistentStore last(&clock);
    QVERIFY(last.open(dir.path()));
    QCOMPARE(last.readAll(), modelList());
    QVERIFY(last.warning().isEmpty());
    QVERIFY(setAsideFiles(dir.path()).isEmpty());
}

void tst_PersistentStore::requestsCountAcrossProcessesAndDays()
{
    QTemporaryDir dir;
    ManualClock clock(kT0);
    PersistentStore gui(&clock);
    PersistentStore cli(&clock);
    QVERIFY(gui.open(dir.path()));
    QVERIFY(cli.open(dir.path()));
    constexpr qint64 kMinute = 60'000;
    // The GUI asked three times in the last hour, the CLI twice this minute, and once a day ago.
    QVERIFY(gui.logRequest(u"open-meteo"_s, kT0 - 50 * kMinute));
    QVERIFY(gui.logRequest(u"open-meteo"_s, kT0 - 5 * kMinute));
    QVERIFY(gui.logRequest(u"open-meteo"_s, kT0 - 30'000));
    QVERIFY(cli.logRequest(u"open-meteo"_s, kT0 - 10'000));
    QVERIFY(cli.logRequest(u"open-meteo"_s, kT0));
    QVERIFY(cli.logRequest(u"open-meteo"_s, kT0 - 25 * 60 * kMinute));
    QVERIFY(cli.logRequest(u"openweathermap"_s, kT0));
    const QList<qint64> since{kT0 - kMinute, kT0 - 60 * kMinute, kT0 - 24 * 60 * kMinute, 0};
    QCOMPARE(gui.countRequests(u"open-meteo"_s, since), (QList<qint64>{3, 5, 5, 6}));
    QCOMPARE(cli.countRequests(u"openweathermap"_s, since), (QList<qint64>{1, 1, 1, 1}));
    QCOMPARE(cli.countRequests(u"acme"_s, since), (QList<qint64>{0, 0, 0, 0}));
    // Clear empties the cache, not the record of what was asked.
    QVERIFY(gui.clear());
    QCOMPARE(gui.countRequests(u"open-meteo"_s, {0}), QList<qint64>{6});
    // Kept for two days: a purge then drops what is older.
    clock.advance(PersistentStore::kRequestLogDays * 24 * 60 * kMinute - 12 * 60 * kMinute);
    QVERIFY(gui.purge(0) >= 0);
    QCOMPARE(gui.countRequests(u"open-meteo"_s, {0}), QList<qint64>{5});
}

void tst_PersistentStore::requestLogIsAddedToAnOlderFile()
{
    QTemporaryDir dir;
    {
        PersistentStore store;
        QVERIFY(store.open(dir.path()));
        QVERIFY(store.write(u"k"_s, "v", kT0, kHour));
    }
    {
        // A file as version 1 wrote it before the log existed.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older"_s);
        db.setDatabaseName(cacheFile(dir.path()));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"DROP TABLE requests"_s));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"older"_s);
    PersistentStore store;
    QVERIFY2(store.open(dir.path()), qPrintable(store.errorString()));
    QCOMPARE(store.read(u"k"_s)->value, QByteArray("v")); // the entries stay
    QCOMPARE(store.countRequests(u"open-meteo"_s, {0}), QList<qint64>{0});
    QVERIFY(store.logRequest(u"open-meteo"_s, kT0));
    QCOMPARE(store.countRequests(u"open-meteo"_s, {0}), QList<qint64>{1});
}

// Not QTEST_GUILESS_MAIN: the same executable doubles as the second process of
// twoProcessesWriteAtTheSameTime, which QTest's argument parser would reject.
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() > 1 && args.at(1) == QLatin1String(kWriterChildArg))
        return runWriterChild(args);
    if (args.size() > 1 && args.at(1) == QLatin1String(kStarterChildArg))
        return runStarterChild(args);
    if (args.size() > 1 && args.at(1) == QLatin1String(kHolderChildArg))
        return runHolderChild(args);
    tst_PersistentStore tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_persistentstore.moc"
