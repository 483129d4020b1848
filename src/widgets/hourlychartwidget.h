// SPDX-License-Identifier: MIT
#pragma once

#include "weather/hourlyforecast.h"
#include "weather/location.h"

#include <QList>
#include <QRectF>
#include <QWidget>

class Clock;
class HourlyModel;

/**
 * The next 48 hours of one place, painted: a temperature line over precipitation-probability
 * bars, hour labels in the place's own time, every colour from the palette (so a dark theme
 * keeps its contrast and grid). For screen readers the same hours are a list: model() (one
 * row per slot, Qt::AccessibleTextRole) and the accessible description, one line per slot.
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

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    /** A text painted on the chart: the highest and lowest temperature, an hour. */
    struct Label
    {
        QRectF rect;
        QString text;
    };
    /** The texts as paintEvent() places them at the current size (none may overlap). */
    QList<Label> labels() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Layout;
    Layout layout() const;
    void updateAccessibleText();

    HourlyModel *m_model;
    Clock *m_clock;
    Location m_location;
};
