// SPDX-License-Identifier: MIT
// libFuzzer: OpenWeatherMap /data/2.5/forecast bodies folded into local days, and as 3-hour slots.
#include "fuzzcommon.h"

#include "weather/openweathermapparser.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    for (Units units : {Units::Metric, Units::Imperial}) {
        const auto result = OpenWeatherMapParser::parseForecast(body, units);
        FUZZ_CHECK(result.ok() == result.value.has_value());
        if (result.value)
            Fuzz::check(*result.value, units);
        const auto hourly = OpenWeatherMapParser::parseHourly(body, units);
        FUZZ_CHECK(hourly.ok() == hourly.value.has_value());
        if (hourly.value)
            Fuzz::check(*hourly.value, units);
    }
    return 0;
}
