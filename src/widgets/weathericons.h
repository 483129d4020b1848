// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QString>

/**
 * Weather icons by freedesktop name: the desktop's icon theme first, so the app looks at home,
 * else the app's own drawings in resources/icons (every condition, night forms included).
 */
namespace WeatherIcons {

/** "weather-few-clouds-night" -> theme icon or bundled fallback; unknown names get "?". */
QIcon icon(const QString &freedesktopName);
/** The bundled drawing only (tests, and where the theme's symbolic icons look wrong). */
QIcon bundledIcon(const QString &freedesktopName);
/** The application icon. */
QIcon appIcon();

} // namespace WeatherIcons
