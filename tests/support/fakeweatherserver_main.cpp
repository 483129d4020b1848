// SPDX-License-Identifier: MIT
// A stand-alone FakeWeatherServer for scripts (scripts/screenshot.sh): it listens on
// 127.0.0.1, prints its base URL on the first line of stdout and serves until killed, with the
// current hour as its time.
// FAKEWEATHER_EXTRA_CITY adds one more place with that name (a hostile one, say), found by
// typing FAKEWEATHER_EXTRA_ALIAS ("Evilton" unless set). FAKEWEATHER_ALERT=1 adds a weather alert.

#include "fakeweatherserver.h"

#include <QCoreApplication>
#include <QDateTime>
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
    // A live app reads the answers against the real clock: the forecast starts today, the
    // hourly forecast at this hour (the test servers stay at their fixed mid-June noon).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    server.setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    // FAKEWEATHER_ALERT=1: a live severe gale warning over Berlin (issue 22), for screenshots.
    if (qEnvironmentVariableIntValue("FAKEWEATHER_ALERT") == 1) {
        FakeAlertServer::Spec gale;
        gale.identifier = QStringLiteral("fake-gale-berlin");
        gale.severity = QStringLiteral("Severe");
        gale.onset = now.addSecs(-3600);
        gale.expires = now.addSecs(6 * 3600);
        server.alerts().add(QStringLiteral("fake-gale"), FakeAlertServer::message(gale));
    }
    QTextStream out(stdout);
    out << server.baseUrl().toString() << Qt::endl;
    return app.exec();
}
