// SPDX-License-Identifier: MIT
#pragma once

#include "location.h"
#include "weathererror.h"
#include "weatherresult.h"

#include <QByteArray>

/**
 * Pure functions turning OpenStreetMap Nominatim's /reverse answers (format=jsonv2) into a
 * place or a typed error. No network, no cache, no state: safe to call from any thread.
 *
 * The place is named by the first of address.city, town, village, municipality, suburb,
 * county, state present, else by `name`; region is address.state (unless it is the name),
 * country and country_code as given (the code upper case). Texts are cut like every other
 * parser's (200 UTF-16 units at a grapheme boundary). The place keeps the coordinates that
 * were asked about, not those of the OSM object that named them: the weather is for where the
 * person is.
 *
 * `{"error":"Unable to geocode"}` (HTTP 200, a point in the sea or in no country) is an answer,
 * not a failure: a place with an empty name. Any other body with "error", a body that is not a
 * JSON object, or an object with neither an address nor a name, is BadResponse (or InvalidInput
 * with the server's message for an error object).
 */
namespace NominatimParser {

/** "OpenStreetMap Nominatim", the name errors carry. */
QString providerName();

/** "© OpenStreetMap contributors": what the UI and the CLI show with every name it gave. */
QString attribution();

WeatherResult<Location> parseReverse(const QByteArray &body, double latitude, double longitude);

/** A non-2xx answer: 400 InvalidInput (the server's message), 403 blocked, 429, 5xx... */
WeatherError errorForStatus(int httpStatus, const QByteArray &body);

} // namespace NominatimParser
