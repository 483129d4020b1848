// SPDX-License-Identifier: MIT
#include "weatherkey.h"

#include "location.h"

#include <QHashFunctions>
#include <QList>

using namespace Qt::StringLiterals;

namespace {

/** A provider id or a language: a non-empty segment without '/' or spaces. */
bool isToken(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (c == u'/' || c.isSpace())
            return false;
    }
    return true;
}

/** "-?d{1,3}.dd": one coordinate as arg(value, 0, 'f', 2) writes it. */
bool isCoordinateText(QStringView s)
{
    if (s.startsWith(u'-'))
        s = s.sliced(1);
    const qsizetype dot = s.indexOf(u'.');
    if (dot < 1 || dot > 3 || s.size() != dot + 3)
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (i != dot && !(s.at(i) >= u'0' && s.at(i) <= u'9'))
            return false;
    }
    return true;
}

bool isCoordinatesText(QStringView s)
{
    const qsizetype comma = s.indexOf(u',');
    return comma > 0 && isCoordinateText(s.first(comma)) && isCoordinateText(s.sliced(comma + 1));
}

/** The alert server's ids: they go into a URL path and a key, so a narrow alphabet. */
bool isAlertId(QStringView s)
{
    if (s.isEmpty() || s.size() > 200 || s == u"." || s == u"..")
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
              || u == u'.' || u == u'-' || u == u'_' || u == u':' || u == u'~' || u == u'@'))
            return false;
    }
    return true;
}

const QString kAlertsPrefix = u"alerts/"_s;

WeatherKey::Kind kindFromToken(QStringView token)
{
    if (token == u"cur")
        return WeatherKey::Kind::Current;
    if (token == u"fc")
        return WeatherKey::Kind::Forecast;
    if (token == u"hr")
        return WeatherKey::Kind::Hourly;
    if (token == u"gc")
        return WeatherKey::Kind::Search;
    if (token == u"rev")
        return WeatherKey::Kind::Reverse;
    if (token == u"aq")
        return WeatherKey::Kind::AirQuality;
    if (token == u"nc")
        return WeatherKey::Kind::Nowcast;
    return WeatherKey::Kind::Invalid;
}

} // namespace

QString WeatherKey::coordinatesText(double latitude, double longitude)
{
    return u"%1,%2"_s.arg(latitude, 0, 'f', 2).arg(longitude, 0, 'f', 2);
}

QString WeatherKey::kindToken(Kind kind)
{
    switch (kind) {
    case Kind::Current:
        return u"cur"_s;
    case Kind::Forecast:
        return u"fc"_s;
    case Kind::Hourly:
        return u"hr"_s;
    case Kind::Search:
        return u"gc"_s;
    case Kind::Label:
        return u"label"_s;
    case Kind::Reverse:
        return u"rev"_s;
    case Kind::AlertList:
        return u"al"_s;
    case Kind::AlertMessage:
        return u"cap"_s;
    case Kind::AirQuality:
        return u"aq"_s;
    case Kind::Nowcast:
        return u"nc"_s;
    case Kind::Invalid:
        break;
    }
    return QString();
}

WeatherKey WeatherKey::current(const QString &provider, double latitude, double longitude,
                               Units units, const QString &language)
{
    WeatherKey k = forecast(provider, latitude, longitude, units, language);
    if (k.isValid())
        k.m_kind = Kind::Current;
    return k;
}

WeatherKey WeatherKey::current(const QString &provider, const Location &location, Units units,
                               const QString &language)
{
    return current(provider, location.latitude, location.longitude, units, language);
}

WeatherKey WeatherKey::forecast(const QString &provider, double latitude, double longitude,
                                Units units, const QString &language)
{
    WeatherKey k;
    if (!isToken(provider) || !isToken(language) || !qIsFinite(latitude) || !qIsFinite(longitude)
        || qAbs(latitude) > 90.0 || qAbs(longitude) > 180.0)
        return k;
    k.m_kind = Kind::Forecast;
    k.m_provider = provider;
    k.m_coordinates = coordinatesText(latitude, longitude);
    k.m_units = units;
    k.m_language = language;
    return k;
}

WeatherKey WeatherKey::forecast(const QString &provider, const Location &location, Units units,
                                const QString &language)
{
    return forecast(provider, location.latitude, location.longitude, units, language);
}

WeatherKey WeatherKey::hourly(const QString &provider, const Location &location, Units units,
                              const QString &language)
{
    WeatherKey k = forecast(provider, location, units, language);
    if (k.isValid())
        k.m_kind = Kind::Hourly;
    return k;
}

WeatherKey WeatherKey::feed(Kind kind, const QString &provider, const Location &location,
                            Units units, const QString &language)
{
    if (kind != Kind::AirQuality && kind != Kind::Nowcast)
        return {};
    WeatherKey k = forecast(provider, location, units, language);
    if (k.isValid())
        k.m_kind = kind;
    return k;
}

WeatherKey WeatherKey::search(const QString &provider, const QString &language,
                              const QString &query)
{
    WeatherKey k;
    const QString folded = query.toCaseFolded();
    if (!isToken(provider) || !isToken(language) || folded.isEmpty())
        return k;
    k.m_kind = Kind::Search;
    k.m_provider = provider;
    k.m_language = language;
    k.m_query = folded;
    return k;
}

WeatherKey WeatherKey::label(double latitude, double longitude)
{
    WeatherKey k;
    if (!qIsFinite(latitude) || !qIsFinite(longitude) || qAbs(latitude) > 90.0
        || qAbs(longitude) > 180.0)
        return k;
    k.m_kind = Kind::Label;
    k.m_coordinates = coordinatesText(latitude, longitude);
    return k;
}

WeatherKey WeatherKey::reverse(const QString &provider, double latitude, double longitude,
                               const QString &language)
{
    WeatherKey k = label(latitude, longitude);
    if (!k.isValid() || !isToken(provider) || !isToken(language))
        return {};
    k.m_kind = Kind::Reverse;
    k.m_provider = provider;
    k.m_language = language;
    return k;
}

WeatherKey WeatherKey::label(const Location &location)
{
    return label(location.latitude, location.longitude);
}

WeatherKey WeatherKey::alertList(double latitude, double longitude)
{
    WeatherKey k = label(latitude, longitude);
    if (k.isValid())
        k.m_kind = Kind::AlertList;
    return k;
}

WeatherKey WeatherKey::alertMessage(const QString &id)
{
    WeatherKey k;
    if (!isAlertId(id))
        return k;
    k.m_kind = Kind::AlertMessage;
    k.m_query = id;
    return k;
}

WeatherKey WeatherKey::parse(QStringView text)
{
    WeatherKey k;
    if (text.startsWith(kAlertsPrefix)) {
        const QStringView rest = text.sliced(kAlertsPrefix.size());
        if (rest.startsWith(u"al/") && isCoordinatesText(rest.sliced(3))) {
            k.m_kind = Kind::AlertList;
            k.m_coordinates = rest.sliced(3).toString();
        } else if (rest.startsWith(u"cap/") && isAlertId(rest.sliced(4))) {
            k.m_kind = Kind::AlertMessage;
            k.m_query = rest.sliced(4).toString();
        }
        return k;
    }
    if (text.startsWith(u"label/")) {
        const QStringView coords = text.mid(6);
        if (!isCoordinatesText(coords))
            return {};
        k.m_kind = Kind::Label;
        k.m_coordinates = coords.toString();
        return k;
    }
    const qsizetype first = text.indexOf(u'/');
    const qsizetype second = first < 0 ? -1 : text.indexOf(u'/', first + 1);
    if (second < 0)
        return {};
    const QStringView provider = text.first(first);
    const Kind kind = kindFromToken(text.sliced(first + 1, second - first - 1));
    const QStringView rest = text.sliced(second + 1);
    if (!isToken(provider) || kind == Kind::Invalid)
        return {};
    k.m_provider = provider.toString();
    if (kind == Kind::Search) {
        const qsizetype slash = rest.indexOf(u'/');
        if (slash < 0)
            return {};
        const QStringView language = rest.first(slash);
        const QStringView query = rest.sliced(slash + 1);
        // The query is stored folded: anything else was not written by us.
        if (!isToken(language) || query.isEmpty() || query.toString().toCaseFolded() != query)
            return {};
        k.m_kind = kind;
        k.m_language = language.toString();
        k.m_query = query.toString();
        return k;
    }
    if (kind == Kind::Reverse) {
        // provider/rev/coordinates/language: no units, a name is no measurement.
        const QList<QStringView> parts = rest.split(u'/');
        if (parts.size() != 2 || !isCoordinatesText(parts.at(0)) || !isToken(parts.at(1)))
            return {};
        k.m_kind = kind;
        k.m_coordinates = parts.at(0).toString();
        k.m_language = parts.at(1).toString();
        return k;
    }
    const QList<QStringView> parts = rest.split(u'/');
    if (parts.size() != 3 || !isCoordinatesText(parts.at(0)) || !isToken(parts.at(2)))
        return {};
    if (parts.at(1) == u"metric")
        k.m_units = Units::Metric;
    else if (parts.at(1) == u"imperial")
        k.m_units = Units::Imperial;
    else
        return {};
    k.m_kind = kind;
    k.m_coordinates = parts.at(0).toString();
    k.m_language = parts.at(2).toString();
    return k;
}

double WeatherKey::latitude() const
{
    return m_coordinates.section(u',', 0, 0).toDouble();
}

double WeatherKey::longitude() const
{
    return m_coordinates.section(u',', 1, 1).toDouble();
}

WeatherKey WeatherKey::withKind(Kind kind) const
{
    if (m_coordinates.isEmpty() || kind == Kind::Search || kind == Kind::Invalid
        || kind == Kind::Reverse || (m_kind == Kind::Reverse && kind != Kind::Label)
        || kind == Kind::AlertMessage)
        return {};
    if (kind == Kind::AlertList) {
        WeatherKey k = alertList(latitude(), longitude());
        k.m_coordinates = m_coordinates; // exactly the cell this key names
        return k;
    }
    WeatherKey k = *this;
    k.m_kind = kind;
    if (kind == Kind::Label) {
        k.m_provider.clear();
        k.m_language.clear();
        k.m_units = Units::Metric;
    } else if (k.m_provider.isEmpty()) {
        return {}; // a label knows no provider, units or language
    }
    return k;
}

QString WeatherKey::toString() const
{
    switch (m_kind) {
    case Kind::Current:
    case Kind::Forecast:
    case Kind::Hourly:
    case Kind::AirQuality:
    case Kind::Nowcast:
        return m_provider + u'/' + kindToken(m_kind) + u'/' + m_coordinates + u'/'
               + unitsToString(m_units) + u'/' + m_language;
    case Kind::Search:
        return m_provider + u"/gc/"_s + m_language + u'/' + m_query;
    case Kind::Reverse:
        return m_provider + u"/rev/"_s + m_coordinates + u'/' + m_language;
    case Kind::Label:
        return u"label/"_s + m_coordinates;
    case Kind::AlertList:
        return kAlertsPrefix + u"al/"_s + m_coordinates;
    case Kind::AlertMessage:
        return kAlertsPrefix + u"cap/"_s + m_query;
    case Kind::Invalid:
        break;
    }
    return QString();
}

size_t qHash(const WeatherKey &key, size_t seed)
{
    return qHashMulti(seed, int(key.kind()), key.provider(), key.coordinates(), int(key.units()),
                      key.language(), key.query());
}
