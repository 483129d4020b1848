// SPDX-License-Identifier: MIT
#include "fakeweatherserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace {

constexpr double kKelvinOffset = 273.15;
constexpr double kKmhPerMph = 1.609344;
constexpr double kCoordinateTolerance = 0.05;

QByteArray toJson(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

double round1(double value)
{
    return std::round(value * 10.0) / 10.0;
}

double toFahrenheit(double celsius)
{
    return celsius * 9.0 / 5.0 + 32.0;
}

bool sameText(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool nameMatches(const FakeWeatherServer::City &city, const QString &query, bool allowPrefix)
{
    QStringList names = city.alternateNames;
    names.prepend(city.name);
    for (const QString &name : std::as_const(names)) {
        if (sameText(name, query))
            return true;
        if (allowPrefix && name.startsWith(query, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString owmDescription(int id)
{
    switch (id) {
    case 211:
        return u"thunderstorm"_s;
    case 300:
        return u"light intensity drizzle"_s;
    case 500:
        return u"light rain"_s;
    case 501:
        return u"moderate rain"_s;
    case 521:
        return u"shower rain"_s;
    case 600:
        return u"light snow"_s;
    case 741:
        return u"fog"_s;
    case 800:
        return u"clear sky"_s;
    case 801:
        return u"few clouds"_s;
    case 802:
        return u"scattered clouds"_s;
    case 803:
        return u"broken clouds"_s;
    case 804:
        return u"overcast clouds"_s;
    default:
        return u"unknown"_s;
    }
}

QString owmMain(int id)
{
    if (id >= 200 && id < 300)
        return u"Thunderstorm"_s;
    if (id >= 300 && id < 400)
        return u"Drizzle"_s;
    if (id >= 500 && id < 600)
        return u"Rain"_s;
    if (id >= 600 && id < 700)
        return u"Snow"_s;
    if (id >= 700 && id < 800)
        return u"Fog"_s;
    return id == 800 ? u"Clear"_s : u"Clouds"_s;
}

QJsonObject owmWeather(int id, bool day, const QString &description = {})
{
    const QString icon = id == 800 ? u"01"_s : id < 700 ? u"10"_s : u"04"_s;
    return QJsonObject{{u"id"_s, id},
                       {u"main"_s, owmMain(id)},
                       {u"description"_s, description.isEmpty() ? owmDescription(id) : description},
                       {u"icon"_s, QString(icon + (day ? u"d"_s : u"n"_s))}};
}

/** Temperature swing by local hour, so forecast minima and maxima differ. */
double diurnal(int localHour)
{
    static constexpr double kSwing[8] = {-4.0, -5.0, -3.0, 1.0, 4.0, 3.5, 0.5, -2.0};
    return kSwing[(localHour / 3) % 8];
}

bool isWetWmo(int code)
{
    return (code >= 51 && code <= 67) || (code >= 80 && code <= 82) || code >= 95;
}

bool isWetOwm(int id)
{
    return id >= 200 && id < 600;
}

double gustOf(const FakeWeatherServer::City &city)
{
    return std::isnan(city.gustKmh) ? city.windKmh * 1.5 : city.gustKmh;
}

double rainNow(const FakeWeatherServer::City &city, bool wet)
{
    return std::isnan(city.precipitationMm) ? (wet ? 1.2 : 0.0) : city.precipitationMm;
}

/** "2026-06-15T04:43": wall time at the place. */
QString localIso(const QDateTime &localAsUtc)
{
    return localAsUtc.toString(u"yyyy-MM-ddTHH:mm"_s);
}

FakeWeatherServer::City oceanAt(double latitude, double longitude)
{
    FakeWeatherServer::City city;
    city.name = u"Ocean"_s;
    city.latitude = latitude;
    city.longitude = longitude;
    city.timezone = u"GMT"_s;
    city.temperatureC = 12.0;
    city.wmoCode = 3;
    city.owmId = 804;
    return city;
}

} // namespace

FakeWeatherServer::FakeWeatherServer(QObject *parent)
    : QObject(parent)
    , m_cities(defaultCities())
    , m_serverTime(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC)
{
    m_http.setDefaultHandler([this](const RecordedRequest &request) { return dispatch(request); });
}

QString FakeWeatherServer::defaultApiKey()
{
    return u"0123456789abcdef0123456789abcdef"_s;
}

ProviderEndpoints FakeWeatherServer::endpoints() const
{
    ProviderEndpoints endpoints;
    endpoints.openMeteoGeocoding = baseUrl();
    endpoints.openMeteoForecast = baseUrl();
    endpoints.openWeatherMap = baseUrl();
    endpoints.openMeteoAirQuality = baseUrl();
    return endpoints;
}

QList<FakeWeatherServer::City> FakeWeatherServer::defaultCities()
{
    QList<City> cities;
    auto add = [&cities](City city) {
        cities.append(std::move(city));
    };
    // Offsets are those of mid-June (serverTime()).
    add({u"Berlin"_s,
         {},
         u"Berlin"_s,
         u"BE"_s,
         u"Germany"_s,
         u"DE"_s,
         52.52437,
         13.41053,
         u"Europe/Berlin"_s,
         7200,
         3426354,
         21.5,
         2,
         802,
         55,
         1012,
         14.4,
         250});
    add({u"London"_s,
         {},
         u"England"_s,
         u"ENG"_s,
         u"United Kingdom"_s,
         u"GB"_s,
         51.50853,
         -0.12574,
         u"Europe/London"_s,
         3600,
         8961989,
         17.0,
         61,
         501,
         80,
         1008,
         18.0,
         200});
    add({u"London"_s,
         {},
         u"Ontario"_s,
         u"ON"_s,
         u"Canada"_s,
         u"CA"_s,
         42.98339,
         -81.23304,
         u"America/Toronto"_s,
         -14400,
         346765,
         24.0,
         0,
         800,
         45,
         1019,
         7.2,
         90});
    add({u"Paris"_s,
         {},
         u"Île-de-France"_s,
         u"IDF"_s,
         u"France"_s,
         u"FR"_s,
         48.85341,
         2.3488,
         u"Europe/Paris"_s,
         7200,
         2138551,
         23.0,
         3,
         804,
         50,
         1015,
         10.8,
         300});
    add({u"São Paulo"_s,
         {u"Sao Paulo"_s},
         u"São Paulo"_s,
         u"SP"_s,
         u"Brazil"_s,
         u"BR"_s,
         -23.5475,
         -46.63611,
         u"America/Sao_Paulo"_s,
         -10800,
         10021295,
         18.0,
         95,
         211,
         85,
         1016,
         21.6,
         120});
    add({u"Tokyo"_s,
         {u"東京"_s, u"Tōkyō"_s},
         u"Tokyo"_s,
         u"13"_s,
         u"Japan"_s,
         u"JP"_s,
         35.6895,
         139.69171,
         u"Asia/Tokyo"_s,
         32400,
         8336599,
         26.0,
         80,
         521,
         70,
         1006,
         12.6,
         160});
    for (int i = 1; i <= 100; ++i) {
        City city;
        city.name = u"City%1"_s.arg(i, 3, 10, QChar(u'0'));
        city.region = u"Region %1"_s.arg((i - 1) / 10 + 1);
        city.country = u"Testland"_s;
        city.countryCode = u"ZZ"_s;
        city.latitude = -45.0 + i * 0.9;
        city.longitude = -170.0 + i * 3.4;
        city.timezone = u"Etc/UTC"_s;
        city.population = 1000 * i;
        city.temperatureC = 5.0 + i % 20;
        static constexpr int kWmo[] = {0, 1, 2, 3, 45, 61, 71, 80, 95};
        static constexpr int kOwm[] = {800, 801, 802, 804, 741, 501, 600, 521, 211};
        city.wmoCode = kWmo[i % 9];
        city.owmId = kOwm[i % 9];
        cities.append(city);
    }
    return cities;
}

std::optional<FakeWeatherServer::City> FakeWeatherServer::city(const QString &name,
                                                               const QString &countryCode) const
{
    for (const City &city : m_cities) {
        if (nameMatches(city, name, false)
            && (countryCode.isEmpty() || sameText(city.countryCode, countryCode)))
            return city;
    }
    return std::nullopt;
}

std::optional<FakeWeatherServer::City> FakeWeatherServer::cityAt(double latitude,
                                                                 double longitude) const
{
    for (const City &city : m_cities) {
        if (std::abs(city.latitude - latitude) < kCoordinateTolerance
            && std::abs(city.longitude - longitude) < kCoordinateTolerance)
            return city;
    }
    return std::nullopt;
}

QString FakeWeatherServer::path(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::OpenMeteoGeocoding:
        return u"/v1/search"_s;
    case Endpoint::OpenMeteoCurrent:
    case Endpoint::OpenMeteoForecast:
    case Endpoint::OpenMeteoHourly:
        return u"/v1/forecast"_s;
    case Endpoint::OwmGeocoding:
        return u"/geo/1.0/direct"_s;
    case Endpoint::OwmCurrent:
        return u"/data/2.5/weather"_s;
    case Endpoint::OwmForecast:
        return u"/data/2.5/forecast"_s;
    case Endpoint::NominatimReverse:
        return u"/reverse"_s;
    case Endpoint::OpenMeteoAirQuality:
        return u"/v1/air-quality"_s;
    case Endpoint::OpenMeteoNowcast:
        return u"/v1/forecast"_s;
    }
    return {};
}

std::optional<FakeWeatherServer::Endpoint>
FakeWeatherServer::classify(const RecordedRequest &request) const
{
    if (request.path == u"/v1/search")
        return Endpoint::OpenMeteoGeocoding;
    if (request.path == u"/v1/air-quality")
        return Endpoint::OpenMeteoAirQuality;
    if (request.path == u"/v1/forecast") {
        if (request.hasQueryItem(u"minutely_15"_s) && !request.hasQueryItem(u"current"_s)
            && !request.hasQueryItem(u"daily"_s) && !request.hasQueryItem(u"hourly"_s))
            return Endpoint::OpenMeteoNowcast;
        if (request.hasQueryItem(u"daily"_s))
            return Endpoint::OpenMeteoForecast;
        return request.hasQueryItem(u"hourly"_s) ? Endpoint::OpenMeteoHourly
                                                 : Endpoint::OpenMeteoCurrent;
    }
    if (request.path == u"/geo/1.0/direct")
        return Endpoint::OwmGeocoding;
    if (request.path == u"/data/2.5/weather")
        return Endpoint::OwmCurrent;
    if (request.path == u"/data/2.5/forecast")
        return Endpoint::OwmForecast;
    if (request.path == u"/reverse")
        return Endpoint::NominatimReverse;
    return std::nullopt;
}

void FakeWeatherServer::setReply(Endpoint endpoint, const HttpReply &reply, int times)
{
    m_overrides.insert(endpoint, Override{reply, times});
}

QByteArray FakeWeatherServer::errorBody(Endpoint endpoint, int status)
{
    if (endpoint == Endpoint::NominatimReverse) {
        // Nominatim 4.x: an error object; 403 (a blocked agent) and 5xx are HTML pages.
        if (status == 403)
            return "<html><body><h1>Access blocked</h1><p>You have been blocked because you have "
                   "violated the usage policy of OSM's Nominatim geocoding service.</p></body>"
                   "</html>";
        if (status >= 500)
            return "<html><body><h1>502 Bad Gateway</h1></body></html>";
        return toJson(QJsonObject{
            {u"error"_s,
             QJsonObject{{u"code"_s, status},
                         {u"message"_s, status == 429 ? u"Too Many Requests"_s
                                                      : u"Parameter 'lat' must be a number."_s}}}});
    }
    const bool openMeteo
        = endpoint == Endpoint::OpenMeteoGeocoding || endpoint == Endpoint::OpenMeteoCurrent
          || endpoint == Endpoint::OpenMeteoForecast || endpoint == Endpoint::OpenMeteoHourly
          || endpoint == Endpoint::OpenMeteoAirQuality || endpoint == Endpoint::OpenMeteoNowcast;
    if (openMeteo) {
        QString reason;
        switch (status) {
        case 400:
            reason = endpoint == Endpoint::OpenMeteoGeocoding
                         ? u"Parameter count must be between 1 and 100."_s
                     : endpoint == Endpoint::OpenMeteoAirQuality
                         ? u"Cannot initialize AirQualityVariable from invalid String value "
                           u"nonsense_pollen for key current"_s
                         : u"Latitude must be in range of -90 to 90°. Given: 91.0."_s;
            break;
        case 429:
            reason = u"Minutely API request limit exceeded. Please try again in one minute."_s;
            break;
        case 503:
            reason = u"The service is overloaded"_s;
            break;
        default:
            reason = u"Internal server error"_s;
            break;
        }
        return toJson(QJsonObject{{u"error"_s, true}, {u"reason"_s, reason}});
    }
    switch (status) {
    case 400:
        return R"({"cod":"400","message":"Nothing to geocode"})";
    case 401:
        return R"({"cod":401,"message":"Invalid API key. Please see https://openweathermap.org/faq#error401 for more info."})";
    case 404:
        return R"({"cod":"404","message":"city not found"})";
    case 429:
        return R"({"cod":429,"message":"Your account is temporary blocked due to exceeding of requests limitation of your subscription type. Please choose the proper subscription https://openweathermap.org/price"})";
    default:
        return toJson(
            QJsonObject{{u"cod"_s, QString::number(status)}, {u"message"_s, u"Internal error"_s}});
    }
}

void FakeWeatherServer::failWith(Endpoint endpoint, int status, int retryAfterSeconds, int times)
{
    HttpReply reply = HttpReply::json(status, errorBody(endpoint, status));
    if (retryAfterSeconds >= 0)
        reply.withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    setReply(endpoint, reply, times);
}

void FakeWeatherServer::clearReply(Endpoint endpoint)
{
    m_overrides.remove(endpoint);
}

void FakeWeatherServer::clearReplies()
{
    m_overrides.clear();
}

int FakeWeatherServer::totalRequestCount() const
{
    int total = 0;
    for (const int count : m_counts)
        total += count;
    return total;
}

QList<RecordedRequest> FakeWeatherServer::requests(Endpoint endpoint) const
{
    return m_requests.value(endpoint);
}

RecordedRequest FakeWeatherServer::lastRequest(Endpoint endpoint) const
{
    const QList<RecordedRequest> list = m_requests.value(endpoint);
    return list.isEmpty() ? RecordedRequest() : list.constLast();
}

void FakeWeatherServer::resetCounters()
{
    m_counts.clear();
    m_requests.clear();
    m_http.clearRecords();
}

HttpReply FakeWeatherServer::dispatch(const RecordedRequest &request)
{
    if (request.path.startsWith(u"/alert/"_s)) // the alert server's paths (issue 22)
        return m_alerts.answer(request);
    const auto endpoint = classify(request);
    if (!endpoint)
        return HttpReply::json(404, R"({"cod":"404","message":"Internal error"})");
    ++m_counts[*endpoint];
    m_requests[*endpoint].append(request);
    Q_EMIT requestHandled(*endpoint);

    if (auto it = m_overrides.find(*endpoint); it != m_overrides.end()) {
        const HttpReply reply = it->reply;
        if (it->remaining > 0 && --it->remaining == 0)
            m_overrides.erase(it);
        return reply;
    }

    const bool owm = *endpoint == Endpoint::OwmGeocoding || *endpoint == Endpoint::OwmCurrent
                     || *endpoint == Endpoint::OwmForecast;
    if (owm && request.queryValue(u"appid"_s) != m_validApiKey)
        return HttpReply::json(401, errorBody(*endpoint, 401));

    switch (*endpoint) {
    case Endpoint::OpenMeteoGeocoding:
        return openMeteoSearch(request);
    case Endpoint::OpenMeteoCurrent:
    case Endpoint::OpenMeteoForecast:
    case Endpoint::OpenMeteoHourly:
        return openMeteoForecast(request);
    case Endpoint::OwmGeocoding:
        return owmGeocoding(request);
    case Endpoint::OwmCurrent:
        return owmCurrent(request);
    case Endpoint::OwmForecast:
        return owmForecast(request);
    case Endpoint::NominatimReverse:
        return nominatimReverse(request);
    case Endpoint::OpenMeteoAirQuality:
        return openMeteoAirQuality(request);
    case Endpoint::OpenMeteoNowcast:
        return openMeteoNowcast(request);
    }
    return HttpReply::json(500, "{}");
}

HttpReply FakeWeatherServer::openMeteoSearch(const RecordedRequest &request) const
{
    bool countOk = true;
    const QString countText = request.queryValue(u"count"_s);
    const int count = countText.isNull() ? 10 : countText.toInt(&countOk);
    if (!countOk || count < 1 || count > 100)
        return HttpReply::json(400, errorBody(Endpoint::OpenMeteoGeocoding, 400));

    const QString query = request.queryValue(u"name"_s);
    const qsizetype comma = query.indexOf(u',');
    const QString name = (comma < 0 ? query : query.left(comma)).trimmed();
    const QString filter = comma < 0 ? QString() : query.mid(comma + 1).trimmed();

    QList<City> matches;
    if (name.size() >= 2) {
        for (const City &city : m_cities) {
            if (!nameMatches(city, name, name.size() >= 3))
                continue;
            if (!filter.isEmpty() && !sameText(filter, city.country)
                && !sameText(filter, city.countryCode) && !sameText(filter, city.region))
                continue;
            matches.append(city);
        }
    }
    std::stable_sort(matches.begin(), matches.end(),
                     [](const City &a, const City &b) { return a.population > b.population; });

    QJsonObject root{{u"generationtime_ms"_s, 0.4}};
    if (!matches.isEmpty()) {
        QJsonArray results;
        int id = 2950159;
        for (const City &city : std::as_const(matches)) {
            if (results.size() >= count)
                break;
            QJsonObject entry{{u"id"_s, id++},
                              {u"name"_s, city.name},
                              {u"latitude"_s, city.latitude},
                              {u"longitude"_s, city.longitude},
                              {u"elevation"_s, 74.0},
                              {u"feature_code"_s, u"PPLC"_s},
                              {u"country_code"_s, city.countryCode},
                              {u"timezone"_s, city.timezone},
                              {u"country"_s, city.country}};
            // Empty fields are omitted, as the real service does.
            if (city.population > 0)
                entry.insert(u"population"_s, city.population);
            if (!city.region.isEmpty())
                entry.insert(u"admin1"_s, city.region);
            results.append(entry);
        }
        root.insert(u"results"_s, results);
    }
    return HttpReply::json(200, toJson(root));
}

HttpReply FakeWeatherServer::openMeteoForecast(const RecordedRequest &request) const
{
    bool latOk = false;
    bool lonOk = false;
    const double latitude = request.queryValue(u"latitude"_s).toDouble(&latOk);
    const double longitude = request.queryValue(u"longitude"_s).toDouble(&lonOk);
    if (!latOk || !lonOk || latitude < -90 || latitude > 90 || longitude < -180
        || longitude > 180) {
        const QString reason = u"Latitude must be in range of -90 to 90°. Given: %1."_s.arg(
            request.queryValue(u"latitude"_s));
        return HttpReply::json(400, toJson(QJsonObject{{u"error"_s, true}, {u"reason"_s, reason}}));
    }
    const City city = cityAt(latitude, longitude).value_or(oceanAt(latitude, longitude));
    const bool fahrenheit = request.queryValue(u"temperature_unit"_s) == u"fahrenheit";
    const QString windUnit = request.queryValue(u"wind_speed_unit"_s);
    auto temp = [fahrenheit](double celsius) {
        return round1(fahrenheit ? toFahrenheit(celsius) : celsius);
    };
    auto wind = [&windUnit](double kmh) {
        if (windUnit == u"mph")
            return round1(kmh / kKmhPerMph);
        if (windUnit == u"ms")
            return round1(kmh / 3.6);
        if (windUnit == u"kn")
            return round1(kmh / 1.852);
        return round1(kmh);
    };

    const QDateTime local = m_serverTime.addSecs(city.utcOffsetSeconds);
    const QTime quarter(local.time().hour(), local.time().minute() / 15 * 15);
    const bool isDay = local.time().hour() >= 6 && local.time().hour() < 21;

    QJsonObject root{{u"latitude"_s, round1(city.latitude * 10) / 10},
                     {u"longitude"_s, round1(city.longitude * 10) / 10},
                     {u"generationtime_ms"_s, 0.05},
                     {u"utc_offset_seconds"_s, city.utcOffsetSeconds},
                     {u"timezone"_s, city.timezone},
                     {u"timezone_abbreviation"_s, u"GMT"_s},
                     {u"elevation"_s, 38.0}};

    const QStringList current = request.queryValue(u"current"_s).split(u',', Qt::SkipEmptyParts);
    if (!current.isEmpty()) {
        QJsonObject units{{u"time"_s, u"iso8601"_s}, {u"interval"_s, u"seconds"_s}};
        QJsonObject values{
            {u"time"_s, QDateTime(local.date(), quarter, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm"_s)},
            {u"interval"_s, 900}};
        for (const QString &variable : current) {
            QJsonValue value;
            QString unit;
            if (variable == u"temperature_2m") {
                value = temp(city.temperatureC);
                unit = fahrenheit ? u"°F"_s : u"°C"_s;
            } else if (variable == u"apparent_temperature") {
                value = temp(city.temperatureC - 1.5);
                unit = fahrenheit ? u"°F"_s : u"°C"_s;
            } else if (variable == u"relative_humidity_2m") {
                value = city.humidity;
                unit = u"%"_s;
            } else if (variable == u"weather_code") {
                value = city.wmoCode;
                unit = u"wmo code"_s;
            } else if (variable == u"wind_speed_10m") {
                value = wind(city.windKmh);
                unit = windUnit.isEmpty() ? u"km/h"_s : windUnit;
            } else if (variable == u"wind_direction_10m") {
                value = city.windDirection;
                unit = u"°"_s;
            } else if (variable == u"surface_pressure" || variable == u"pressure_msl") {
                value = city.pressureHpa;
                unit = u"hPa"_s;
            } else if (variable == u"is_day") {
                value = isDay ? 1 : 0;
                unit = QString();
            } else if (variable == u"wind_gusts_10m") {
                value = wind(gustOf(city));
                unit = windUnit.isEmpty() ? u"km/h"_s : windUnit;
            } else if (variable == u"precipitation") {
                value = rainNow(city, isWetWmo(city.wmoCode));
                unit = u"mm"_s;
            } else if (variable == u"dew_point_2m") {
                // The Magnus formula, as the real service's model roughly gives it.
                const double gamma = std::log(city.humidity / 100.0)
                                     + 17.625 * city.temperatureC / (243.04 + city.temperatureC);
                value = temp(243.04 * gamma / (17.625 - gamma));
                unit = fahrenheit ? u"°F"_s : u"°C"_s;
            } else if (variable == u"visibility") {
                // Fog (45, 48) a few hundred metres, rain some kilometres, clear air 24 km.
                value = city.wmoCode == 45 || city.wmoCode == 48 ? 300.0
                        : isWetWmo(city.wmoCode)                 ? 6200.0
                                                                 : 24140.0;
                unit = u"m"_s;
            } else if (variable == u"cloud_cover") {
                value = city.wmoCode == 0 ? 0 : city.wmoCode <= 2 ? 40 : 100;
                unit = u"%"_s;
            } else {
                value = QJsonValue::Null;
            }
            values.insert(variable, value);
            units.insert(variable, unit);
        }
        root.insert(u"current_units"_s, units);
        root.insert(u"current"_s, values);
    }

    const QStringList daily = request.queryValue(u"daily"_s).split(u',', Qt::SkipEmptyParts);
    if (!daily.isEmpty()) {
        const int days = std::clamp(request.queryValue(u"forecast_days"_s).toInt(), 1, 16);
        static constexpr int kCodes[] = {0, 2, 61, 3, 0, 80, 71};
        QJsonArray time;
        for (int i = 0; i < (days > 0 ? days : 7); ++i)
            time.append(local.date().addDays(i).toString(Qt::ISODate));
        QJsonObject units{{u"time"_s, u"iso8601"_s}};
        QJsonObject values{{u"time"_s, time}};
        for (const QString &variable : daily) {
            QJsonArray column;
            QString unit = fahrenheit ? u"°F"_s : u"°C"_s;
            for (int i = 0; i < time.size(); ++i) {
                const int code = i == 0 ? city.wmoCode : kCodes[i % 7];
                const QDate date = local.date().addDays(i);
                if (variable == u"weather_code") {
                    column.append(code);
                    unit = u"wmo code"_s;
                } else if (variable == u"temperature_2m_max") {
                    column.append(temp(city.temperatureC + 4 + i % 3));
                } else if (variable == u"temperature_2m_min") {
                    column.append(temp(city.temperatureC - 6 - i % 2));
                } else if (variable == u"precipitation_sum") {
                    column.append(isWetWmo(code) ? round1(4.2 + i) : 0.0);
                    unit = u"mm"_s;
                } else if (variable == u"precipitation_probability_max") {
                    column.append(isWetWmo(code) ? 80 : 10);
                    unit = u"%"_s;
                } else if (variable == u"uv_index_max") {
                    column.append(round1(city.uvIndex - 0.5 * (i % 3)));
                    unit = QString();
                } else if (variable == u"sunrise") {
                    column.append(localIso(QDateTime(date, QTime(4, 43), Qt::UTC)));
                    unit = u"iso8601"_s;
                } else if (variable == u"sunset") {
                    column.append(localIso(QDateTime(date, QTime(21, 33), Qt::UTC)));
                    unit = u"iso8601"_s;
                } else {
                    column.append(QJsonValue::Null);
                }
            }
            values.insert(variable, column);
            units.insert(variable, unit);
        }
        root.insert(u"daily_units"_s, units);
        root.insert(u"daily"_s, values);
    }

    const QStringList hourly = request.queryValue(u"hourly"_s).split(u',', Qt::SkipEmptyParts);
    if (!hourly.isEmpty()) {
        // Like the real service: whole days of hours, from local midnight of today.
        const QString daysText = request.queryValue(u"forecast_days"_s);
        const int days = daysText.isEmpty() ? 7 : std::clamp(daysText.toInt(), 1, 16);
        const QDateTime midnight(local.date(), QTime(0, 0), Qt::UTC);
        QJsonArray time;
        for (int h = 0; h < days * 24; ++h)
            time.append(localIso(midnight.addSecs(h * 3600)));
        QJsonObject units{{u"time"_s, u"iso8601"_s}};
        QJsonObject values{{u"time"_s, time}};
        for (const QString &variable : hourly) {
            QJsonArray column;
            QString unit;
            for (int h = 0; h < time.size(); ++h) {
                const int hour = h % 24;
                // Showers every afternoon: 14:00-17:59 local.
                const bool wet = hour >= 14 && hour < 18;
                if (variable == u"temperature_2m") {
                    column.append(temp(city.temperatureC + diurnal(hour)));
                    unit = fahrenheit ? u"°F"_s : u"°C"_s;
                } else if (variable == u"precipitation_probability") {
                    column.append(wet ? 70 : 5);
                    unit = u"%"_s;
                } else if (variable == u"precipitation") {
                    column.append(wet ? 0.8 : 0.0);
                    unit = u"mm"_s;
                } else if (variable == u"weather_code") {
                    column.append(wet ? 80 : city.wmoCode);
                    unit = u"wmo code"_s;
                } else if (variable == u"is_day") {
                    column.append(hour >= 6 && hour < 21 ? 1 : 0);
                } else if (variable == u"wind_speed_10m") {
                    // Windier in the afternoon showers.
                    column.append(wind(city.windKmh + (wet ? 8 : 0)));
                    unit = windUnit.isEmpty() ? u"km/h"_s : windUnit;
                } else {
                    column.append(QJsonValue::Null);
                }
            }
            values.insert(variable, column);
            units.insert(variable, unit);
        }
        root.insert(u"hourly_units"_s, units);
        root.insert(u"hourly"_s, values);
    }
    return HttpReply::json(200, toJson(root));
}

HttpReply FakeWeatherServer::owmGeocoding(const RecordedRequest &request) const
{
    const QString query = request.queryValue(u"q"_s).trimmed();
    if (query.isEmpty())
        return HttpReply::json(400, errorBody(Endpoint::OwmGeocoding, 400));
    const int limit = std::clamp(request.queryValue(u"limit"_s).toInt(), 1, 5);
    const QStringList parts = query.split(u',');
    const QString name = parts.value(0).trimmed();
    const QString state = parts.size() >= 3 ? parts.value(1).trimmed() : QString();
    const QString country = parts.size() >= 2 ? parts.constLast().trimmed() : QString();

    QJsonArray results;
    for (const City &city : m_cities) {
        if (results.size() >= limit)
            break;
        if (!nameMatches(city, name, false))
            continue;
        if (!country.isEmpty() && !sameText(country, city.countryCode))
            continue;
        if (!state.isEmpty() && !sameText(state, city.regionCode) && !sameText(state, city.region))
            continue;
        QJsonObject localNames{{u"en"_s, city.name}};
        for (const QString &alternate : city.alternateNames) {
            if (alternate.contains(QChar(0x6771))) // 東
                localNames.insert(u"ja"_s, alternate);
        }
        QJsonObject entry{{u"name"_s, city.name},
                          {u"local_names"_s, localNames},
                          {u"lat"_s, city.latitude},
                          {u"lon"_s, city.longitude},
                          {u"country"_s, city.countryCode}};
        if (!city.region.isEmpty())
            entry.insert(u"state"_s, city.region);
        results.append(entry);
    }
    return HttpReply::json(200, toJson(results));
}

HttpReply FakeWeatherServer::owmCurrent(const RecordedRequest &request) const
{
    std::optional<City> found;
    if (request.hasQueryItem(u"q"_s)) {
        const QStringList parts = request.queryValue(u"q"_s).split(u',');
        found = city(parts.value(0).trimmed(),
                     parts.size() > 1 ? parts.constLast().trimmed() : QString());
        if (!found)
            return HttpReply::json(404, errorBody(Endpoint::OwmCurrent, 404));
    } else {
        bool latOk = false;
        bool lonOk = false;
        const double lat = request.queryValue(u"lat"_s).toDouble(&latOk);
        const double lon = request.queryValue(u"lon"_s).toDouble(&lonOk);
        if (!latOk || !lonOk || std::abs(lat) > 90 || std::abs(lon) > 180)
            return HttpReply::json(400, R"({"cod":"400","message":"wrong latitude"})");
        found = cityAt(lat, lon).value_or(oceanAt(lat, lon));
    }
    const City &c = *found;
    const QString units = request.queryValue(u"units"_s);
    auto temp = [&units](double celsius) {
        if (units == u"metric")
            return round1(celsius);
        if (units == u"imperial")
            return round1(toFahrenheit(celsius));
        return std::round((celsius + kKelvinOffset) * 100.0) / 100.0;
    };
    const double windMs = c.windKmh / 3.6;
    const double wind = units == u"imperial" ? round1(c.windKmh / kKmhPerMph) : round1(windMs);
    const qint64 dt = m_serverTime.toSecsSinceEpoch();
    const qint64 localMidnight = (dt + c.utcOffsetSeconds) / 86400 * 86400 - c.utcOffsetSeconds;
    const qint64 sunrise = localMidnight + 5 * 3600;
    const qint64 sunset = localMidnight + 21 * 3600;
    const bool day = dt >= sunrise && dt < sunset;
    const QJsonObject weather = owmWeather(c.owmId, day, m_owmDescriptions.value(c.name));

    QJsonObject root{
        {u"coord"_s, QJsonObject{{u"lon"_s, c.longitude}, {u"lat"_s, c.latitude}}},
        {u"weather"_s, QJsonArray{weather}},
        {u"base"_s, u"stations"_s},
        {u"main"_s, QJsonObject{{u"temp"_s, temp(c.temperatureC)},
                                {u"feels_like"_s, temp(c.temperatureC - 1.5)},
                                {u"temp_min"_s, temp(c.temperatureC - 1)},
                                {u"temp_max"_s, temp(c.temperatureC + 1)},
                                {u"pressure"_s, c.pressureHpa},
                                {u"humidity"_s, c.humidity},
                                {u"sea_level"_s, c.pressureHpa},
                                {u"grnd_level"_s, c.pressureHpa - 10}}},
        {u"visibility"_s, 10000},
        {u"wind"_s, QJsonObject{{u"speed"_s, wind},
                                {u"deg"_s, c.windDirection},
                                {u"gust"_s, units == u"imperial" ? round1(gustOf(c) / kKmhPerMph)
                                                                 : round1(gustOf(c) / 3.6)}}},
        {u"clouds"_s, QJsonObject{{u"all"_s, 40}}},
        {u"dt"_s, dt},
        {u"sys"_s, QJsonObject{{u"type"_s, 2},
                               {u"id"_s, 2075663},
                               {u"country"_s, c.countryCode},
                               {u"sunrise"_s, sunrise},
                               {u"sunset"_s, sunset}}},
        {u"timezone"_s, c.utcOffsetSeconds},
        {u"id"_s, 3163858},
        {u"name"_s, c.name},
        {u"cod"_s, 200}};
    // Like the real service: no `rain` block at all when it is dry (always mm).
    const double rain = rainNow(c, isWetOwm(c.owmId));
    if (rain > 0.0)
        root.insert(c.owmId >= 600 && c.owmId < 700 ? u"snow"_s : u"rain"_s,
                    QJsonObject{{u"1h"_s, rain}});
    return HttpReply::json(200, toJson(root));
}

HttpReply FakeWeatherServer::owmForecast(const RecordedRequest &request) const
{
    bool latOk = false;
    bool lonOk = false;
    const double lat = request.queryValue(u"lat"_s).toDouble(&latOk);
    const double lon = request.queryValue(u"lon"_s).toDouble(&lonOk);
    if (!latOk || !lonOk || std::abs(lat) > 90 || std::abs(lon) > 180)
        return HttpReply::json(400, R"({"cod":"400","message":"wrong latitude"})");
    const City c = cityAt(lat, lon).value_or(oceanAt(lat, lon));
    const QString units = request.queryValue(u"units"_s);
    auto temp = [&units](double celsius) {
        if (units == u"metric")
            return round1(celsius);
        if (units == u"imperial")
            return round1(toFahrenheit(celsius));
        return std::round((celsius + kKelvinOffset) * 100.0) / 100.0;
    };

    const qint64 start = m_serverTime.toSecsSinceEpoch() / 10800 * 10800 + 10800;
    QJsonArray list;
    for (int i = 0; i < 40; ++i) {
        const qint64 dt = start + qint64(i) * 10800;
        const QDateTime utc = QDateTime::fromSecsSinceEpoch(dt, Qt::UTC);
        const int localHour = utc.addSecs(c.utcOffsetSeconds).time().hour();
        const bool day = localHour >= 6 && localHour < 21;
        // A rain shower in the afternoon of the second slot-day exercises daily folding.
        const int id = (i >= 8 && i < 16 && localHour >= 15 && localHour < 18) ? 501 : c.owmId;
        const double t = c.temperatureC + diurnal(localHour);
        QJsonObject slot{{u"dt"_s, dt},
                         {u"main"_s, QJsonObject{{u"temp"_s, temp(t)},
                                                 {u"feels_like"_s, temp(t - 1)},
                                                 {u"temp_min"_s, temp(t - 0.5)},
                                                 {u"temp_max"_s, temp(t + 0.5)},
                                                 {u"pressure"_s, c.pressureHpa},
                                                 {u"humidity"_s, c.humidity}}},
                         {u"weather"_s, QJsonArray{owmWeather(id, day)}},
                         {u"clouds"_s, QJsonObject{{u"all"_s, 40}}},
                         {u"wind"_s, QJsonObject{{u"speed"_s, round1(c.windKmh / 3.6)},
                                                 {u"deg"_s, c.windDirection}}},
                         {u"visibility"_s, 10000},
                         {u"pop"_s, id == 501      ? 0.8
                                    : isWetOwm(id) ? 0.5
                                                   : 0.0},
                         {u"sys"_s, QJsonObject{{u"pod"_s, day ? u"d"_s : u"n"_s}}},
                         {u"dt_txt"_s, utc.toString(u"yyyy-MM-dd HH:mm:ss"_s)}};
        if (isWetOwm(id))
            slot.insert(u"rain"_s, QJsonObject{{u"3h"_s, id == 501 ? 2.5 : 0.6}});
        list.append(slot);
    }
    QJsonObject root{{u"cod"_s, u"200"_s},
                     {u"message"_s, 0},
                     {u"cnt"_s, 40},
                     {u"list"_s, list},
                     {u"city"_s, QJsonObject{{u"id"_s, 3163858},
                                             {u"name"_s, c.name},
                                             {u"coord"_s, QJsonObject{{u"lat"_s, c.latitude},
                                                                      {u"lon"_s, c.longitude}}},
                                             {u"country"_s, c.countryCode},
                                             {u"population"_s, c.population},
                                             {u"timezone"_s, c.utcOffsetSeconds},
                                             {u"sunrise"_s, start},
                                             {u"sunset"_s, start + 50000}}}};
    return HttpReply::json(200, toJson(root));
}

HttpReply FakeWeatherServer::nominatimReverse(const RecordedRequest &request) const
{
    // The usage policy: a generic library agent is blocked.
    if (!request.header("user-agent").startsWith("WeatherDash/")) {
        HttpReply reply = HttpReply::json(403, errorBody(Endpoint::NominatimReverse, 403));
        reply.withHeader("Content-Type", "text/html; charset=utf-8");
        return reply;
    }
    bool latOk = false;
    bool lonOk = false;
    const double lat = request.queryValue(u"lat"_s).toDouble(&latOk);
    const double lon = request.queryValue(u"lon"_s).toDouble(&lonOk);
    const QString format = request.queryValue(u"format"_s);
    if (!latOk || !lonOk || std::abs(lat) > 90 || std::abs(lon) > 180
        || (!format.isNull() && format != u"jsonv2"_s && format != u"json"_s))
        return HttpReply::json(400, errorBody(Endpoint::NominatimReverse, 400));

    // The nearest known place within ~30 km (0.3° of latitude; longitude scaled).
    const City *best = nullptr;
    double bestDistance = 0.3;
    for (const City &city : m_cities) {
        const double dLat = city.latitude - lat;
        const double dLon = (city.longitude - lon) * std::cos(lat * std::numbers::pi / 180.0);
        const double distance = std::sqrt(dLat * dLat + dLon * dLon);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = &city;
        }
    }
    if (!best)
        return HttpReply::json(200, R"({"error":"Unable to geocode"})");
    const QString licence
        = u"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"_s;
    QJsonObject address{{u"city"_s, best->name},
                        {u"country"_s, best->country},
                        {u"country_code"_s, best->countryCode.toLower()}};
    if (!best->region.isEmpty())
        address.insert(u"state"_s, best->region);
    const QJsonObject body{{u"place_id"_s, 240109189},
                           {u"licence"_s, licence},
                           {u"osm_type"_s, u"relation"_s},
                           {u"osm_id"_s, 62422},
                           {u"lat"_s, QString::number(best->latitude, 'f', 7)},
                           {u"lon"_s, QString::number(best->longitude, 'f', 7)},
                           {u"category"_s, u"boundary"_s},
                           {u"type"_s, u"administrative"_s},
                           {u"place_rank"_s, 16},
                           {u"importance"_s, 0.85},
                           {u"addresstype"_s, u"city"_s},
                           {u"name"_s, best->name},
                           {u"display_name"_s, QString(best->name + u", "_s + best->country)},
                           {u"address"_s, address}};
    return HttpReply::json(200, toJson(body));
}
