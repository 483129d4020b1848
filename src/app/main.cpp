// SPDX-License-Identifier: MIT
// WeatherDash, the desktop app: settings, network, disk tier and service, then the window.

#include "cache/clockjumpdetector.h"
#include "desktop/alertnotifier.h"
#include "desktop/desktopnotifier.h"
#include "desktop/outagealert.h"
#include "desktop/rainalert.h"
#include "desktop/singleinstance.h"
#include "models/displaytext.h"
#include "position/heretracker.h"
#include "store/redisalertclaims.h"
#include "weather/alertformat.h"
#include "weather/alertservice.h"
#include "weather/networkwatcher.h"
#include "weather/settings.h"
#include "weather/translations.h"
#include "weather/weatherservice.h"
#include "weatherstack.h"
#include "widgets/mainwindow.h"
#include "widgets/trayicon.h"
#include "widgets/weathercard.h"
#include "widgets/weathericons.h"

#include <QApplication>
#include <QByteArrayView>
#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

const QString kAppId = u"io.github.weatherdash.WeatherDash"_s; // desktop file, metainfo, icon

struct Options
{
    QCommandLineOption settings{
        u"settings"_s, QCoreApplication::translate("main", "Read and write settings in <file>."),
        u"file"_s};
    QCommandLineOption newInstance{
        u"new-instance"_s, QCoreApplication::translate(
                               "main", "Open a window of its own even when WeatherDash is running "
                                       "(e.g. with --settings for a second profile).")};
};

void describe(QCommandLineParser &parser, const Options &options)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Current weather and forecast, with a live cache view."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(options.settings);
    parser.addOption(options.newInstance);
    parser.addPositionalArgument(
        u"city"_s,
        QCoreApplication::translate("main",
                                    "Show the weather for <city>; a WeatherDash already running "
                                    "shows it in its window."),
        u"[city]"_s);
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

/** VmRSS and VmHWM of this process in KiB, from /proc (-1 where there is none). */
std::pair<qint64, qint64> residentKib()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return {-1, -1};
    qint64 rss = -1;
    qint64 hwm = -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            rss = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        else if (line.startsWith("VmHWM:"))
            hwm = line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return {rss, hwm};
}

/** See Desktop::watchFirstWeatherFrame(). */
class FirstFrameWatch : public QObject
{
public:
    FirstFrameWatch(MainWindow *window, int quitAfterMs)
        : m_card(window->weatherCard())
        , m_quitAfterMs(qMax(0, quitAfterMs))
    {
        m_card->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_card && event->type() == QEvent::Paint && m_card->hasWeather()
            && !m_seen) {
            m_seen = true;
            // After this paint the frame goes to the screen in the same pass; say so after it.
            QTimer::singleShot(0, this, [this] {
                std::printf("first-weather-frame %lld\n",
                            qint64(QDateTime::currentMSecsSinceEpoch()));
                std::fflush(stdout);
                QTimer::singleShot(m_quitAfterMs, this, [] {
                    const auto [rss, hwm] = residentKib();
                    std::printf("resident-kib %lld peak-kib %lld\n", rss, hwm);
                    std::fflush(stdout);
                    QApplication::quit();
                });
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    WeatherCard *m_card;
    int m_quitAfterMs;
    bool m_seen = false;
};

/**
 * The running app, built once this process knows it is the one to show a window. Members in
 * this order so they are destroyed in reverse: the window before the weather stack (the
 * service, its tiers and the network; weatherstack.h), whose disk tier hands its last writes
 * to the disk as it goes.
 */
class Desktop
{
public:
    static constexpr int kPurgeAfterMs = 10'000;

    explicit Desktop(Settings *settings)
    {
        // The disk, then the machines' shared cache when one is set (weatherstack.h).
        QString sharedProblem;
        m_stack = std::make_unique<WeatherStack>([&] {
            auto options = WeatherStack::optionsFrom(*settings, &sharedProblem);
            // [start] The whole-file check waits for the first frame (startTheRest()).
            options.integrityCheck = SqliteTier::IntegrityCheck::WhenAsked;
            return options;
        }());
        WeatherService *service = m_stack->service();
        // Only what the window shows at start: the last place and the saved ones (the sidebar,
        // the tray). The rest is read from the tiers when asked for, so memory does not grow
        // with the disk or the shared cache. Asked before the window is built, so the disk
        // reads while it is. A request before it is done reads the tiers itself.
        service->warmUp(placesShownAtStart(*settings));
        // Severe-weather alerts, one more feed of every place (issue 22): before the window,
        // whose places ask for every feed as they are added.
        m_alerts = std::make_unique<AlertService>(m_stack->network(), service);
        service->setAlertService(m_alerts.get());
        m_sharedCache = WeatherStack::optionsFrom(*settings).sharedCache;

        m_window = std::make_unique<MainWindow>(service, settings, m_stack->network());
        MainWindow *window = m_window.get();
        // A resume from suspend or a clock set by hand: what expired meanwhile is fetched now,
        // not up to a minute later. (The network watcher comes after the first frame.)
        m_jumps = std::make_unique<ClockJumpDetector>(Clock::system());
        notifyOutages(settings);
        notifyRain(settings);
        notifyAlerts(settings);
        showWhenAnswered(window);
        afterFirstFrame(window, [this, window, settings] { startTheRest(window, settings); });
        if (!sharedProblem.isEmpty())
            window->showTransientMessage(
                QApplication::translate("main", "No shared cache this time: %1")
                    .arg(sharedProblem));
        // What expired beyond the stale horizon leaves the disk once the window is up (the
        // warm start reads by key and no longer purges as it lists).
        QTimer::singleShot(kPurgeAfterMs, window, [this] { m_stack->disk()->purge(); });
        // Opening runs on the tier's thread; its verdict arrives while the window is up.
        m_stack->disk()->opened().then(window, [window](const TierResult<QString> &opened) {
            if (!opened.ok())
                window->showTransientMessage(
                    QApplication::translate("main", "Weather is kept in memory only this time: %1")
                        .arg(opened.error));
            else if (!opened.value.isEmpty())
                window->showTransientMessage(opened.value);
        });
    }

    ~Desktop()
    {
        m_alertNotifier.reset();
        m_alertClaims.reset();
        m_outage.reset();
        m_notifier.reset();
        m_tray.reset();
        m_window.reset();
    }

    MainWindow *window() const { return m_window.get(); }

    /** A later launch asked for the window (and maybe a city): up front it comes. */
    void activate(const QString &city)
    {
        MainWindow *window = m_window.get();
        window->setWindowState(window->windowState() & ~Qt::WindowMinimized);
        window->show();
        window->raise();
        window->activateWindow();
        if (!city.isEmpty())
            window->searchAndShow(city);
    }

private:
    // [start] -------------------------------------------------------------------------------
    /**
     * What the first frame does not show, after it (about 20 % of the CPU before it): the
     * network-reachability plugin (GLib's monitor, D-Bus), the tray icon (its temperature
     * pixmap) and the store's whole-file check, which reads every page of the disk cache
     * (80 ms at 100,000 rows) and so made the start grow with it.
     */
    void startTheRest(MainWindow *window, Settings *settings)
    {
        // The network coming back: what failed is retried at once.
        m_networkState = std::make_unique<NetworkWatcher>();
        QObject::connect(m_networkState.get(), &NetworkWatcher::reachableChanged, window->session(),
                         &WeatherSession::setNetworkReachable);
        // In the tray when there is one; without, nothing changes (and nothing is said). It
        // takes the shown place's weather from the window.
        m_tray = std::make_unique<TrayIcon>();
        window->setTrayIcon(m_tray.get());
        // "Here" (issue 24): follows Settings::locationEnabled(); nothing asks where the
        // person is until they turn it on (the window's button, or Preferences).
        m_here = std::make_unique<HereTracker>(window->placeBook(), settings, m_stack->service(),
                                               m_stack->network());
        // A damaged page deep in the file is found here, on the disk's thread; the file is set
        // aside (never deleted) as at open, and the person is told the same way.
        m_stack->disk()->checkIntegrity().then(window, [window](
                                                           const TierResult<QString> &checked) {
            if (!checked.ok())
                window->showTransientMessage(
                    QApplication::translate("main", "Weather is kept in memory only this time: %1")
                        .arg(checked.error));
            else if (!checked.value.isEmpty())
                window->showTransientMessage(checked.value);
        });
    }

    /**
     * Runs `work` once, shortly after the first paint of the card with its first answers
     * (the frame is on screen by then; a "Loading…" frame on a slow disk does not count), or
     * after kAtTheLatestMs if there is none (hidden, minimised, a disk that never answers).
     */
    static void afterFirstFrame(MainWindow *window, std::function<void()> work)
    {
        static constexpr int kAfterPaintMs = 50; // a frame later: its flush goes first
        static constexpr int kAtTheLatestMs = 3000;
        class Watch : public QObject
        {
        public:
            Watch(MainWindow *window, std::function<void()> work)
                : QObject(window)
                , m_window(window)
                , m_work(std::move(work))
            {
                // The card: repainted when the answers come after a "Loading…" frame.
                window->weatherCard()->installEventFilter(this);
                QTimer::singleShot(kAtTheLatestMs, this, [this] { run(); });
            }

        protected:
            bool eventFilter(QObject *watched, QEvent *event) override
            {
                if (event->type() == QEvent::Paint && !m_painted && m_window->hasFirstAnswer()) {
                    m_painted = true;
                    QTimer::singleShot(kAfterPaintMs, this, [this] { run(); });
                }
                return QObject::eventFilter(watched, event);
            }

        private:
            void run()
            {
                if (const auto work = std::exchange(m_work, nullptr))
                    work();
                deleteLater();
            }
            MainWindow *m_window;
            std::function<void()> m_work;
            bool m_painted = false;
        };
        new Watch(window, std::move(work));
    }
    // -----------------------------------------------------------------------------------------

    /** The last place shown, then the saved ones: what the window asks for first. */
    static QList<Location> placesShownAtStart(const Settings &settings)
    {
        QList<Location> places;
        if (const Location last = settings.lastLocation(); last.isValid())
            places.append(last);
        for (const SavedPlace &saved : settings.savedPlaces())
            places.append(saved.location);
        return places;
    }

    /**
     * The window appears once the shown place's weather is on its card (the disk answers in
     * about a millisecond), so its first frame has it instead of a "Loading" placeholder. A
     * cache that has nothing for it, or a tier that is slow, costs at most kShowWithinMs.
     */
    void showWhenAnswered(MainWindow *window)
    {
        static constexpr int kShowWithinMs = 250;
        watchFirstWeatherFrame(window);
        if (window->hasFirstAnswer()) {
            window->show();
            return;
        }
        auto shown = std::make_shared<bool>(false);
        const auto show = [window, shown] {
            if (!std::exchange(*shown, true))
                window->show();
        };
        QObject::connect(window, &MainWindow::firstAnswerShown, window, show,
                         Qt::SingleShotConnection);
        QTimer::singleShot(kShowWithinMs, window, show);
    }

    /**
     * For start-up benchmarks (bench/bench_start.cpp): with WEATHERDASH_BENCH_FIRST_WEATHER set
     * to a number of milliseconds, the first paint of the card with a temperature prints
     * "first-weather-frame", then the process prints its memory and quits that much later.
     * Unset (as for everyone), nothing is watched.
     */
    void watchFirstWeatherFrame(MainWindow *window)
    {
        bool ok = false;
        const int quitAfterMs
            = qEnvironmentVariableIntValue("WEATHERDASH_BENCH_FIRST_WEATHER", &ok);
        if (!ok)
            return;
        m_firstFrameWatch = std::make_unique<FirstFrameWatch>(window, quitAfterMs);
    }

    /**
     * Refreshing that keeps failing is said once through the desktop's notifications (the
     * tray's bubble without them), when the settings ask for it.
     */
    void notifyOutages(Settings *settings)
    {
        m_notifier = std::make_unique<DesktopNotifier>();
        // [start] The tray comes after the first frame (startTheRest()).
        m_notifier->setFallback([this](const QString &title, const QString &body) {
            return m_tray && m_tray->showMessage(title, body);
        });
        m_outage = std::make_unique<OutageAlert>(Clock::system());
        const auto apply = [this, settings] {
            m_outage->setEnabled(settings->notifyOutage());
            m_outage->setThresholdMs(qint64(settings->outageMinutes()) * 60'000);
        };
        apply();
        QObject::connect(settings, &Settings::changed, m_outage.get(), apply);
        // places: the places are the PlaceBook's (one definition with the window and tray).
        PlaceBook *book = m_window->placeBook();
        QObject::connect(book, &PlaceBook::placeFailed, m_outage.get(),
                         [this, book](PlaceBook::PlaceId id, WeatherKey::Kind feed,
                                      const WeatherError &error, qint64 retryAt) {
                             if (!PlaceBook::isWeather(feed))
                                 return; // the alert server down, or the air quality or
                                         // nowcast failing, is no weather outage
                             // What waits for the person (an unknown place, a rejected key)
                             // is on screen already; what the session retries may last.
                             if (retryAt >= 0)
                                 m_outage->noteFailure(book->location(id).displayName(), error);
                         });
        QObject::connect(book, &PlaceBook::answered, m_outage.get(),
                         [this, book](PlaceBook::PlaceId id, WeatherKey::Kind feed) {
                             const auto answer = book->latest<CurrentConditions>(id, feed);
                             if (feed == WeatherKey::Kind::Current && answer && answer->ok()
                                 && answer->source != AnswerSource::Stale
                                 && !answer->error.isError())
                                 m_outage->noteSuccess();
                         });
        QObject::connect(m_outage.get(), &OutageAlert::outageLasted, m_notifier.get(),
                         &DesktopNotifier::notify);
    }

    /**
     * "Rain soon in Berlin": over each saved place's hourly answers as they come (the session
     * keeps every saved place current), once per rain spell; from the nowcast's quarter hours
     * where there is one (issue 23). Not from a stale answer: an old forecast's rain is no
     * reason to reach for an umbrella.
     */
    void notifyRain(Settings *settings)
    {
        // places: the saved places are the PlaceBook's; a spell is known by the place's label.
        PlaceBook *book = m_window->placeBook();
        QObject::connect(
            book, &PlaceBook::answered, m_notifier.get(),
            [this, settings, book](PlaceBook::PlaceId id, WeatherKey::Kind feed) {
                if ((feed != WeatherKey::Kind::Hourly && feed != WeatherKey::Kind::Nowcast)
                    || !book->isSaved(id) || !settings->notifyRain())
                    return;
                // The place's offset comes with each point, so the notice says its time too.
                QList<RainAlert::Point> series;
                const auto nowcast = book->latest<Nowcast>(id, WeatherKey::Kind::Nowcast);
                const auto hourly = book->latest<HourlyForecastList>(id, WeatherKey::Kind::Hourly);
                if (nowcast && nowcast->ok() && nowcast->source != AnswerSource::Stale)
                    series = RainAlert::fromNowcast(*nowcast->value);
                else if (hourly && hourly->ok() && hourly->source != AnswerSource::Stale)
                    series = RainAlert::fromHourly(*hourly->value);
                else
                    return;
                const QString name = DisplayText::plain(book->label(id));
                const QString before = m_rainNames.value(id, name);
                if (before != name)
                    m_rain.forget(before); // renamed
                m_rainNames.insert(id, name);
                if (const auto notice = m_rain.update(
                        name, series,
                        QDateTime::fromMSecsSinceEpoch(Clock::system()->now(), Qt::UTC)))
                    m_notifier->notify(notice->title, notice->body);
            });
        QObject::connect(book, &PlaceBook::placesChanged, m_notifier.get(), [this, book] {
            for (auto it = m_rainNames.begin(); it != m_rainNames.end();) {
                if (book->isSaved(it.key())) {
                    ++it;
                } else {
                    m_rain.forget(it.value());
                    it = m_rainNames.erase(it);
                }
            }
        });
    }

    /**
     * Severe-weather alerts as notifications (issue 22), when Preferences ▸ Desktop asks for
     * them: once per alert (once per person with the shared cache: a claim in Redis), "Show"
     * shows the place.
     */
    void notifyAlerts(Settings *settings)
    {
        m_alertNotifier = std::make_unique<AlertNotifier>(m_notifier.get(), Clock::system());
        const auto apply = [this, settings] {
            m_alertNotifier->setThreshold(
                AlertNotifier::thresholdFromSetting(settings->alertThreshold()));
        };
        apply();
        QObject::connect(settings, &Settings::changed, m_alertNotifier.get(), apply);
        if (m_sharedCache) {
            m_alertClaims = std::make_unique<RedisAlertClaims>(*m_sharedCache, Clock::system());
            m_alertNotifier->setClaim([this](const QString &id, qint64 ttl, QObject *context,
                                             std::function<void(bool)> answer) {
                m_alertClaims->claim(id, ttl, context, [answer](RedisAlertClaims::Claim c) {
                    answer(c != RedisAlertClaims::Claim::AlreadyTold);
                });
            });
        }
        PlaceBook *book = m_window->placeBook();
        QObject::connect(book, &PlaceBook::answered, m_alertNotifier.get(),
                         [this, book](PlaceBook::PlaceId id, WeatherKey::Kind feed) {
                             if (feed != WeatherKey::Kind::AlertList)
                                 return;
                             const auto alerts = book->liveAlerts(id);
                             if (!alerts)
                                 return;
                             const Location place = book->location(id);
                             m_alertNotifier->update(
                                 QString::number(id), DisplayText::plain(book->label(id)), *alerts,
                                 AlertFormat::placeZone(place.timezone, place.utcOffsetSeconds));
                         });
        QObject::connect(m_alertNotifier.get(), &AlertNotifier::showPlaceRequested, m_window.get(),
                         [this, book](const QString &placeId) {
                             const Location place = book->location(placeId.toInt());
                             if (!place.isValid())
                                 return;
                             m_window->showLocation(place);
                             activate({});
                         });
    }

    std::unique_ptr<WeatherStack> m_stack;
    std::unique_ptr<AlertService> m_alerts; // after the stack: it borrows its network
    std::optional<RedisUrl> m_sharedCache;
    std::unique_ptr<NetworkWatcher> m_networkState; // [start] after the first frame
    std::unique_ptr<ClockJumpDetector> m_jumps;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<HereTracker> m_here; // [start] after the first frame; before the window goes
    std::unique_ptr<TrayIcon> m_tray;
    std::unique_ptr<DesktopNotifier> m_notifier;
    std::unique_ptr<OutageAlert> m_outage;
    std::unique_ptr<RedisAlertClaims> m_alertClaims;
    std::unique_ptr<AlertNotifier> m_alertNotifier;
    RainAlert m_rain;
    QHash<PlaceBook::PlaceId, QString> m_rainNames; // places: the label each spell is known by
    std::unique_ptr<FirstFrameWatch> m_firstFrameWatch; // benchmarks only
};

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameApplication();
        Translations::install(&app);
        QCommandLineParser parser;
        const Options options;
        describe(parser, options);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    nameApplication();
    // The words, and the locale of the numbers and day names beside them: before any text is
    // made (the options' descriptions, the window).
    Translations::install(&app);
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
    const QString city = parser.positionalArguments().join(u' ').trimmed();

    std::unique_ptr<Desktop> desktop;
    const auto startDesktop = [&desktop, &settings, city] {
        desktop = std::make_unique<Desktop>(settings.get());
        if (!city.isEmpty())
            desktop->window()->searchAndShow(city);
    };
    if (parser.isSet(options.newInstance)) {
        startDesktop();
        return app.exec();
    }

    // One window per user and profile: a second launch hands its city to the first and
    // leaves. The answer comes through the event loop, within SingleInstance's timeout.
    SingleInstance instance(SingleInstance::serverName(settings->fileName()));
    QObject::connect(&instance, &SingleInstance::forwarded, &app, [] { QApplication::exit(0); });
    QObject::connect(&instance, &SingleInstance::becameFirst, &app, startDesktop);
    QObject::connect(&instance, &SingleInstance::unavailable, &app,
                     [startDesktop](const QString &why) {
                         qInfo("WeatherDash starts on its own: %s", qUtf8Printable(why));
                         startDesktop();
                     });
    QObject::connect(&instance, &SingleInstance::activationRequested, &app,
                     [&desktop](const QString &requested) {
                         if (desktop)
                             desktop->activate(requested);
                     });
    instance.start(city);
    const int code = app.exec();
    desktop.reset(); // the window and the service go while the application is still there
    return code;
}
