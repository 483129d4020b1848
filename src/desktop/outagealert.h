// SPDX-License-Identifier: MIT
#pragma once

#include "weather/weathererror.h"

#include <QObject>
#include <QTimer>

class Clock;

/**
 * When refreshing has failed for a while: told of each failed and each successful refresh,
 * it emits outageLasted() once when failures have gone on for threshold() without a success
 * in between, and not again until a success has ended that outage. ("Back online" is not
 * said: the window shows it.)
 *
 * Time is the injected Clock's: a timer waits for the deadline, and a jump of the clock (a
 * resume, a test's advance()) checks it at once.
 */
class OutageAlert : public QObject
{
    Q_OBJECT
public:
    explicit OutageAlert(Clock *clock, QObject *parent = nullptr);

    /** Off by default; turning it off forgets an outage in progress. */
    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    void setThresholdMs(qint64 ms);
    qint64 thresholdMs() const { return m_thresholdMs; }

    /** A refresh of `place` failed with `error` (one the session retries by itself). */
    void noteFailure(const QString &place, const WeatherError &error);
    /** A refresh succeeded: an outage in progress is over. */
    void noteSuccess();

    /** Since when refreshing fails; -1 when it does not. */
    qint64 failingSince() const { return m_since; }

Q_SIGNALS:
    /** Once per outage: a title and a sentence for a notification. */
    void outageLasted(const QString &title, const QString &body);

private:
    void check();
    void schedule();

    Clock *m_clock;
    QTimer m_timer;
    bool m_enabled = false;
    qint64 m_thresholdMs = 30 * 60'000;
    qint64 m_since = -1;
    bool m_said = false;
    QString m_place;
    WeatherError m_error;
};
