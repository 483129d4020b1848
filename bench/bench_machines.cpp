// SPDX-License-Identifier: MIT
// N machines with and without the shared cache: N weatherdash-cli processes started at once,
// each with its own empty cache folder and settings, each looking up the same cities, against
// the local fake provider (tests/support), which counts every request it gets. Once without
// Redis, once with one redis-server for all (tests/support/RedisServer starts it; empty for
// every run). Prints one row per N: provider requests without and with the tier, what the
// tier saved, and the wall time until the last machine answered (the baseline is the run
// without the tier, in the same process, on the same machine).
//
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEATHERDASH_BUILD_GUI=OFF
//   cmake --build build-rel --target bench_machines weatherdash-cli
//   ./build-rel/bench/bench_machines [--machines 1,5,10,20] [--cities 10] [--rounds 1]
//
// Nothing leaves the machine: the provider is 127.0.0.1, Redis a loopback port.
#include "fakeweatherserver.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int requests = 0;
    qint64 wallMs = 0;
    int failed = 0; // machines that did not answer every city
};

int intOption(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

QList<int> listOption(const QStringList &args, const QString &name, const QList<int> &fallback)
{
    const qsizetype i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size())
        return fallback;
    QList<int> out;
    for (const QString &part : args.at(i + 1).split(u','))
        if (part.toInt() > 0)
            out.append(part.toInt());
    return out.isEmpty() ? fallback : out;
}

/** N CLI processes at once, each on its own "machine"; `redisUrl` empty: no shared cache. */
Run runMachines(FakeWeatherServer &server, int machines, const QStringList &cities,
                const QString &redisUrl)
{
    QTemporaryDir home;
    server.resetCounters();
    const ProviderEndpoints ep = server.endpoints();
    std::vector<std::unique_ptr<QProcess>> processes;
    QElapsedTimer wall;
    wall.start();
    for (int m = 0; m < machines; ++m) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_ALERTS_URL"_s, ep.openWeatherMap.toString()); // issue 22
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, home.filePath(u"m%1/cache"_s.arg(m)));
        env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"m%1/config"_s.arg(m)));
        env.insert(u"HOME"_s, home.filePath(u"m%1"_s.arg(m)));
        env.remove(u"WEATHERDASH_REDIS_URL"_s);
        if (!redisUrl.isEmpty())
            env.insert(u"WEATHERDASH_REDIS_URL"_s, redisUrl);
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(QStringLiteral(WEATHERDASH_CLI_PATH), cities);
        processes.push_back(std::move(p));
    }
    // The fake provider lives in this process: its event loop must turn while the CLIs run.
    QEventLoop loop;
    const auto allDone = [&] {
        return std::all_of(processes.begin(), processes.end(),
                           [](const auto &p) { return p->state() == QProcess::NotRunning; });
    };
    while (!allDone())
        loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
    Run run;
    run.wallMs = wall.elapsed();
    run.requests = server.totalRequestCount();
    for (const auto &p : processes) {
        if (p->exitStatus() != QProcess::NormalExit || p->exitCode() != 0) {
            ++run.failed;
            std::fprintf(stderr, "a machine failed: %s\n", p->readAll().constData());
        }
    }
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QList<int> counts = listOption(args, u"--machines"_s, {1, 5, 10, 20});
    const int cityCount = std::clamp(intOption(args, u"--cities"_s, 10), 1, 100);
    const int rounds = qMax(1, intOption(args, u"--rounds"_s, 1));
    if (const QString missing = RedisServer::missingReason(); !missing.isEmpty()) {
        std::fprintf(stderr, "%s (scripts/deps.sh)\n", qPrintable(missing));
        return 1;
    }
    QStringList cities;
    for (int i = 1; i <= cityCount; ++i)
        cities << u"City%1"_s.arg(i, 3, 10, QLatin1Char('0'));

    FakeWeatherServer server;
    std::printf("%d cities per machine (geocoding + current conditions each), all machines "
                "started at once, empty caches; best of %d round(s)\n\n",
                cityCount, rounds);
    std::printf("| machines | provider requests without | with the shared cache | saved | "
                "wall ms without | wall ms with |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|\n");
    for (const int n : counts) {
        Run best[2];
        for (int round = 0; round < rounds; ++round) {
            for (int shared = 0; shared < 2; ++shared) {
                RedisServer redis; // a fresh, empty one for every run
                if (shared && !redis.start()) {
                    std::fprintf(stderr, "%s\n", qPrintable(redis.errorString()));
                    return 1;
                }
                const Run r = runMachines(server, n, cities, shared ? redis.url() : QString());
                if (r.failed > 0)
                    return 1;
                if (round == 0 || r.wallMs < best[shared].wallMs)
                    best[shared] = r;
            }
        }
        const double saved = best[0].requests > 0
                                 ? 100.0 * (best[0].requests - best[1].requests) / best[0].requests
                                 : 0.0;
        std::printf("| %d | %d | %d | %.0f %% | %lld | %lld |\n", n, best[0].requests,
                    best[1].requests, saved, best[0].wallMs, best[1].wallMs);
        std::fflush(stdout);
    }
    return 0;
}
