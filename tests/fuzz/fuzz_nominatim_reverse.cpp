// SPDX-License-Identifier: MIT
// libFuzzer: OpenStreetMap Nominatim /reverse bodies (format=jsonv2) and error bodies, for "Here".
#include "fuzzcommon.h"

#include "weather/nominatimparser.h"
#include "weather/payloadcodec.h"

FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = Fuzz::bytes(data, size);
    const auto result = NominatimParser::parseReverse(body, 52.5163, 13.3777);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (result.value) {
        // The asked point, always; one place, whatever the body held.
        FUZZ_CHECK(result.value->latitude == 52.5163 && result.value->longitude == 13.3777);
        // Fuzz::check(QList<Location>) wants a name; the sea's place has none.
        const Location &l = *result.value;
        Fuzz::checkText(l.name);
        Fuzz::checkText(l.region);
        Fuzz::checkText(l.country);
        Fuzz::checkText(l.countryCode);
        FUZZ_CHECK(l.countryCode.isEmpty() || l.countryCode.size() == 2);
        (void)l.displayName();
        // What the cache keeps of it reads back the same, and plausible.
        const WeatherPayload payload(QList<Location>{*result.value});
        const auto decoded = PayloadCodec::decode(PayloadCodec::encode(payload));
        FUZZ_CHECK(decoded && *decoded == payload);
        FUZZ_CHECK(PayloadCodec::fitsKey(QStringLiteral("nominatim/rev/52.52,13.38/en"), payload));
    }
    for (int status : {400, 403, 404, 429, 502})
        FUZZ_CHECK(!NominatimParser::errorForStatus(status, body).message().isEmpty());
    return 0;
}
