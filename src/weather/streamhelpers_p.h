// SPDX-License-Identifier: MIT
#pragma once

// Internal: QDataStream helpers shared by the value types' blob format. Not public API.

#include <QDataStream>

#include <optional>

namespace WeatherStream {

inline void writeOptional(QDataStream &out, const std::optional<double> &value)
{
    out << value.has_value() << (value ? *value : 0.0);
}

inline void readOptional(QDataStream &in, std::optional<double> &value)
{
    bool present = false;
    double raw = 0.0;
    in >> present >> raw;
    value = present ? std::optional<double>(raw) : std::nullopt;
}

inline void writeOptional(QDataStream &out, const std::optional<int> &value)
{
    out << value.has_value() << qint32(value.value_or(0));
}

inline void readOptional(QDataStream &in, std::optional<int> &value)
{
    bool present = false;
    qint32 raw = 0;
    in >> present >> raw;
    value = present ? std::optional<int>(raw) : std::nullopt;
}

/** Every blob starts with a format version so a later release can still read old caches. */
inline bool readVersion(QDataStream &in, quint8 expected)
{
    quint8 version = 0;
    in >> version;
    if (in.status() != QDataStream::Ok)
        return false;
    if (version != expected) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    return true;
}

} // namespace WeatherStream
