// SPDX-License-Identifier: MIT
#pragma once

#include "weather/currentconditions.h"
#include "weather/weatheralert.h"

#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>

class QAction;
class QMenu;
class QSystemTrayIcon;

/**
 * WeatherDash in the system tray: the shown place's temperature painted as the icon, a
 * tooltip with the place and the conditions, and a menu (the places, Refresh, Force Refresh,
 * Show/Hide, Quit). It only reports what the person picked; MainWindow::setTrayIcon() wires
 * it.
 *
 * Without a tray (no StatusNotifier host or XEmbed tray: QSystemTrayIcon::
 * isSystemTrayAvailable() is false, as under Xvfb), no icon is made and nothing is said:
 * isInTray() is false, the menu still exists (tests use it), showMessage() returns false.
 */
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    /** The sizes painted into the icon, each also at twice the pixels for HiDPI. */
    static constexpr int kSizes[] = {16, 22, 24, 32, 48};

    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    /** There is an icon in a tray. */
    bool isInTray() const;

    /** "21°", "-3°" ("0°", never "-0°"); "?" when unknown. */
    static QString temperatureText(const std::optional<double> &temperature);
    /**
     * `text` painted as large as fits on a transparent size × size (logical) pixmap at
     * `devicePixelRatio`: light glyphs with a dark outline, legible on light and dark panels.
     * A degree sign that would make the digits too small at this size is left out.
     */
    static QPixmap temperaturePixmap(const QString &text, int size, qreal devicePixelRatio,
                                     std::optional<WeatherAlert::Severity> badge = std::nullopt);
    /** All of kSizes at 1x and 2x; `badge`: a severe-weather alert's dot in its colour. */
    static QIcon temperatureIcon(const QString &text,
                                 std::optional<WeatherAlert::Severity> badge = std::nullopt);

    /** The icon and tooltip for the shown place; stale: the tooltip says it is old. */
    void showWeather(const QString &place, const CurrentConditions &conditions, bool stale);
    /**
     * The shown place's live alerts (issue 22): a badge in the worst one's colour on the icon
     * and a line each in the tooltip ("⚠ Severe: Gale warning"). Empty: none.
     */
    void setAlerts(const WeatherAlertList &alerts);
    int alertCount() const { return int(m_alertLines.size()); }
    /** The places menu: `names` in this order; picking one emits placeChosen(index). */
    void setPlaces(const QStringList &names);
    QStringList places() const { return m_places; }
    /**
     * The place on screen: the menu's place at `index` is checked (-1: none of them), and
     * Refresh and Force Refresh are enabled only while `anyShown`.
     */
    void setShownPlace(int index, bool anyShown);

    QMenu *menu() const { return m_menu.get(); }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const { return m_icon; }

    /** A passing bubble from the tray; false when there is no tray to show it. */
    bool showMessage(const QString &title, const QString &body);

Q_SIGNALS:
    void placeChosen(int index);
    void refreshRequested();
    void forceRefreshRequested();
    void toggleWindowRequested();
    void quitRequested();

private:
    void rebuildMenu();

    std::unique_ptr<QMenu> m_menu; // a QMenu has no QObject parent but a widget one
    QSystemTrayIcon *m_tray = nullptr; // a child; null without a tray
    QStringList m_places;
    int m_shownIndex = -1;
    bool m_anyShown = true;
    void apply();

    QString m_toolTip;
    QIcon m_icon;
    QString m_temperature; // what the icon says; empty before the first weather
    QStringList m_weatherLines; // the tooltip's, before the alerts'
    QStringList m_alertLines;
    std::optional<WeatherAlert::Severity> m_badge;
};
