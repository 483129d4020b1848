// SPDX-License-Identifier: MIT
#include "nowcaststrip.h"

#include "cache/clock.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
/** 4 mm in 15 minutes is a downpour: the bar's full height (amounts above are clipped). */
constexpr double kFullBarMm = 4.0;
} // namespace

NowcastStrip::NowcastStrip(QWidget *parent)
    : QWidget(parent)
    , m_clock(Clock::system())
{
    setAccessibleName(tr("Rain in the next two hours"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

NowcastStrip::~NowcastStrip() = default;

void NowcastStrip::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    updateAccessibleText();
    update();
}

void NowcastStrip::showNowcast(const Nowcast &nowcast)
{
    m_nowcast = nowcast;
    m_error.reset();
    updateAccessibleText();
    update();
}

void NowcastStrip::showFailure(const WeatherError &error)
{
    m_nowcast.reset();
    m_error = error;
    updateAccessibleText();
    update();
}

void NowcastStrip::refresh()
{
    updateAccessibleText();
    update();
}

void NowcastStrip::clear()
{
    m_nowcast.reset();
    m_error.reset();
    updateAccessibleText();
    update();
}

QDateTime NowcastStrip::now() const
{
    return QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
}

QString NowcastStrip::captionText() const
{
    if (m_error)
        return tr("Rain in the next two hours not available: %1").arg(m_error->message());
    if (!m_nowcast)
        return QString();
    const QString text = RainOutlook::from(*m_nowcast, now(), kMinutes).text();
    return text.isEmpty() ? tr("Rain in the next two hours: no data for now") : text;
}

QRectF NowcastStrip::plotRect() const
{
    const int caption = fontMetrics().height() + 4;
    return QRectF(rect()).adjusted(2, caption, -2, -2);
}

QList<NowcastStrip::Bar> NowcastStrip::bars() const
{
    QList<Bar> result;
    if (!m_nowcast)
        return result;
    const QRectF plot = plotRect();
    const QDateTime start = now();
    const double msPerPixel = double(kMinutes) * 60'000 / plot.width();
    const double mmPerUnit = m_nowcast->unit == PrecipitationUnit::Inch ? 25.4 : 1.0;
    for (const NowcastStep &step : m_nowcast->upcoming(start, kMinutes)) {
        // The step under way starts left of the strip: clipped to now.
        const double left = std::max(0.0, double(start.msecsTo(step.start())) / msPerPixel);
        const double right = std::min(plot.width(), double(start.msecsTo(step.end)) / msPerPixel);
        const double mm = step.precipitation.value_or(0.0) * mmPerUnit;
        const double height
            = plot.height() * std::clamp(std::sqrt(mm / kFullBarMm), mm > 0 ? 0.08 : 0.0, 1.0);
        result.append({QRectF(plot.left() + left, plot.bottom() - height,
                              std::max(1.0, right - left - 1), height),
                       step});
    }
    return result;
}

QSize NowcastStrip::sizeHint() const
{
    return {320, fontMetrics().height() * 3 + 8};
}

QSize NowcastStrip::minimumSizeHint() const
{
    return {120, fontMetrics().height() * 2 + 8};
}

void NowcastStrip::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QString caption = captionText();
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(rect()).adjusted(2, 0, -2, 0), Qt::AlignLeft | Qt::AlignTop,
                     fontMetrics().elidedText(caption, Qt::ElideRight, width() - 4));
    if (!m_nowcast)
        return;
    const QRectF plot = plotRect();
    QColor base = palette().color(QPalette::Mid);
    painter.setPen(base);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    const QColor rain = palette().color(QPalette::Highlight);
    for (const Bar &bar : bars()) {
        if (!bar.step.precipitation) {
            // Unknown: hatched, not empty (empty would read as dry).
            painter.fillRect(QRectF(bar.rect.left(), plot.top(), bar.rect.width(), plot.height()),
                             QBrush(base, Qt::BDiagPattern));
            continue;
        }
        painter.fillRect(bar.rect, rain);
    }
    // Ticks at now, in one hour and in two.
    painter.setPen(palette().color(QPalette::PlaceholderText));
    for (int i = 0; i <= 2; ++i) {
        const double x = plot.left() + plot.width() * i / 2.0;
        painter.drawLine(QPointF(x, plot.bottom() - 3), QPointF(x, plot.bottom()));
    }
}

void NowcastStrip::updateAccessibleText()
{
    QStringList lines{captionText()};
    if (m_nowcast) {
        const QString unit = m_nowcast->unit == PrecipitationUnit::Inch ? tr("in") : tr("mm");
        for (const NowcastStep &step : m_nowcast->upcoming(now(), kMinutes)) {
            const QDateTime local
                = step.start().toUTC().addSecs(m_nowcast->utcOffsetSeconds.value_or(0));
            lines << tr("%1: %2 %3")
                         .arg(local.toString(u"HH:mm"_s),
                              step.precipitation ? QString::number(
                                  *step.precipitation, 'f',
                                  m_nowcast->unit == PrecipitationUnit::Inch ? 2 : 1)
                                                 : tr("unknown"),
                              unit);
        }
    }
    setAccessibleDescription(lines.join(u'\n'));
}
