// SPDX-License-Identifier: MIT
#pragma once

#include "weatheralert.h"
#include "weatherresult.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

/**
 * The FOSS Public Alert Server's answers, read, and the rules that make a CAP message an alert
 * for one place. Pure functions: no cache, no network, no clock (the caller passes `now`).
 *
 * parseMessage() reads one CAP 1.2 message (namespace urn:oasis:names:tc:emergency:cap:1.2)
 * from outside XML and trusts nothing: a DTD is refused (no entity tricks), sizes and counts
 * are bounded (kMax...), a coordinate outside the globe drops its polygon or circle, a time
 * without a UTC offset is no time. Text fields are text: markup-looking content stays as
 * written, and is never rendered.
 */
namespace CapParser {

inline constexpr char16_t kNamespace[] = u"urn:oasis:names:tc:emergency:cap:1.2";

constexpr qsizetype kMaxMessageBytes = 2 * 1024 * 1024;
constexpr qsizetype kMaxIdListBytes = 256 * 1024;
constexpr qsizetype kMaxIds = 500;
constexpr qsizetype kMaxIdLength = 200;
constexpr qsizetype kMaxInfos = 64;
constexpr qsizetype kMaxAreas = 512; // in the whole message
constexpr qsizetype kMaxPoints = 200'000; // polygon pairs in the whole message
constexpr qsizetype kMaxShortText = 512; // event, headline, sender, web...
constexpr qsizetype kMaxLongText = 16'384; // description, instruction
constexpr qsizetype kMaxReferences = 256;

/** One CAP message, or BadResponse / ResponseTooLarge with a detail saying what was wrong. */
WeatherResult<CapMessage> parseMessage(const QByteArray &xml);

/**
 * /alert/area's answer: a JSON array of id strings. An id must be a token the server could
 * have made (letters, digits, ".-_:~@"), since it goes into a URL path and a cache key: a
 * list holding anything else is refused whole.
 */
WeatherResult<AlertIdList> parseIdList(const QByteArray &json);
bool isValidId(QStringView id);

/**
 * The message as an alert at the point, in `language` ("de", "de_DE", "pt-BR"), at `now`;
 * nullopt when it is none: status not Actual, msgType not Alert or Update (a Cancel, an Ack),
 * or no info that has category Met, urgency not Past, has not expired and whose areas'
 * polygons or circles contain the point. Among the infos that pass, the one in the person's
 * language, else in their language's primary tag, else English, else the first.
 */
std::optional<WeatherAlert> alertFor(const CapMessage &message, double latitude, double longitude,
                                     const QDateTime &now, const QString &language);

/**
 * The live alerts among `messages` (those /alert/area listed for a place): alertFor() of each
 * that no other message in the list updates or cancels (`references`), most severe first,
 * then the earliest onset.
 */
WeatherAlertList liveAlerts(const QList<CapMessage> &messages, double latitude, double longitude,
                            const QDateTime &now, const QString &language);

} // namespace CapParser
