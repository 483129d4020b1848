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

/** Where everything goes at the current size: the plot, the temperature scale, the labels. */
struct HourlyChartWidget::Layout
{
    QRectF plot; // empty: nothing to paint
    double step = 0; // width of one slot
    bool hasTemperature = false;
    double low = 0;
    double span = 1;
    double yLow = 0; // where the lowest and the highest temperature are drawn
    double yHigh = 0;
    QList<Label> labels;

    double xOf(int slot) const { return plot.left() + (slot + 0.5) * step; }
    double yOf(double t) const { return yLow - (yLow - yHigh) * (t - low) / span; }
};

HourlyChartWidget::Layout HourlyChartWidget::layout() const
{
    Layout l;
    const int count = m_model->rowCount();
    if (count == 0)
        return l;
    const QFontMetrics metrics(font());
    const double textHeight = metrics.height();
    // The highest temperature's label above the plot, the hours below it.
    const QRectF plot(kMargin, kMargin + textHeight, width() - 2 * kMargin,
                      height() - 2 * kMargin - textHeight * 2 - 4);
    if (plot.width() <= 0 || plot.height() <= 0)
        return l;
    l.plot = plot;
    l.step = plot.width() / count;
    const auto temperature = [this](int i) {
        return m_model->index(i).data(HourlyModel::TemperatureRole);
    };
    int lowest = -1;
    int highest = -1;
    for (int i = 0; i < count; ++i) {
        const QVariant t = temperature(i);
        if (!t.isValid())
            continue;
        if (lowest < 0 || t.toDouble() < temperature(lowest).toDouble())
            lowest = i;
        if (highest < 0 || t.toDouble() > temperature(highest).toDouble())
            highest = i;
    }
    const auto placeLabel = [&](double x, double top, const QString &text) {
        const double w = metrics.horizontalAdvance(text);
        const double left = std::clamp(x - w / 2.0, 0.0, std::max(0.0, width() - w));
        l.labels.append({QRectF(left, top, w, textHeight), text});
    };
    if (highest >= 0) {
        l.hasTemperature = true;
        l.low = temperature(lowest).toDouble();
        l.span = std::max(temperature(highest).toDouble() - l.low, 1.0);
        // The lowest point leaves room for its label below it, inside the plot: below the
        // plot are the hour labels (it used to sit on the first of them).
        l.yLow = plot.bottom() - textHeight - 4;
        l.yHigh = plot.top() + 6;
        const auto text = [this](int i) {
            return m_model->index(i).data(HourlyModel::TemperatureTextRole).toString();
        };
        placeLabel(l.xOf(highest), l.yOf(temperature(highest).toDouble()) - textHeight - 2,
                   text(highest));
        if (lowest != highest)
            placeLabel(l.xOf(lowest), l.yOf(temperature(lowest).toDouble()) + 2, text(lowest));
    }
    // Hour labels, in the place's time, as often as they fit.
    const int slotHours = std::max(
        1, m_model->index(0).data(HourlyModel::HourlyRole).value<HourlyForecast>().periodHours);
    const int labelWidth = metrics.horizontalAdvance(u"Mon 00:00"_s) + 8;
    int every = std::max(1, kLabelEveryHours / slotHours);
    while (every * l.step < labelWidth && every < count)
        every *= 2;
    for (int i = 0; i < count; i += every)
        placeLabel(l.xOf(i), plot.bottom() + 4, m_model->timeText(i));
    return l;
}

QList<HourlyChartWidget::Label> HourlyChartWidget::labels() const
{
    return layout().labels;
}

void HourlyChartWidget::paintEvent(QPaintEvent *)
{
    const Layout l = layout();
    if (l.plot.isEmpty())
        return;
    const QRectF plot = l.plot;
    const int count = m_model->rowCount();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();

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
            QRectF(plot.left() + i * l.step + l.step * 0.15, plot.bottom() - h, l.step * 0.7, h),
            bar);
    }

    // Temperature: a line through the known values, scaled to their range.
    if (l.hasTemperature) {
        QPainterPath path;
        bool drawing = false;
        for (int i = 0; i < count; ++i) {
            const QVariant t = m_model->index(i).data(HourlyModel::TemperatureRole);
            if (!t.isValid()) {
                drawing = false; // a gap, not a made-up value
                continue;
            }
            const QPointF p(l.xOf(i), l.yOf(t.toDouble()));
            if (drawing)
                path.lineTo(p);
            else
                path.moveTo(p);
            drawing = true;
        }
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
    }

    painter.setPen(pal.color(QPalette::WindowText));
    for (const Label &label : l.labels)
        painter.drawText(label.rect, Qt::AlignCenter, label.text);
    if (hasFocus()) {
        QColor focus = pal.color(QPalette::Highlight);
        painter.setPen(QPen(focus, 1));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}
