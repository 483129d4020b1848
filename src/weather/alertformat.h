// SPDX-License-Identifier: MIT
#pragma once

#include "weatheralert.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <QTimeZone>

#include <optional>

/**
 * Alerts as text: the CLI's JSON and lines, the status bar's placeholder, the band's and the
 * notification's times. Pure functions. Text from the alert server is returned as it came:
 * the caller makes it safe for where it goes (a terminal, Pango, a label in PlainText).
 */
namespace AlertFormat {

/**
 * {"id", "event", "headline", "severity" (lower case), "urgency", "certainty", "onset",
 * "expires" (ISO 8601 with the sender's offset; null when absent), "sender", "description",
 * "instruction", "web"}.
 */
QJsonObject toJson(const WeatherAlert &alert);
/** The live alerts as an array; null when unknown (never [] for "could not be fetched"). */
QJsonValue toJson(const std::optional<WeatherAlertList> &alerts);
/** "2026-12-07T20:00:00+01:00": never "Z", the offset written out. */
QString isoTime(const QDateTime &time);

/** `time` as the place's clock shows it ("Mon 20:00"), or in UTC when the zone is unknown. */
QString placeTime(const QDateTime &time, const QTimeZone &zone);
/** "from Mon 20:00 until Tue 02:00", "until Tue 02:00", "from Mon 20:00" (until further notice). */
QString period(const WeatherAlert &alert, const QTimeZone &zone, const QDateTime &now);
/** "Severe: SEVERE THUNDERSTORM · until Tue 02:00 · Deutscher Wetterdienst" */
QString summary(const WeatherAlert &alert, const QTimeZone &zone, const QDateTime &now);
/** The zone of a place: its IANA zone when valid, else its fixed offset, else UTC. */
QTimeZone placeZone(const QString &ianaId, std::optional<int> utcOffsetSeconds);

/** The status bar's %A: the first (most severe) event, "+N" for more; "" none; "?" unknown. */
QString statusText(const std::optional<WeatherAlertList> &alerts);

} // namespace AlertFormat
