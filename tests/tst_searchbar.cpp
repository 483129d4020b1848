// SPDX-License-Identifier: MIT
// The search field as a person types into it: the list opens for typing only, Enter on the
// field's own label shows that place, and the recent row holds still while it is used.

#include "models/locationsuggestionmodel.h"
#include "widgets/searchbar.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {
Location place(const QString &name, const QString &region, const QString &code, double lat,
               double lon)
{
    Location l;
    l.name = name;
    l.region = region;
    l.countryCode = code;
    l.latitude = lat;
    l.longitude = lon;
    return l;
}

const Location kBerlin = place(u"Berlin"_s, u"Berlin"_s, u"DE"_s, 52.52, 13.41);
const Location kLondonGb = place(u"London"_s, u"England"_s, u"GB"_s, 51.51, -0.13);
const Location kLondonCa = place(u"London"_s, u"Ontario"_s, u"CA"_s, 42.98, -81.23);
const Location kParis = place(u"Paris"_s, u"Île-de-France"_s, u"FR"_s, 48.85, 2.35);
} // namespace

class tst_SearchBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_bar = std::make_unique<SearchBar>();
        m_bar->resize(600, 80);
        m_bar->show();
        m_bar->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_bar.get()));
        m_bar->lineEdit()->setFocus();
        QTRY_VERIFY(m_bar->lineEdit()->hasFocus());
    }
    void cleanup() { m_bar.reset(); }

    void lateSuggestionsDoNotReopenTheListAfterEnter()
    {
        QSignalSpy asked(m_bar.get(), &SearchBar::suggestionsRequested);
        QSignalSpy submitted(m_bar.get(), &SearchBar::searchSubmitted);
        QTest::keyClicks(m_bar->lineEdit(), u"Berlin"_s);
        QVERIFY(asked.wait()); // the debounced request is out
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return); // before its answer
        QCOMPARE(submitted.count(), 1);

        // The answer arrives late (and the window hands in the search's own results too).
        m_bar->setSuggestions(u"Berlin"_s, {kBerlin});
        QAbstractItemView *popup = m_bar->completer()->popup();
        QVERIFY2(!popup->isVisible(), "a late answer covers the result");

        // Typing again is asking again: then the list opens.
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Backspace);
        QVERIFY(asked.wait());
        m_bar->setSuggestions(u"Berli"_s, {kBerlin});
        QTRY_VERIFY(popup->isVisible());
    }

    void enterOnTheChosenLabelShowsThatPlace()
    {
        QSignalSpy asked(m_bar.get(), &SearchBar::suggestionsRequested);
        QSignalSpy chosen(m_bar.get(), &SearchBar::locationChosen);
        QSignalSpy submitted(m_bar.get(), &SearchBar::searchSubmitted);
        QTest::keyClicks(m_bar->lineEdit(), u"London"_s);
        QVERIFY(asked.wait());
        m_bar->setSuggestions(u"London"_s, {kLondonGb, kLondonCa});
        QAbstractItemView *popup = m_bar->completer()->popup();
        QTRY_VERIFY(popup->isVisible());
        popup->setCurrentIndex(m_bar->completer()->completionModel()->index(1, 0));
        QTest::keyClick(popup, Qt::Key_Return);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(m_bar->text(), u"London, Ontario, CA"_s);

        // Enter again on the text the bar put there: the same place, no search for the label.
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
        QCOMPARE(chosen.count(), 2);
        QCOMPARE(chosen.at(1).at(0).value<Location>(), kLondonCa);
    }

    void enterOnTheShownPlacesLabelShowsIt()
    {
        QSignalSpy chosen(m_bar.get(), &SearchBar::locationChosen);
        QSignalSpy submitted(m_bar.get(), &SearchBar::searchSubmitted);
        m_bar->setShownLocation(kLondonCa);
        QCOMPARE(m_bar->text(), u"London, Ontario, CA"_s);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).value<Location>(), kLondonCa);

        // Other text is a search.
        m_bar->lineEdit()->selectAll();
        QTest::keyClicks(m_bar->lineEdit(), u"London, Ontario"_s);
        QTest::keyClick(m_bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
    }

    void recentRowHoldsStillWhileInUse()
    {
        m_bar->lineEdit()->clearFocus(); // the field is not in use
        m_bar->setRecentLocations({kBerlin, kParis, kLondonGb});
        QCOMPARE(buttonText(0), u"Berlin"_s);
        QCOMPARE(buttonText(1), u"Paris"_s);

        // Paris was visited: it is the most recent now, but the buttons stay where they are.
        m_bar->setRecentLocations({kParis, kBerlin, kLondonGb});
        QCOMPARE(buttonText(0), u"Berlin"_s);
        QCOMPARE(buttonText(1), u"Paris"_s);

        // Back in the search field: the new order.
        m_bar->lineEdit()->setFocus();
        QTRY_COMPARE(buttonText(0), u"Paris"_s);
        QCOMPARE(buttonText(1), u"Berlin"_s);

        // A place not in the row yet shows at once.
        m_bar->lineEdit()->clearFocus();
        m_bar->setRecentLocations({kLondonCa, kParis, kBerlin, kLondonGb});
        QCOMPARE(m_bar->shownRecentLocations().first(), kLondonCa);
    }

private:
    QString buttonText(int i) const
    {
        auto *button = m_bar->findChild<QToolButton *>(u"recentButton%1"_s.arg(i));
        return button ? button->text() : u"<none>"_s;
    }

    std::unique_ptr<SearchBar> m_bar;
};

QTEST_MAIN(tst_SearchBar)
#include "tst_searchbar.moc"
