// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

/**
 * Severe-weather alerts: a CAP 1.2 message as the alert server sends it (CapMessage, what the
 * cache holds), and one live alert as the person reads it (WeatherAlert, what CapParser's
 * filters make of a message for one place and language). Plain values.
 */

/**
 * How long alert entries live in every tier (memory, disk, Redis). A message never changes
 * once issued: it is kept until its `expires`, at least kMinMessageMs (an expiry a moment
 * away still saves the next look) and at most kMaxMessageMs; one without an expiry for
 * kNoExpiryMessageMs. The list of ids per place changes as offices issue alerts: minutes.
 */
namespace AlertLifetime {
constexpr qint64 kListMs = 5 * 60 * 1000;
constexpr qint64 kMinMessageMs = 60 * 1000;
constexpr qint64 kNoExpiryMessageMs = 24LL * 3600 * 1000;
constexpr qint64 kMaxMessageMs = 14LL * 24 * 3600 * 1000;
} // namespace AlertLifetime

/** A point inside a CAP area: "lat,lon" pairs. */
struct CapPoint
{
    double latitude = 0.0;
    double longitude = 0.0;
    friend bool operator==(const CapPoint &, const CapPoint &) = default;
};

/** `<circle>`: "lat,lon radius_km". */
struct CapCircle
{
    CapPoint centre;
    double radiusKm = 0.0;
    friend bool operator==(const CapCircle &, const CapCircle &) = default;
};

/** `<area>`: its description and any number of polygons and circles. */
struct CapArea
{
    QString description;
    QList<QList<CapPoint>> polygons;
    QList<CapCircle> circles;

    /** True when one of the polygons or circles holds the point (a boundary counts as in). */
    bool contains(double latitude, double longitude) const;
    friend bool operator==(const CapArea &, const CapArea &) = default;
};

/** `<info>`: one per language. Enumerated fields keep CAP's own spelling ("Met", "Past"). */
struct CapInfo
{
    QString language = QStringLiteral("en-US"); // CAP's default when <language> is absent
    QStringList categories;
    QString event;
    QString urgency;
    QString severity;
    QString certainty;
    QDateTime effective;
    QDateTime onset;
    QDateTime expires; // invalid: the message gives none
    QString senderName;
    QString headline;
    QString description;
    QString instruction;
    QString web;
    QList<CapArea> areas;

    bool contains(double latitude, double longitude) const;
    friend bool operator==(const CapInfo &, const CapInfo &) = default;
};

/** `<alert>`: one message; it never changes once issued. */
struct CapMessage
{
    QString identifier;
    QString sender;
    QDateTime sent;
    QString status; // Actual, Exercise, System, Test, Draft
    QString msgType; // Alert, Update, Cancel, Ack, Error
    /** The identifiers of the messages this one updates or cancels (from "sender,id,sent"). */
    QStringList references;
    QList<CapInfo> infos;
    /**
     * The XML the message was parsed from: what the disk and shared tiers keep, so a stored
     * message is read back by the same parser (and the same limits) as one from the network.
     */
    QByteArray source;

    /** The latest `expires` of its infos; invalid when one has none (it does not expire). */
    QDateTime expires() const;
    friend bool operator==(const CapMessage &, const CapMessage &) = default;
};

/** The alert ids the server lists for a place's box (what /alert/area answers). */
struct AlertIdList
{
    QStringList ids;
    friend bool operator==(const AlertIdList &, const AlertIdList &) = default;
};

/** One live alert for one place, in the person's language. */
struct WeatherAlert
{
    enum class Severity : quint8 { Unknown, Minor, Moderate, Severe, Extreme };

    QString id; // the CAP identifier
    QString event;
    QString headline;
    Severity severity = Severity::Unknown;
    QString urgency;
    QString certainty;
    QDateTime onset; // effective when there is no onset; with the message's UTC offset
    QDateTime expires; // invalid: until further notice
    QString sender; // senderName, else the sender
    QString description;
    QString instruction;
    QString web;
    QString areaDescription;
    QString language;
    /** The ids of the earlier messages this one replaces (an update). */
    QStringList replaces;

    static Severity severityFromCap(QStringView text);
    /** "extreme", "severe", ...: the CLI's JSON. */
    static QString severityToken(Severity severity);
    /** "Extreme", "Severe"...: in the person's language. */
    static QString severityText(Severity severity);

    friend bool operator==(const WeatherAlert &, const WeatherAlert &) = default;
};

using WeatherAlertList = QList<WeatherAlert>;

Q_DECLARE_METATYPE(WeatherAlert)
