// SPDX-License-Identifier: MIT
// A stand-alone FakeWeatherServer for scripts (scripts/screenshot.sh): it listens on
// 127.0.0.1, prints its base URL on the first line of stdout and serves until killed.

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
    QTextStream out(stdout);
    out << server.baseUrl().toString() << Qt::endl;
    return app.exec();
}
