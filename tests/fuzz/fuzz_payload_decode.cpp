// SPDX-License-Identifier: MIT
// libFuzzer: the disk tier's payload blobs. Whatever decodes must encode back to bytes that
// decode to the same thing (compared as bytes, so NaN compares equal to itself).
#include "fuzzcommon.h"

#include "weather/payloadcodec.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto payload = PayloadCodec::decode(Fuzz::bytes(data, size));
    if (!payload)
        return 0;
    const QByteArray once = PayloadCodec::encode(*payload);
    const auto again = PayloadCodec::decode(once);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(PayloadCodec::encode(*again) == once);
    return 0;
}
