// SPDX-License-Identifier: MIT
// WeatherDash, the desktop app: settings, network, disk tier and service, then the window.

#include "cache/clockjumpdetector.h"
#include "store/persistentstore.h"
#include "store/redisurl.h"
#include "store/sharedcache.h"
#include "store/sqlitetier.h"
#include "weather/networkwatcher.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"
#include "widgets/mainwindow.h"
#include "widgets/weathericons.h"

#include <QApplication>
#include <QByteArrayView>
#include <QCommandLineParser>
#include <QNetworkAccessManager>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kAppId = u"io.github.weatherdash.WeatherDash"_s; // desktop file, metainfo, icon

struct Options
{
    QCommandLineOption settings{
        u"settings"_s, QCoreApplication::translate("main", "Read and write settings in <file>."),
        u"file"_s};
};

void describe(QCommandLineParser &parser, const Options &options)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Current weather and forecast, with a live cache view."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(options.settings);
}

void nameApplication()
{
    QCoreApplication::setApplicationName(u"WeatherDash"_s);
    QCoreApplication::setOrganizationName(u"WeatherDash"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WEATHERDASH_VERSION));
}

/** --help and --version only print: they must work without a display (over ssh, in a build). */
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "--")
            break;
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-?" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameApplication();
        QCommandLineParser parser;
        const Options options;
        describe(parser, options);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    nameApplication();
    QApplication::setDesktopFileName(kAppId);
    QApplication::setWindowIcon(WeatherIcons::appIcon());

    QCommandLineParser parser;
    const Options options;
    describe(parser, options);
    parser.process(app);

    const std::unique_ptr<Settings> settings
        = parser.isSet(options.settings)
              ? std::make_unique<Settings>(parser.value(options.settings))
              : std::make_unique<Settings>();

    // Declared in this order so they are destroyed in reverse: the window before the service,
    // the service before the disk tier and the network it borrows. The tier's destructor
    // hands its last writes to the disk.
    QNetworkAccessManager network;
    SqliteTier disk(PersistentStore::defaultDirectory());
    std::unique_ptr<SharedCache> shared; // made below, when one is set
    WeatherService service(&network);
    service.setConfig(settings->serviceConfig());
    disk.setPurgeHorizon(service.config().staleHorizonMs);
    service.addTier(&disk);
    // The machines' shared cache, when one is set: below the disk, so a local answer is
    // never slower for it, and what another machine fetched is not fetched again.
    QString sharedProblem;
    if (const QString url = settings->sharedCacheUrl(); !url.isEmpty()) {
        if (const auto parsed = RedisUrl::parse(url, &sharedProblem))
            shared = SharedCache::attach(&service, *parsed, settings->sharedCacheLeaseMs());
    }
    // Every request to the provider is noted on disk, so the app's panel counts the CLI's too.
    service.setRequestLogStore(&disk);
    service.warmUp(); // asynchronous: a request before it is done reads the disk itself

    MainWindow window(&service, settings.get(), &network);
    // A resume from suspend or a clock set by hand: what expired meanwhile is fetched now,
    // not up to a minute later. The network coming back: what failed is retried at once.
    ClockJumpDetector jumps(Clock::system());
    NetworkWatcher networkState;
    QObject::connect(&networkState, &NetworkWatcher::reachableChanged, window.session(),
                     &WeatherSession::setNetworkReachable);
    window.show();
    if (!sharedProblem.isEmpty())
        window.showTransientMessage(
            QApplication::translate("main", "No shared cache this time: %1").arg(sharedProblem));
    // Opening runs on the tier's thread; its verdict arrives while the window is up.
    disk.opened().then(&window, [&window](const TierResult<QString> &opened) {
        if (!opened.ok())
            window.showTransientMessage(
                QApplication::translate("main", "Weather is kept in memory only this time: %1")
                    .arg(opened.error));
        else if (!opened.value.isEmpty())
            window.showTransientMessage(opened.value);
    });

    return app.exec();
}
