// SPDX-License-Identifier: MIT
// libFuzzer: Open-Meteo /v1/search bodies and error bodies.
#include "fuzzcommon.h"

#include "weather/openmeteoparser.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    constexpr int kRequested = 10;
    const auto result = OpenMeteoParser::parseGeocoding(body, kRequested);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (result.value)
        Fuzz::check(*result.value, kRequested);
    else
        FUZZ_CHECK(!result.error.message().isEmpty());
    for (int status : {400, 429, 503})
        FUZZ_CHECK(!OpenMeteoParser::parseError(status, body).message().isEmpty());
    return 0;
}
