// SPDX-License-Identifier: MIT
#include "nominatimparser.h"

#include "jsonhelpers_p.h"
#include "weatherlogging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

std::optional<QJsonObject> parseObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

WeatherError badResponse()
{
    return WeatherError(WeatherError::BadResponse, NominatimParser::providerName());
}

/**
 * The server's own words in an error body: `{"error":"..."}` (older servers, and the "Unable to
 * geocode" answer) or `{"error":{"code":400,"message":"..."}}` (Nominatim 4.x).
 */
QString errorText(const QJsonObject &root)
{
    const QJsonValue error = root.value(u"error"_s);
    if (error.isString())
        return WeatherJson::cappedText(error, "error");
    if (error.isObject())
        return WeatherJson::cappedText(error.toObject().value(u"message"_s), "error");
    return QString();
}

} // namespace

QString NominatimParser::providerName()
{
    return u"OpenStreetMap Nominatim"_s;
}

QString NominatimParser::attribution()
{
    return QCoreApplication::translate("NominatimParser", "© OpenStreetMap contributors");
}

WeatherResult<Location> NominatimParser::parseReverse(const QByteArray &body, double latitude,
                                                      double longitude)
{
    using Result = WeatherResult<Location>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());

    Location place;
    place.latitude = latitude;
    place.longitude = longitude;
    if (!place.isValid())
        return Result::failure(WeatherError(WeatherError::InvalidInput, providerName()));

    if (root->contains(u"error"_s)) {
        const QString text = errorText(*root);
        // The documented answer for a point no place claims: there is nothing to name.
        if (text.compare(u"Unable to geocode"_s, Qt::CaseInsensitive) == 0)
            return Result::success(place);
        if (text.isEmpty())
            return Result::failure(badResponse());
        return Result::failure(WeatherError(WeatherError::InvalidInput, providerName(), text));
    }

    const QJsonValue addressValue = root->value(u"address"_s);
    if (!addressValue.isUndefined() && !addressValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject address = addressValue.toObject();
    static const char *const kNameKeys[]
        = {"city", "town", "village", "municipality", "suburb", "county", "state"};
    for (const char *key : kNameKeys) {
        place.name = WeatherJson::cappedText(address.value(QLatin1StringView(key)), "place name");
        if (!place.name.isEmpty())
            break;
    }
    if (place.name.isEmpty())
        place.name = WeatherJson::cappedText(root->value(u"name"_s), "place name");
    if (place.name.isEmpty() && address.isEmpty())
        return Result::failure(badResponse());

    place.region = WeatherJson::cappedText(address.value(u"state"_s), "region");
    if (Location::sameText(place.region, place.name))
        place.region.clear();
    place.country = WeatherJson::cappedText(address.value(u"country"_s), "country");
    place.countryCode
        = WeatherJson::cappedText(address.value(u"country_code"_s), "country code").toUpper();
    if (place.countryCode.size() != 2)
        place.countryCode.clear();
    if (place.country.isEmpty())
        place.country = WeatherJson::countryNameFromCode(place.countryCode);
    return Result::success(place);
}

WeatherError NominatimParser::errorForStatus(int httpStatus, const QByteArray &body)
{
    QString text;
    if (const auto root = parseObject(body))
        text = errorText(*root);
    if (httpStatus == 429)
        return WeatherError(WeatherError::RateLimited, providerName());
    if (httpStatus >= 500)
        return WeatherError(WeatherError::ServerError, providerName());
    if (httpStatus == 403) {
        // Nominatim blocks agents that break its usage policy, and answers an HTML page.
        return WeatherError(WeatherError::InvalidInput, providerName(),
                            QCoreApplication::translate(
                                "NominatimParser",
                                "OpenStreetMap Nominatim refused the request (HTTP 403): it blocks "
                                "programs that break its usage policy."));
    }
    if (httpStatus >= 400)
        return WeatherError(WeatherError::InvalidInput, providerName(), text);
    return badResponse();
}
