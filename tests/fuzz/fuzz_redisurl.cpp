// SPDX-License-Identifier: MIT
// libFuzzer: the shared cache's address parser. Whatever parses must show itself without the
// password and parse back from that text to the same address; no answer, accepted or refused,
// may repeat a password planted in the text.
#include "fuzzcommon.h"

#include "weather/redisurl.h"

namespace {

const QString kSecret = QStringLiteral("Zq9Xw7Pv");

void checkOne(const QString &text)
{
    QString error;
    const auto url = RedisUrl::parse(text, &error);
    if (!url) {
        FUZZ_CHECK(!error.isEmpty());
        FUZZ_CHECK(!error.contains(kSecret));
        return;
    }
    FUZZ_CHECK(url->database >= 0);
    const QString shown = url->redacted();
    FUZZ_CHECK(!shown.contains(kSecret) || url->user.contains(kSecret)
               || url->host.contains(kSecret) || url->socketPath.contains(kSecret));
    if (url->transport == RedisUrl::Transport::Tcp)
        FUZZ_CHECK(url->port >= 1);
    else
        FUZZ_CHECK(url->socketPath.startsWith(u'/'));
    const auto back = RedisUrl::parse(shown);
    FUZZ_CHECK(back.has_value());
    RedisUrl expected = *url;
    if (!expected.password.isEmpty())
        expected.password = QStringLiteral("***");
    FUZZ_CHECK(*back == expected);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    checkOne(text);
    // The same text with a password planted where one goes: right after the scheme.
    const qsizetype sep = text.indexOf(u"://");
    if (sep >= 0) {
        checkOne(text.left(sep + 3) + u':' + kSecret + u'@' + text.mid(sep + 3));
        checkOne(text.left(sep + 3) + kSecret + u'@' + text.mid(sep + 3));
    }
    return 0;
}
