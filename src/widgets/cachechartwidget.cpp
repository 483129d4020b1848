// SPDX-License-Identifier: MIT
#include "cachechartwidget.h"

#include "themecolors.h"

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
    m_hitsLegend = tr("Hits");
    m_missesLegend = tr("Misses");
}

void CacheChartWidget::setLegend(const QString &hits, const QString &misses)
{
    m_hitsLegend = hits;
    m_missesLegend = misses;
    update();
}

CacheChartWidget::~CacheChartWidget() = default;

void CacheChartWidget::appendSample(const Sample &sample)
{
    Sample s = sample;
    s.intervals = qMax(1, s.intervals);
    m_samples.append(s);
    trim();
    m_current = {};
    update();
}

int CacheChartWidget::coveredIntervals() const
{
    qint64 covered = 0;
    for (const Sample &s : m_samples)
        covered += s.intervals;
    return int(qMin<qint64>(covered, m_maxSamples));
}

void CacheChartWidget::trim()
{
    // The oldest samples go once the kept ones cover more than the chart shows; a single long
    // one stays (drawn cut at the left edge).
    qint64 covered = 0;
    for (const Sample &s : std::as_const(m_samples))
        covered += s.intervals;
    while (m_samples.size() > 1 && covered - m_samples.first().intervals >= m_maxSamples) {
        covered -= m_samples.first().intervals;
        m_samples.removeFirst();
    }
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
    trim();
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

    quint64 peak = 0;
    for (const Sample &s : std::as_const(bars)) {
        const quint64 total = s.hits + s.misses;
        peak = qMax(peak, (total + quint64(s.intervals) - 1) / quint64(s.intervals));
    }
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
    x = legendItem(x, kHitColor, m_hitsLegend);
    legendItem(x, kMissColor, m_missesLegend);

    // Grid: baseline, middle, top
    // From the text colour: Mid nearly matches Base in dark themes, and the grid faded out.
    p.setPen(QPen(ThemeColors::gridLine(pal), 1, Qt::DashLine));
    for (int i = 0; i <= 2; ++i) {
        const qreal y = plot.bottom() - plot.height() * i / 2.0;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    p.setPen(ThemeColors::secondaryText(pal, QPalette::Base));
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

    // Bars, newest on the right; a sample of several intervals is as wide as they are.
    const qreal slot = plot.width() / m_maxSamples;
    const qreal gap = slot - qMax<qreal>(1.0, slot * 0.7);
    p.save();
    p.setClipRect(plot);
    qreal right = plot.right();
    for (qsizetype i = bars.size() - 1; i >= 0 && right > plot.left(); --i) {
        const Sample &s = bars.at(i);
        const qreal width = s.intervals * slot;
        const QRectF cell(right - width + gap / 2, plot.top(), width - gap, plot.height());
        right -= width;
        const double perInterval = double(s.intervals) * double(top);
        const qreal hitHeight = plot.height() * double(s.hits) / perInterval;
        const qreal missHeight = plot.height() * double(s.misses) / perInterval;
        const QRectF hitBar(cell.left(), plot.bottom() - hitHeight, cell.width(), hitHeight);
        const QRectF missBar(cell.left(), hitBar.top() - missHeight, cell.width(), missHeight);
        if (s.intervals == 1) {
            p.fillRect(hitBar, kHitColor);
            p.fillRect(missBar, kMissColor);
        } else {
            // An average over a time the panel was hidden: the same colours, hatched.
            p.fillRect(hitBar, QBrush(kHitColor, Qt::Dense4Pattern));
            p.fillRect(missBar, QBrush(kMissColor, Qt::Dense4Pattern));
        }
    }
    p.restore();
}
