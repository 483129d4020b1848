// SPDX-License-Identifier: MIT
#include "weathericons.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>

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

/*
 * Every QIcon made from an SVG file parses the file (Qt 6.4's SVG icon engine checks the
 * document when the file is added), and the delegates ask for an icon each time they paint a
 * row: the days strip, the hourly chart and the places list parsed the same few drawings dozens
 * of times before the first frame (a quarter of the first frame's icon cost, `perf` of a whole
 * start). One icon per name is made once and shared; a QIcon copy is a reference, and the icon
 * engine's own pixmap cache then serves every later paint at the same size. A theme icon
 * follows a change of theme by itself (Qt's loader engine checks the theme on use).
 *
 * GUI thread only, as QIcon itself. Emptied by a post routine, inside QCoreApplication's
 * destructor, while the SVG plugin that drew them is still loaded.
 */
using IconCache = QHash<QString, QIcon>;

static IconCache &iconCache(int which)
{
    static IconCache caches[3];
    static const bool cleared = [] {
        qAddPostRoutine([] {
            for (IconCache &cache : caches)
                cache.clear();
        });
        return true;
    }();
    Q_UNUSED(cleared);
    return caches[which];
}

template<typename Make>
static QIcon cached(int which, const QString &name, Make make)
{
    IconCache &cache = iconCache(which);
    if (const auto it = cache.constFind(name); it != cache.cend())
        return *it;
    return *cache.insert(name, make());
}

namespace WeatherIcons {

QIcon bundledIcon(const QString &freedesktopName)
{
    return cached(0, freedesktopName, [&freedesktopName] {
        ensureResources();
        const QString path = u":/icons/"_s + freedesktopName + u".svg"_s;
        if (QFile::exists(path))
            return QIcon(path);
        return QIcon(u":/icons/weather-unknown.svg"_s);
    });
}

QIcon icon(const QString &freedesktopName)
{
    return cached(1, freedesktopName, [&freedesktopName] {
        return QIcon::fromTheme(freedesktopName, bundledIcon(freedesktopName));
    });
}

QIcon appIcon()
{
    // The installed icon is named after the application id (packaging/).
    const QString id = u"io.github.weatherdash.WeatherDash"_s;
    return cached(2, id, [&id] {
        ensureResources();
        return QIcon::fromTheme(id, QIcon(u":/icons/weatherdash.svg"_s));
    });
}

} // namespace WeatherIcons
