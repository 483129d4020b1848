// SPDX-License-Identifier: MIT
// Start to the first frame with the weather, whole processes, against the local fake provider
// (tests/support's fakeweatherserver on 127.0.0.1; no internet), with 5 / 10,000 / 100,000
// rows in the disk cache, side by side with a minimal Qt Widgets window (start_floor) started
// the same way. docs/benchmarks-start.md has the figures and the commands.
//
// Each run: a monotonic clock read just before posix_spawn(), and again when the process
// prints "first-weather-frame" (WEATHERDASH_BENCH_FIRST_WEATHER makes WeatherDash print it
// after the first paint of its card with a temperature, start_floor after the first paint of
// its temperature label); the process then prints its VmRSS and VmHWM --rss-after-ms later
// and quits. WeatherDash and the floor run in turn, and each ratio is taken pair by pair. A
// run with no weather within --timeout-ms counts as none; its memory is read from /proc then.
//
//   bench_start [--runs 7] [--rows 5,10000,100000] [--rss-after-ms 2000] [--timeout-ms 20000]
//               --app build/src/app/weatherdash --floor build/bench/start_floor
//               --server build/tests/support/fakeweatherserver [--before OTHER_WEATHERDASH]
//
// --before: a second WeatherDash (another build, say main's) run in turn with the two, on the
// same rows: its figures and its ratio to the floor are printed beside.
//   bench_start --prepare DIR ROWS BASE_URL   (only fill DIR, for measuring by other means)
//
// Rows: the five a person leaves by typing "Berlin" and Enter (the search, the label, current
// conditions, forecast, hourly), fetched from the fake provider through WeatherService, plus
// ROWS - 5 current-conditions rows for other places (a CLI in a status bar, for months).
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

extern char **environ;

using namespace Qt::StringLiterals;

namespace {

void spin(const std::function<bool()> &done, int timeoutMs = 30'000)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

double monotonicMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

ProviderEndpoints endpointsAt(const QUrl &base)
{
    ProviderEndpoints e;
    e.openMeteoGeocoding = base;
    e.openMeteoForecast = base;
    e.openWeatherMap = base;
    return e;
}

/** Fills `dir` (cache/ and settings.ini) as described at the top. */
bool prepare(const QString &dir, int rows, const QUrl &base)
{
    QDir().mkpath(dir + u"/cache"_s);
    QFile::remove(dir + u"/cache/cache.sqlite"_s);
    QFile::remove(dir + u"/settings.ini"_s);
    QNetworkAccessManager nam;
    Location berlin;
    {
        SqliteTier disk(dir + u"/cache"_s);
        WeatherService service(&nam);
        WeatherService::Config c;
        c.endpoints = endpointsAt(base);
        service.setConfig(c);
        service.addTier(&disk);
        bool done = false;
        service.searchLocations(u"Berlin"_s)
            .then(&service, [&](const WeatherAnswer<QList<Location>> &found) {
                if (!found.ok() || found.value->isEmpty()) {
                    done = true;
                    return;
                }
                berlin = found.value->first();
                auto left = std::make_shared<int>(3);
                auto one = [&, left] {
                    done = --*left == 0;
                };
                service.current(berlin).then(
                    &service, [one](const WeatherAnswer<CurrentConditions> &) { one(); });
                service.forecast(berlin).then(
                    &service, [one](const WeatherAnswer<DailyForecastList> &) { one(); });
                service.hourly(berlin).then(
                    &service, [one](const WeatherAnswer<HourlyForecastList> &) { one(); });
            });
        spin([&] { return done; });
        spin([&] { return service.layers()->pendingTierWrites() == 0; });
        if (!berlin.isValid())
            return false;
    }
    PersistentStore store;
    if (!store.open(dir + u"/cache"_s))
        return false;
    WeatherService keys(&nam);
    const auto berlinNow = store.read(keys.currentKey(berlin));
    if (!berlinNow)
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < rows - 5; ++i) {
        Location other;
        other.latitude = 35.0 + (i % 1000) * 0.01;
        other.longitude = -10.0 + (i / 1000) * 0.01;
        if (!store.write(keys.currentKey(other), berlinNow->value, now, 10 * 60'000))
            return false;
    }
    Settings settings(dir + u"/settings.ini"_s);
    settings.setLastLocation(berlin);
    return true;
}

struct Run
{
    double frameMs = -1; // spawn -> "first-weather-frame" read
    double rssMib = -1;
    double peakMib = -1;
};

/** Spawns `argv` with `env` added; see the top for what is measured. */
Run runOnce(const std::vector<std::string> &argv, const std::vector<std::string> &env,
            int timeoutMs)
{
    Run run;
    int out[2];
    if (pipe(out) != 0)
        return run;
    std::vector<std::string> envStrings(env);
    for (char **e = environ; *e; ++e) {
        if (std::strncmp(*e, "WEATHERDASH_", 12) != 0)
            envStrings.emplace_back(*e);
    }
    std::vector<char *> envp;
    for (std::string &s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args(argv);
    std::vector<char *> argp;
    for (std::string &s : args)
        argp.push_back(s.data());
    argp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const double t0 = monotonicMs();
    const int spawned = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
        close(out[0]);
        return run;
    }
    std::string buffer;
    for (;;) {
        pollfd p{out[0], POLLIN, 0};
        const int left = int(timeoutMs - (monotonicMs() - t0));
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        char chunk[512];
        const ssize_t n = read(out[0], chunk, sizeof chunk);
        if (n <= 0)
            break;
        buffer.append(chunk, size_t(n));
        if (run.frameMs < 0 && buffer.find("first-weather-frame") != std::string::npos)
            run.frameMs = monotonicMs() - t0;
        if (const auto at = buffer.find("resident-kib"); at != std::string::npos) {
            long long rss = -1;
            long long peak = -1;
            if (std::sscanf(buffer.c_str() + at, "resident-kib %lld peak-kib %lld", &rss, &peak)
                == 2) {
                run.rssMib = double(rss) / 1024;
                run.peakMib = double(peak) / 1024;
                break;
            }
        }
    }
    close(out[0]);
    if (run.peakMib < 0) {
        // No weather within the time given (or no memory line): its memory as it stands.
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (status.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("VmRSS:"))
                    run.rssMib = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024;
                else if (line.startsWith("VmHWM:"))
                    run.peakMib = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024;
            }
        }
        kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return run;
}

double median(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return x < 0; }), v.end());
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string spread(const std::vector<double> &v, const char *format)
{
    std::vector<double> ok;
    for (double x : v) {
        if (x >= 0)
            ok.push_back(x);
    }
    if (ok.empty())
        return "none";
    char buf[128];
    std::snprintf(buf, sizeof buf, format, *std::min_element(ok.begin(), ok.end()), median(ok),
                  *std::max_element(ok.begin(), ok.end()));
    return buf;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_start"_s);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args[1] == u"--prepare"_s)
        return prepare(args[2], args[3].toInt(), QUrl(args[4])) ? 0 : 1;

    int runs = 7;
    int rssAfterMs = 2000;
    int timeoutMs = 20'000;
    std::vector<int> sizes = {5, 10'000, 100'000};
    QString appPath, floorPath, serverPath, beforePath;
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString &opt = args[i];
        const QString &value = args[i + 1];
        if (opt == u"--runs"_s)
            runs = value.toInt();
        else if (opt == u"--rss-after-ms"_s)
            rssAfterMs = value.toInt();
        else if (opt == u"--app"_s)
            appPath = value;
        else if (opt == u"--floor"_s)
            floorPath = value;
        else if (opt == u"--server"_s)
            serverPath = value;
        else if (opt == u"--timeout-ms"_s)
            timeoutMs = value.toInt();
        else if (opt == u"--before"_s)
            beforePath = value;
        else if (opt == u"--rows"_s) {
            sizes.clear();
            for (const QString &n : value.split(u','))
                sizes.push_back(n.toInt());
        }
    }
    if (appPath.isEmpty() || floorPath.isEmpty() || serverPath.isEmpty() || runs < 1) {
        std::fprintf(
            stderr,
            "usage: %s [--runs N] [--rows 5,10000,100000] [--rss-after-ms MS] [--timeout-ms MS] "
            "--app "
            "WEATHERDASH --floor START_FLOOR --server FAKEWEATHERSERVER [--before WEATHERDASH]\n"
            "       %s --prepare DIR ROWS BASE_URL\n",
            argv[0], argv[0]);
        return 2;
    }

    QProcess server;
    server.start(serverPath, {});
    if (!server.waitForStarted() || !server.waitForReadyRead(10'000)) {
        std::fprintf(stderr, "the fake provider did not start\n");
        return 1;
    }
    const QUrl base(QString::fromUtf8(server.readLine().trimmed()));
    QTemporaryDir scratch;
    const std::string baseUrl = base.toString().toStdString();

    std::printf("| rows | program | spawn -> first frame with the weather (min / median / max) "
                "| ratio to the minimal Qt window, per pair (min / median / max) | VmRSS %d ms "
                "after that frame (min / median / max) | VmHWM (median) |\n"
                "|---|---|---|---|---|---|\n",
                rssAfterMs);
    for (const int rows : sizes) {
        const QString dir = scratch.filePath(u"rows-%1"_s.arg(rows));
        std::fprintf(stderr, "preparing %d rows...\n", rows);
        if (!prepare(dir, rows, base)) {
            std::fprintf(stderr, "could not prepare %d rows\n", rows);
            return 1;
        }
        const std::string d = dir.toStdString();
        const std::vector<std::string> env = {
            "WEATHERDASH_BENCH_FIRST_WEATHER=" + std::to_string(rssAfterMs),
            "WEATHERDASH_CACHE_DIR=" + d + "/cache",
            "WEATHERDASH_OPENMETEO_GEOCODING_URL=" + baseUrl,
            "WEATHERDASH_OPENMETEO_FORECAST_URL=" + baseUrl,
            "WEATHERDASH_OPENWEATHERMAP_URL=" + baseUrl,
            "WEATHERDASH_ALERTS_URL=" + baseUrl, // issue 22: never the real alert server
            "XDG_CONFIG_HOME=" + d + "/config",
            "XDG_DATA_HOME=" + d + "/data",
        };
        struct Program
        {
            const char *name;
            std::vector<std::string> argv;
            std::vector<Run> runs;
        };
        std::vector<Program> programs;
        programs.push_back({"minimal Qt window", {floorPath.toStdString()}, {}});
        programs.push_back(
            {"WeatherDash",
             {appPath.toStdString(), "--new-instance", "--settings", d + "/settings.ini"},
             {}});
        if (!beforePath.isEmpty())
            programs.push_back(
                {"WeatherDash (--before)",
                 {beforePath.toStdString(), "--new-instance", "--settings", d + "/settings.ini"},
                 {}});
        // One unmeasured run each: the files into the page cache, the fonts' caches made.
        for (Program &p : programs)
            runOnce(p.argv, env, timeoutMs);
        for (int i = 0; i < runs; ++i) {
            for (Program &p : programs)
                p.runs.push_back(runOnce(p.argv, env, timeoutMs));
        }
        for (const Program &p : programs) {
            std::vector<double> ms, ratio, rss, peak;
            for (size_t i = 0; i < p.runs.size(); ++i) {
                const Run &r = p.runs[i];
                const Run &f = programs[0].runs[i];
                ms.push_back(r.frameMs);
                ratio.push_back(r.frameMs >= 0 && f.frameMs > 0 ? r.frameMs / f.frameMs : -1);
                rss.push_back(r.rssMib);
                peak.push_back(r.peakMib);
            }
            std::printf("| %d | %s | %s | %s | %s | %.1f MiB |\n", rows, p.name,
                        spread(ms, "%.1f / **%.1f** / %.1f ms").c_str(),
                        spread(ratio, "%.2f / **%.2fx** / %.2f").c_str(),
                        spread(rss, "%.1f / **%.1f** / %.1f MiB").c_str(), median(peak));
        }
        std::fflush(stdout);
    }
    server.kill();
    server.waitForFinished();
    return 0;
}
