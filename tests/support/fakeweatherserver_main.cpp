// SPDX-License-Identifier: MIT
// A stand-alone FakeWeatherServer for scripts (scripts/screenshot.sh): it listens on
// 127.0.0.1, prints its base URL on the first line of stdout and serves until killed.
// FAKEWEATHER_EXTRA_CITY adds one more place with that name (a hostile one, say), found by
// typing FAKEWEATHER_EXTRA_ALIAS ("Evilton" unless set).

#include "fakeweatherserver.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    FakeWeatherServer server;
    if (!server.isListening()) {
        QTextStream(stderr) << "fakeweatherserver: could not listen on 127.0.0.1\n";
        return 1;
    }
    if (const QString name = qEnvironmentVariable("FAKEWEATHER_EXTRA_CITY"); !name.isEmpty()) {
        FakeWeatherServer::City city = *server.city(QStringLiteral("Berlin"));
        city.name = name;
        city.alternateNames
            = {qEnvironmentVariable("FAKEWEATHER_EXTRA_ALIAS", QStringLiteral("Evilton"))};
        city.latitude = 10.5;
        city.longitude = 20.5;
        server.addCity(city);
    }
    QTextStream out(stdout);
    out << server.baseUrl().toString() << Qt::endl;
    return app.exec();
}
