// SPDX-License-Identifier: MIT
// libFuzzer: Open-Meteo /v1/air-quality bodies (the `current` block).
#include "fuzzcommon.h"

#include "weather/airquality.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    const auto result = AirQualityParser::parse(body);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (!result.value) {
        Fuzz::checkText(result.error.detail());
        return 0;
    }
    const AirQuality &air = *result.value;
    Fuzz::checkTime(air.time);
    Fuzz::checkRange(air.europeanAqi, 0.0, AirQuality::kMaxIndex);
    Fuzz::checkRange(air.usAqi, 0.0, AirQuality::kMaxIndex);
    for (int i = 0; i < AirQuality::kPollutantCount; ++i) {
        Fuzz::checkRange(air.concentrations[i], 0.0, AirQuality::kMaxConcentration);
        Fuzz::checkRange(air.europeanSubIndices[i], 0.0, AirQuality::kMaxIndex);
        Fuzz::checkRange(air.usSubIndices[i], 0.0, AirQuality::kMaxIndex);
    }
    for (const auto &grains : air.pollen)
        Fuzz::checkRange(grains, 0.0, AirQuality::kMaxPollen);
    Fuzz::checkText(air.concentrationUnit);
    Fuzz::checkText(air.pollenUnit);
    // What the card and the CLI derive from it: no crash, and pollen only where there is some.
    const QList<AirQuality::Pollen> strongest = air.strongestPollens();
    for (AirQuality::Pollen pollen : strongest)
        FUZZ_CHECK(air.pollen[int(pollen)].has_value());
    for (auto scale : {AirQuality::Scale::European, AirQuality::Scale::US}) {
        if (const auto index = air.index(scale))
            FUZZ_CHECK(!AirQuality::bandName(scale, *index).isEmpty());
        (void)air.drivingPollutant(scale);
    }
    return 0;
}
