# SPDX-License-Identifier: MIT
# CPack: `cpack -G DEB` in the build folder packs what `cmake --install` installs into
# weatherdash_<version>_<arch>.deb. dpkg-shlibdeps derives the Depends on the Qt libraries
# from the binaries; the plugins Qt loads at run time (dlopen, so no shlibdeps can see them)
# are named here. tests/packaging/test_deb.sh checks that every plugin the programs load is
# in a package the .deb depends on, and runs the CLI from the unpacked package.

set(CPACK_PACKAGE_NAME weatherdash)
set(CPACK_PACKAGE_VENDOR "The WeatherDash developers")
set(CPACK_PACKAGE_CONTACT "The WeatherDash developers <weatherdash@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop weather dashboard over an asynchronous TTL cache")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/weatherdash/weatherdash")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_INSTALL_DIRECTORY weatherdash)
set(CPACK_GENERATOR DEB)
# The binaries are built RelWithDebInfo; the package ships them without the debug sections.
set(CPACK_STRIP_FILES ON)
# Any build folder inside the source tree stays out of `cpack --config CPackSourceConfig.cmake`.
set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "\\\\.swp$")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The long description under the summary line; CPack indents it and turns the empty line into
# Debian's " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "WeatherDash shows the current weather and the forecast for any city, from
Open-Meteo (no account needed) or OpenWeatherMap with your own key. Every
answer goes through a cache in which each entry has its own time-to-live, in
memory and on disk; a panel shows the cache at work.

weatherdash-cli answers scripts and status bars from the same cache.")
# libQt6*.so.6 and libc/libstdc++ versions, from the ELF files themselves.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded with dlopen at run time:
#   libqt6sql6-sqlite  sqldrivers/libqsqlite.so, the disk cache (both programs)
#   libqt6svg6         imageformats/libqsvg.so and iconengines/libqsvgicon.so, the SVG icons
# The xcb platform plugin (platforms/libqxcb.so), the TLS backend (tls/libqopensslbackend.so)
# and the network-information plugins come with libqt6gui6 and libqt6network6, which the
# shlibdeps above already require. (Debian's qt6-qpa-plugins holds only the vnc platform and
# a touch input plugin, which WeatherDash does not use.)
set(WEATHERDASH_DEB_PLUGIN_PACKAGES libqt6sql6-sqlite)
if(WEATHERDASH_BUILD_GUI)
    list(APPEND WEATHERDASH_DEB_PLUGIN_PACKAGES libqt6svg6)
endif()
list(JOIN WEATHERDASH_DEB_PLUGIN_PACKAGES ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# Qt's own translations (the buttons of Qt's dialogs in German); WeatherDash's own are built in.
# "Here" (issue 24), opt-in: Qt's geoclue2 and nmea position plugins (dlopen) and the GeoClue
# service; without them "Use my location" says location is unavailable, nothing else changes.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "qt6-translations-l10n, libqt6positioning6-plugins, geoclue-2.0")

include(CPack)
