// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "currentconditions.h"
#include "location.h"
#include "nowcast.h"
#include "weatheralert.h"
#include "weatheranswer.h"
#include "weathererror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

/** One hour of a forecast, as far as a status bar shows it; every measurement may be missing. */
struct StatusHour
{
    /**
     * Start of the hour, an instant (compared with StatusInput::now); shown in its own time
     * spec, which should be the place's offset (QDateTime::toOffsetFromUtc()).
     */
    QDateTime time;
    std::optional<double> temperature;
    WeatherCondition condition = WeatherCondition::Unknown;
    bool isDay = true;
    std::optional<double> precipitationProbability; ///< %
    std::optional<double> precipitationMm;
};

/**
 * What one status-bar line is made from: the city as typed, the place found, the current
 * conditions (missing when there is no answer at all), how old they are, why they are not
 * newer, and the next hours when the caller has them (an empty list: no hourly data). A plain
 * value, filled by the CLI from one answer of the service.
 */
struct StatusInput
{
    QString query;
    std::optional<Location> location;
    std::optional<CurrentConditions> current;
    bool stale = false;
    qint64 ageMs = 0;
    WeatherError error;
    QList<StatusHour> hourly;
    QDateTime now; ///< hours before this are not "next"; invalid: all are
    /** Live severe-weather alerts, most severe first; nullopt: unknown (issue 22). */
    std::optional<WeatherAlertList> alerts;
    // issue 23 (air): filled by AirReport::fillStatus(); nullopt when not asked or failed
    std::optional<AirQuality> airQuality;
    std::optional<RainOutlook> rain;
    /** The tooltip's index: the person's choice in Preferences (%a is always European). */
    AirQuality::Scale airQualityScale = AirQuality::Scale::European;

    /** From one answer of the service (weather may be null: the search found nothing). */
    static StatusInput fromAnswer(const QString &query, const Location *location,
                                  const WeatherError &error,
                                  const WeatherAnswer<CurrentConditions> *weather);
};

/**
 * `weatherdash-cli --format`: one line (or block) for a status bar. Pure: input in, text out.
 *
 * - Waybar: one JSON object {"text", "tooltip", "class", "percentage"} on one line. text and
 *   tooltip are Pango markup for Waybar, so text from outside has & < > escaped; class is the
 *   condition's group (clear, cloudy, fog, rain, snow, storm, unknown), ["<group>", "stale"]
 *   for an old answer, "error" for none, with "alert" added while a weather alert is live
 *   (its lines in the tooltip); percentage is the relative humidity.
 * - I3blocks: full_text, short_text and, for a stale answer or an error, a colour line; Pango
 *   escaped (the Waybar block in docs/cli.md sets markup=pango).
 * - Template: wttr.in-style placeholders (placeholders()); plain text with no control
 *   characters and no polybar format tag ("%{") from outside.
 *
 * A stale answer carries " (3 h old)"; no answer at all gives "⚠ <what went wrong, short>".
 */
class StatusFormat
{
    Q_DECLARE_TR_FUNCTIONS(StatusFormat)

public:
    enum class Kind { Waybar, I3blocks, Template };

    /** "waybar", "i3blocks", or a template with at least one placeholder; nullopt + why. */
    static std::optional<StatusFormat> parse(const QString &spec, QString *why);

    /** "%l  the place's name" lines, one per placeholder, for --help and the man page. */
    static QStringList placeholders();

    Kind kind() const { return m_kind; }
    /** Waybar and i3blocks show one place; a template gives one line per city. */
    bool isSinglePlace() const { return m_kind != Kind::Template; }
    /**
     * Whether "no answer" makes the exit status 1. Not for waybar and i3blocks: Waybar hides a
     * module whose command fails and i3blocks replaces its text, so the error line would never
     * be seen; they exit 0 with class "error" / a red line instead.
     */
    bool failureSetsExitStatus() const { return m_kind == Kind::Template; }

    /** The text to print, without the final newline. */
    QString render(const StatusInput &input) const;
    /** Whether a template has placeholder `p` (%% is no placeholder); false for the bars. */
    bool usesPlaceholder(QChar p) const;
    /**
     * Whether the line shows the air-quality index (%a, the waybar tooltip) or the nowcast (%r,
     * the waybar tooltip): the CLI asks for those feeds only then (issue 23).
     */
    bool showsAirQuality() const { return m_kind == Kind::Waybar || usesPlaceholder(u'a'); }
    bool showsNowcast() const { return m_kind == Kind::Waybar || usesPlaceholder(u'r'); }

    /** Text from outside, made safe: no control or bidi characters, one line. */
    static QString plainText(const QString &text);
    /** & < > ' " as Pango (XML) entities, after plainText(). */
    static QString pangoEscaped(const QString &text);
    /** One emoji for a condition (🌧), as wttr.in's %c. */
    static QString conditionEmoji(WeatherCondition condition, bool isDay);
    /** The CSS class group of a condition: clear, cloudy, fog, rain, snow, storm, unknown. */
    static QString conditionClass(WeatherCondition condition);
    /** "(3 h old)", "(5 min old)". */
    static QString ageSuffix(qint64 ms);
    /** A few words for the bar: "offline", "not found", "rate limited" ... */
    static QString shortError(const WeatherError &error);

private:
    explicit StatusFormat(Kind kind, QString pattern = {})
        : m_kind(kind)
        , m_pattern(std::move(pattern))
    { }

    QString renderWaybar(const StatusInput &input) const;
    QString renderI3blocks(const StatusInput &input) const;
    QString renderTemplate(const StatusInput &input) const;

    Kind m_kind;
    QString m_pattern;
};
