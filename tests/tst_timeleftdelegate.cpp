// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "widgets/timeleftdelegate.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QPromise>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinute = 60'000;
using Cache = AsyncCache<QString>;

/** A dark theme, as Breeze Dark has it: light text on a dark base, a saturated highlight. */
QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Base, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Window, QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::Text, QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::WindowText, QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::Mid, QColor(0x50, 0x55, 0x5a));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, QColor(0xfc, 0xfc, 0xfc));
    return p;
}

struct Pixels
{
    int coloured = 0; ///< clearly saturated: a fill in the highlight colour
    int bright = 0; ///< near the palette's text colour: the words
    int green = 0; ///< what the old "healthy" bar was painted with
};
} // namespace

class tst_TimeLeftDelegate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_cache = std::make_unique<Cache>(m_clock.get());
        m_cache->setStaleHorizon(7 * 24 * 60 * kMinute);
        m_cache->setNegativeCaching(5 * kMinute, [](const LoadError &e) { return e.code == 404; });
        m_model = std::make_unique<CacheEntryModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get());
        m_model->setCache(m_cache.get());
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_cache.reset();
        m_clock.reset();
    }

    void freshIsTheHighlightColourStaleAndNotFoundAreNot()
    {
        m_cache->set(u"fresh"_s, u"v"_s, 10 * kMinute);
        m_cache->set(u"stale"_s, u"v"_s, kMinute);
        rememberNotFound(u"missing"_s);
        m_clock->advance(2 * kMinute);

        const Pixels fresh = paint(u"fresh"_s);
        const Pixels stale = paint(u"stale"_s);
        const Pixels missing = paint(u"missing"_s);
        // Fresh time left: a fill in the palette's highlight colour.
        QVERIFY2(fresh.coloured > 200, qPrintable(QString::number(fresh.coloured)));
        // Expired, kept as backup: greyed, no trace of the fresh colour.
        QCOMPARE(stale.coloured, 0);
        // A remembered "not found": neutral, not a healthy bar.
        QCOMPARE(missing.coloured, 0);
        QCOMPARE(fresh.green + stale.green + missing.green, 0);
    }

    void wordsAreInThePalettesTextColour()
    {
        m_cache->set(u"fresh"_s, u"v"_s, 10 * kMinute);
        m_cache->set(u"stale"_s, u"v"_s, kMinute);
        rememberNotFound(u"missing"_s);
        m_clock->advance(2 * kMinute);
        // Light text on the dark base: every cell writes its words readably.
        for (const QString &key : {u"fresh"_s, u"stale"_s, u"missing"_s})
            QVERIFY2(paint(key).bright > 20, qPrintable(key));
    }

    void fullSentenceWhereItFitsShortFormElse()
    {
        m_cache->set(u"stale"_s, u"v"_s, kMinute);
        m_clock->advance(2 * kMinute);
        const QModelIndex cell = cellOf(u"stale"_s);
        const QFontMetrics metrics(QFont{});
        const QString full = cell.data(CacheEntryModel::LifeTextRole).toString();
        QCOMPARE(TimeLeftDelegate::shownText(cell, metrics, 2000), full);
        const int narrow = metrics.horizontalAdvance(full) - 1;
        QCOMPARE(TimeLeftDelegate::shownText(cell, metrics, narrow), cell.data().toString());
        QVERIFY(cell.data().toString().startsWith(u"kept "_s));
    }

private:
    void rememberNotFound(const QString &key)
    {
        auto promise = std::make_shared<QPromise<Outcome<QString>>>();
        auto future = m_cache->get(key, [promise] {
            promise->start();
            return promise->future();
        });
        QTRY_VERIFY(promise->future().isStarted());
        promise->addResult(Outcome<QString>::failure({404, u"No such place"_s, {}}));
        promise->finish();
        QTRY_VERIFY(m_model->rowOfKey(key) >= 0
                    && cellOf(key).data(CacheEntryModel::RememberedFailureRole).toBool());
    }

    QModelIndex cellOf(const QString &key) const
    {
        return m_model->index(m_model->rowOfKey(key), CacheEntryModel::TimeLeftColumn);
    }

    Pixels paint(const QString &key) const
    {
        const QPalette palette = darkPalette();
        QImage image(160, 26, QImage::Format_RGB32);
        image.fill(palette.color(QPalette::Base));
        {
            QPainter painter(&image);
            QStyleOptionViewItem option;
            option.rect = image.rect();
            option.palette = palette;
            option.state = QStyle::State_Enabled;
            option.font = QFont();
            option.fontMetrics = QFontMetrics(option.font);
            TimeLeftDelegate delegate;
            delegate.paint(&painter, option, cellOf(key));
        }
        Pixels pixels;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = QColor::fromRgb(image.pixel(x, y));
                pixels.coloured += c.hsvSaturation() > 100 && c.value() > 80;
                pixels.bright += c.value() > 200 && c.hsvSaturation() < 40;
                pixels.green += c.green() > c.red() + 40 && c.green() > c.blue() + 40;
            }
        }
        return pixels;
    }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Cache> m_cache;
    std::unique_ptr<CacheEntryModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(tst_TimeLeftDelegate)
#include "tst_timeleftdelegate.moc"
