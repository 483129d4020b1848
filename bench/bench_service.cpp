// SPDX-License-Identifier: MIT
// The weather pipeline end to end, through the real QNetworkAccessManager against the local
// fake provider (on its own thread, so its work does not count as our event-loop stalls):
// cold lookup, warm lookup from memory, warm lookup after a restart (disk), and 1,000
// concurrent lookups over 100 cities.
#include "fakeweatherserver.h"
#include "store/persistentstore.h"
#include "weather/weatherservice.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {

constexpr int kCities = 100;

QString cityName(int i)
{
    return u"City%1"_s.arg(i % kCities + 1, 3, 10, QChar(u'0'));
}

/** Runs the event loop until `done` says so. */
template<typename Done>
void spin(Done done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
}

/** Longest gap between turns of the event loop while it runs. */
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(0);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longest = std::max(m_longest, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_longest = 0;
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return double(m_longest) / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

/** The fake provider, living on a thread of its own. */
struct Server
{
    QThread thread;
    QObject context; // lives on `thread`; everything about the server runs through it
    FakeWeatherServer *fake = nullptr;

    Server()
    {
        context.moveToThread(&thread);
        thread.start();
        QMetaObject::invokeMethod(
            &context, [this] { fake = new FakeWeatherServer; }, Qt::BlockingQueuedConnection);
    }
    ~Server()
    {
        QMetaObject::invokeMethod(
            &context, [this] { delete fake; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    int count(Endpoint e)
    {
        int n = 0;
        QMetaObject::invokeMethod(
            &context, [&] { n = fake->requestCount(e); }, Qt::BlockingQueuedConnection);
        return n;
    }
    void reset()
    {
        QMetaObject::invokeMethod(
            &context, [this] { fake->resetCounters(); }, Qt::BlockingQueuedConnection);
    }
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

/** City text -> location -> current conditions, timed in ms. */
double lookup(WeatherService &service, const QString &city, bool *ok)
{
    QElapsedTimer t;
    t.start();
    bool done = false;
    service.searchLocations(city).then(&service, [&](const WeatherAnswer<QList<Location>> &found) {
        if (!found.ok()) {
            *ok = false;
            done = true;
            return;
        }
        service.current(found.value->first())
            .then(&service, [&](const WeatherAnswer<CurrentConditions> &w) {
                *ok = w.ok();
                done = true;
            });
    });
    spin([&] { return done; });
    return double(t.nsecsElapsed()) / 1e6;
}

std::unique_ptr<WeatherService> makeService(QNetworkAccessManager *nam, Server &server,
                                            PersistentStore *store)
{
    auto service = std::make_unique<WeatherService>(nam);
    WeatherService::Config c;
    QMetaObject::invokeMethod(
        &server.context, [&] { c.endpoints = server.fake->endpoints(); },
        Qt::BlockingQueuedConnection);
    c.timeoutMs = 10'000;
    service->setConfig(c);
    if (store)
        service->setStore(store);
    return service;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    qputenv("QT_LOGGING_RULES", "*.debug=false;*.info=false");
    Server server;
    QNetworkAccessManager nam;
    QTemporaryDir dir;
    constexpr int kRounds = 50;
    bool allOk = true;

    std::vector<double> cold, warm, disk;
    {
        PersistentStore store;
        store.open(dir.path());
        auto service = makeService(&nam, server, &store);
        for (int i = 0; i < kRounds; ++i) {
            bool ok = true;
            cold.push_back(lookup(*service, cityName(i), &ok));
            allOk &= ok;
        }
        for (int i = 0; i < kRounds; ++i) {
            bool ok = true;
            warm.push_back(lookup(*service, cityName(i), &ok));
            allOk &= ok;
        }
    }
    server.reset();
    double warmUpMs = 0;
    {
        QElapsedTimer startup;
        startup.start();
        PersistentStore store; // a new run: memory empty, disk warm
        store.open(dir.path());
        auto service = makeService(&nam, server, &store); // reads the disk into memory
        warmUpMs = double(startup.nsecsElapsed()) / 1e6;
        for (int i = 0; i < kRounds; ++i) {
            bool ok = true;
            disk.push_back(lookup(*service, cityName(i), &ok));
            allOk &= ok;
        }
    }
    const int diskRequests
        = server.count(Endpoint::OpenMeteoGeocoding) + server.count(Endpoint::OpenMeteoCurrent);

    // 1,000 concurrent lookups over 100 cities, memory only, from cold.
    server.reset();
    auto service = makeService(&nam, server, nullptr);
    StallMeter stalls;
    QElapsedTimer total;
    total.start();
    stalls.start();
    int answered = 0;
    for (int i = 0; i < 1000; ++i) {
        service->searchLocations(cityName(i))
            .then(service.get(), [&](const WeatherAnswer<QList<Location>> &found) {
                if (!found.ok()) {
                    ++answered;
                    allOk = false;
                    return;
                }
                service->current(found.value->first())
                    .then(service.get(), [&](const WeatherAnswer<CurrentConditions> &w) {
                        allOk &= w.ok();
                        ++answered;
                    });
            });
    }
    spin([&] { return answered == 1000; });
    const double concurrentMs = double(total.nsecsElapsed()) / 1e6;
    const double stallMs = stalls.stop();
    const int geocoding = server.count(Endpoint::OpenMeteoGeocoding);
    const int current = server.count(Endpoint::OpenMeteoCurrent);

    std::printf("WeatherDash service benchmark (local fake Open-Meteo on 127.0.0.1, real QNAM)\n");
    std::printf("  cold lookup (geocode + current, network):   median %7.3f ms\n", median(cold));
    std::printf("  warm lookup (memory cache):                 median %7.3f ms  (%.0fx faster)\n",
                median(warm), median(cold) / median(warm));
    std::printf("  restart: open the disk tier, warm memory:   %7.3f ms for %d entries\n", warmUpMs,
                2 * kRounds);
    std::printf("  warm lookup after restart (disk tier):      median %7.3f ms, %d requests\n",
                median(disk), diskRequests);
    std::printf("  1000 concurrent lookups over 100 cities:    %7.1f ms total\n", concurrentMs);
    std::printf("    upstream requests: geocoding %d, current %d (expected 100 and 100)\n",
                geocoding, current);
    std::printf("    longest event-loop stall meanwhile:       %7.2f ms\n", stallMs);
    std::printf("    coalesced callers: %llu\n",
                static_cast<unsigned long long>(service->cache()->stats().coalesced));
    std::printf("    (the stall includes issuing all 1000 lookups in one loop turn)\n");
    const bool pass = allOk && diskRequests == 0 && geocoding == 100 && current == 100;
    std::printf("%s\n", pass ? "RESULT: PASS" : "RESULT: FAIL");
    return pass ? 0 : 1;
}
