// SPDX-License-Identifier: MIT
#pragma once

#include "weather/units.h"

#include <QDialog>

#include <memory>

class QNetworkAccessManager;
class QCheckBox;
class Settings;
class WeatherProvider;

namespace Ui {
class PreferencesDialog;
}

/**
 * Provider, API key, units and cache lifetimes. OK writes them to Settings, whose changed()
 * signal applies them without a restart. "Test key" sends one real request through a provider
 * built from what is typed and shows the answer inline. The key is only ever shown as dots.
 * Settings and the network manager are borrowed.
 */
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    PreferencesDialog(Settings *settings, QNetworkAccessManager *network,
                      QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    QString keyTestResult() const;
    /** What the Units group shows now (not saved before OK). */
    UnitSet shownUnits() const { return selectedUnits(); }

public Q_SLOTS:
    void accept() override;
    void testKey();

Q_SIGNALS:
    void keyTestFinished(bool succeeded, const QString &message);

private:
    /** Picks the TLS CA file in a file dialog (opened, not run modally). */
    void browseTlsCaFile();
    /**
     * True when the shared-cache address is empty, unchanged or valid and the TLS CA file, when
     * changed, is a readable PEM certificate; else the note says why.
     */
    bool checkSharedCacheUrl();
    static QString sharedCacheNote();
    void load();
    void apply();
    /** The Desktop group: tray and notifications. */
    void loadDesktop();
    void applyDesktop();
    QString selectedProviderId() const;
    /** The Units group: a preset (Metric, Imperial, or Custom) and a unit per quantity. */
    void setUpUnits();
    void showUnits(const UnitSet &units);
    UnitSet selectedUnits() const;
    void updateKeyWidgets();
    void showKeyResult(bool succeeded, const QString &message);
    /** The result line alone (no test ran). */
    void showKeyLine(bool succeeded, const QString &message);
    /** False when the provider section cannot be saved as it is; the result line says why. */
    bool checkProvider();

    /** "Here" (issue 24): a Location box on the Desktop tab. */
    void setUpLocation();

    std::unique_ptr<Ui::PreferencesDialog> ui;
    Settings *m_settings;
    QCheckBox *m_locationCheck = nullptr;
    QString m_shownSharedCacheUrl; // as load() showed it: the password as "***"
    QNetworkAccessManager *m_network;
    std::unique_ptr<WeatherProvider> m_testProvider;
    int m_testGeneration = 0;
    QString m_rejectedKey; // the key the last test saw refused
    bool m_rejectedKeyWarned = false; // OK once more saves it anyway (a new key needs time)
};
