// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QTest>

/**
 * A file of tests/data/, whole. Tests only: a missing file ends the test run at once, with its
 * name (QT_TESTCASE_SOURCEDIR, set for every test by tests/CMakeLists.txt, lets QFINDTESTDATA
 * find it from this header).
 */
inline QByteArray loadTestData(const QString &name)
{
    const QString path = QFINDTESTDATA(QStringLiteral("data/") + name);
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

/** The golden body `name` with one value replaced: `block` is "" for the root object. */
inline QByteArray testDataWithValue(const QString &name, const QString &block, const QString &key,
                                    const QJsonValue &value)
{
    QJsonObject root = QJsonDocument::fromJson(loadTestData(name)).object();
    if (block.isEmpty()) {
        root.insert(key, value);
    } else {
        QJsonObject inner = root.value(block).toObject();
        inner.insert(key, value);
        root.insert(block, inner);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}
