// SPDX-License-Identifier: MIT
// An LD_PRELOAD library that moves a process's wall clock: clock_gettime(CLOCK_REALTIME*),
// gettimeofday() and time() answer WEATHERDASH_CLOCK_SHIM_OFFSET_MS later (earlier when
// negative) than the real clock. Monotonic clocks are left alone, like a machine whose clock
// is simply set wrong (a dual-boot laptop, a VM after resume). Tests only.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long long offsetMs(void)
{
    static int known = 0;
    static long long offset = 0;
    if (!known) {
        const char *text = getenv("WEATHERDASH_CLOCK_SHIM_OFFSET_MS");
        offset = text ? atoll(text) : 0;
        known = 1;
    }
    return offset;
}

static void shift(struct timespec *ts)
{
    long long ns = (long long)ts->tv_nsec + (offsetMs() % 1000) * 1000000LL;
    long long s = (long long)ts->tv_sec + offsetMs() / 1000;
    while (ns < 0) {
        ns += 1000000000LL;
        --s;
    }
    while (ns >= 1000000000LL) {
        ns -= 1000000000LL;
        ++s;
    }
    ts->tv_sec = (time_t)s;
    ts->tv_nsec = (long)ns;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *) = NULL;
    if (!real)
        real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    const int r = real(id, ts);
    if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        shift(ts);
    return r;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    struct timespec ts;
    const int r = clock_gettime(CLOCK_REALTIME, &ts);
    if (r == 0) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return r;
}

time_t time(time_t *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out)
        *out = ts.tv_sec;
    return ts.tv_sec;
}
