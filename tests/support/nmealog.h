// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <cmath>
#include <utility>

/**
 * An NMEA 0183 log as a GPS receiver writes it: one $GPRMC sentence a second per position,
 * with its checksum, for WEATHERDASH_NMEA_FILE (Qt's NMEA source in simulation mode). Tests
 * only.
 */
namespace NmeaLog {

/** "5231.3620,N" style: degrees and decimal minutes, then the hemisphere. */
inline QByteArray coordinate(double value, int degreeDigits, char positive, char negative)
{
    const double absolute = std::abs(value);
    const int degrees = int(absolute);
    const double minutes = (absolute - degrees) * 60.0;
    return QString::asprintf("%0*d%07.4f,%c", degreeDigits, degrees, minutes,
                             value >= 0 ? positive : negative)
        .toLatin1();
}

inline QByteArray sentence(const QByteArray &body)
{
    quint8 sum = 0;
    for (const char c : body)
        sum ^= quint8(c);
    return '$' + body + '*' + QByteArray::number(sum, 16).toUpper().rightJustified(2, '0') + "\r\n";
}

/** One $GPRMC fix per position, a second apart from `start` (UTC). */
inline QByteArray rmc(const QList<std::pair<double, double>> &positions,
                      QDateTime start = QDateTime(QDate(2026, 12, 7), QTime(12, 0), Qt::UTC))
{
    QByteArray log;
    for (const auto &[latitude, longitude] : positions) {
        const QByteArray body = "GPRMC," + start.toString(QStringLiteral("hhmmss.00")).toLatin1()
                                + ",A," + coordinate(latitude, 2, 'N', 'S') + ','
                                + coordinate(longitude, 3, 'E', 'W') + ",0.0,0.0,"
                                + start.toString(QStringLiteral("ddMMyy")).toLatin1() + ",,,A";
        log += sentence(body);
        start = start.addSecs(1);
    }
    return log;
}

} // namespace NmeaLog
