// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "models/cacheplacemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

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
/** "place/<n>[-imperial]/<kind>" is in "Town <n>"; "search/<query>" looks for a town. */
CachePlaceModel::Placement townOf(const QString &key)
{
    CachePlaceModel::Placement p;
    const QStringList parts = key.split(u'/');
    if (parts.value(0) == u"search"_s) {
        p.searchQuery = parts.value(1);
        p.childTitle = u"Search “%1”"_s.arg(parts.value(1));
        return p;
    }
    const QString id = parts.value(1);
    p.groupId = id;
    p.title = u"Town%1, XX"_s.arg(id.section(u'-', 0, 0));
    p.detail = id.endsWith(u"-imperial"_s) ? u"imperial"_s : u"metric"_s;
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

    void changesReachTheEntriesUnderTheirPlaceButTicksDoNot()
    {
        set(u"place/paris/current"_s);
        set(u"place/berlin/current"_s);
        QSignalSpy changed(m_places.get(), &QAbstractItemModel::dataChanged);
        m_clock->advance(3 * kMinute); // a tick: computed when read, nothing sent
        const QModelIndex berlin = m_places->indexOfKey(u"place/berlin/current"_s);
        QCOMPARE(berlin.siblingAtColumn(CacheEntryModel::AgeColumn).data().toString(), u"3 min"_s);
        QCOMPARE(changed.count(), 0);

        // A hit is a change: it reaches the row under its place, and only that row.
        QVERIFY(m_cache->value(u"place/berlin/current"_s).has_value());
        m_entries->refresh();
        QCOMPARE(changed.count(), 1);
        const auto topLeft = changed.first().at(0).value<QModelIndex>();
        QCOMPARE(topLeft.parent(), berlin.parent());
        QCOMPARE(topLeft.row(), berlin.row());
        QCOMPARE(topLeft.column(), int(CacheEntryModel::HitsColumn));
        QCOMPARE(berlin.siblingAtColumn(CacheEntryModel::HitsColumn).data().toInt(), 1);
    }

    void thousandsOfEntriesComeAndGo()
    {
        // Random inserts, updates and removals against a plain list of what should be shown.
        // WEATHERDASH_SEED=<n> replays a run.
        const quint32 seed = qEnvironmentVariableIsSet("WEATHERDASH_SEED")
                                 ? qgetenv("WEATHERDASH_SEED").toUInt()
                                 : QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        m_places->setPlaceFunction(townOf);

        QStringList live; // the plain reference: the keys the cache holds
        const auto randomKey = [&random]() -> QString {
            const int town = random.bounded(1000);
            const int roll = random.bounded(10);
            if (roll < 6) {
                static const char *kinds[] = {"current", "forecast", "hourly"};
                const QString id
                    = random.bounded(4) == 0 ? u"%1-imperial"_s.arg(town) : QString::number(town);
                return u"place/%1/%2"_s.arg(id, QString::fromLatin1(kinds[random.bounded(3)]));
            }
            // A search for the town, or a prefix typed on the way to it.
            const QString name = u"town%1"_s.arg(town);
            return u"search/"_s + name.left(2 + random.bounded(int(name.size()) - 1));
        };
        constexpr int kSteps = 4000;
        int peak = 0;
        for (int step = 0; step < kSteps; ++step) {
            // Grow to a few thousand, then mostly shrink.
            const bool grow = step < kSteps / 2 ? random.bounded(20) < 19 : random.bounded(10) < 3;
            if (grow || live.isEmpty()) {
                const QString key = randomKey();
                set(key);
                if (!live.contains(key))
                    live.append(key);
            } else {
                const QString key = live.takeAt(random.bounded(int(live.size())));
                m_cache->invalidate(key);
            }
            peak = qMax(peak, int(live.size()));
            if (step % 500 == 0 || step == kSteps - 1)
                QVERIFY2(shownAsExpected(live),
                         qPrintable(u"step %1, seed %2"_s.arg(step).arg(seed)));
        }
        QVERIFY2(peak > 1000, qPrintable(QString::number(peak)));
        for (const QString &key : std::as_const(live))
            m_cache->invalidate(key);
        QCOMPARE(m_places->rowCount(), 0);
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
    /**
     * The tree against the keys that should be in it, worked out the plain way: every key once,
     * under its town; a search under a town of the name it looked for, else under "Searches",
     * or under "typing" when another search or a town's name is longer and starts with it.
     */
    bool shownAsExpected(const QStringList &live) const
    {
        QStringList names; // towns' names and queries, case-folded
        QHash<QString, QSet<QString>> townsNamed; // name -> the groups of towns of that name
        for (const QString &key : live) {
            const auto p = townOf(key);
            const QString name = p.title.section(u',', 0, 0).toCaseFolded();
            names << (p.searchQuery.isEmpty() ? name : p.searchQuery);
            if (p.searchQuery.isEmpty())
                townsNamed[name].insert(p.groupId);
        }
        QHash<QString, QString> groupOf; // key -> group id, as shown
        int shownKeys = 0;
        for (int g = 0; g < m_places->rowCount(); ++g) {
            const QModelIndex group = m_places->index(g, 0);
            const QString id = group.data(CachePlaceModel::GroupIdRole).toString();
            if (m_places->rowCount(group) == 0) {
                qWarning("empty group %s", qPrintable(id));
                return false;
            }
            for (int c = 0; c < m_places->rowCount(group); ++c) {
                const QModelIndex child = m_places->index(c, 0, group);
                const QString key = child.data(CacheEntryModel::KeyRole).toString();
                groupOf.insert(key, id);
                ++shownKeys;
                if (m_places->indexOfKey(key) != child || child.parent() != group) {
                    qWarning("indexOfKey(%s) is not where it is shown", qPrintable(key));
                    return false;
                }
            }
            if (id == CachePlaceModel::kTypingGroup
                && group.data().toString()
                       != u"Searches while typing (%1)"_s.arg(m_places->rowCount(group))) {
                qWarning("typing title %s", qPrintable(group.data().toString()));
                return false;
            }
        }
        if (shownKeys != live.size() || groupOf.size() != live.size()) {
            qWarning("%d rows shown, %d keys", shownKeys, int(live.size()));
            return false;
        }
        for (const QString &key : live) {
            const auto p = townOf(key);
            const QString shown = groupOf.value(key);
            QString why;
            if (p.searchQuery.isEmpty()) {
                if (shown != p.groupId)
                    why = u"not under its town"_s;
            } else {
                // Towns of that name (metric or imperial: either will do).
                const QSet<QString> towns = townsNamed.value(p.searchQuery);
                const bool prefix
                    = std::any_of(names.cbegin(), names.cend(), [&](const QString &n) {
                          return n.size() > p.searchQuery.size() && n.startsWith(p.searchQuery);
                      });
                if (!towns.isEmpty() ? !towns.contains(shown)
                                     : shown
                                           != (prefix ? CachePlaceModel::kTypingGroup
                                                      : CachePlaceModel::kSearchesGroup))
                    why = u"search in the wrong group"_s;
            }
            if (!why.isEmpty()) {
                qWarning("%s: %s (shown under %s)", qPrintable(key), qPrintable(why),
                         qPrintable(shown));
                return false;
            }
        }
        return true;
    }

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
