// SPDX-License-Identifier: MIT
#pragma once
// weatherdash-cli's command line: taken out of the process's argument memory, then parsed and
// checked into what a run needs.

#include "app/weatherstack.h"
#include "weather/statusformat.h"

#include <QStringList>

#include <optional>
#include <variant>

namespace Cli {

/**
 * The command line as typed, for the parser, and whether a secret was in it. Every user of
 * the computer can read a process's arguments (ps, /proc/PID/cmdline), so a secret given
 * there (--api-key KEY, a password in --redis URL) is overwritten with 'x' in the process's
 * own argument memory as the first thing main() does, as mysql does: from then on ps shows
 * "xxxx". The copy here is what the options are read from.
 */
struct CommandLine
{
    QStringList arguments;
    bool hadSecret = false;
};

/**
 * Copies the arguments, then blanks any secret in them (--api-key's value, the password of a
 * --redis URL) in the process's own argument memory. The first thing main() does.
 */
CommandLine takeCommandLine(int argc, char *argv[]);

/** What the command line asks for, checked against the settings. */
struct Options
{
    QStringList cities;
    bool json = false;
    bool force = false;
    bool stats = false;
    bool daily = false;
    bool hourly = false;
    /** --format: a status-bar line per city instead. */
    std::optional<StatusFormat> statusFormat;
    /** The service's configuration, the cache folder and the shared cache. */
    WeatherStack::Options stack;
    /** Why a shared cache from the settings or the environment is off this time, or empty. */
    QString sharedOff;
    /** --here: the position's place first, like a city (issue 24); seconds to wait for it. */
    bool here = false;
    int hereTimeoutSeconds = 5;
    /** The air-quality index the text and the tooltip say: the app's Preferences (issue 23). */
    AirQuality::Scale airQualityScale = AirQuality::Scale::European;
    /** --watch (issue 25): the one city's status line, again on every renewal. */
    bool watch = false;
};

/**
 * The options of `commandLine` over the settings, or the exit status when there is nothing to
 * run: a usage error (said on stderr, ExitUsage). --help and --version print and exit.
 */
std::variant<Options, int> parseOptions(const CommandLine &commandLine);

} // namespace Cli
