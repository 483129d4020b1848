// SPDX-License-Identifier: MIT
#include "requesttimelinewidget.h"

#include <QEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
using Event = RequestLog::Event;

constexpr int kPad = 8;
constexpr int kLaneHeight = 26;
constexpr int kBandHeight = 30;

double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor mixed(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

void drawCross(QPainter &p, QPointF c, qreal r)
{
    p.drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
    p.drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
}

void drawTriangle(QPainter &p, QPointF tip, qreal r)
{
    // Pointing down onto the tick: "asked now, whatever the cache held".
    const QPointF points[] = {tip, tip + QPointF(-r, -1.6 * r), tip + QPointF(r, -1.6 * r)};
    p.drawPolygon(points, 3);
}
} // namespace

RequestTimelineWidget::RequestTimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAccessibleName(tr("Request timeline"));
    updateDescription();
}

RequestTimelineWidget::~RequestTimelineWidget() = default;

void RequestTimelineWidget::setSpanMs(qint64 ms)
{
    ms = qMax<qint64>(kSteps * 1000, ms);
    if (ms == m_spanMs)
        return;
    m_spanMs = ms;
    updateDescription();
    update();
}

void RequestTimelineWidget::setEvents(const QList<RequestLog::Event> &events,
                                      const QStringList &providerNames, qint64 now)
{
    m_events = events;
    const bool newLane = providerNames.size() != m_providerNames.size();
    m_providerNames = providerNames;
    m_now = snapped(now);
    if (newLane)
        updateGeometry();
    updateDescription();
    update();
}

void RequestTimelineWidget::setNow(qint64 now)
{
    const qint64 step = snapped(now);
    if (step == m_now)
        return;
    m_now = step;
    updateDescription();
    update();
}

qint64 RequestTimelineWidget::snapped(qint64 now) const
{
    // The axis moves in steps, so an idle timeline repaints kSteps times a span, not at
    // every tick; the step under way counts as "now".
    const qint64 step = m_spanMs / kSteps;
    return (now / step + (now % step ? 1 : 0)) * step;
}

QList<RequestLog::Event> RequestTimelineWidget::shownEvents() const
{
    const qint64 from = m_now - m_spanMs;
    QList<Event> shown;
    for (const Event &e : m_events) {
        if (e.at >= from && e.at <= m_now)
            shown.append(e);
    }
    return shown;
}

QString RequestTimelineWidget::summaryText() const
{
    const QLocale locale;
    const QList<Event> shown = shownEvents();
    QList<int> requests(qMax<qsizetype>(1, m_providerNames.size()), 0);
    QList<int> forced(requests.size(), 0);
    int answers = 0;
    int expiries = 0;
    int errors = 0;
    for (const Event &e : shown) {
        switch (e.kind) {
        case Event::Kind::Request:
            if (e.providerIndex < requests.size()) {
                ++requests[e.providerIndex];
                forced[e.providerIndex] += e.forced;
            }
            break;
        case Event::Kind::Answer:
            ++answers;
            break;
        case Event::Kind::Expiry:
            ++expiries;
            break;
        case Event::Kind::Error:
            ++errors;
            break;
        }
    }
    // No plural forms without a translation loaded: singular and plural spelt out.
    const auto count = [&locale](int n, const QString &one, const QString &many) {
        return n == 1 ? one : many.arg(locale.toString(n));
    };
    const QString span = m_spanMs == kOneHourMs
                             ? tr("Last hour")
                             : tr("Last %1 minutes").arg(locale.toString(m_spanMs / 60'000));
    QStringList parts;
    for (qsizetype i = 0; i < m_providerNames.size(); ++i) {
        if (requests.at(i) == 0)
            continue;
        QString part = count(requests.at(i), tr("1 request to %2"), tr("%1 requests to %2"))
                           .arg(m_providerNames.at(i));
        if (forced.at(i) > 0)
            part += u' ' + tr("(%1 forced)").arg(locale.toString(forced.at(i)));
        parts << part;
    }
    if (parts.isEmpty())
        parts << tr("no requests to the provider");
    parts << count(answers, tr("1 cache answer"), tr("%1 cache answers"));
    if (expiries > 0)
        parts << count(expiries, tr("1 answer went out of date"),
                       tr("%1 answers went out of date"));
    if (errors > 0)
        parts << count(errors, tr("1 error"), tr("%1 errors"));
    return tr("%1: %2.").arg(span, parts.join(u", "_s));
}

void RequestTimelineWidget::updateDescription()
{
    const QString text = summaryText();
    if (text == accessibleDescription())
        return;
    setAccessibleDescription(text);
    setToolTip(text + u'\n'
               + tr("Tall ticks: requests to the provider; a triangle on top: a forced refresh; "
                    "a cross: a failed request; the grey band: answers the cache gave without "
                    "asking; small circles: answers that went out of date."));
}

int RequestTimelineWidget::laneCount() const
{
    return int(qMax<qsizetype>(1, m_providerNames.size()));
}

QRectF RequestTimelineWidget::plotRect() const
{
    const QFontMetrics fm = fontMetrics();
    const qreal legend = fm.height() + 6;
    const qreal nameWidth = 0; // lane names are drawn inside the lane, at its left
    return QRectF(kPad + nameWidth, kPad + legend, width() - 2 * kPad - nameWidth,
                  height() - 2 * kPad - legend - fm.height() - 2);
}

QRectF RequestTimelineWidget::laneRect(int index) const
{
    const QRectF plot = plotRect();
    const qreal lanes = plot.height() - kBandHeight - 4;
    const qreal h = lanes / laneCount();
    return QRectF(plot.left(), plot.top() + index * h, plot.width(), h);
}

QRectF RequestTimelineWidget::bandRect() const
{
    const QRectF plot = plotRect();
    return QRectF(plot.left(), plot.bottom() - kBandHeight, plot.width(), kBandHeight);
}

qreal RequestTimelineWidget::xForTime(qint64 at) const
{
    const QRectF plot = plotRect();
    const double t = double(at - (m_now - m_spanMs)) / double(m_spanMs);
    return plot.left() + plot.width() * qBound(0.0, t, 1.0);
}

double RequestTimelineWidget::contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor RequestTimelineWidget::legible(const QColor &preferred) const
{
    const QColor base = palette().color(QPalette::Base);
    return contrastRatio(preferred, base) >= 3.0 ? preferred : palette().color(QPalette::Text);
}

QSize RequestTimelineWidget::sizeHint() const
{
    const int text = fontMetrics().height();
    return {320, 2 * kPad + text + 6 + laneCount() * kLaneHeight + 4 + kBandHeight + text + 2};
}

QSize RequestTimelineWidget::minimumSizeHint() const
{
    return {160, sizeHint().height()};
}

void RequestTimelineWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGeometry();
}

void RequestTimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    // Quieter than the marks, still visible: a third of the way from the base to the text.
    const QColor bandColor = mixed(base, text, 0.35);
    const QColor requestColor = legible(pal.color(QPalette::Text));
    const QColor forcedColor = legible(pal.color(QPalette::Highlight));
    const QColor dim = legible(pal.color(QPalette::PlaceholderText));

    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath framePath;
    framePath.addRoundedRect(frame, 6, 6);
    p.fillPath(framePath, base);
    p.setPen(pal.color(QPalette::Mid));
    p.drawPath(framePath);

    const QRectF plot = plotRect();
    if (plot.width() < 40 || plot.height() < kBandHeight + 10)
        return;

    // Legend: the shapes with their words, so nothing depends on colour.
    qreal x = plot.left();
    const qreal cy = kPad + fm.height() / 2.0;
    const auto legendText = [&](const QString &words) {
        p.setPen(text);
        p.drawText(QPointF(x, kPad + fm.ascent()), words);
        x += fm.horizontalAdvance(words) + 12;
    };
    p.setPen(QPen(requestColor, 2));
    p.drawLine(QPointF(x + 3, cy - 6), QPointF(x + 3, cy + 6));
    x += 10;
    legendText(tr("request"));
    p.setPen(Qt::NoPen);
    p.setBrush(forcedColor);
    drawTriangle(p, QPointF(x + 5, cy + 4), 5);
    x += 14;
    legendText(tr("forced"));
    p.setPen(QPen(requestColor, 2));
    drawCross(p, QPointF(x + 4, cy), 4);
    x += 13;
    legendText(tr("error"));
    p.setPen(QPen(requestColor, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(QPointF(x + 4, cy), 3.5, 3.5);
    x += 13;
    legendText(tr("out of date"));
    p.fillRect(QRectF(x, cy - 5, 10, 10), bandColor);
    x += 14;
    legendText(tr("cache answers"));

    // Grid: a line every fifth of the span, and the lanes' baselines.
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    p.setPen(QPen(grid, 1, Qt::DotLine));
    for (int i = 1; i < 5; ++i) {
        const qreal gx = plot.left() + plot.width() * i / 5.0;
        p.drawLine(QPointF(gx, plot.top()), QPointF(gx, plot.bottom()));
    }
    p.setPen(QPen(grid, 1));
    for (int lane = 0; lane < laneCount(); ++lane)
        p.drawLine(laneRect(lane).bottomLeft(), laneRect(lane).bottomRight());
    const QRectF band = bandRect();
    p.drawLine(band.bottomLeft(), band.bottomRight());

    // Lane names, faint, at the left of their lane.
    p.setPen(dim);
    for (int lane = 0; lane < m_providerNames.size(); ++lane) {
        const QRectF r = laneRect(lane);
        p.drawText(r.adjusted(2, 1, 0, 0), Qt::AlignLeft | Qt::AlignTop, m_providerNames.at(lane));
    }
    p.drawText(band.adjusted(2, 1, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("from cache"));

    // Time axis.
    const QRectF axis(plot.left(), plot.bottom() + 2, plot.width(), fm.height());
    const QString ago
        = m_spanMs == kOneHourMs ? tr("1 h ago") : tr("%1 min ago").arg(m_spanMs / 60'000);
    const QString half = tr("%1 min ago").arg(m_spanMs / 120'000);
    p.drawText(axis, Qt::AlignLeft | Qt::AlignTop, ago);
    p.drawText(axis, Qt::AlignHCenter | Qt::AlignTop, half);
    p.drawText(axis, Qt::AlignRight | Qt::AlignTop, tr("now"));

    const QList<Event> shown = shownEvents();

    // The band: answers per bin, as a filled area, scaled to the busiest bin.
    QList<int> bins(kSteps, 0);
    const qint64 start = m_now - m_spanMs;
    const qint64 step = m_spanMs / kSteps;
    for (const Event &e : shown) {
        if (e.kind == Event::Kind::Answer)
            ++bins[qBound<qint64>(0, (e.at - start) / step, qint64(kSteps - 1))];
    }
    const int peak = *std::max_element(bins.cbegin(), bins.cend());
    if (peak > 0) {
        const qreal binWidth = band.width() / kSteps;
        const qreal top = band.top() + fm.height() * 0.5;
        for (int i = 0; i < kSteps; ++i) {
            if (bins.at(i) == 0)
                continue;
            const qreal h = qMax<qreal>(2.0, (band.bottom() - top) * bins.at(i) / peak);
            p.fillRect(QRectF(band.left() + i * binWidth, band.bottom() - h, binWidth, h),
                       bandColor);
        }
    }

    // Marks on top: expiries on the band's baseline, requests and errors in their lane.
    for (const Event &e : shown) {
        const qreal ex = xForTime(e.at);
        switch (e.kind) {
        case Event::Kind::Answer:
            break;
        case Event::Kind::Expiry:
            p.setPen(QPen(requestColor, 1.5));
            p.setBrush(base);
            p.drawEllipse(QPointF(ex, band.bottom() - 4), 3.5, 3.5);
            break;
        case Event::Kind::Request: {
            const QRectF lane = laneRect(qMin<int>(e.providerIndex, laneCount() - 1));
            const qreal top = lane.top() + lane.height() * 0.35;
            p.setPen(QPen(requestColor, 2, Qt::SolidLine, Qt::FlatCap));
            p.drawLine(QPointF(ex, lane.bottom() - 1), QPointF(ex, top));
            if (e.forced) {
                p.setPen(Qt::NoPen);
                p.setBrush(forcedColor);
                drawTriangle(p, QPointF(ex, top), 5);
            }
            break;
        }
        case Event::Kind::Error: {
            const QRectF lane = laneRect(qMin<int>(e.providerIndex, laneCount() - 1));
            p.setPen(QPen(requestColor, 2.2));
            drawCross(p, QPointF(ex, lane.top() + lane.height() * 0.62), 4.5);
            break;
        }
        }
    }
}
