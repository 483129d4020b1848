// SPDX-License-Identifier: MIT
// weatherdash-cli: the weather for scripts and status bars, from the same cache as the app.
// The command line: clioptions.h; what is printed: clioutput.h; the run: clirun.h; the
// service and its tiers: weatherstack.h.
#include "clialerts.h" // issue 22: alerts
#include "clioptions.h"
#include "clioutput.h"
#include "clirun.h"
#include "position/herelocator.h" // "Here" (issue 24)
#include "position/positionsource.h"
#include "statuswatch.h"
#include "store/redisbudget.h" // the alert gate shares the office's budget
#include "store/redistier.h"
#include "weather/reversegeocoder.h"
#include "weather/translations.h"
#include "weatherstack.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSet>

#include <cstdio>
#include <cstdlib>
#include <memory>

#if defined(__SANITIZE_ADDRESS__)
#define WEATHERDASH_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEATHERDASH_LSAN 1
#endif
#endif
#ifdef WEATHERDASH_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using namespace Qt::StringLiterals;
using namespace Cli;

namespace {

/** Everything but the process exit: parse, run the event loop, tear down in order. */
int runCli(QCoreApplication &app, const CommandLine &commandLine)
{
    // The CLI says what went wrong with a tier (the disk, the shared cache) itself, in one
    // sentence; the developer logs say the same again with detail. QT_LOGGING_RULES (read after
    // this) can turn them back on.
    QLoggingCategory::setFilterRules(u"weatherdash.store.warning=false\n"
                                     "weatherdash.redis.warning=false\n"
                                     "weatherdash.cache.warning=false"_s);

    const std::variant<Options, int> parsed = parseOptions(commandLine);
    if (const int *exitCode = std::get_if<int>(&parsed))
        return *exitCode;
    const Options &options = std::get<Options>(parsed);

    // No warm start: a run asks for a few keys, and each is read from the disk when asked.
    // The stack's disk tier hands the writes of this run to the disk before the process leaves.
    WeatherStack stack(options.stack);
    WeatherService &service = *stack.service();
    SqliteTier &disk = *stack.disk();

    // A problem with the disk is said once, whether opening or a later write found it.
    auto said = std::make_shared<QSet<QString>>();
    const auto sayOnce = [said](const QString &message) {
        if (!message.isEmpty() && !said->contains(message)) {
            said->insert(message);
            complain(terminalSafe(message));
        }
    };
    sayOnce(options.sharedOff);
    disk.opened().then(&app, [sayOnce](const TierResult<QString> &opened) {
        sayOnce(opened.ok() ? opened.value : opened.error);
    });
    QObject::connect(&service, &WeatherService::storeWarning, &app, sayOnce);

    if (options.watch) {
        // --watch (issue 25): a status line now and at every renewal, until the bar ends it.
        StatusWatch watch(&service, &disk, stack.sharedTier(), Clock::system(),
                          options.cities.constFirst(), *options.statusFormat);
        QObject::connect(&watch, &StatusWatch::lineReady, &app, [](const QString &line) {
            out() << line << '\n';
            out().flush();
        });
        QObject::connect(&watch, &StatusWatch::problemOccurred, &app,
                         [city = options.cities.constFirst()](const QString &message) {
                             complain(echo(city) + u": "_s + terminalSafe(message));
                         });
        QObject::connect(&watch, &StatusWatch::finished, &app,
                         [](int exitCode) { QCoreApplication::exit(exitCode); });
        QMetaObject::invokeMethod(&watch, &StatusWatch::start, Qt::QueuedConnection);
        return app.exec();
    }

    Run run(&service, &disk, options.cities, options.json, options.force, options.stats,
            options.daily, options.hourly);
    if (options.statusFormat)
        run.setStatusFormat(*options.statusFormat);
    run.setAirQualityScale(options.airQualityScale);
    // --- "Here" (issue 24): asked only with --here; nothing touches GeoClue otherwise ---
    std::unique_ptr<PositionSource> position;
    std::unique_ptr<ReverseGeocoder> geocoder;
    std::unique_ptr<HereLocator> locator;
    if (options.here) {
        position = std::make_unique<PositionSource>();
        geocoder
            = std::make_unique<ReverseGeocoder>(stack.network(), service.layers(), Clock::system());
        geocoder->setLanguage(service.config().language);
        locator = std::make_unique<HereLocator>(position.get(), geocoder.get());
        run.setHere([&locator, seconds = options.hereTimeoutSeconds] {
            return locator->locateOnce(seconds * 1000).then([](const WeatherAnswer<Location> &a) {
                WeatherAnswer<QList<Location>> found{{}, a.error, a.source, a.ageMs};
                if (a.value)
                    found.value = QList<Location>{*a.value};
                return found;
            });
        });
    }
    CliAlerts alerts(stack.network(), &service); // issue 22: alerts beside the weather
    alerts.service()->setSharedBudget(stack.sharedBudget()); // one budget per office
    run.setAlerts(&alerts);
    QMetaObject::invokeMethod(&run, &Run::start, Qt::QueuedConnection);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // First of all: a secret on the command line leaves the argument memory that ps reads.
    const CommandLine commandLine = takeCommandLine(argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"WeatherDash"_s);
    QCoreApplication::setOrganizationName(u"WeatherDash"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(WEATHERDASH_VERSION));
    Translations::install(&app); // before the options are described: --help is translated too

    const int exitCode = runCli(app, commandLine);
    out().flush();
    err().flush();
    std::fflush(stdout);
    std::fflush(stderr);
    // Everything is printed, the settings and the disk cache are closed. A DNS lookup that the
    // request timeout gave up on may still block a resolver thread in getaddrinfo() (glibc's
    // own timeouts and retries: 90 s and more when the DNS server never answers), and Qt
    // waits for that thread when the application object goes. Nothing is left to do that is
    // worth that wait, so leave now. (A leak check still runs in sanitizer builds.)
#ifdef WEATHERDASH_LSAN
    __lsan_do_leak_check();
#endif
    std::_Exit(exitCode);
}
