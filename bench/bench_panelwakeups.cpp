// SPDX-License-Identifier: MIT
// What the cache panel costs while nobody looks at it: timer wake-ups and repaints per minute
// of real time, with the panel shown, hidden (dock closed) and its window minimised. The panel
// holds a few entries of a real WeatherService cache (no network: the values are set
// directly). The shown phase is the baseline of the same run; the hidden phases are reported
// as a fraction of it.
//
//   ./build/bench/bench_panelwakeups [--seconds S]     S seconds per phase (default 20)
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise (offscreen and Xvfb
// without a window manager do not unmap a minimised window; the panel's timers stop anyway).
// BENCH_VERBOSE=1 names every receiver of a timer or paint event on stderr.
#include "weather/location.h"
#include "weather/weatherservice.h"
#include "widgets/cachestatuspanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QNetworkAccessManager>
#include <QTimer>
#include <QTimerEvent>
#include <QVBoxLayout>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

/** Counts events delivered to the panel, its descendants and the timers it owns. */
class WakeCounter : public QObject
{
public:
    explicit WakeCounter(QObject *panel)
        : m_panel(panel)
    { }

    int timers = 0; ///< QEvent::Timer: one wake-up of the event loop each
    int allTimers = 0; ///< every QEvent::Timer in the process (the cache's own expiry too)
    int paints = 0; ///< QEvent::Paint
    qint64 paintedPixels = 0;
    const QObject *ignore = nullptr; ///< the bench's own phase timer

    void reset() { timers = allTimers = paints = 0, paintedPixels = 0; }

protected:
    bool eventFilter(QObject *receiver, QEvent *event) override
    {
        if (receiver == ignore)
            return false;
        if (event->type() == QEvent::Timer) {
            ++allTimers;
            timers += belongsToPanel(receiver);
            if (qEnvironmentVariableIsSet("BENCH_VERBOSE"))
                std::fprintf(stderr, "timer -> %s %s (id %d)\n",
                             receiver->metaObject()->className(),
                             qPrintable(receiver->objectName()),
                             static_cast<QTimerEvent *>(event)->timerId());
        }
        if (event->type() == QEvent::Paint && belongsToPanel(receiver)) {
            ++paints;
            if (qEnvironmentVariableIsSet("BENCH_VERBOSE"))
                std::fprintf(stderr, "paint -> %s %s\n", receiver->metaObject()->className(),
                             qPrintable(receiver->objectName()));
            if (auto *w = qobject_cast<QWidget *>(receiver))
                paintedPixels += qint64(w->width()) * w->height();
        }
        return false;
    }

private:
    bool belongsToPanel(const QObject *o) const
    {
        for (; o; o = o->parent()) {
            if (o == m_panel)
                return true;
        }
        return false;
    }

    QObject *m_panel;
};

struct Phase
{
    const char *name;
    int timers;
    int allTimers;
    int paints;
    qint64 pixels;
    double seconds;
};

void spinFor(int ms, WakeCounter &counter)
{
    QTimer stop;
    stop.setSingleShot(true);
    counter.ignore = &stop;
    bool done = false;
    QObject::connect(&stop, &QTimer::timeout, [&done] { done = true; });
    stop.start(ms);
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 1000);
}

/** Counts for `seconds`, after two uncounted seconds for the one-off work of the change. */
Phase run(const char *name, int seconds, WakeCounter &counter)
{
    spinFor(2000, counter);
    counter.reset();
    QElapsedTimer elapsed;
    elapsed.start();
    spinFor(seconds * 1000, counter);
    return {name,           counter.timers,        counter.allTimers,
            counter.paints, counter.paintedPixels, double(elapsed.elapsed()) / 1000.0};
}

void print(const Phase &p, const Phase &baseline)
{
    const double perMinute = 60.0 / p.seconds;
    std::printf("%-10s %7.1f panel timer wake-ups/min (%5.1f %% of shown), %7.1f in the process;"
                " %6.1f paints/min, %10.0f px painted/min\n",
                p.name, p.timers * perMinute,
                baseline.timers ? 100.0 * p.timers / baseline.timers : 0.0, p.allTimers * perMinute,
                p.paints * perMinute, double(p.pixels) * perMinute);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int seconds = 20;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = qMax(1, std::atoi(argv[++i]));
    }

    QNetworkAccessManager network;
    WeatherService service(&network);
    const char *cities[] = {"Berlin", "London", "Paris", "Oslo", "Rome"};
    double lat = 40.0;
    for (const char *city : cities) {
        Location l;
        l.name = QString::fromLatin1(city);
        l.latitude = lat;
        l.longitude = lat / 3.0;
        lat += 1.5;
        service.cache()->set(service.currentKey(l), WeatherPayload(CurrentConditions{}),
                             10 * 60'000);
        service.cache()->set(service.forecastKey(l), WeatherPayload(DailyForecastList{}),
                             60 * 60'000);
    }

    QWidget window; // stands in for the main window that docks the panel
    window.resize(460, 720);
    auto *layout = new QVBoxLayout(&window);
    auto *panel = new CacheStatusPanel(&window);
    layout->addWidget(panel);
    panel->setService(&service);

    WakeCounter counter(panel);
    app.installEventFilter(&counter);

    window.show();
    const Phase shown = run("shown", seconds, counter);
    panel->hide();
    const Phase hidden = run("hidden", seconds, counter);
    panel->show();
    window.showMinimized();
    const Phase minimised = run("minimised", seconds, counter);

    std::printf("cache panel, %d s per phase, %s platform\n", seconds,
                qPrintable(QGuiApplication::platformName()));
    print(shown, shown);
    print(hidden, shown);
    print(minimised, shown);
    return 0;
}
