// SPDX-License-Identifier: MIT
#pragma once

#include "weather/nowcast.h"
#include "weather/weathererror.h"

#include <QList>
#include <QRectF>
#include <QWidget>

#include <optional>

class Clock;

/**
 * The next two hours of rain in 15-minute steps (issue 23), painted as bars above the
 * hourly chart, with the outlook in words over them ("Rain in 20 min", "Rain stops in 35 min",
 * "No rain for the next 2 hours"). Everything is worked out from the clock when painted, so
 * an answer ten minutes old still reads right; the owner calls refresh() on its minute tick.
 * When the feed failed the strip says so instead of drawing an empty, dry-looking strip.
 * Colours from the palette. The clock is borrowed.
 */
class NowcastStrip : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMinutes = 120;

    explicit NowcastStrip(QWidget *parent = nullptr);
    ~NowcastStrip() override;

    void setClock(Clock *clock);
    void showNowcast(const Nowcast &nowcast);
    void showFailure(const WeatherError &error);
    void clear();
    /** Time moved on: the outlook and the bars again (the window's minute tick). */
    void refresh();

    /** The line over the bars: the outlook now, or what is missing. Empty: nothing shown. */
    QString captionText() const;
    /** The bars as paintEvent() places them at the current size, oldest first. */
    struct Bar
    {
        QRectF rect;
        NowcastStep step;
    };
    QList<Bar> bars() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QDateTime now() const;
    QRectF plotRect() const;
    void updateAccessibleText();

    Clock *m_clock;
    std::optional<Nowcast> m_nowcast;
    std::optional<WeatherError> m_error;
};
