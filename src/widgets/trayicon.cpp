// SPDX-License-Identifier: MIT
#include "trayicon.h"

#include "alertband.h"
#include "weathericons.h"

#include "models/displaytext.h"
#include "weather/displayescape.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSystemTrayIcon>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/** Below this share of the icon's height the digits are hard to read: drop the "°". */
constexpr qreal kMinGlyphHeightShare = 0.55;

/** The text's outline path, scaled and centred to fit `side` with `margin` all round. */
QPainterPath fitted(const QString &text, const QFont &font, int side, qreal margin)
{
    QPainterPath path;
    path.addText(0, 0, font, text);
    const QRectF box = path.boundingRect();
    if (box.isEmpty())
        return path;
    const qreal room = side - 2 * margin;
    const qreal scale = std::min(room / box.width(), room / box.height());
    QTransform t;
    t.translate(side / 2.0, side / 2.0);
    t.scale(scale, scale);
    t.translate(-box.center().x(), -box.center().y());
    return t.map(path);
}

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_menu(std::make_unique<QMenu>())
    , m_icon(WeatherIcons::appIcon())
{
    m_toolTip = QApplication::applicationDisplayName();
    rebuildMenu();
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return; // quietly: the window is all there is
    m_tray = new QSystemTrayIcon(m_icon, this);
    m_tray->setToolTip(m_toolTip);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    Q_EMIT toggleWindowRequested();
            });
    m_tray->show();
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::isInTray() const
{
    return m_tray && m_tray->isVisible();
}

QString TrayIcon::temperatureText(const std::optional<double> &temperature)
{
    if (!temperature || !std::isfinite(*temperature))
        return u"?"_s;
    // The card's rounding: the icon and the card never disagree by a degree.
    return QString::number(roundedTemperature(*temperature)) + u'°';
}

QPixmap TrayIcon::temperaturePixmap(const QString &text, int size, qreal devicePixelRatio,
                                    std::optional<WeatherAlert::Severity> badge)
{
    const int side = std::max(1, int(std::lround(size * devicePixelRatio)));
    QPixmap pixmap(side, side);
    pixmap.fill(Qt::transparent);

    QFont font = QApplication::font();
    font.setBold(true);
    font.setPixelSize(64); // the path is scaled to fit; a large size keeps its shape exact
    const qreal outline = std::max(1.0, side / 14.0);
    QPainterPath path = fitted(text, font, side, outline + 1.0);
    if (text.endsWith(u'°') && path.boundingRect().height() < side * kMinGlyphHeightShare)
        path = fitted(text.chopped(1), font, side, outline + 1.0);

    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    // Dark outline under light glyphs: readable on a light panel and a dark one.
    p.strokePath(path, QPen(QColor(0x20, 0x20, 0x20), 2 * outline, Qt::SolidLine, Qt::RoundCap,
                            Qt::RoundJoin));
    p.fillPath(path, QColor(0xff, 0xff, 0xff));
    if (badge) {
        // A dot in the alert's colour in the top right corner, outlined like the glyphs.
        const qreal d = side * 0.42;
        const QRectF dot(side - d - outline / 2, outline / 2, d, d);
        p.setPen(QPen(QColor(0x20, 0x20, 0x20), outline));
        p.setBrush(AlertBand::background(*badge));
        p.drawEllipse(dot);
    }
    p.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

QIcon TrayIcon::temperatureIcon(const QString &text, std::optional<WeatherAlert::Severity> badge)
{
    QIcon icon;
    for (const int size : kSizes) {
        icon.addPixmap(temperaturePixmap(text, size, 1.0, badge));
        icon.addPixmap(temperaturePixmap(text, size, 2.0, badge));
    }
    return icon;
}

void TrayIcon::showWeather(const QString &place, const CurrentConditions &conditions, bool stale)
{
    m_temperature = temperatureText(conditions.temperature);
    // One rounding and one formatter with the icon and the card: 21.5 is "22 °C" in all three.
    const QString temperature
        = conditions.temperature
              ? ::temperatureText(conditions.temperature, conditions.units.temperature)
              : tr("unknown temperature");
    // Hosts show a tray tooltip as rich text (Qt's own, and StatusNotifier hosts such as
    // Plasma): the place and the description are the provider's text, never markup.
    QStringList lines{tr("%1: %2, %3").arg(place, temperature, conditions.description)};
    if (stale)
        lines << tr("Not updated: the last weather WeatherDash could get.");
    m_weatherLines = lines;
    apply();
}

void TrayIcon::setAlerts(const WeatherAlertList &alerts)
{
    QStringList lines;
    std::optional<WeatherAlert::Severity> worst;
    for (const WeatherAlert &alert : alerts) {
        //: The tray tooltip's line per alert: "⚠ Severe: Gale warning"
        lines << tr("⚠ %1: %2")
                     .arg(WeatherAlert::severityText(alert.severity),
                          DisplayText::plain(alert.event.isEmpty() ? alert.headline : alert.event));
        worst = worst ? std::max(*worst, alert.severity) : alert.severity;
    }
    if (lines == m_alertLines && worst == m_badge)
        return;
    m_alertLines = lines;
    m_badge = worst;
    apply();
}

void TrayIcon::apply()
{
    if (m_temperature.isEmpty() && m_alertLines.isEmpty())
        return; // no weather yet: the application's icon stays
    m_icon = temperatureIcon(m_temperature.isEmpty() ? u"?"_s : m_temperature, m_badge);
    m_toolTip = DisplayText::toolTip(m_weatherLines + m_alertLines);
    if (m_tray) {
        m_tray->setIcon(m_icon);
        m_tray->setToolTip(m_toolTip);
    }
}

void TrayIcon::setPlaces(const QStringList &names)
{
    if (names == m_places)
        return;
    m_places = names;
    rebuildMenu();
}

void TrayIcon::setShownPlace(int index, bool anyShown)
{
    if (index == m_shownIndex && anyShown == m_anyShown)
        return;
    m_shownIndex = index;
    m_anyShown = anyShown;
    rebuildMenu();
}

bool TrayIcon::showMessage(const QString &title, const QString &body)
{
    if (!isInTray() || !QSystemTrayIcon::supportsMessages())
        return false;
    m_tray->showMessage(title, body, m_icon);
    return true;
}

void TrayIcon::rebuildMenu()
{
    m_menu->clear();
    for (qsizetype i = 0; i < m_places.size(); ++i) {
        // A name is text, not a mnemonic: "&" stays an ampersand.
        QAction *place = m_menu->addAction(DisplayEscape::menuText(m_places.at(i)));
        // The place on screen is marked, as in the Places list.
        place->setCheckable(true);
        place->setChecked(i == m_shownIndex);
        connect(place, &QAction::triggered, this, [this, i] { Q_EMIT placeChosen(int(i)); });
    }
    if (!m_places.isEmpty())
        m_menu->addSeparator();
    QAction *refresh = m_menu->addAction(tr("&Refresh"));
    QAction *force = m_menu->addAction(tr("&Force Refresh"));
    refresh->setEnabled(m_anyShown); // nothing on screen: nothing to refresh
    force->setEnabled(m_anyShown);
    connect(refresh, &QAction::triggered, this, &TrayIcon::refreshRequested);
    connect(force, &QAction::triggered, this, &TrayIcon::forceRefreshRequested);
    connect(m_menu->addAction(tr("&Show/Hide Window")), &QAction::triggered, this,
            &TrayIcon::toggleWindowRequested);
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("&Quit")), &QAction::triggered, this, &TrayIcon::quitRequested);
}
