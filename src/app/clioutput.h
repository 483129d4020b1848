// SPDX-License-Identifier: MIT
#pragma once
// weatherdash-cli's output: what it prints and how (plain lines, JSON), made safe for a terminal.

#include "cache/cachetypes.h"
#include "cache/layeredcache.h"
#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/hourlyforecast.h"
#include "weather/location.h"
#include "weather/units.h"
#include "weather/weatheranswer.h"
#include "weather/weathererror.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QTextStream>

#include <optional>

namespace Cli {

/** The exit statuses the manual page promises. */
enum ExitCode { ExitOk = 0, ExitNotAnswered = 1, ExitUsage = 2 };

/** Longest a city (or any echo of user input) appears in a message; the rest is "…". */
constexpr qsizetype kMaxEchoLength = 60;

QTextStream &out();
QTextStream &err();

/** Text from outside made safe for a terminal: no controls, no bidi overrides, one line. */
QString terminalSafe(const QString &text);
/** Compact JSON with what a terminal acts on written as \uXXXX: the same value, safe to print. */
QByteArray terminalSafeJson(const QJsonObject &object);
/** User input echoed in a message: terminal-safe, and at most kMaxEchoLength characters. */
QString echo(const QString &text);
/** One line on stderr, at once. */
void complain(const QString &line);
/** A usage error: the message, the usual hint; returns ExitUsage. */
int usageError(const QString &message);

/** "1 minute", "3 hours". */
QString humanAge(qint64 ms);
/** "network", "cache", "stale": the JSON's `source`. */
QString sourceName(AnswerSource source);
/** `v` with `decimals` decimals, "?" when unknown. */
QString number(const std::optional<double> &v, int decimals = 1);
QJsonValue jsonNumber(const std::optional<double> &v);
/** A time in the place's own offset, UTC without one; null when invalid. */
QJsonValue jsonTime(const QDateTime &utc, std::optional<int> offsetSeconds);
/** "14:00" in the place's own time. */
QString placeClock(const QDateTime &utc, std::optional<int> offsetSeconds);
/** "metric", "imperial", or "custom" for a mix. */
QString unitsName(const UnitSet &units);
QJsonObject unitSymbols(const UnitSet &units);

QJsonObject toJson(const Location &l);
QJsonObject toJson(const CurrentConditions &c, std::optional<int> offsetSeconds);
QJsonObject toJson(const DailyForecast &d);
QJsonObject toJson(const HourlyForecast &h);
QJsonObject toJson(const WeatherError &e);
QJsonObject toJson(const CacheStats &s);
/** Where the answers came from: memory, each tier by name, the provider. */
QJsonObject toJson(const LayeredCacheStats &s);

} // namespace Cli
