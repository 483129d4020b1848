// SPDX-License-Identifier: MIT
#include "statusformat.h"
#include "alertformat.h"

#include "displayescape.h"
#include "moon.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/** Hours listed in the waybar tooltip. */
constexpr int kTooltipHours = 6;

/** A whole number, never "-0". */
QString whole(double v)
{
    const double r = std::round(v);
    return QString::number(r == 0.0 ? 0.0 : r, 'f', 0);
}

QString temperature(const std::optional<double> &t, const UnitSet &units)
{
    return t ? whole(*t) + temperatureUnitText(units) : u"?"_s;
}

QString pressure(const CurrentConditions &c)
{
    if (!c.pressure)
        return u"?"_s;
    return QString::number(*c.pressure, 'f', pressureDecimals(c.units.pressure)) + u' '
           + pressureUnitText(c.units.pressure);
}

QString wind(const CurrentConditions &c)
{
    if (!c.windSpeed)
        return u"?"_s;
    QString w = whole(*c.windSpeed) + u' ' + windSpeedUnitText(c.units.windSpeed);
    if (c.windDirection)
        w += u' ' + compassPoint(*c.windDirection);
    return w;
}

QString percent(const std::optional<double> &v)
{
    return v ? whole(*v) + u'%' : u"?"_s;
}

/** The first hour that has not ended yet at `now` (all of them when now is invalid). */
qsizetype firstComingHour(const StatusInput &input)
{
    if (!input.now.isValid())
        return 0;
    for (qsizetype i = 0; i < input.hourly.size(); ++i) {
        if (input.hourly.at(i).time.addSecs(3600) > input.now)
            return i;
    }
    return input.hourly.size();
}

QString placeName(const StatusInput &input)
{
    return input.location ? input.location->name : input.query;
}

QString fullPlaceName(const StatusInput &input)
{
    return input.location ? input.location->displayName() : input.query;
}

/** "🌧 21°C", with " (3 h old)" for a stale answer; "⚠ offline" for none. Plain text. */
QString barText(const StatusInput &input)
{
    if (!input.current)
        return u"⚠ "_s + StatusFormat::shortError(input.error);
    const CurrentConditions &c = *input.current;
    QString text = StatusFormat::conditionEmoji(c.condition, c.isDay) + u' '
                   + temperature(c.temperature, c.units);
    if (input.stale)
        text += u' ' + StatusFormat::ageSuffix(input.ageMs);
    return text;
}

/** Plain-text lines: the place, the conditions, why it is old, the next hours. */
QStringList tooltipLines(const StatusInput &input)
{
    QStringList lines{StatusFormat::plainText(fullPlaceName(input))};
    if (!input.current) {
        lines << StatusFormat::plainText(input.error.message());
        return lines;
    }
    const CurrentConditions &c = *input.current;
    const QString unit = temperatureUnitText(c.units);
    lines << StatusFormat::tr("%1, %2 (feels like %3)")
                 .arg(StatusFormat::plainText(c.description),
                      c.temperature ? QString::number(*c.temperature, 'f', 1) + u' ' + unit
                                    : u"?"_s,
                      c.feelsLike ? QString::number(*c.feelsLike, 'f', 1) + u' ' + unit : u"?"_s);
    lines << StatusFormat::tr("Humidity %1 · Wind %2 · Pressure %3")
                 .arg(percent(c.humidity), wind(c), pressure(c));
    if (input.alerts) { // issue 22: in the place's time when it is known
        const QTimeZone zone = input.location ? AlertFormat::placeZone(
                                   input.location->timezone, input.location->utcOffsetSeconds)
                                              : QTimeZone(0);
        for (const WeatherAlert &a : *input.alerts)
            lines << u"⚠ "_s
                         + StatusFormat::plainText(AlertFormat::summary(
                             a, zone,
                             input.now.isValid() ? input.now : QDateTime::currentDateTimeUtc()));
    }
    // issue 23 (air): the index and an imminent rain, when the feeds answered.
    const AirQuality::Scale scale = input.airQualityScale;
    if (const auto index = input.airQuality ? input.airQuality->index(scale) : std::nullopt) {
        lines << (scale == AirQuality::Scale::US ? StatusFormat::tr("Air quality %1 · %2 (US AQI)")
                                                 : StatusFormat::tr("Air quality %1 · %2"))
                     .arg(QString::number(std::lround(*index)),
                          AirQuality::bandName(scale, *index));
    }
    if (input.rain && !input.rain->text().isEmpty())
        lines << input.rain->text();
    if (input.stale) {
        lines << StatusFormat::tr("Not updated %1: %2")
                     .arg(StatusFormat::ageSuffix(input.ageMs),
                          StatusFormat::plainText(input.error.message()));
    }
    const qsizetype first = firstComingHour(input);
    const qsizetype last = std::min(input.hourly.size(), first + kTooltipHours);
    if (first < last) {
        lines << QString();
        // Whose clock: the hours are the place's, which need not be the reader's.
        lines << StatusFormat::tr("Next hours (time in %1):")
                     .arg(StatusFormat::plainText(placeName(input)));
    }
    for (qsizetype i = first; i < last; ++i) {
        const StatusHour &h = input.hourly.at(i);
        QString line = h.time.toString(u"HH:mm"_s) + u' '
                       + StatusFormat::conditionEmoji(h.condition, h.isDay) + u' '
                       + temperature(h.temperature, c.units);
        if (h.precipitationProbability)
            line += u' ' + StatusFormat::tr("%1 rain").arg(percent(h.precipitationProbability));
        lines << line;
    }
    return lines;
}

/** What the template's placeholders stand for; nullopt for an unknown one. */
std::optional<QString> expand(QChar p, const StatusInput &input)
{
    const std::optional<CurrentConditions> &c = input.current;
    switch (p.unicode()) {
    case u'%':
        return u"%"_s;
    case u'l':
        return StatusFormat::plainText(placeName(input));
    case u'L':
        return StatusFormat::plainText(fullPlaceName(input));
    case u't':
        return c ? temperature(c->temperature, c->units) : u"?"_s;
    case u'f':
        return c ? temperature(c->feelsLike, c->units) : u"?"_s;
    case u'c':
        return c ? StatusFormat::conditionEmoji(c->condition, c->isDay) : u"?"_s;
    case u'C':
        return c ? StatusFormat::plainText(c->description) : u"?"_s;
    case u'h':
        return c ? percent(c->humidity) : u"?"_s;
    case u'w':
        return c ? wind(*c) : u"?"_s;
    case u'P':
        return c ? pressure(*c) : u"?"_s;
    case u'A': // issue 22: the live alerts, most severe first
        return StatusFormat::plainText(AlertFormat::statusText(input.alerts));
    // issue 23 (air): %m and %M as wttr.in; %a and %r are ours.
    case u'm':
        return Moon::symbol(
            Moon::at(input.now.isValid() ? input.now : QDateTime::currentDateTimeUtc()).name);
    case u'M':
        return QString::number(
            int(Moon::at(input.now.isValid() ? input.now : QDateTime::currentDateTimeUtc()).phase
                * Moon::kSynodicMonthDays));
    case u'a':
        return input.airQuality && input.airQuality->europeanAqi
                   ? QString::number(std::lround(*input.airQuality->europeanAqi)) + u' '
                         + AirQuality::bandName(AirQuality::Scale::European,
                                                *input.airQuality->europeanAqi)
                   : u"?"_s;
    case u'r':
        return input.rain && !input.rain->text().isEmpty() ? input.rain->text() : u"?"_s;
    case u'p': {
        const qsizetype first = firstComingHour(input);
        return first < input.hourly.size()
                   ? percent(input.hourly.at(first).precipitationProbability)
                   : u"?"_s;
    }
    default:
        return std::nullopt;
    }
}

} // namespace

StatusInput StatusInput::fromAnswer(const QString &query, const Location *location,
                                    const WeatherError &error,
                                    const WeatherAnswer<CurrentConditions> *weather)
{
    StatusInput in;
    in.query = query;
    if (location)
        in.location = *location;
    in.error = error;
    if (weather && weather->ok()) {
        in.current = *weather->value;
        in.stale = weather->source == AnswerSource::Stale;
        in.ageMs = weather->ageMs;
    }
    if (in.error.kind() == WeatherError::CityNotFound && in.error.detail().isEmpty())
        in.error.setDetail(query);
    in.now = QDateTime::currentDateTimeUtc();
    return in;
}

std::optional<StatusFormat> StatusFormat::parse(const QString &spec, QString *why)
{
    if (spec == u"waybar"_s)
        return StatusFormat(Kind::Waybar);
    if (spec == u"i3blocks"_s)
        return StatusFormat(Kind::I3blocks);
    if (!spec.contains(u'%')) {
        if (why)
            *why = StatusFormat::tr(
                       "unknown format \"%1\"; use waybar, i3blocks or a template such as "
                       "'%l: %t %c' (placeholders in the manual page).")
                       .arg(plainText(spec.left(60)));
        return std::nullopt;
    }
    const StatusInput probe;
    for (qsizetype i = 0; i < spec.size(); ++i) {
        if (spec.at(i) != u'%')
            continue;
        if (i + 1 == spec.size()) {
            if (why)
                *why
                    = StatusFormat::tr("the format ends in a lone %; write %% for a percent sign.");
            return std::nullopt;
        }
        const QChar p = spec.at(++i);
        if (!expand(p, probe)) {
            if (why) {
                *why = StatusFormat::tr(
                           "unknown placeholder %%1 in the format; known: %l %L %t %f %c %C %h "
                           "%w %P %p %A %m %M %a %r %%.")
                           .arg(plainText(QString(p)));
            }
            return std::nullopt;
        }
    }
    return StatusFormat(Kind::Template, spec);
}

QStringList StatusFormat::placeholders()
{
    return {StatusFormat::tr("%l  the place's name"),
            StatusFormat::tr("%L  the place with region and country"),
            StatusFormat::tr("%t  the temperature"),
            StatusFormat::tr("%f  the temperature it feels like"),
            StatusFormat::tr("%c  the condition as an emoji"),
            StatusFormat::tr("%C  the condition in words"),
            StatusFormat::tr("%h  the relative humidity"),
            StatusFormat::tr("%w  the wind speed and direction"),
            StatusFormat::tr("%P  the air pressure"),
            StatusFormat::tr("%p  the chance of rain in the coming hour (? without hourly data)"),
            StatusFormat::tr("%A  the most severe live weather alert, +N for more (empty for "
                             "none, ? when unknown)"),
            StatusFormat::tr("%m  the moon's phase as an emoji"),
            StatusFormat::tr("%M  the moon's age in days since new moon"),
            StatusFormat::tr("%a  the European air-quality index and its band (? without one)"),
            StatusFormat::tr("%r  rain in the next two hours, from the nowcast (? without one)"),
            StatusFormat::tr("%%  a percent sign")};
}

bool StatusFormat::usesPlaceholder(QChar p) const
{
    if (m_kind != Kind::Template)
        return false;
    for (qsizetype i = 0; i + 1 < m_pattern.size(); ++i) {
        if (m_pattern.at(i) != u'%')
            continue;
        if (m_pattern.at(++i) == p)
            return true;
    }
    return false;
}

QString StatusFormat::render(const StatusInput &input) const
{
    switch (m_kind) {
    case Kind::Waybar:
        return renderWaybar(input);
    case Kind::I3blocks:
        return renderI3blocks(input);
    case Kind::Template:
        return renderTemplate(input);
    }
    return {};
}

QString StatusFormat::renderWaybar(const StatusInput &input) const
{
    QStringList tooltip;
    for (const QString &line : tooltipLines(input))
        tooltip << pangoEscaped(line);
    QJsonObject o{{u"text"_s, pangoEscaped(barText(input))}, {u"tooltip"_s, tooltip.join(u'\n')}};
    if (!input.current) {
        o.insert(u"class"_s, u"error"_s);
    } else {
        const QString group = conditionClass(input.current->condition);
        QJsonArray classes{group};
        if (input.stale)
            classes.append(u"stale"_s);
        if (input.alerts && !input.alerts->isEmpty())
            classes.append(u"alert"_s); // issue 22
        o.insert(u"class"_s, classes.size() == 1 ? QJsonValue(group) : QJsonValue(classes));
        if (input.current->humidity)
            o.insert(u"percentage"_s,
                     int(std::lround(std::clamp(*input.current->humidity, 0.0, 100.0))));
    }
    // QJsonDocument escapes controls as \uXXXX, and plainText() took out the rest a terminal
    // would act on: one line, safe to print.
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString StatusFormat::renderI3blocks(const StatusInput &input) const
{
    const QString full = plainText(placeName(input)) + u": "_s + barText(input);
    QStringList lines{pangoEscaped(full), pangoEscaped(barText(input))};
    if (!input.current)
        lines << u"#E01B24"_s; // red: no answer
    else if (input.stale)
        lines << u"#E5A50A"_s; // amber: an old answer
    return lines.join(u'\n');
}

QString StatusFormat::renderTemplate(const StatusInput &input) const
{
    if (!input.current)
        return plainText(placeName(input)) + u": "_s + barText(input);
    QString text;
    for (qsizetype i = 0; i < m_pattern.size(); ++i) {
        const QChar ch = m_pattern.at(i);
        if (ch == u'%' && i + 1 < m_pattern.size())
            text += expand(m_pattern.at(++i), input).value_or(QString());
        else
            text += ch;
    }
    text = plainText(text); // the template itself is the user's, but one line all the same
    if (input.stale)
        text += u' ' + ageSuffix(input.ageMs);
    return text;
}

QString StatusFormat::plainText(const QString &text)
{
    // Polybar reads "%{...}" in a script's output as a format tag, and %{A:command:} runs a
    // command on click: text from outside never opens one.
    return DisplayEscape::terminal(text).replace(u"%{"_s, u"% {"_s);
}

QString StatusFormat::pangoEscaped(const QString &text)
{
    return plainText(text).toHtmlEscaped().replace(u'\'', u"&#39;"_s);
}

QString StatusFormat::conditionEmoji(WeatherCondition condition, bool isDay)
{
    switch (condition) {
    case WeatherCondition::Clear:
        return isDay ? u"☀️"_s : u"🌙"_s;
    case WeatherCondition::PartlyCloudy:
        return isDay ? u"⛅"_s : u"☁️"_s;
    case WeatherCondition::Cloudy:
    case WeatherCondition::Overcast:
        return u"☁️"_s;
    case WeatherCondition::Fog:
        return u"🌫"_s;
    case WeatherCondition::Drizzle:
    case WeatherCondition::Showers:
        return u"🌦"_s;
    case WeatherCondition::Rain:
        return u"🌧"_s;
    case WeatherCondition::FreezingRain:
    case WeatherCondition::SnowShowers:
        return u"🌨"_s;
    case WeatherCondition::Snow:
        return u"❄️"_s;
    case WeatherCondition::Thunderstorm:
        return u"⛈"_s;
    case WeatherCondition::Unknown:
        break;
    }
    return u"❔"_s;
}

QString StatusFormat::conditionClass(WeatherCondition condition)
{
    switch (condition) {
    case WeatherCondition::Clear:
        return u"clear"_s;
    case WeatherCondition::PartlyCloudy:
    case WeatherCondition::Cloudy:
    case WeatherCondition::Overcast:
        return u"cloudy"_s;
    case WeatherCondition::Fog:
        return u"fog"_s;
    case WeatherCondition::Drizzle:
    case WeatherCondition::Rain:
    case WeatherCondition::FreezingRain:
    case WeatherCondition::Showers:
        return u"rain"_s;
    case WeatherCondition::Snow:
    case WeatherCondition::SnowShowers:
        return u"snow"_s;
    case WeatherCondition::Thunderstorm:
        return u"storm"_s;
    case WeatherCondition::Unknown:
        break;
    }
    return u"unknown"_s;
}

QString StatusFormat::ageSuffix(qint64 ms)
{
    const qint64 minutes = std::max<qint64>(ms / 60000, 0);
    if (minutes < 60)
        return StatusFormat::tr("(%1 min old)").arg(minutes);
    if (minutes < 48 * 60)
        return StatusFormat::tr("(%1 h old)").arg(minutes / 60);
    return StatusFormat::tr("(%1 d old)").arg(minutes / (24 * 60));
}

QString StatusFormat::shortError(const WeatherError &error)
{
    switch (error.kind()) {
    case WeatherError::CityNotFound:
        return StatusFormat::tr("not found");
    case WeatherError::ApiKeyMissing:
        return StatusFormat::tr("no API key");
    case WeatherError::ApiKeyRejected:
        return StatusFormat::tr("API key rejected");
    case WeatherError::RateLimited:
        return StatusFormat::tr("rate limited");
    case WeatherError::Offline:
        return StatusFormat::tr("offline");
    case WeatherError::Timeout:
        return StatusFormat::tr("timed out");
    case WeatherError::ServerError:
        return StatusFormat::tr("server error");
    case WeatherError::TlsFailed:
        return StatusFormat::tr("no secure connection");
    case WeatherError::None:
    case WeatherError::BadResponse:
    case WeatherError::ResponseTooLarge:
    case WeatherError::InvalidInput:
        break;
    }
    return StatusFormat::tr("error");
}
