// SPDX-License-Identifier: MIT
#pragma once

// Internal helpers for the parsers. Not public API.

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>
#include <QString>

#include <cmath>
#include <optional>

namespace WeatherJson {

/** A finite number, or nullopt for null, missing, NaN or a value of another type. */
inline std::optional<double> number(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d))
        return std::nullopt;
    return d;
}

/** An integer sent either as a number or as a numeric string (OpenWeatherMap's `cod`). */
inline std::optional<int> lenientInt(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d >= -1e9 && d <= 1e9)
            return static_cast<int>(d);
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const int i = value.toString().trimmed().toInt(&ok);
        if (ok)
            return i;
    }
    return std::nullopt;
}

/** "Germany" for "DE"; empty if the code is unknown. */
inline QString countryNameFromCode(const QString &code)
{
    if (code.size() != 2)
        return {};
    const QLocale::Territory territory = QLocale::codeToTerritory(code);
    if (territory == QLocale::AnyTerritory)
        return {};
    return QLocale::territoryToString(territory);
}

inline QString sentenceCase(const QString &text)
{
    QString result = text.trimmed();
    if (!result.isEmpty())
        result[0] = result.at(0).toUpper();
    return result;
}

} // namespace WeatherJson
