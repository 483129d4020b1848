// SPDX-License-Identifier: MIT
// WeatherDash, the desktop app: settings, network, disk tier and service, then the window.

#include "store/persistentstore.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"
#include "widgets/mainwindow.h"
#include "widgets/weathericons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>

#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"WeatherDash"_s);
    QApplication::setOrganizationName(u"WeatherDash"_s);
    QApplication::setApplicationVersion(QStringLiteral(WEATHERDASH_VERSION));
    QApplication::setDesktopFileName(u"weatherdash"_s);
    QApplication::setWindowIcon(WeatherIcons::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Current weather and forecast, with a live cache view."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption settingsOption(
        u"settings"_s, QApplication::translate("main", "Read and write settings in <file>."),
        u"file"_s);
    parser.addOption(settingsOption);
    parser.process(app);

    const std::unique_ptr<Settings> settings
        = parser.isSet(settingsOption) ? std::make_unique<Settings>(parser.value(settingsOption))
                                       : std::make_unique<Settings>();

    // Declared in this order so they are destroyed in reverse: the window before the service,
    // the service before the store and the network it borrows.
    QNetworkAccessManager network;
    PersistentStore store;
    const bool storeOpen = store.open(PersistentStore::defaultDirectory());
    WeatherService service(&network);
    service.setConfig(settings->serviceConfig());
    if (storeOpen)
        service.setStore(&store);

    MainWindow window(&service, settings.get(), &network);
    window.show();
    if (!storeOpen)
        window.showTransientMessage(
            QApplication::translate("main", "Weather is kept in memory only this time: %1")
                .arg(store.errorString()));
    else if (!store.warning().isEmpty())
        window.showTransientMessage(store.warning());

    return app.exec();
}
