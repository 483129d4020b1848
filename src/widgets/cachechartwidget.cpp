// SPDX-License-Identifier: MIT
#include "cachechartwidget.h"

#include <QPainter>
#include <QPainterPath>

namespace {
const QColor kHitColor(0x4c, 0xaf, 0x50);
const QColor kMissColor(0xf0, 0x8a, 0x24);
} // namespace

CacheChartWidget::CacheChartWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAccessibleName(tr("Cache hits and misses over time"));
}

CacheChartWidget::~CacheChartWidget() = default;

void CacheChartWidget::appendSample(const Sample &sample)
{
    m_samples.append(sample);
    while (m_samples.size() > m_maxSamples)
        m_samples.removeFirst();
    m_current = {};
    update();
}

void CacheChartWidget::setCurrentSample(const Sample &sample)
{
    if (sample.hits == m_current.hits && sample.misses == m_current.misses)
        return;
    m_current = sample;
    update();
}

void CacheChartWidget::clear()
{
    m_samples.clear();
    m_current = {};
    update();
}

void CacheChartWidget::setMaxSamples(int count)
{
    m_maxSamples = qMax(1, count);
    while (m_samples.size() > m_maxSamples)
        m_samples.removeFirst();
    update();
}

void CacheChartWidget::setIntervalMs(qint64 ms)
{
    m_intervalMs = qMax<qint64>(1, ms);
    update();
}

quint64 CacheChartWidget::niceCeiling(quint64 value)
{
    quint64 magnitude = 1;
    while (true) {
        for (quint64 step : {1, 2, 5}) {
            if (value <= step * magnitude)
                return step * magnitude;
        }
        magnitude *= 10;
    }
}

QSize CacheChartWidget::sizeHint() const
{
    return {320, 150};
}

QSize CacheChartWidget::minimumSizeHint() const
{
    return {160, 100};
}

void CacheChartWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();

    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath framePath;
    framePath.addRoundedRect(frame, 6, 6);
    p.fillPath(framePath, pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawPath(framePath);

    // Legend on top, axis labels left and below.
    const int pad = 8;
    const int legendHeight = fm.height() + 4;
    // The closed intervals, then the one under way on the right.
    QList<Sample> bars = m_samples;
    bars.append(m_current);
    while (bars.size() > m_maxSamples)
        bars.removeFirst();
    quint64 peak = 0;
    for (const Sample &s : std::as_const(bars))
        peak = qMax(peak, s.hits + s.misses);
    const quint64 top = niceCeiling(qMax<quint64>(peak, 1));
    const QString topText = QString::number(top);
    const int axisWidth = fm.horizontalAdvance(topText) + 6;
    const QRectF plot(pad + axisWidth, pad + legendHeight, width() - 2 * pad - axisWidth,
                      height() - 2 * pad - legendHeight - fm.height() - 2);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    // Legend
    auto legendItem = [&](qreal x, const QColor &color, const QString &text) {
        const QRectF swatch(x, pad + (fm.height() - 10) / 2.0, 10, 10);
        p.fillRect(swatch, color);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(swatch.right() + 4, pad + fm.ascent()), text);
        return swatch.right() + 4 + fm.horizontalAdvance(text) + 12;
    };
    qreal x = plot.left();
    x = legendItem(x, kHitColor, tr("Hits"));
    legendItem(x, kMissColor, tr("Misses"));

    // Grid: baseline, middle, top
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    p.setPen(QPen(grid, 1, Qt::DashLine));
    for (int i = 0; i <= 2; ++i) {
        const qreal y = plot.bottom() - plot.height() * i / 2.0;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(pad, plot.top() - fm.height() / 2.0, axisWidth - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, topText);
    p.drawText(QRectF(pad, plot.bottom() - fm.height() / 2.0, axisWidth - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("0"));

    // Time axis
    const qint64 spanMin = qMax<qint64>(1, m_intervalMs * m_maxSamples / 60'000);
    const QRectF timeAxis(plot.left(), plot.bottom() + 2, plot.width(), fm.height());
    p.drawText(timeAxis, Qt::AlignLeft | Qt::AlignTop, tr("%n min ago", nullptr, int(spanMin)));
    p.drawText(timeAxis, Qt::AlignRight | Qt::AlignTop, tr("now"));

    if (peak == 0) {
        p.drawText(plot, Qt::AlignCenter, tr("No requests yet"));
        return;
    }

    // Bars, newest on the right.
    const qreal slot = plot.width() / m_maxSamples;
    const qreal barWidth = qMax<qreal>(1.0, slot * 0.7);
    const qsizetype count = bars.size();
    for (qsizetype i = 0; i < count; ++i) {
        const Sample &s = bars.at(i);
        const qreal left = plot.right() - (count - i) * slot + (slot - barWidth) / 2;
        const qreal hitHeight = plot.height() * double(s.hits) / double(top);
        const qreal missHeight = plot.height() * double(s.misses) / double(top);
        p.fillRect(QRectF(left, plot.bottom() - hitHeight, barWidth, hitHeight), kHitColor);
        p.fillRect(QRectF(left, plot.bottom() - hitHeight - missHeight, barWidth, missHeight),
                   kMissColor);
    }
}
