// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "models/cacheplacemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

using Cache = AsyncCache<QString>;

namespace {
constexpr qint64 kMinute = 60'000;

/**
 * Keys of a made-up scheme: "place/<id>/<kind>" and "search/<query>". The model learns only
 * what this function says, so any kind of entry ("hourly" below) joins its place.
 */
CachePlaceModel::Placement placeOf(const QString &key)
{
    CachePlaceModel::Placement p;
    const QStringList parts = key.split(u'/');
    if (parts.value(0) == u"search"_s) {
        p.searchQuery = parts.value(1);
        p.childTitle = u"Search “%1”"_s.arg(parts.value(1));
        return p;
    }
    if (parts.value(0) != u"place"_s)
        return p;
    const QString id = parts.value(1);
    p.groupId = id;
    p.title = id.startsWith(u"berlin"_s) ? u"Berlin, DE"_s : u"Paris, FR"_s;
    p.detail = id.endsWith(u"-imperial"_s) ? u"Open-Meteo, imperial"_s : u"Open-Meteo, metric"_s;
    p.childTitle = parts.value(2);
    return p;
}
} // namespace

class tst_CachePlaceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_cache = std::make_unique<Cache>(m_clock.get());
        m_entries = std::make_unique<CacheEntryModel>();
        m_entriesTester = std::make_unique<QAbstractItemModelTester>(m_entries.get());
        m_places = std::make_unique<CachePlaceModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_places.get());
        m_places->setPlaceFunction(placeOf);
        m_places->setSourceModel(m_entries.get());
        m_entries->setCache(m_cache.get());
        m_resets = std::make_unique<QSignalSpy>(m_places.get(), &QAbstractItemModel::modelReset);
    }

    void cleanup()
    {
        QCOMPARE(m_resets->count(), 0); // incremental, always
        m_resets.reset();
        m_tester.reset();
        m_places.reset();
        m_entriesTester.reset();
        m_entries.reset();
        m_cache.reset();
        m_clock.reset();
    }

    void rowsGroupByPlaceWhateverTheirKind()
    {
        set(u"place/berlin/current"_s);
        set(u"place/berlin/forecast"_s);
        set(u"place/berlin/hourly"_s); // a kind nobody told the model about
        set(u"place/paris/current"_s);
        set(u"search/berlin"_s); // the search that found Berlin goes with it
        QCOMPARE(titles(), (QStringList{u"Berlin, DE — Open-Meteo, metric"_s,
                                        u"Paris, FR — Open-Meteo, metric"_s}));
        QCOMPARE(childTitles(u"berlin"_s),
                 (QStringList{u"Search “berlin”"_s, u"current"_s, u"forecast"_s, u"hourly"_s}));
        const QModelIndex hourly = m_places->indexOfKey(u"place/berlin/hourly"_s);
        QCOMPARE(hourly.parent(), m_places->indexOfGroup(u"berlin"_s));
        QCOMPARE(hourly.data(CacheEntryModel::KeyRole).toString(), u"place/berlin/hourly"_s);
        QCOMPARE(hourly.siblingAtColumn(CacheEntryModel::StateColumn).data().toString(),
                 u"fresh"_s);
        // A place's row names no entry (nothing to drop or copy).
        QVERIFY(m_places->indexOfGroup(u"berlin"_s)
                    .data(CacheEntryModel::KeyRole)
                    .toString()
                    .isEmpty());
        QVERIFY(m_places->indexOfGroup(u"berlin"_s).data(CachePlaceModel::IsGroupRole).toBool());
    }

    void sameNameOtherSettingsSaysWhatDiffers()
    {
        set(u"place/berlin/current"_s);
        set(u"place/berlin-imperial/current"_s);
        const QStringList shown = titles();
        QCOMPARE(shown.size(), 2);
        QCOMPARE(QSet<QString>(shown.cbegin(), shown.cend()).size(), 2); // never two alike
        QVERIFY(shown.contains(u"Berlin, DE — Open-Meteo, imperial"_s));
    }

    void prefixesTypedOnTheWayFoldAway()
    {
        set(u"search/lo"_s);
        set(u"search/lon"_s);
        set(u"search/lond"_s);
        set(u"search/london"_s);
        set(u"search/tokyo"_s);
        QCOMPARE(titles(), (QStringList{u"Searches"_s, u"Searches while typing (3)"_s}));
        QCOMPARE(childTitles(CachePlaceModel::kSearchesGroup),
                 (QStringList{u"Search “london”"_s, u"Search “tokyo”"_s}));
        QVERIFY(m_places->indexOfGroup(CachePlaceModel::kTypingGroup)
                    .data(CachePlaceModel::IsTypingGroupRole)
                    .toBool());

        // "london" gone: "lond" is a search of its own now, the others still prefixes of it.
        QSignalSpy moved(m_places.get(), &QAbstractItemModel::rowsInserted);
        m_cache->invalidate(u"search/london"_s);
        QCOMPARE(childTitles(CachePlaceModel::kSearchesGroup),
                 (QStringList{u"Search “lond”"_s, u"Search “tokyo”"_s}));
        QCOMPARE(titles().last(), u"Searches while typing (2)"_s);
        QCOMPARE(moved.count(), 1);
    }

    void lastEntryOfAPlaceTakesThePlaceAlong()
    {
        set(u"place/berlin/current"_s);
        set(u"place/paris/current"_s);
        QSignalSpy removed(m_places.get(), &QAbstractItemModel::rowsRemoved);
        m_cache->invalidate(u"place/berlin/current"_s);
        QCOMPARE(titles(), QStringList{u"Paris, FR — Open-Meteo, metric"_s});
        QCOMPARE(removed.count(), 2); // the entry under its place, then the place
        QVERIFY(!m_places->indexOfKey(u"place/berlin/current"_s).isValid());
        QVERIFY(m_places->groupOfKey(u"place/berlin/current"_s).isEmpty());
    }

    void ticksReachTheEntriesUnderTheirPlace()
    {
        set(u"place/paris/current"_s);
        set(u"place/berlin/current"_s);
        QSignalSpy changed(m_places.get(), &QAbstractItemModel::dataChanged);
        m_clock->advance(3 * kMinute);
        m_entries->refresh();
        const QModelIndex berlin = m_places->indexOfKey(u"place/berlin/current"_s);
        QCOMPARE(berlin.siblingAtColumn(CacheEntryModel::AgeColumn).data().toString(), u"3 min"_s);
        bool seen = false;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const auto topLeft = args.at(0).value<QModelIndex>();
            seen |= topLeft.parent() == berlin.parent() && topLeft.row() == berlin.row()
                    && topLeft.column() == CacheEntryModel::AgeColumn;
        }
        QVERIFY(seen);
    }

    void shownPlaceIsBold()
    {
        set(u"place/berlin/current"_s);
        set(u"place/paris/current"_s);
        const auto bold = [this](const QString &id) {
            return m_places->indexOfGroup(id).data(Qt::FontRole).value<QFont>().bold();
        };
        QVERIFY(!bold(u"berlin"_s));
        QSignalSpy changed(m_places.get(), &QAbstractItemModel::dataChanged);
        m_places->setHighlightedGroups({u"berlin"_s});
        QVERIFY(bold(u"berlin"_s));
        QVERIFY(!bold(u"paris"_s));
        QCOMPARE(changed.count(), 1);
    }

private:
    void set(const QString &key) { m_cache->set(key, u"v"_s, 10 * kMinute); }

    QStringList titles() const
    {
        QStringList out;
        for (int i = 0; i < m_places->rowCount(); ++i)
            out << m_places->index(i, 0).data().toString();
        out.sort(); // the view sorts; the model keeps the order rows came in
        return out;
    }

    QStringList childTitles(const QString &groupId) const
    {
        const QModelIndex group = m_places->indexOfGroup(groupId);
        QStringList out;
        for (int i = 0; i < m_places->rowCount(group); ++i)
            out << m_places->index(i, 0, group).data().toString();
        out.sort();
        return out;
    }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Cache> m_cache;
    std::unique_ptr<CacheEntryModel> m_entries;
    std::unique_ptr<QAbstractItemModelTester> m_entriesTester;
    std::unique_ptr<CachePlaceModel> m_places;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QSignalSpy> m_resets;
};

QTEST_MAIN(tst_CachePlaceModel)
#include "tst_cacheplacemodel.moc"
