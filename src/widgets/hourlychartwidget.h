// SPDX-License-Identifier: MIT
#pragma once

#include "weather/hourlyforecast.h"
#include "weather/location.h"

#include <QColor>
#include <QList>
#include <QRectF>
#include <QWidget>

class Clock;
class HourlyModel;

/**
 * The next 48 hours of one place as a meteogram: a heading and a legend; day names at the day
 * boundaries ("Today", "Tomorrow", "Thursday"); a condition icon and the temperature every few
 * hours over the temperature line; the chance of precipitation (bars, % scale on the right)
 * and its amount (bars, scale in the person's unit on the left); the wind speed; the hours,
 * the first one "Now" under a line at the current time. All times are the place's own, in the
 * locale's 12 or 24 hour form; every colour comes from the palette, so dark themes keep their
 * contrast.
 *
 * Pointing at an hour, or moving along the hours with the arrow keys (the chart takes focus
 * and shows a frame), reads that hour out ("20:00 · 17° · rain 60 % · 1.2 mm · wind 18 km/h")
 * in the chart's readout line, in a tooltip and in the accessible name. For screen readers the
 * hours are also a list: model() (one row per slot, Qt::AccessibleTextRole) and the accessible
 * description, one line per slot.
 *
 * Slots already over when shown are left out (a forecast read back offline must not start
 * hours ago). The clock is borrowed.
 */
class HourlyChartWidget : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kHours = 48;

    explicit HourlyChartWidget(QWidget *parent = nullptr);
    ~HourlyChartWidget() override;

    void setClock(Clock *clock);
    /** Shows the coming hours of `hours` for `location`; an empty list hides the chart. */
    void showHours(const Location &location, const HourlyForecastList &hours);
    void clear();

    Location location() const { return m_location; }
    HourlyModel *model() const { return m_model; }

    /** The slot read out (pointed at or chosen with the keys), or -1. */
    int currentSlot() const { return m_current; }
    void setCurrentSlot(int slot);
    /** What the readout line says now: the current slot, or how to pick one. */
    QString readoutText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    /** A text painted on the chart. */
    struct Label
    {
        enum Kind { Heading, Legend, Readout, Day, Temperature, Wind, Hour, Scale };
        QRectF rect;
        QString text;
        Kind kind = Hour;
        QColor color; ///< drawn in this colour, on the palette's Window colour
    };
    /** The texts as paintEvent() places them at the current size (none may overlap). */
    QList<Label> labels() const;
    /** Where the condition icons go at the current size, with the slot each belongs to. */
    QList<QPair<int, QRectF>> icons() const;
    /** The horizontal centre of `slot`, and the slot under `x` (-1 outside the plot). */
    double slotCenter(int slot) const;
    int slotAt(double x) const;

Q_SIGNALS:
    /** The slot read out changed (-1: none). */
    void currentSlotChanged(int slot);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    struct Layout;
    Layout layout() const;
    void updateAccessibleText();

    HourlyModel *m_model;
    Clock *m_clock;
    Location m_location;
    int m_current = -1;
};
