// SPDX-License-Identifier: MIT
// libFuzzer: Open-Meteo /v1/forecast bodies (current, daily and hourly blocks) in both unit
// systems.
#include "fuzzcommon.h"

#include "weather/openmeteoparser.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    for (Units units : {Units::Metric, Units::Imperial}) {
        const auto current = OpenMeteoParser::parseCurrent(body, units);
        FUZZ_CHECK(current.ok() == current.value.has_value());
        if (current.value)
            Fuzz::check(*current.value, units);
        const auto daily = OpenMeteoParser::parseDaily(body, units);
        FUZZ_CHECK(daily.ok() == daily.value.has_value());
        if (daily.value)
            Fuzz::check(*daily.value, units);
        const auto hourly = OpenMeteoParser::parseHourly(body, units);
        FUZZ_CHECK(hourly.ok() == hourly.value.has_value());
        if (hourly.value)
            Fuzz::check(*hourly.value, units);
    }
    return 0;
}
