// SPDX-License-Identifier: MIT
// libFuzzer: Open-Meteo /v1/forecast bodies with `minutely_15=precipitation`, and the rain
// outlook read from what they parse to.
#include "fuzzcommon.h"

#include "weather/nowcast.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    const auto result = NowcastParser::parse(body);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (!result.value) {
        Fuzz::checkText(result.error.detail());
        return 0;
    }
    const Nowcast &nowcast = *result.value;
    FUZZ_CHECK(nowcast.steps.size() <= Nowcast::kMaxSteps);
    for (const NowcastStep &step : nowcast.steps) {
        FUZZ_CHECK(step.end.isValid());
        Fuzz::checkTime(step.end);
        Fuzz::checkRange(step.precipitation, 0.0, WeatherJson::kMaxSlotPrecipitationMm);
    }
    if (!nowcast.steps.isEmpty()) {
        // Read at the first step's start and in the middle of the steps.
        for (const QDateTime &now :
             {nowcast.steps.first().start(), nowcast.steps.at(nowcast.steps.size() / 2).end}) {
            const RainOutlook outlook = RainOutlook::from(nowcast, now);
            if (outlook.kind == RainOutlook::Kind::Starts
                || outlook.kind == RainOutlook::Kind::Stops)
                FUZZ_CHECK(outlook.minutes >= 5 && outlook.minutes <= 125);
            (void)outlook.text();
        }
    }
    return 0;
}
