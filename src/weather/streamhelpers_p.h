// SPDX-License-Identifier: MIT
#pragma once

// Internal: QDataStream helpers shared by the value types' blob format. Not public API.

#include <QDataStream>
#include <QDate>
#include <QDateTime>
#include <QIODevice>
#include <QString>
#include <QTime>
#include <QtEndian>

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

/** Bytes not read yet; a stream without a random-access device has none to promise. */
inline qint64 remainingBytes(const QDataStream &in)
{
    const QIODevice *device = in.device();
    return device && !device->isSequential() ? device->bytesAvailable() : 0;
}

/**
 * Reads a container's quint32 element count (QDataStream's Qt_6_4 list format) and refuses it,
 * as corrupt data, unless every element could still follow: each needs at least
 * `minElementBytes`. A stored count of 16 M must not reserve gigabytes before the first
 * element is read.
 */
inline bool readCount(QDataStream &in, qint64 minElementBytes, quint32 &count)
{
    count = 0;
    quint32 raw = 0;
    in >> raw;
    if (in.status() != QDataStream::Ok)
        return false;
    if (minElementBytes <= 0 || qint64(raw) > remainingBytes(in) / minElementBytes) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    count = raw;
    return true;
}

/**
 * QDataStream's QString format (quint32 byte length, 0xffffffff for a null string, then
 * UTF-16 in the stream's byte order), read without trusting the length: one longer than the
 * bytes that remain, or odd, is corrupt data. Same bytes as `in >> string`.
 */
inline void readString(QDataStream &in, QString &string)
{
    string = QString();
    quint32 bytes = 0;
    in >> bytes;
    if (in.status() != QDataStream::Ok || bytes == 0xffffffffu)
        return;
    if ((bytes & 1u) || qint64(bytes) > remainingBytes(in)) {
        in.setStatus(QDataStream::ReadCorruptData);
        return;
    }
    if (bytes == 0) {
        string = QString(0, Qt::Uninitialized); // empty, not null, as `in >> string` does
        return;
    }
    const qsizetype units = qsizetype(bytes / 2);
    string.resize(units);
    if (in.readRawData(reinterpret_cast<char *>(string.data()), int(bytes)) != int(bytes)) {
        string = QString();
        in.setStatus(QDataStream::ReadPastEnd);
        return;
    }
    char16_t *data = reinterpret_cast<char16_t *>(string.data());
    if (in.byteOrder() == QDataStream::BigEndian)
        qFromBigEndian<char16_t>(data, units, data);
    else
        qFromLittleEndian<char16_t>(data, units, data);
}

/**
 * A QDateTime as `out << dateTime` writes it (Qt_6_4: date, time, qint8 spec), accepting only
 * what the value types hold: a UTC time in years 1..9999, or no time at all (the default
 * QDateTime: spec LocalTime, null date, invalid time). Anything else (an offset, a time zone
 * looked up by a stored id, a spec no enum has, a date whose milliseconds overflow) is
 * corrupt data; Qt's own reader would build a QDateTime from it.
 */
inline void readUtcDateTime(QDataStream &in, QDateTime &dateTime)
{
    dateTime = QDateTime();
    QDate date;
    QTime time;
    qint8 spec = 0;
    in >> date >> time >> spec;
    if (in.status() != QDataStream::Ok)
        return;
    if (spec == qint8(Qt::UTC) && date.isValid() && date.year() >= 1 && date.year() <= 9999
        && time.isValid()) {
        dateTime = QDateTime(date, time, Qt::UTC);
        return;
    }
    if (spec == qint8(Qt::LocalTime) && date.isNull() && !time.isValid())
        return;
    in.setStatus(QDataStream::ReadCorruptData);
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

/** A format version in [oldest, newest]: the version, or nullopt (corrupt data) otherwise. */
inline std::optional<quint8> readVersionIn(QDataStream &in, quint8 oldest, quint8 newest)
{
    quint8 version = 0;
    in >> version;
    if (in.status() != QDataStream::Ok)
        return std::nullopt;
    if (version < oldest || version > newest) {
        in.setStatus(QDataStream::ReadCorruptData);
        return std::nullopt;
    }
    return version;
}

} // namespace WeatherStream
