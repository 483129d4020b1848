// SPDX-License-Identifier: MIT
// libFuzzer: what a server at the shared cache's address sends back. The reply reader must
// end every stream with whole replies, "wait for more", "not Redis" (with a reason) or "too
// large", never crash or allocate what a garbage length says; and every string in a reply
// that reads as a stored entry must encode back to the same bytes.
#include "fuzzcommon.h"

#include "store/redisconnection.h"
#include "store/redistier.h"

namespace {

void checkStrings(const RedisReply &reply)
{
    if (reply.type == RedisReply::Type::String) {
        if (const std::optional<TierEntry> entry = RedisTier::decodeValue(reply.text))
            FUZZ_CHECK(RedisTier::encodeValue(*entry) == reply.text);
    }
    FUZZ_CHECK(reply.type == RedisReply::Type::Array || reply.elements.isEmpty());
    FUZZ_CHECK(reply.elements.size() <= RedisReplyReader::kMaxArrayElements);
    for (const RedisReply &child : reply.elements)
        checkStrings(child);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = Fuzz::bytes(data, size);
    // As a socket delivers it: in two pieces, split where the first byte says.
    const qsizetype split
        = bytes.isEmpty() ? 0 : qsizetype(quint8(bytes.at(0))) % (bytes.size() + 1);
    RedisReplyReader reader;
    for (const QByteArray &piece : {bytes.left(split), bytes.mid(split)}) {
        FUZZ_CHECK(reader.feed(piece));
        for (;;) {
            RedisReply reply;
            QString detail;
            const RedisReplyReader::Status status = reader.next(&reply, &detail);
            if (status == RedisReplyReader::Status::Reply) {
                checkStrings(reply);
                continue;
            }
            if (status == RedisReplyReader::Status::NotRedis) {
                FUZZ_CHECK(!detail.isEmpty());
                return 0; // the connection gives the stream up here
            }
            break; // Incomplete or TooLarge: nothing more from these bytes
        }
    }
    return 0;
}
