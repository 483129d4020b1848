// SPDX-License-Identifier: MIT
// The Preferences dialog's shared-cache field: a password never shows, a bad address is
// refused with a sentence and saves nothing. Its provider section: OpenWeatherMap is never
// saved without a key, a key the test just saw rejected is not saved without a warning, and
// the test's result reads on a dark window. Its Units group: a preset and a unit per
// quantity.

#include "fakeweatherserver.h"
#include "weather/settings.h"
#include "widgets/preferencesdialog.h"
#include "widgets/themecolors.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSpinBox>
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

    void tlsCaFileIsCheckedAndSaved()
    {
        qunsetenv("WEATHERDASH_REDIS_TLS_CA");
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        auto *ca = dialog.findChild<QLineEdit *>(u"sharedCacheCaEdit"_s);
        auto *note = dialog.findChild<QLabel *>(u"sharedCacheNote"_s);
        QVERIFY(ca && note);
        field(dialog)->setText(u"rediss://cache.lan:6380/0"_s);

        // A path that is not there, then a file that holds no certificate: refused, unsaved.
        ca->setText(m_dir->filePath(u"missing.pem"_s));
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(note->text().contains(u"cannot be read"_s), qPrintable(note->text()));
        QFile notPem(m_dir->filePath(u"not.pem"_s));
        QVERIFY(notPem.open(QIODevice::WriteOnly));
        notPem.write("hello\n");
        notPem.close();
        ca->setText(notPem.fileName());
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(note->text().contains(u"no PEM certificate"_s), qPrintable(note->text()));
        QVERIFY(m_settings->sharedCacheUrl().isEmpty());
        QVERIFY(m_settings->sharedCacheTlsCaFile().isEmpty());

        // A real certificate: saved with the address, and shown again next time.
        QFile pem(QFINDTESTDATA("data/test-ca.pem"));
        QVERIFY(pem.exists());
        ca->setText(pem.fileName());
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->sharedCacheUrl(), u"rediss://cache.lan:6380/0"_s);
        QCOMPARE(m_settings->sharedCacheTlsCaFile(), pem.fileName());
        PreferencesDialog again(m_settings.get(), &m_network);
        QCOMPARE(again.findChild<QLineEdit *>(u"sharedCacheCaEdit"_s)->text(), pem.fileName());

        // The environment wins over the settings, and the field says so.
        qputenv("WEATHERDASH_REDIS_TLS_CA", "/etc/office-ca.pem");
        QCOMPARE(m_settings->sharedCacheTlsCaFile(), u"/etc/office-ca.pem"_s);
        PreferencesDialog withEnvironment(m_settings.get(), &m_network);
        QCOMPARE(withEnvironment.findChild<QLineEdit *>(u"sharedCacheCaEdit"_s)->placeholderText(),
                 u"Using WEATHERDASH_REDIS_TLS_CA"_s);
        qunsetenv("WEATHERDASH_REDIS_TLS_CA");
    }

    void desktopGroupShowsAndSavesTrayAndNotifications()
    {
        m_settings->setNotifyOutage(true);
        m_settings->setOutageMinutes(45);
        {
            PreferencesDialog dialog(m_settings.get(), &m_network);
            auto *outage = dialog.findChild<QCheckBox *>(u"notifyOutageCheck"_s);
            auto *minutes = dialog.findChild<QSpinBox *>(u"outageMinutesSpin"_s);
            auto *rain = dialog.findChild<QCheckBox *>(u"notifyRainCheck"_s);
            auto *tray = dialog.findChild<QCheckBox *>(u"keepInTrayCheck"_s);
            QVERIFY(outage && minutes && rain && tray);
            QVERIFY(outage->isChecked());
            QCOMPARE(minutes->value(), 45);
            QVERIFY(!rain->isChecked()); // off by default
            // No tray offscreen: the choice cannot be made, and the note says why.
            QVERIFY(!tray->isEnabled());
            QVERIFY(!dialog.findChild<QLabel *>(u"trayNote"_s)->isHidden());
            outage->setChecked(false);
            QVERIFY(!minutes->isEnabled()); // no minutes without the notice
            rain->setChecked(true);
            dialog.reject(); // Cancel keeps what was
        }
        QVERIFY(m_settings->notifyOutage());
        QVERIFY(!m_settings->notifyRain());
        {
            PreferencesDialog dialog(m_settings.get(), &m_network);
            dialog.findChild<QSpinBox *>(u"outageMinutesSpin"_s)->setValue(90);
            dialog.findChild<QCheckBox *>(u"notifyRainCheck"_s)->setChecked(true);
            dialog.accept();
        }
        QCOMPARE(m_settings->outageMinutes(), 90);
        QVERIFY(m_settings->notifyRain());
        QVERIFY(m_settings->notifyOutage());
        QVERIFY(!m_settings->keepInTray());
    }

    void openWeatherMapIsNotSavedWithoutAKey()
    {
        qunsetenv("OPENWEATHERMAP_API_KEY");
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        chooseOpenWeatherMap(dialog);
        dialog.accept();
        QVERIFY2(dialog.isVisible(), "OpenWeatherMap without a key was accepted");
        QCOMPARE(m_settings->providerId(), u"open-meteo"_s);
        QVERIFY2(resultLine(dialog)->text().contains(u"API key"_s),
                 qPrintable(resultLine(dialog)->text()));
        QVERIFY(resultLine(dialog)->isVisible());
    }

    void aKeyJustRejectedIsNotSavedSilently()
    {
        FakeWeatherServer server;
        qputenv("WEATHERDASH_OPENWEATHERMAP_URL", server.baseUrl().toString().toUtf8());
        qunsetenv("OPENWEATHERMAP_API_KEY");
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        chooseOpenWeatherMap(dialog);
        keyField(dialog)->setText(u"not-the-right-key"_s);
        QSignalSpy tested(&dialog, &PreferencesDialog::keyTestFinished);
        dialog.testKey();
        QVERIFY(tested.wait());
        QCOMPARE(tested.at(0).at(0).toBool(), false);

        dialog.accept();
        QVERIFY2(dialog.isVisible(), "a key just reported as rejected was accepted");
        QVERIFY(m_settings->storedApiKey().isEmpty());
        QCOMPARE(m_settings->providerId(), u"open-meteo"_s);
        QVERIFY2(resultLine(dialog)->text().contains(u"OK again"_s),
                 qPrintable(resultLine(dialog)->text()));

        // A new key can take hours to work: a second OK saves it, knowingly.
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->storedApiKey(), u"not-the-right-key"_s);

        // A key that works is saved at once.
        PreferencesDialog again(m_settings.get(), &m_network);
        again.show();
        keyField(again)->setText(server.validApiKey());
        QSignalSpy retested(&again, &PreferencesDialog::keyTestFinished);
        again.testKey();
        QVERIFY(retested.wait());
        QCOMPARE(retested.at(0).at(0).toBool(), true);
        again.accept();
        QCOMPARE(again.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->storedApiKey(), server.validApiKey());
        qunsetenv("WEATHERDASH_OPENWEATHERMAP_URL");
    }

    void keyResultReadsOnADarkWindow()
    {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.setPalette(dark);
        dialog.show();
        chooseOpenWeatherMap(dialog);
        dialog.accept(); // no key: the result line says so, in the failure colour
        QLabel *line = resultLine(dialog);
        QVERIFY(line->isVisible());
        const qreal ratio = ThemeColors::contrastRatio(line->palette().color(QPalette::WindowText),
                                                       line->palette().color(QPalette::Window));
        QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
    }

private:
    static void chooseOpenWeatherMap(QDialog &dialog)
    {
        auto *combo = dialog.findChild<QComboBox *>(u"providerCombo"_s);
        Q_ASSERT(combo);
        combo->setCurrentIndex(combo->findData(u"openweathermap"_s));
    }
    static QLineEdit *keyField(QDialog &dialog)
    {
        auto *edit = dialog.findChild<QLineEdit *>(u"apiKeyEdit"_s);
        Q_ASSERT(edit);
        return edit;
    }
    static QLabel *resultLine(QDialog &dialog)
    {
        auto *label = dialog.findChild<QLabel *>(u"keyResultLabel"_s);
        Q_ASSERT(label);
        return label;
    }

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
