// SPDX-License-Identifier: MIT
// libFuzzer: OpenWeatherMap /geo/1.0/direct bodies and error bodies.
#include "fuzzcommon.h"

#include "weather/openweathermapparser.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    constexpr int kRequested = 5;
    const auto result = OpenWeatherMapParser::parseGeocoding(body, kRequested);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (result.value)
        Fuzz::check(*result.value, kRequested);
    for (int status : {400, 401, 404, 429, 503})
        FUZZ_CHECK(!OpenWeatherMapParser::parseError(status, body).message().isEmpty());
    return 0;
}
