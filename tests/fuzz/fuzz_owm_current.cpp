// SPDX-License-Identifier: MIT
// libFuzzer: OpenWeatherMap /data/2.5/weather bodies in both unit systems.
#include "fuzzcommon.h"

#include "weather/openweathermapparser.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    for (Units units : {Units::Metric, Units::Imperial}) {
        const auto result = OpenWeatherMapParser::parseCurrent(body, units);
        FUZZ_CHECK(result.ok() == result.value.has_value());
        if (result.value)
            Fuzz::check(*result.value, units);
    }
    return 0;
}
