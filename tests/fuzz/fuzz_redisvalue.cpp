// SPDX-License-Identifier: MIT
// libFuzzer: a value as another machine (or anyone with access to the database) left it in
// Redis, read back for a key of each kind. The first byte picks the key's kind, the rest is
// what GET returned. Whatever passes RedisTier::decodeValue(), LayeredCache's entry check and
// the payload codec must be an answer a provider could have given: a TTL within the kind's
// limit, a load time not in the future, a plausible value of the key's kind.
#include "fuzzcommon.h"

#include "cache/layeredcache.h"
#include "store/redistier.h"
#include "weather/payloadcodec.h"

namespace {

constexpr qint64 kNow = 1'700'000'000'000;
constexpr qint64 kConfiguredTtlMs = 10 * 60'000;

const char *const kKeys[] = {
    "open-meteo/cur/52.52,13.41/metric/en",
    "open-meteo/fc/52.52,13.41/metric/en",
    "open-meteo/hr/52.52,13.41/metric/en",
    "open-meteo/gc/en/berlin",
    "label/52.52,13.41",
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QString key = QString::fromLatin1(kKeys[data[0] % std::size(kKeys)]);
    const auto entry = RedisTier::decodeValue(Fuzz::bytes(data + 1, size - 1));
    if (!entry)
        return 0;
    // What was read encodes back to the same bytes.
    FUZZ_CHECK(RedisTier::encodeValue(*entry) == Fuzz::bytes(data + 1, size - 1));
    const qint64 limit = PayloadCodec::maxTtlMs(key, kConfiguredTtlMs);
    if (LayeredCacheBase::checkEntry(*entry, kNow, limit) != LayeredCacheBase::EntryFault::None)
        return 0;
    FUZZ_CHECK(entry->ttlMs > 0 && entry->ttlMs <= limit);
    FUZZ_CHECK(entry->loadedAt <= kNow + LayeredCacheBase::kFutureToleranceMs);
    if (entry->negative)
        return 0; // an error's text: no value
    const auto payload = PayloadCodec::decode(entry->value);
    if (!payload)
        return 0;
    FUZZ_CHECK(PayloadCodec::plausible(*payload));
    // The round trip of fuzz_payload_decode holds here too.
    const QByteArray once = PayloadCodec::encode(*payload);
    const auto again = PayloadCodec::decode(once);
    FUZZ_CHECK(again.has_value() && PayloadCodec::encode(*again) == once);
    // Whether it fits its key is decided by the kind alone, never by a crash.
    (void)PayloadCodec::fitsKey(key, *payload);
    return 0;
}
