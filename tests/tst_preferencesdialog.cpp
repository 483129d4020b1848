// SPDX-License-Identifier: MIT
// The Preferences dialog's shared-cache field: a password never shows, a bad address is
// refused with a sentence and saves nothing. Its Units group: a preset and a unit per quantity.

#include "weather/settings.h"
#include "widgets/preferencesdialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_PreferencesDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        qunsetenv("WEATHERDASH_REDIS_URL");
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    }

    void unitsPresetAndOneUnitPerQuantity()
    {
        PreferencesDialog dialog(m_settings.get(), &m_network);
        auto *preset = dialog.findChild<QComboBox *>(u"unitsCombo"_s);
        auto *wind = dialog.findChild<QComboBox *>(u"windUnitCombo"_s);
        auto *pressure = dialog.findChild<QComboBox *>(u"pressureUnitCombo"_s);
        QVERIFY(preset && wind && pressure);
        QCOMPARE(dialog.shownUnits(), UnitSet::metric());
        // Choosing Imperial (as the person would, from the keyboard) sets all four.
        preset->setFocus();
        QTest::keyClick(preset, Qt::Key_Down);
        QCOMPARE(dialog.shownUnits(), UnitSet::imperial());
        QCOMPARE(pressure->currentText(), u"Inches of mercury (inHg)"_s);
        // One quantity changed: the preset says Custom.
        wind->setFocus();
        QTest::keyClick(wind, Qt::Key_End);
        QCOMPARE(wind->currentText(), u"Beaufort scale (Bft)"_s);
        QCOMPARE(preset->currentText(), u"Custom"_s);
        dialog.accept();
        UnitSet expected = UnitSet::imperial();
        expected.windSpeed = WindSpeedUnit::Beaufort;
        QCOMPARE(m_settings->units(), expected);
        // And it comes back so.
        PreferencesDialog again(m_settings.get(), &m_network);
        QCOMPARE(again.shownUnits(), expected);
        QCOMPARE(again.findChild<QComboBox *>(u"unitsCombo"_s)->currentText(), u"Custom"_s);
    }

    void passwordIsNeverShownAndKeptUnlessEdited()
    {
        m_settings->setSharedCacheUrl(u"redis://alice:s3cret@10.0.0.5:6379/2"_s);
        PreferencesDialog dialog(m_settings.get(), &m_network);
        QLineEdit *edit = field(dialog);
        QVERIFY2(!edit->text().contains(u"s3cret"_s), qPrintable(edit->text()));
        QVERIFY2(edit->text().contains(u"10.0.0.5:6379"_s), qPrintable(edit->text()));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->sharedCacheUrl(), u"redis://alice:s3cret@10.0.0.5:6379/2"_s);
    }

    void badAddressIsRefusedWithASentence()
    {
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        QLineEdit *edit = field(dialog);
        edit->setText(u"redis://me:hunter2@host:notaport/0"_s);
        dialog.accept();
        QVERIFY2(dialog.isVisible(), "a bad address keeps the dialog open");
        auto *note = dialog.findChild<QLabel *>(u"sharedCacheNote"_s);
        QVERIFY(note);
        QVERIFY2(!note->text().contains(u"Takes effect"_s), qPrintable(note->text()));
        QVERIFY2(!note->text().contains(u"hunter2"_s), qPrintable(note->text()));
        QVERIFY(m_settings->sharedCacheUrl().isEmpty()); // nothing saved

        edit->setText(u"redis://127.0.0.1:6380/1"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->sharedCacheUrl(), u"redis://127.0.0.1:6380/1"_s);
    }

    void clearingTheFieldTurnsTheSharedCacheOff()
    {
        m_settings->setSharedCacheUrl(u"redis://127.0.0.1:6379/0"_s);
        PreferencesDialog dialog(m_settings.get(), &m_network);
        field(dialog)->clear();
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(m_settings->sharedCacheUrl().isEmpty());
    }

private:
    static QLineEdit *field(QDialog &dialog)
    {
        auto *edit = dialog.findChild<QLineEdit *>(u"sharedCacheEdit"_s);
        Q_ASSERT(edit);
        return edit;
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
};

QTEST_MAIN(tst_PreferencesDialog)
#include "tst_preferencesdialog.moc"
