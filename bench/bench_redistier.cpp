// SPDX-License-Identifier: MIT
// The shared cache tier (RedisTier) against redis-benchmark on the same redis-server, the same
// value size, the same request counts, in one run: latency of one request at a time (GET and
// SET), and throughput with 16 requests in flight on one connection (redis-benchmark -c 1
// -P 16), plus the tier with everything in flight at once. Prints each figure and our/their
// ratio ours/theirs (latency: above 1 is slower; throughput: below 1 is slower).
//
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEATHERDASH_BUILD_GUI=OFF
//   cmake --build build-rel --target bench_redistier && ./build-rel/bench/bench_redistier
//   scripts/bench.sh redis
//
// Where hiredis is found (it is whenever the tier builds), a plain hiredis client is measured
// in the same rounds: blocking redisCommand one at a time, redisAppendCommand/redisGetReply
// with 16 in flight, same keys and stored sizes.
//
// Options: --requests N (default 20000 one at a time, 10x that in flight), --rounds R (3;
// every ratio is taken within a round, then the median over rounds is printed), --value-bytes B
// (200: one current-conditions reply),
// --no-redis-benchmark (the tier and hiredis only).
// It starts its own redis-server on a free loopback port (tests/support/RedisServer); nothing
// leaves the machine.
#include "cache/clock.h"
#include "redisserver.h"
#include "store/redisconnection.h"
#include "store/redistier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QStringList>

#ifdef WEATHERDASH_HIREDIS_BASELINE
#include <hiredis/hiredis.h>
#include <poll.h>
#endif

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kTtlMs = 3'600'000;
constexpr int kWindow = 16;
constexpr int kKeys = 1000; // distinct keys, as redis-benchmark -r 1000

struct Figures
{
    double getLatencyUs = 0;
    double setLatencyUs = 0;
    double getRps16 = 0;
    double setRps16 = 0;
    double getRpsAll = 0; // ours only: everything in flight
    // This thread's CPU time per request, microseconds: the client's own cost, which a loaded
    // machine does not blur the way it blurs round trips. Ours and plain hiredis only.
    double getCpuUs = 0;
    double setCpuUs = 0;
    double getCpu16Us = 0;
    double setCpu16Us = 0;
};

/** This thread's CPU time, nanoseconds. */
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/** Runs `f` and puts this thread's CPU time per request (µs) in `cpuUs`. */
template<typename F>
auto withCpu(double *cpuUs, int requests, F f)
{
    const qint64 start = threadCpuNs();
    auto result = f();
    *cpuUs = double(threadCpuNs() - start) / 1000.0 / requests;
    return result;
}

/** Spins the event loop until `done` says so (a benchmark, not src/: it may wait). */
void spinUntil(QEventLoop &loop, const std::function<bool()> &done)
{
    while (!done())
        loop.processEvents(QEventLoop::WaitForMoreEvents);
}

QString keyOf(int i)
{
    return u"bench:"_s + QString::number(i % kKeys);
}

/** One request at a time: the mean time per request, microseconds. */
template<typename Start>
double oneAtATime(QEventLoop &loop, int requests, Start start)
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < requests; ++i) {
        auto future = start(i);
        spinUntil(loop, [&] { return future.isFinished(); });
        if (!future.result().ok()) {
            std::fprintf(stderr, "request failed: %s\n", qPrintable(future.result().error));
            return -1;
        }
    }
    return double(timer.nsecsElapsed()) / 1000.0 / requests;
}

/** `window` in flight (0: all at once), each answer handled by a continuation: requests/s. */
template<typename R, typename Start>
double inFlight(QEventLoop &loop, int requests, int window, Start start)
{
    QObject context;
    int issued = 0;
    int answered = 0;
    int failed = 0;
    std::function<void()> issue = [&] {
        const int i = issued++;
        start(i).then(&context, [&](const R &r) {
            ++answered;
            if (!r.ok())
                ++failed;
            if (issued < requests)
                issue();
        });
    };
    QElapsedTimer timer;
    timer.start();
    const int first = window > 0 ? std::min(window, requests) : requests;
    for (int i = 0; i < first; ++i)
        issue();
    spinUntil(loop, [&] { return answered == requests; });
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (failed > 0) {
        std::fprintf(stderr, "%d requests failed\n", failed);
        return -1;
    }
    return requests / seconds;
}

/**
 * The tier's callback forms (readEntry / writeEntry), what the LayeredCache uses: one request
 * at a time and `kWindow` in flight, as measureTier() does with futures.
 */
Figures measureTierCallbacks(const QString &url, int requests, int valueBytes)
{
    QEventLoop loop;
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    RedisTier tier(*RedisUrl::parse(url), &clock);
    const TierEntry entry{QByteArray(valueBytes, 'x'), clock.now(), kTtlMs, false};
    int failed = 0;
    const auto one = [&](bool set) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < requests; ++i) {
            bool done = false;
            if (set) {
                tier.writeEntry(keyOf(i), entry, [&](const TierDoneResult &r) {
                    done = true;
                    failed += r.ok() ? 0 : 1;
                });
            } else {
                tier.readEntry(keyOf(i), [&](const TierGetResult &r) {
                    done = true;
                    failed += r.ok() && r.value ? 0 : 1;
                });
            }
            spinUntil(loop, [&] { return done; });
        }
        return double(timer.nsecsElapsed()) / 1000.0 / requests;
    };
    const auto window = [&](bool set, int total, int width) {
        int sent = 0;
        int answered = 0;
        std::function<void()> issue = [&] {
            const int i = sent++;
            const auto next = [&] {
                ++answered;
                if (sent < total)
                    issue();
            };
            if (set) {
                tier.writeEntry(keyOf(i), entry, [&, next](const TierDoneResult &r) {
                    failed += r.ok() ? 0 : 1;
                    next();
                });
            } else {
                tier.readEntry(keyOf(i), [&, next](const TierGetResult &r) {
                    failed += r.ok() && r.value ? 0 : 1;
                    next();
                });
            }
        };
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < (width > 0 ? std::min(width, total) : total); ++i)
            issue();
        spinUntil(loop, [&] { return answered == total; });
        return total / (double(timer.nsecsElapsed()) / 1e9);
    };
    Figures f;
    f.setLatencyUs = withCpu(&f.setCpuUs, requests, [&] { return one(true); });
    f.getLatencyUs = withCpu(&f.getCpuUs, requests, [&] { return one(false); });
    f.setRps16 = withCpu(&f.setCpu16Us, requests * 10,
                         [&] { return window(true, requests * 10, kWindow); });
    f.getRps16 = withCpu(&f.getCpu16Us, requests * 10,
                         [&] { return window(false, requests * 10, kWindow); });
    f.getRpsAll = window(false, std::min<int>(requests * 10, int(RedisConnection::kMaxPending)), 0);
    if (failed > 0)
        std::fprintf(stderr, "RedisTier (callbacks): %d requests failed\n", failed);
    return failed > 0 ? Figures{} : f;
}

Figures measureTier(const QString &url, int requests, int valueBytes)
{
    QEventLoop loop;
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    RedisTier tier(*RedisUrl::parse(url), &clock);
    // The tier stores a 20-byte header in front; redis-benchmark is given the stored size.
    const TierEntry entry{QByteArray(valueBytes, 'x'), clock.now(), kTtlMs, false};
    auto put = [&](int i) {
        return tier.put(keyOf(i), entry);
    };
    auto get = [&](int i) {
        return tier.get(keyOf(i));
    };
    Figures f;
    // The first also fills the keys for the gets.
    f.setLatencyUs
        = withCpu(&f.setCpuUs, requests, [&] { return oneAtATime(loop, requests, put); });
    f.getLatencyUs
        = withCpu(&f.getCpuUs, requests, [&] { return oneAtATime(loop, requests, get); });
    f.setRps16 = withCpu(&f.setCpu16Us, requests * 10, [&] {
        return inFlight<TierDoneResult>(loop, requests * 10, kWindow, put);
    });
    f.getRps16 = withCpu(&f.getCpu16Us, requests * 10, [&] {
        return inFlight<TierGetResult>(loop, requests * 10, kWindow, get);
    });
    // All at once, up to what the connection lets wait (more are refused at once, by design).
    f.getRpsAll = inFlight<TierGetResult>(
        loop, std::min<int>(requests * 10, int(RedisConnection::kMaxPending)), 0, get);
    return f;
}

/**
 * RedisConnection alone, with the tier's commands (GET, SET … PX) and handlers instead of
 * futures: what the connection costs, apart from RedisTier's promises and continuations.
 */
Figures measureConnection(const QString &url, int requests, int storedBytes)
{
    QEventLoop loop;
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    RedisConnection connection(*RedisUrl::parse(url), &clock);
    const QByteArray value(storedBytes, 'x');
    const QByteArray px = QByteArray::number(kTtlMs);
    const auto key = [](int i) -> QByteArray {
        return QByteArray("weatherdash:v1:bench:") + QByteArray::number(i % kKeys);
    };
    int failed = 0;
    const auto command = [&](bool set, int i) -> QList<QByteArray> {
        if (set)
            return {"SET", key(i), value, "PX", px};
        return {"GET", key(i)};
    };
    Figures f;
    const auto one = [&](bool set) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < requests; ++i) {
            bool done = false;
            connection.send(command(set, i), [&](const RedisReply &r) {
                done = true;
                failed += r.isError() ? 1 : 0;
            });
            spinUntil(loop, [&] { return done; });
        }
        return double(timer.nsecsElapsed()) / 1000.0 / requests;
    };
    const auto window = [&](bool set) {
        const int total = requests * 10;
        int sent = 0;
        int answered = 0;
        std::function<void()> issue = [&] {
            connection.send(command(set, sent++), [&](const RedisReply &r) {
                ++answered;
                failed += r.isError() ? 1 : 0;
                if (sent < total)
                    issue();
            });
        };
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < std::min(kWindow, total); ++i)
            issue();
        spinUntil(loop, [&] { return answered == total; });
        return total / (double(timer.nsecsElapsed()) / 1e9);
    };
    f.setLatencyUs = withCpu(&f.setCpuUs, requests, [&] { return one(true); });
    f.getLatencyUs = withCpu(&f.getCpuUs, requests, [&] { return one(false); });
    f.setRps16 = withCpu(&f.setCpu16Us, requests * 10, [&] { return window(true); });
    f.getRps16 = withCpu(&f.getCpu16Us, requests * 10, [&] { return window(false); });
    if (failed > 0)
        std::fprintf(stderr, "RedisConnection: %d requests failed\n", failed);
    return failed > 0 ? Figures{} : f;
}

#ifdef WEATHERDASH_HIREDIS_BASELINE
/**
 * A plain hiredis client on its own blocking connection, doing what the tier does with the same
 * keys and stored sizes: redisCommand one at a time; `kWindow` redisAppendCommand then as many
 * redisGetReply (the window refilled as answers come, as the tier's is).
 */
Figures measureHiredis(const RedisServer &server, int requests, int storedBytes)
{
    Figures f;
    redisContext *c = redisConnect("127.0.0.1", server.port());
    if (!c || c->err) {
        std::fprintf(stderr, "hiredis: cannot connect\n");
        if (c)
            redisFree(c);
        return f;
    }
    const QByteArray value(storedBytes, 'x');
    const auto key = [](int i) -> QByteArray {
        return QByteArray("weatherdash:v1:bench:") + QByteArray::number(i % kKeys);
    };
    bool ok = true;
    const auto check = [&ok](redisReply *r) {
        if (!r || r->type == REDIS_REPLY_ERROR)
            ok = false;
        if (r)
            freeReplyObject(r);
    };
    QElapsedTimer timer;
    timer.start();
    qint64 cpu = threadCpuNs();
    for (int i = 0; i < requests; ++i) {
        const QByteArray k = key(i);
        check(static_cast<redisReply *>(redisCommand(c, "SET %b %b PX %lld", k.constData(),
                                                     size_t(k.size()), value.constData(),
                                                     size_t(value.size()), kTtlMs)));
    }
    f.setLatencyUs = double(timer.nsecsElapsed()) / 1000.0 / requests;
    f.setCpuUs = double(threadCpuNs() - cpu) / 1000.0 / requests;
    timer.restart();
    cpu = threadCpuNs();
    for (int i = 0; i < requests; ++i) {
        const QByteArray k = key(i);
        check(
            static_cast<redisReply *>(redisCommand(c, "GET %b", k.constData(), size_t(k.size()))));
    }
    f.getLatencyUs = double(timer.nsecsElapsed()) / 1000.0 / requests;
    f.getCpuUs = double(threadCpuNs() - cpu) / 1000.0 / requests;
    const auto window = [&](bool set) {
        const int total = requests * 10;
        int sent = 0;
        int answered = 0;
        QElapsedTimer t;
        t.start();
        const auto append = [&] {
            const QByteArray k = key(sent++);
            if (set)
                redisAppendCommand(c, "SET %b %b PX %lld", k.constData(), size_t(k.size()),
                                   value.constData(), size_t(value.size()), kTtlMs);
            else
                redisAppendCommand(c, "GET %b", k.constData(), size_t(k.size()));
        };
        while (sent < std::min(kWindow, total))
            append();
        while (answered < total) {
            void *r = nullptr;
            if (redisGetReply(c, &r) != REDIS_OK) {
                ok = false;
                break;
            }
            check(static_cast<redisReply *>(r));
            ++answered;
            if (sent < total)
                append();
        }
        return total / (double(t.nsecsElapsed()) / 1e9);
    };
    f.setRps16 = withCpu(&f.setCpu16Us, requests * 10, [&] { return window(true); });
    f.getRps16 = withCpu(&f.getCpu16Us, requests * 10, [&] { return window(false); });
    redisFree(c);
    if (!ok)
        std::fprintf(stderr, "hiredis: a request failed\n");
    return ok ? f : Figures{};
}
/**
 * The same hiredis client driven by this thread's Qt event loop instead of blocking reads:
 * non-blocking context, a QSocketNotifier on its socket, redisBufferRead + redisGetReply when
 * it is readable. The floor of any asynchronous client in a Qt program: one pass of the event
 * loop (poll, notifier) per answer, which a blocking client does not pay.
 */
Figures measureHiredisInLoop(const RedisServer &server, int requests, int storedBytes)
{
    Figures f;
    redisContext *c = redisConnectNonBlock("127.0.0.1", server.port());
    if (!c || c->err) {
        std::fprintf(stderr, "hiredis (event loop): cannot connect\n");
        if (c)
            redisFree(c);
        return f;
    }
    // Connected before anything is measured (a benchmark may wait).
    pollfd connecting{c->fd, POLLOUT, 0};
    if (::poll(&connecting, 1, 5000) != 1) {
        std::fprintf(stderr, "hiredis (event loop): cannot connect\n");
        redisFree(c);
        return f;
    }
    QEventLoop loop;
    const QByteArray value(storedBytes, 'x');
    const auto key = [](int i) -> QByteArray {
        return QByteArray("weatherdash:v1:bench:") + QByteArray::number(i % kKeys);
    };
    bool ok = true;
    int answered = 0;
    std::function<void()> onAnswer;
    const auto flush = [&] {
        int done = 0;
        while (!done) {
            if (redisBufferWrite(c, &done) != REDIS_OK) {
                ok = false;
                return;
            }
        }
    };
    QSocketNotifier notifier(qintptr(c->fd), QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&] {
        if (redisBufferRead(c) != REDIS_OK) {
            ok = false;
            return;
        }
        for (;;) {
            void *r = nullptr;
            if (redisGetReply(c, &r) != REDIS_OK) {
                ok = false;
                return;
            }
            if (!r)
                break;
            auto *reply = static_cast<redisReply *>(r);
            if (reply->type == REDIS_REPLY_ERROR)
                ok = false;
            freeReplyObject(reply);
            ++answered;
            onAnswer();
        }
        flush(); // what the answers asked for, in one write
    });
    int sent = 0;
    bool set = true;
    const auto append = [&] {
        const QByteArray k = key(sent++);
        if (set)
            redisAppendCommand(c, "SET %b %b PX %lld", k.constData(), size_t(k.size()),
                               value.constData(), size_t(value.size()), kTtlMs);
        else
            redisAppendCommand(c, "GET %b", k.constData(), size_t(k.size()));
    };
    const auto run = [&](int total, int window) {
        sent = 0;
        answered = 0;
        onAnswer = [&] {
            if (sent < total && window > 0)
                append(); // the window refilled as answers come
        };
        QElapsedTimer timer;
        timer.start();
        while (sent < std::min(window, total))
            append();
        flush();
        spinUntil(loop, [&] { return answered == total || !ok; });
        return timer.nsecsElapsed();
    };
    // One at a time: a window of one.
    set = true;
    f.setLatencyUs = withCpu(&f.setCpuUs, requests,
                             [&] { return double(run(requests, 1)) / 1000.0 / requests; });
    set = false;
    f.getLatencyUs = withCpu(&f.getCpuUs, requests,
                             [&] { return double(run(requests, 1)) / 1000.0 / requests; });
    set = true;
    f.setRps16 = withCpu(&f.setCpu16Us, requests * 10, [&] {
        return requests * 10 / (double(run(requests * 10, kWindow)) / 1e9);
    });
    set = false;
    f.getRps16 = withCpu(&f.getCpu16Us, requests * 10, [&] {
        return requests * 10 / (double(run(requests * 10, kWindow)) / 1e9);
    });
    redisFree(c);
    if (!ok)
        std::fprintf(stderr, "hiredis (event loop): a request failed\n");
    return ok ? f : Figures{};
}
#endif

/** redis-benchmark's CSV: "test","rps","avg_latency_ms",… per test. */
bool runRedisBenchmark(const RedisServer &server, int requests, int pipeline, int bytes,
                       double *getRps, double *setRps, double *getAvgMs, double *setAvgMs)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(u"redis-benchmark"_s),
            {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(server.port()), u"-c"_s, u"1"_s,
             u"-P"_s, QString::number(pipeline), u"-n"_s, QString::number(requests), u"-d"_s,
             QString::number(bytes), u"-r"_s, QString::number(kKeys), u"-t"_s, u"set,get"_s,
             u"--csv"_s});
    if (!p.waitForFinished(600'000) || p.exitCode() != 0) {
        std::fprintf(stderr, "redis-benchmark failed: %s\n", p.readAllStandardError().constData());
        return false;
    }
    const QList<QByteArray> lines = p.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> cells = line.split(',');
        if (cells.size() < 3)
            continue;
        auto cell = [&](int i) {
            return QByteArray(cells.at(i)).replace('"', "").toDouble();
        };
        const QByteArray test = QByteArray(cells.at(0)).replace('"', "");
        if (test == "GET") {
            *getRps = cell(1);
            *getAvgMs = cell(2);
        } else if (test == "SET") {
            *setRps = cell(1);
            *setAvgMs = cell(2);
        }
    }
    return *getRps > 0 && *setRps > 0;
}

Figures measureRedisBenchmark(const RedisServer &server, int requests, int storedBytes)
{
    Figures f;
    double getRps = 0, setRps = 0, getMs = 0, setMs = 0;
    if (runRedisBenchmark(server, requests, 1, storedBytes, &getRps, &setRps, &getMs, &setMs)) {
        // One connection, one request at a time: the mean round trip is 1/rps (its
        // avg_latency_ms is rounded to 1/1000 ms).
        f.getLatencyUs = 1e6 / getRps;
        f.setLatencyUs = 1e6 / setRps;
    }
    if (runRedisBenchmark(server, requests * 10, kWindow, storedBytes, &getRps, &setRps, &getMs,
                          &setMs)) {
        f.getRps16 = getRps;
        f.setRps16 = setRps;
    }
    return f;
}

int intOption(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int requests = qMax(100, intOption(args, u"--requests"_s, 20'000));
    const int rounds = qMax(1, intOption(args, u"--rounds"_s, 3));
    const int valueBytes = qMax(1, intOption(args, u"--value-bytes"_s, 200));
    const bool skipRedisBenchmark = args.contains(u"--no-redis-benchmark"_s);
    const int storedBytes
        = int(RedisTier::encodeValue({QByteArray(valueBytes, 'x'), 0, 0, false}).size());

    if (!RedisServer::missingReason().isEmpty()
        || QStandardPaths::findExecutable(u"redis-benchmark"_s).isEmpty()) {
        std::fprintf(stderr, "needs redis-server and redis-benchmark (scripts/deps.sh)\n");
        return 1;
    }
    RedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "%s\n", qPrintable(server.errorString()));
        return 1;
    }
    QByteArray version;
    for (const QByteArray &line : server.cli({u"INFO"_s, u"server"_s}).split('\n')) {
        if (line.startsWith("redis_version:"))
            version = line.mid(14).trimmed();
    }
    std::printf("redis-server %s on 127.0.0.1:%u; value %d bytes (%d stored); %d requests one "
                "at a time, %d in flight; %d rounds\n",
                version.constData(), server.port(), valueBytes, storedBytes, requests,
                requests * 10, rounds);

    QList<Figures> ours; // the tier's future forms
    QList<Figures> callbacks; // the tier's callback forms (the LayeredCache's path)
    QList<Figures> theirs;
    QList<Figures> plain;
    QList<Figures> plainInLoop;
    QList<Figures> bare;
    for (int r = 0; r < rounds; ++r) {
        // Interleaved, so a busy moment of the machine hits every side alike.
        callbacks.append(measureTierCallbacks(server.url(), requests, valueBytes));
        ours.append(measureTier(server.url(), requests, valueBytes));
        bare.append(measureConnection(server.url(), requests, storedBytes));
#ifdef WEATHERDASH_HIREDIS_BASELINE
        plain.append(measureHiredis(server, requests, storedBytes));
        plainInLoop.append(measureHiredisInLoop(server, requests, storedBytes));
#endif
        if (!skipRedisBenchmark)
            theirs.append(measureRedisBenchmark(server, requests, storedBytes));
    }
    // Each ratio is taken within its round (both sides met the same moment of the machine),
    // then the median over the rounds, with the smallest and largest.
    struct Metric
    {
        const char *what;
        double Figures::*field;
        const char *unit;
        double scale;
    };
    const Metric metrics[] = {
        {"GET, one at a time (latency)", &Figures::getLatencyUs, "us", 1},
        {"SET, one at a time (latency)", &Figures::setLatencyUs, "us", 1},
        {"GET, 16 in flight (throughput)", &Figures::getRps16, "k/s", 1000},
        {"SET, 16 in flight (throughput)", &Figures::setRps16, "k/s", 1000},
        {"GET, one at a time (CPU)", &Figures::getCpuUs, "us", 1},
        {"SET, one at a time (CPU)", &Figures::setCpuUs, "us", 1},
        {"GET, 16 in flight (CPU)", &Figures::getCpu16Us, "us", 1},
        {"SET, 16 in flight (CPU)", &Figures::setCpu16Us, "us", 1},
    };
    const auto median = [](QList<double> v) {
        if (v.isEmpty())
            return 0.0;
        std::sort(v.begin(), v.end());
        const qsizetype n = v.size();
        return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
    };
    const auto table = [&](const char *left, const QList<Figures> &a, const char *right,
                           const QList<Figures> &b, int metricCount) {
        std::printf("\n%-34s %14s %16s %8s %s\n", "", left, right, "ratio",
                    "[min-max over rounds]");
        for (int m = 0; m < metricCount; ++m) {
            const Metric &metric = metrics[m];
            QList<double> x, y, ratios;
            for (qsizetype r = 0; r < std::min(a.size(), b.size()); ++r) {
                const double u = a.at(r).*metric.field;
                const double v = b.at(r).*metric.field;
                if (u <= 0 || v <= 0)
                    continue;
                x.append(u / metric.scale);
                y.append(v / metric.scale);
                ratios.append(u / v);
            }
            if (ratios.isEmpty())
                continue;
            std::printf("%-34s %11.1f %-3s %12.1f %-3s %7.2fx [%.2f-%.2f]\n", metric.what,
                        median(x), metric.unit, median(y), metric.unit, median(ratios),
                        *std::min_element(ratios.begin(), ratios.end()),
                        *std::max_element(ratios.begin(), ratios.end()));
        }
    };
    std::printf("\nMedians over %d rounds; ratio: left / right within each round (latency and "
                "CPU: lower is better; throughput: higher is better).\n",
                rounds);
#ifdef WEATHERDASH_HIREDIS_BASELINE
    table("RedisTier (cb)", callbacks, "plain hiredis", plain, 8);
    table("RedisTier (fut)", ours, "plain hiredis", plain, 8);
    table("RedisConnection", bare, "plain hiredis", plain, 8);
    table("RedisTier (cb)", callbacks, "hiredis in loop", plainInLoop, 8);
    table("hiredis in loop", plainInLoop, "plain hiredis", plain, 8);
#endif
    table("RedisTier (cb)", callbacks, "RedisTier (fut)", ours, 8);
    if (skipRedisBenchmark)
        return 0;
    table("RedisTier (cb)", callbacks, "redis-benchmark", theirs, 4);
    table("RedisTier (fut)", ours, "redis-benchmark", theirs, 4);
    QList<double> all, allCb;
    for (const Figures &f : ours)
        all.append(f.getRpsAll / 1000);
    for (const Figures &f : callbacks)
        allCb.append(f.getRpsAll / 1000);
    std::printf("%-34s %11.1f k/s (futures), %.1f k/s (callbacks)\n",
                "GET, all in flight (RedisTier)", median(all), median(allCb));
    std::printf("\nredis-benchmark -c 1 -P 1 and -P 16 -d %d -r %d -t set,get; (cb): the "
                "tier's readEntry/writeEntry, (fut): its get/put futures with .then(context).\n",
                storedBytes, kKeys);
    return 0;
}
