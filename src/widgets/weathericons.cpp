// SPDX-License-Identifier: MIT
#include "weathericons.h"

#include <QFile>

using namespace Qt::StringLiterals;

// Q_INIT_RESOURCE cannot be used inside a namespace, and a static library's resources are not
// registered unless someone asks.
static void ensureResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(weatherdash);
        return true;
    }();
    Q_UNUSED(done);
}

namespace WeatherIcons {

QIcon bundledIcon(const QString &freedesktopName)
{
    ensureResources();
    const QString path = u":/icons/"_s + freedesktopName + u".svg"_s;
    if (QFile::exists(path))
        return QIcon(path);
    return QIcon(u":/icons/weather-unknown.svg"_s);
}

QIcon icon(const QString &freedesktopName)
{
    return QIcon::fromTheme(freedesktopName, bundledIcon(freedesktopName));
}

QIcon appIcon()
{
    ensureResources();
    // The installed icon is named after the application id (packaging/).
    return QIcon::fromTheme(u"io.github.weatherdash.WeatherDash"_s,
                            QIcon(u":/icons/weatherdash.svg"_s));
}

} // namespace WeatherIcons
