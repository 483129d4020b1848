// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

class Clock;

/**
 * Notices when wall-clock time moved differently from the steady flow of a monotonic timer:
 * a resume from suspend (the monotonic timer stood still while the wall clock went on), or
 * the clock set by hand or by NTP. It then emits the clock's jumped() signal, so everything
 * scheduled on the Clock (cache expiry, the session's refreshes) re-checks its deadlines at
 * once instead of up to a minute later.
 *
 * Checks every kCheckIntervalMs; a difference above kThresholdMs counts as a jump. Timer
 * slack and a busy event loop stay far below that.
 *
 * Ownership: the clock is borrowed and must outlive the detector.
 */
class ClockJumpDetector : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCheckIntervalMs = 10'000;
    static constexpr qint64 kThresholdMs = 5'000;
    using Monotonic = std::function<qint64()>;

    /** `monotonic`: ms from a steady source (default: QElapsedTimer); tests inject one. */
    explicit ClockJumpDetector(Clock *clock, QObject *parent = nullptr, Monotonic monotonic = {});

    /** Compares the clocks now (the timer calls it). True when a jump was reported. */
    bool check();

Q_SIGNALS:
    /** The wall clock moved `deltaMs` more than the monotonic time (negative: set back). */
    void jumpDetected(qint64 deltaMs);

private:
    Clock *m_clock;
    Monotonic m_monotonic;
    QElapsedTimer m_elapsed;
    QTimer m_timer;
    qint64 m_lastWall = 0;
    qint64 m_lastSteady = 0;
};
