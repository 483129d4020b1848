// SPDX-License-Identifier: MIT
// Colours made from a palette read on it: text pairs at WCAG's 4.5:1, grid lines at the 3:1
// WCAG asks of graphics, in light, dark and black themes alike.

#include "widgets/themecolors.h"

#include <QTest>

class tst_ThemeColors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contrastFormula()
    {
        QCOMPARE(qRound(ThemeColors::contrastRatio(Qt::black, Qt::white)), 21);
        QCOMPARE(ThemeColors::contrastRatio(Qt::red, Qt::red), 1.0);
        // WCAG's own example: #777 on white is just under 4.5.
        const qreal grey = ThemeColors::contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white);
        QVERIFY2(grey > 4.4 && grey < 4.5, qPrintable(QString::number(grey)));
    }

    void readableInEveryTheme_data()
    {
        QTest::addColumn<QColor>("window");
        QTest::addColumn<QColor>("text");
        QTest::newRow("light") << QColor(0xef, 0xef, 0xef) << QColor(Qt::black);
        QTest::newRow("Fusion dark") << QColor(0x35, 0x35, 0x35) << QColor(Qt::white);
        QTest::newRow("black") << QColor(Qt::black) << QColor(0xdd, 0xdd, 0xdd);
        QTest::newRow("low-contrast theme") << QColor(0x50, 0x50, 0x50) << QColor(0xa0, 0xa0, 0xa0);
    }
    void readableInEveryTheme()
    {
        QFETCH(QColor, window);
        QFETCH(QColor, text);
        QPalette p;
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::Base, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Text, text);
        const auto check = [](const QColor &a, const QColor &b, qreal least, const char *what) {
            const qreal r = ThemeColors::contrastRatio(a, b);
            QVERIFY2(r >= least,
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(what)).arg(r)));
        };
        check(ThemeColors::secondaryText(p), window, 4.5, "secondary text");
        check(ThemeColors::secondaryText(p, QPalette::Base), window, 4.5, "secondary on base");
        const ThemeColors::Pair banner = ThemeColors::warningBanner(p);
        check(banner.text, banner.background, 4.5, "banner");
        check(ThemeColors::successText(p), window, 4.5, "success");
        check(ThemeColors::failureText(p), window, 4.5, "failure");
        check(ThemeColors::gridLine(p), window, 3.0, "grid");
        // Secondary is quieter than the text, not the same colour.
        QVERIFY(ThemeColors::secondaryText(p) != ThemeColors::mix(text, text, 0));
    }
};

QTEST_GUILESS_MAIN(tst_ThemeColors)
#include "tst_themecolors.moc"
