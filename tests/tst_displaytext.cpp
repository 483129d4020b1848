// SPDX-License-Identifier: MIT
#include "models/displaytext.h"

#include <QKeySequence>
#include <QStandardPaths>
#include <QTest>

#include "showntooltip.h"
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace {
const QString kHostile
    = u"<span style=\"color:red;font-size:30px\">EVIL<br>Your key expired: visit "
      u"example.invalid</span>"_s;
} // namespace

class tst_DisplayText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void plain_data()
    {
        QTest::addColumn<QString>("outside");
        QTest::addColumn<QString>("shown");
        QTest::newRow("ordinary name") << u"São Paulo, SP, BR"_s << u"São Paulo, SP, BR"_s;
        QTest::newRow("markup stays characters") << kHostile << kHostile;
        QTest::newRow("entities stay characters") << u"Fish &amp; Chips"_s << u"Fish &amp; Chips"_s;
        QTest::newRow("right-to-left override") << u"Evil\u202Etxt.exe"_s << u"Eviltxt.exe"_s;
        QTest::newRow("every bidi embedding, override and isolate")
            << u"a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j"_s
            << u"abcdefghij"_s;
        QTest::newRow("terminal title sequence")
            << u"Berlin\u001B]0;pwned\u0007"_s << u"Berlin]0;pwned"_s;
        QTest::newRow("C1 control sequence introducer") << u"Ber\u009B2Jlin"_s << u"Ber2Jlin"_s;
        QTest::newRow("NUL and DEL") << u"Ber\u0000lin\u007F"_s << u"Berlin"_s;
        QTest::newRow("line breaks become spaces")
            << u"EVIL\nYour key expired\r\nvisit\u2028example\u2029invalid\u0085!"_s
            << u"EVIL Your key expired  visit example invalid !"_s;
        QTest::newRow("tab becomes a space") << u"Tab\tCity"_s << u"Tab City"_s;
        // What right-to-left names need is kept: the letters and the plain direction marks.
        QTest::newRow("Hebrew with a right-to-left mark")
            << u"\u05EA\u05DC \u05D0\u05D1\u05D9\u05D1\u200F"_s
            << u"\u05EA\u05DC \u05D0\u05D1\u05D9\u05D1\u200F"_s;
        QTest::newRow("characters outside the BMP")
            << u"Sun \U0001F31E city"_s << u"Sun \U0001F31E city"_s;
        QTest::newRow("empty") << QString() << QString();
    }
    void plain()
    {
        QFETCH(QString, outside);
        QFETCH(QString, shown);
        QCOMPARE(DisplayText::plain(outside), shown);
    }

    void mnemonicSafeShowsTheAmpersand()
    {
        const QString text = DisplayText::mnemonicSafe(u"Fish & Chips &Co"_s);
        QCOMPARE(text, u"Fish && Chips &&Co"_s);
        // A button or menu item with this text grabs no Alt+C.
        QVERIFY(QKeySequence::mnemonic(text).isEmpty());
        QVERIFY(!QKeySequence::mnemonic(u"Fish & Chips &Co"_s).isEmpty());
    }

    void htmlEscapes()
    {
        QTextDocument document;
        document.setHtml(u"<b>"_s + DisplayText::html(kHostile + u"\u202E"_s) + u"</b>"_s);
        QCOMPARE(document.toPlainText(), kHostile);
    }

    void toolTipShowsTextLiterally_data()
    {
        QTest::addColumn<QStringList>("lines");
        QTest::addColumn<QString>("shown");
        QTest::newRow("markup") << QStringList{kHostile} << kHostile;
        QTest::newRow("entity") << QStringList{u"Fish &amp; Chips"_s} << u"Fish &amp; Chips"_s;
        QTest::newRow("a tag Qt::mightBeRichText sees")
            << QStringList{u"<b>bold</b> city"_s} << u"<b>bold</b> city"_s;
        QTest::newRow("plain words")
            << QStringList{u"Berlin · forecast"_s} << u"Berlin · forecast"_s;
        QTest::newRow("runs of spaces kept") << QStringList{u"two  spaces"_s} << u"two  spaces"_s;
        QTest::newRow("controls stripped")
            << QStringList{u"Evil\u202E\u001B[31mred\n"_s} << u"Evil[31mred "_s;
        // Our own lines stay lines.
        QTest::newRow("several lines")
            << QStringList{u"<i>A</i> · forecast"_s, u"Lives 1 h in total"_s}
            << u"<i>A</i> · forecast\nLives 1 h in total"_s;
    }
    void toolTipShowsTextLiterally()
    {
        QFETCH(QStringList, lines);
        QFETCH(QString, shown);
        QCOMPARE(shownToolTip(DisplayText::toolTip(lines)), shown);
    }

    void rawTextInATooltipWouldBeMarkup()
    {
        // Why toolTip() exists: the same name as a tooltip of its own is painted, not shown.
        QCOMPARE(shownToolTip(kHostile), u"EVIL\nYour key expired: visit example.invalid"_s);
    }

    void emptyToolTipIsNoToolTip()
    {
        QVERIFY(DisplayText::toolTip(QString()).isEmpty());
        QVERIFY(DisplayText::toolTip(QStringList()).isEmpty());
    }
};

QTEST_MAIN(tst_DisplayText)
#include "tst_displaytext.moc"
