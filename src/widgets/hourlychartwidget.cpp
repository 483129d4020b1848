// SPDX-License-Identifier: MIT
#include "hourlychartwidget.h"

#include "cache/clock.h"
#include "models/hourlymodel.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMargin = 8;
constexpr int kLabelEveryHours = 3;
} // namespace

HourlyChartWidget::HourlyChartWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new HourlyModel(this))
    , m_clock(Clock::system())
{
    // Reachable from the keyboard, so a screen reader can read the hours.
    setFocusPolicy(Qt::TabFocus);
    setAccessibleName(tr("Next 48 hours"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    hide();
}

HourlyChartWidget::~HourlyChartWidget() = default;

void HourlyChartWidget::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
}

void HourlyChartWidget::showHours(const Location &location, const HourlyForecastList &hours)
{
    m_location = location;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
    m_model->setForecast(upcomingHours(hours, now, kHours));
    setVisible(m_model->rowCount() > 0);
    updateAccessibleText();
    update();
}

void HourlyChartWidget::clear()
{
    m_model->clear();
    m_location = Location();
    hide();
    updateAccessibleText();
}

void HourlyChartWidget::updateAccessibleText()
{
    setAccessibleDescription(m_model->summary());
    setToolTip(m_model->rowCount() > 0 ? tr("Temperature (line) and chance of precipitation "
                                            "(bars), in the place's own time")
                                       : QString());
}

QSize HourlyChartWidget::sizeHint() const
{
    return {640, minimumSizeHint().height()};
}

QSize HourlyChartWidget::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return {240, kMargin * 2 + metrics.height() * 3 + 90};
}

void HourlyChartWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LocaleChange)
        update();
}

void HourlyChartWidget::paintEvent(QPaintEvent *)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics metrics(font());
    // Temperature labels above the plot, hour labels below it.
    const QRectF plot(kMargin, kMargin + metrics.height(), width() - 2 * kMargin,
                      height() - 2 * kMargin - metrics.height() * 2 - 4);
    if (plot.width() <= 0 || plot.height() <= 0)
        return;
    const double step = plot.width() / count;

    // The grid: the palette's mid tone between Window and Text, visible in light and dark.
    QColor grid = pal.color(QPalette::WindowText);
    grid.setAlphaF(0.25);
    painter.setPen(QPen(grid, 1, Qt::DotLine));
    for (int i = 0; i <= 4; ++i) {
        const double y = plot.top() + plot.height() * i / 4.0;
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }

    // Precipitation probability: bars from the bottom, 100 % is the plot's height.
    QColor bar = pal.color(QPalette::Link);
    bar.setAlphaF(0.45);
    for (int i = 0; i < count; ++i) {
        const QVariant chance = m_model->index(i).data(HourlyModel::ProbabilityRole);
        if (!chance.isValid())
            continue;
        const double h = plot.height() * std::clamp(chance.toDouble(), 0.0, 100.0) / 100.0;
        painter.fillRect(
            QRectF(plot.left() + i * step + step * 0.15, plot.bottom() - h, step * 0.7, h), bar);
    }

    // Temperature: a line through the known values, scaled to their range.
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (int i = 0; i < count; ++i) {
        const QVariant t = m_model->index(i).data(HourlyModel::TemperatureRole);
        if (t.isValid()) {
            low = std::min(low, t.toDouble());
            high = std::max(high, t.toDouble());
        }
    }
    const QColor line = pal.color(QPalette::Highlight);
    if (low <= high) {
        const double span = std::max(high - low, 1.0);
        const auto yOf = [&](double t) {
            return plot.bottom() - 6 - (plot.height() - 12) * (t - low) / span;
        };
        QPainterPath path;
        bool drawing = false;
        int lowest = -1;
        int highest = -1;
        for (int i = 0; i < count; ++i) {
            const QVariant t = m_model->index(i).data(HourlyModel::TemperatureRole);
            if (!t.isValid()) {
                drawing = false; // a gap, not a made-up value
                continue;
            }
            const QPointF p(plot.left() + (i + 0.5) * step, yOf(t.toDouble()));
            if (drawing)
                path.lineTo(p);
            else
                path.moveTo(p);
            drawing = true;
            if (lowest < 0
                || t.toDouble()
                       < m_model->index(lowest).data(HourlyModel::TemperatureRole).toDouble())
                lowest = i;
            if (highest < 0
                || t.toDouble()
                       > m_model->index(highest).data(HourlyModel::TemperatureRole).toDouble())
                highest = i;
        }
        painter.setPen(QPen(line, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        painter.setPen(pal.color(QPalette::WindowText));
        for (int i : {highest, lowest}) {
            if (i < 0)
                continue;
            const QString text
                = m_model->index(i).data(HourlyModel::TemperatureTextRole).toString();
            const double x = plot.left() + (i + 0.5) * step;
            const double y = yOf(m_model->index(i).data(HourlyModel::TemperatureRole).toDouble());
            const int w = metrics.horizontalAdvance(text);
            const double left = std::clamp(x - w / 2.0, 0.0, double(width() - w));
            const double top = i == highest ? y - metrics.height() - 2 : y + 2;
            painter.drawText(QRectF(left, top, w, metrics.height()), Qt::AlignCenter, text);
        }
    }

    // Hour labels, in the place's time, as often as they fit.
    painter.setPen(pal.color(QPalette::WindowText));
    const int slotHours = std::max(
        1, m_model->index(0).data(HourlyModel::HourlyRole).value<HourlyForecast>().periodHours);
    const int labelWidth = metrics.horizontalAdvance(u"Mon 00:00"_s) + 8;
    int every = std::max(1, kLabelEveryHours / slotHours);
    while (every * step < labelWidth && every < count)
        every *= 2;
    for (int i = 0; i < count; i += every) {
        const QString text = m_model->timeText(i);
        const double x = plot.left() + (i + 0.5) * step;
        const int w = metrics.horizontalAdvance(text);
        const double left = std::clamp(x - w / 2.0, 0.0, double(width() - w));
        painter.drawText(QRectF(left, plot.bottom() + 4, w, metrics.height()), Qt::AlignCenter,
                         text);
    }
    if (hasFocus()) {
        QColor focus = pal.color(QPalette::Highlight);
        painter.setPen(QPen(focus, 1));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}
