// SPDX-License-Identifier: MIT
// Writes one encoded payload per sample into the folder given: the payload fuzzer's seeds,
// always in the current format (built and run with the harnesses).
#include "samplepayloads.h"

#include <QDir>
#include <QFile>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <folder>\n", argv[0]);
        return 2;
    }
    const QDir folder(QString::fromLocal8Bit(argv[1]));
    if (!folder.mkpath(QStringLiteral(".")))
        return 1;
    for (const auto &[name, payload] : SamplePayloads::all()) {
        QFile file(folder.filePath(name + QStringLiteral(".bin")));
        if (!file.open(QIODevice::WriteOnly) || file.write(PayloadCodec::encode(payload)) < 0)
            return 1;
    }
    return 0;
}
