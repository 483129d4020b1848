// SPDX-License-Identifier: MIT
// The Preferences dialog's shared-cache field: a password never shows, a bad address is
// refused with a sentence and saves nothing. Its provider section: OpenWeatherMap is never
// saved without a key, a key the test just saw rejected is not saved without a warning, and
// the test's result reads on a dark window. Its Units group: a preset and a unit per
// quantity.

#include "fakeweatherserver.h"
#include "weather/settings.h"
#include "weather/translations.h"
#include "widgets/preferencesdialog.h"
#include "widgets/themecolors.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMultiHash>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScopeGuard>
#include <QScreen>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
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

    void alertThresholdIsOffUntilChosen()
    {
        // Issue 22: off / extreme / severe / moderate / any, off by default.
        QCOMPARE(m_settings->alertThreshold(), QString());
        {
            PreferencesDialog dialog(m_settings.get(), &m_network);
            auto *combo = dialog.findChild<QComboBox *>(u"alertThresholdCombo"_s);
            QVERIFY(combo);
            QCOMPARE(combo->count(), 5);
            QCOMPARE(combo->currentData().toString(), QString());
            combo->setCurrentIndex(combo->findData(u"severe"_s));
            dialog.accept();
        }
        QCOMPARE(m_settings->alertThreshold(), u"severe"_s);
        {
            PreferencesDialog dialog(m_settings.get(), &m_network);
            auto *combo = dialog.findChild<QComboBox *>(u"alertThresholdCombo"_s);
            QCOMPARE(combo->currentData().toString(), u"severe"_s); // shown as saved
            combo->setCurrentIndex(combo->findData(u"any"_s));
            dialog.reject(); // Cancel keeps what was
        }
        QCOMPARE(m_settings->alertThreshold(), u"severe"_s);
        {
            PreferencesDialog dialog(m_settings.get(), &m_network);
            auto *combo = dialog.findChild<QComboBox *>(u"alertThresholdCombo"_s);
            combo->setCurrentIndex(0);
            dialog.accept();
        }
        QCOMPARE(m_settings->alertThreshold(), QString()); // off again
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

    void mnemonicsAreUniqueInEveryLanguage_data()
    {
        QTest::addColumn<QStringList>("languages");
        QTest::newRow("English") << QStringList{u"en-US"_s};
        QTest::newRow("German") << QStringList{u"de-DE"_s, u"de"_s};
    }

    void mnemonicsAreUniqueInEveryLanguage()
    {
        // Alt+T was both Temperature and Test key; German had T, S and R twice.
        QFETCH(QStringList, languages);
        Translations::install(QCoreApplication::instance(), languages);
        const auto restore = qScopeGuard(
            [] { Translations::install(QCoreApplication::instance(), {u"en-US"_s}); });
        PreferencesDialog dialog(m_settings.get(), &m_network);
        const QMultiHash<QChar, QString> keys = mnemonics(&dialog);
        QVERIFY2(keys.size() >= 14, qPrintable(QString::number(keys.size())));
        for (const QChar key : keys.uniqueKeys()) {
            const QStringList texts = keys.values(key);
            QVERIFY2(texts.size() == 1,
                     qPrintable(u"Alt+%1: %2"_s.arg(key.toUpper(), texts.join(u" | "_s))));
        }
        // Every mnemonic is shown: a label's & with a buddy, not a lone one.
        const auto labels = dialog.findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            if (label->text().contains(u'&') && !label->text().contains(u"&&"_s))
                QVERIFY2(label->buddy(), qPrintable(label->text()));
        }
        // And works: on each tab, Alt and a caption's letter moves to its field (the TLS
        // CA file's did not).
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        auto *tabs = dialog.findChild<QTabWidget *>();
        QVERIFY(tabs);
        int pressed = 0;
        for (int tab = 0; tab < tabs->count(); ++tab) {
            tabs->setCurrentIndex(tab);
            for (const QLabel *label : labels) {
                if (!label->buddy() || !label->isVisible() || !label->buddy()->isEnabled())
                    continue;
                const QKeySequence mnemonic = QKeySequence::mnemonic(label->text());
                if (mnemonic.isEmpty())
                    continue; // the cache group's captions have none (only a buddy)
                tabs->setFocus();
                QTest::keySequence(&dialog, mnemonic);
                QTRY_VERIFY2(label->buddy()->hasFocus(), qPrintable(label->text()));
                ++pressed;
            }
        }
        QVERIFY(pressed >= 8);
    }

    void tlsCaFieldHasAMnemonicAndABrowseButton()
    {
        QTemporaryDir dir;
        const QString pem = dir.filePath(u"ca.pem"_s);
        QFile file(pem);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *caption = dialog.findChild<QLabel *>(u"sharedCacheCaCaption"_s);
        auto *edit = dialog.findChild<QLineEdit *>(u"sharedCacheCaEdit"_s);
        QCOMPARE(caption->buddy(), edit);
        QVERIFY(caption->text().contains(u'&'));
        auto *browse = dialog.findChild<QPushButton *>(u"sharedCacheCaBrowseButton"_s);
        QVERIFY(browse);
        QCOMPARE(browse->text(), u"Br&owse…"_s);
        dialog.findChild<QTabWidget *>()->setCurrentWidget(
            dialog.findChild<QWidget *>(u"cacheTab"_s));
        QVERIFY(browse->isVisible());
        browse->click();
        // Opened without a nested event loop: the test goes on while it is open.
        QFileDialog *picker = nullptr;
        QTRY_VERIFY((picker = dialog.findChild<QFileDialog *>(u"tlsCaFileDialog"_s)));
        QCOMPARE(picker->fileMode(), QFileDialog::ExistingFile);
        Q_EMIT picker->fileSelected(pem);
        QCOMPARE(edit->text(), pem);
    }

    void fitsALaptopScreenWithTheKeyWarning()
    {
        // A 1366x768 laptop with a title bar and a top panel leaves about 700 px: the dialog
        // was 712 px tall and clipped the warning where it says "press OK again".
        FakeWeatherServer server;
        qputenv("WEATHERDASH_OPENWEATHERMAP_URL", server.baseUrl().toString().toUtf8());
        qunsetenv("OPENWEATHERMAP_API_KEY");
        const auto restore = qScopeGuard([] { qunsetenv("WEATHERDASH_OPENWEATHERMAP_URL"); });
        PreferencesDialog dialog(m_settings.get(), &m_network);
        dialog.show();
        QVERIFY(dialog.height() <= 700);
        chooseOpenWeatherMap(dialog);
        keyField(dialog)->setText(u"badkey123"_s);
        QSignalSpy tested(&dialog, &PreferencesDialog::keyTestFinished);
        dialog.testKey();
        QVERIFY(tested.wait());
        dialog.accept(); // the warning
        QVERIFY(dialog.isVisible());
        QLabel *line = resultLine(dialog);
        QVERIFY(line->text().contains(u"OK again"_s));
        QTRY_VERIFY(line->isVisible());
        dialog.adjustSize();
        QVERIFY2(dialog.sizeHint().height() <= 700,
                 qPrintable(QString::number(dialog.sizeHint().height())));
        QVERIFY2(dialog.height() <= 700, qPrintable(QString::number(dialog.height())));
        // Not clipped: the label has the height its text needs at its width.
        QTRY_VERIFY2(
            line->height() >= line->heightForWidth(line->width()),
            qPrintable(u"%1 < %2"_s.arg(line->height()).arg(line->heightForWidth(line->width()))));
    }

private:
    /** Every mnemonic a person can press: a label's (for its buddy), a button's, a tab's. */
    static QMultiHash<QChar, QString> mnemonics(QWidget *root)
    {
        QMultiHash<QChar, QString> keys;
        const auto add = [&keys](const QString &text) {
            for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                if (text.at(i) != u'&')
                    continue;
                if (text.at(i + 1) == u'&') { // "&&" is an ampersand
                    ++i;
                    continue;
                }
                keys.insert(text.at(i + 1).toLower(), text);
                return;
            }
        };
        const auto labels = root->findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            if (label->buddy())
                add(label->text());
        }
        const auto buttons = root->findChildren<QAbstractButton *>();
        for (const QAbstractButton *button : buttons)
            add(button->text());
        const auto groups = root->findChildren<QGroupBox *>();
        for (const QGroupBox *group : groups) {
            if (group->isCheckable())
                add(group->title());
        }
        const auto tabs = root->findChildren<QTabWidget *>();
        for (const QTabWidget *tab : tabs) {
            for (int i = 0; i < tab->count(); ++i)
                add(tab->tabText(i));
        }
        return keys;
    }

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
