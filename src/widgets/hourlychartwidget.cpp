// SPDX-License-Identifier: MIT
#include "hourlychartwidget.h"

#include "cache/clock.h"
#include "models/hourlymodel.h"
#include "themecolors.h"
#include "weathericons.h"

#include <QEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMargin = 6;
constexpr int kIconSize = 20;
constexpr int kTemperaturePlotHeight = 56;
constexpr int kGap = 4; // between two texts side by side
constexpr int kSwatchWidth = 14;

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

QString percentText(int value)
{
    return QLocale().toString(value) + u"\u202f%"_s;
}

/** The smallest of 1, 2, 5 × 10^k at or above `value`. */
double niceCeiling(double value)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value * 0.9999)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

/** Vertical bands, top to bottom; the same for every width (see sizeHint()). */
struct Rows
{
    QRectF header, legend, day, icon, temperatureText, temperaturePlot, precipitationPlot, wind,
        hour;
    double bottom = 0;

    static Rows at(const QFontMetricsF &text, const QFontMetricsF &bold, double left, double width)
    {
        Rows r;
        double y = kMargin;
        const auto band = [&](double height, double after) {
            const QRectF rect(left, y, width, height);
            y += height + after;
            return rect;
        };
        r.header = band(bold.height(), 2);
        r.legend = band(text.height(), 6);
        r.day = band(bold.height(), 2);
        r.icon = band(kIconSize, 1);
        r.temperatureText = band(text.height(), 2);
        r.temperaturePlot = band(kTemperaturePlotHeight, 6);
        r.precipitationPlot = band(text.height() * 3 + 6, 4);
        r.wind = band(text.height(), 2);
        r.hour = band(text.height(), 0);
        r.bottom = y + kMargin;
        return r;
    }
};
} // namespace

HourlyChartWidget::HourlyChartWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new HourlyModel(this))
    , m_clock(Clock::system())
{
    // Reachable from the keyboard: the arrow keys read the hours one by one.
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
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
    const bool samePlace = m_location == location;
    m_location = location;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
    m_model->setForecast(upcomingHours(hours, now, kHours));
    setVisible(m_model->rowCount() > 0);
    // A refresh of the same place keeps the hour being read; another place starts afresh.
    const int current = samePlace ? std::min(m_current, m_model->rowCount() - 1) : -1;
    m_current = -2; // so setCurrentSlot() announces even an unchanged index
    setCurrentSlot(current);
    updateAccessibleText();
    update();
}

void HourlyChartWidget::clear()
{
    m_model->clear();
    m_location = Location();
    m_current = -1;
    hide();
    updateAccessibleText();
}

void HourlyChartWidget::setCurrentSlot(int slot)
{
    slot = std::clamp(slot, -1, m_model->rowCount() - 1);
    if (slot == m_current)
        return;
    m_current = slot;
    updateAccessibleText();
    update();
    Q_EMIT currentSlotChanged(slot);
}

QString HourlyChartWidget::readoutText() const
{
    if (m_current >= 0)
        return m_model->readout(m_current);
    return tr("Point at an hour, or use the arrow keys, to read it out");
}

void HourlyChartWidget::updateAccessibleText()
{
    setAccessibleDescription(m_model->summary());
    // The name is what a screen reader says when it changes on the focused chart.
    setAccessibleName(m_current >= 0 ? tr("Next 48 hours: %1").arg(m_model->readout(m_current))
                                     : tr("Next 48 hours"));
}

QSize HourlyChartWidget::sizeHint() const
{
    return {640, minimumSizeHint().height()};
}

QSize HourlyChartWidget::minimumSizeHint() const
{
    const Rows rows = Rows::at(QFontMetricsF(font()), QFontMetricsF(boldFont(font())), 0, 1);
    return {320, int(std::ceil(rows.bottom))};
}

void HourlyChartWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::LocaleChange)
        update();
}

/** Where everything goes at the current size. */
struct HourlyChartWidget::Layout
{
    Rows rows;
    QRectF plot; // the slots' horizontal extent, from the day row to the hour row; empty: none
    double step = 0; // width of one slot
    qint64 startSecs = 0; // the first slot's start, and how long a slot lasts
    int slotSecs = 3600;
    double nowX = 0;
    QList<double> dayLines;
    bool hasTemperature = false;
    double low = 0;
    double span = 1;
    double amountMax = 1; // the precipitation scale's top, in the slots' unit
    QList<int> valueSlots; // the slots with a temperature, an icon and the wind written out
    QList<Label> labels;
    QList<QPair<int, QRectF>> icons;
    QList<QPair<QRectF, int>> swatches; // legend: 0 temperature, 1 chance, 2 amount

    double xOf(int slot) const { return plot.left() + (slot + 0.5) * step; }
    double xAt(qint64 secs) const
    {
        return plot.left() + double(secs - startSecs) / slotSecs * step;
    }
    double yOf(double t) const
    {
        const QRectF &r = rows.temperaturePlot;
        return r.bottom() - 4 - (r.height() - 8) * (t - low) / span;
    }
};

HourlyChartWidget::Layout HourlyChartWidget::layout() const
{
    Layout l;
    const int count = m_model->rowCount();
    if (count == 0)
        return l;
    const QFont bold = boldFont(font());
    const QFontMetricsF metrics(font());
    const QFontMetricsF boldMetrics(bold);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor secondary = ThemeColors::secondaryText(pal);
    const auto slot = [this](int i) {
        return m_model->index(i).data(HourlyModel::HourlyRole).value<HourlyForecast>();
    };
    const HourlyForecast first = slot(0);
    const UnitSet units = first.units;

    // Gutters: the amount scale and the wind unit on the left, the chance scale on the right.
    double maxAmount = 0;
    bool anyWind = false;
    for (int i = 0; i < count; ++i) {
        const HourlyForecast h = slot(i);
        maxAmount = std::max(maxAmount, h.precipitation.value_or(0.0));
        anyWind = anyWind || h.windSpeed.has_value();
    }
    const double floor
        = convertPrecipitation(1.0, PrecipitationUnit::Millimetre, units.precipitation);
    l.amountMax = niceCeiling(std::max(maxAmount, floor));
    const QString amountTop = QLocale().toString(l.amountMax) + u"\u202f"_s
                              + precipitationUnitText(units.precipitation);
    const QString amountMid = QLocale().toString(l.amountMax / 2);
    const QString windUnit = windSpeedUnitText(units.windSpeed);
    const double leftGutter
        = std::max({metrics.horizontalAdvance(amountTop), metrics.horizontalAdvance(windUnit),
                    metrics.horizontalAdvance(amountMid)})
          + 2 * kGap;
    const double rightGutter = metrics.horizontalAdvance(percentText(100)) + 2 * kGap;
    const double plotLeft = kMargin + leftGutter;
    const double plotWidth = width() - 2 * kMargin - leftGutter - rightGutter;
    if (plotWidth <= count)
        return l;
    l.rows = Rows::at(metrics, boldMetrics, plotLeft, plotWidth);
    if (l.rows.bottom > height() + 0.5)
        return l;
    l.plot = QRectF(plotLeft, l.rows.day.top(), plotWidth, l.rows.hour.bottom() - l.rows.day.top());
    l.step = plotWidth / count;
    l.startSecs = first.time.toSecsSinceEpoch();
    const int slotHours = std::max(1, first.periodHours);
    l.slotSecs = slotHours * 3600;
    const qint64 now = m_clock->now() / 1000;
    l.nowX = std::clamp(l.xAt(now), l.plot.left(), l.plot.right());

    const auto add
        = [&l](const QRectF &rect, const QString &string, Label::Kind kind, const QColor &color) {
              l.labels.append({rect, string, kind, color});
          };
    const auto centred = [this](double x, double w) {
        return std::clamp(x - w / 2.0, double(kMargin), std::max(0.0, width() - kMargin - w));
    };

    // The heading, and on its right the readout: the hour being read, or how to read one.
    const QString heading = tr("Next 48 hours");
    const double headingWidth = boldMetrics.horizontalAdvance(heading);
    add(QRectF(kMargin, l.rows.header.top(), headingWidth, boldMetrics.height()), heading,
        Label::Heading, text);
    const double readoutLeft = kMargin + headingWidth + 4 * kGap;
    const double readoutWidth = width() - kMargin - readoutLeft;
    const QString readout = metrics.elidedText(readoutText(), Qt::ElideRight, readoutWidth);
    if (readoutWidth > 0 && !readout.isEmpty()) {
        const double w = std::min(readoutWidth, metrics.horizontalAdvance(readout));
        add(QRectF(width() - kMargin - w, l.rows.header.bottom() - metrics.height(), w,
                   metrics.height()),
            readout, Label::Readout, m_current >= 0 ? text : secondary);
    }

    // The legend under the heading, as far as it fits.
    const QStringList legend{tr("Temperature"), tr("Chance of precipitation"),
                             tr("Amount (%1)").arg(precipitationUnitText(units.precipitation))};
    double x = kMargin;
    for (int i = 0; i < legend.size(); ++i) {
        const double w = metrics.horizontalAdvance(legend.at(i));
        const double start = x + (i > 0 ? 3 * kGap : 0);
        if (start + kSwatchWidth + kGap + w > width() - kMargin)
            break;
        const double midY = l.rows.legend.center().y();
        l.swatches.append({QRectF(start, midY - 5, kSwatchWidth, 10), i});
        add(QRectF(start + kSwatchWidth + kGap, l.rows.legend.top(), w, metrics.height()),
            legend.at(i), Label::Legend, text);
        x = start + kSwatchWidth + kGap + w;
    }

    // Days: a line where each starts, its name after it if the name fits before the next.
    const QDate firstDate = first.localTime().date();
    QList<QPair<double, QDate>> days{{l.plot.left(), firstDate}};
    for (int i = 1; i < count; ++i) {
        const QDate date = slot(i).localTime().date();
        if (date != days.constLast().second) {
            const double boundary = l.plot.left() + i * l.step;
            l.dayLines << boundary;
            days.append({boundary, date});
        }
    }
    for (qsizetype d = 0; d < days.size(); ++d) {
        const double left = days.at(d).first + kGap;
        const double right = d + 1 < days.size() ? days.at(d + 1).first - kGap : l.plot.right();
        const QDate date = days.at(d).second;
        const qint64 after = firstDate.daysTo(date);
        QStringList names;
        if (after == 0)
            names << tr("Today");
        else if (after == 1)
            names << tr("Tomorrow");
        names << QLocale().dayName(date.dayOfWeek(), QLocale::LongFormat)
              << QLocale().dayName(date.dayOfWeek(), QLocale::ShortFormat);
        for (const QString &name : std::as_const(names)) {
            const double w = boldMetrics.horizontalAdvance(name);
            if (left + w <= right) {
                add(QRectF(left, l.rows.day.top(), w, boldMetrics.height()), name, Label::Day,
                    text);
                break;
            }
        }
    }

    // Values (icon, temperature, wind) every few hours: as often as the widest fits.
    const double valueWidth = std::max({double(kIconSize), metrics.horizontalAdvance(u"-88°"_s),
                                        metrics.horizontalAdvance(u"188"_s)})
                              + 2 * kGap;
    int valueEvery = 1; // in slots
    for (int hours : {1, 2, 3, 6, 12, 24}) {
        valueEvery = std::max(1, hours / slotHours);
        if (valueEvery * l.step >= valueWidth)
            break;
    }
    const auto onCadence = [&](int i, int every) {
        if (slotHours > 1)
            return i % every == 0;
        return slot(i).localTime().time().hour() % every == 0;
    };
    for (int i = 0; i < count; ++i) {
        if (onCadence(i, valueEvery))
            l.valueSlots << i;
    }

    int lowest = -1;
    int highest = -1;
    for (int i = 0; i < count; ++i) {
        const auto t = slot(i).temperature;
        if (!t)
            continue;
        if (lowest < 0 || *t < *slot(lowest).temperature)
            lowest = i;
        if (highest < 0 || *t > *slot(highest).temperature)
            highest = i;
    }
    if (highest >= 0) {
        l.hasTemperature = true;
        l.low = *slot(lowest).temperature;
        l.span = std::max(*slot(highest).temperature - l.low, 1.0);
    }
    for (int i : std::as_const(l.valueSlots)) {
        const HourlyForecast h = slot(i);
        const double cx = l.xOf(i);
        l.icons.append(
            {i, QRectF(centred(cx, kIconSize), l.rows.icon.top(), kIconSize, kIconSize)});
        if (h.temperature) {
            const QString t = m_model->index(i).data(HourlyModel::TemperatureTextRole).toString();
            const double w = metrics.horizontalAdvance(t);
            add(QRectF(centred(cx, w), l.rows.temperatureText.top(), w, metrics.height()), t,
                Label::Temperature, text);
        }
        if (h.windSpeed) {
            const QString s = QLocale().toString(std::lround(*h.windSpeed));
            const double w = metrics.horizontalAdvance(s);
            // Inside the plot's columns: the gutter beside this row holds the unit.
            const double left = std::clamp(cx - w / 2.0, l.plot.left() - 2,
                                           std::max(l.plot.left(), l.plot.right() + 2 - w));
            add(QRectF(left, l.rows.wind.top(), w, metrics.height()), s, Label::Wind, text);
        }
    }

    // Scales in the gutters.
    const QRectF &pp = l.rows.precipitationPlot;
    const double th = metrics.height();
    const auto gutterLabel = [&](const QString &s, double y, bool left) {
        const double w = metrics.horizontalAdvance(s);
        const double gx = left ? l.plot.left() - kGap - w : l.plot.right() + kGap;
        add(QRectF(gx, y, w, th), s, Label::Scale, secondary);
    };
    gutterLabel(percentText(100), pp.top(), false);
    gutterLabel(percentText(50), pp.center().y() - th / 2, false);
    gutterLabel(amountTop, pp.top(), true);
    gutterLabel(amountMid, pp.center().y() - th / 2, true);
    if (anyWind)
        gutterLabel(windUnit, l.rows.wind.top(), true);

    // Hours: "Now" under the now line, then whole hours as often as they fit.
    const QString nowText = tr("Now");
    const double nowWidth = metrics.horizontalAdvance(nowText);
    const QRectF nowRect(centred(l.nowX, nowWidth), l.rows.hour.top(), nowWidth, th);
    add(nowRect, nowText, Label::Hour, text);
    double hourWidth = 0;
    for (int i = 0; i < count; ++i) {
        hourWidth = std::max(hourWidth, metrics.horizontalAdvance(QLocale().toString(
                                            slot(i).localTime().time(), QLocale::ShortFormat)));
    }
    int hourEvery = 1;
    for (int hours : {3, 6, 12, 24}) {
        hourEvery = std::max(1, hours / slotHours);
        if (hourEvery * l.step >= hourWidth + 3 * kGap)
            break;
    }
    double lastRight = nowRect.right();
    for (int i = 1; i < count; ++i) {
        if (!onCadence(i, hourEvery))
            continue;
        const QString s = QLocale().toString(slot(i).localTime().time(), QLocale::ShortFormat);
        const double w = metrics.horizontalAdvance(s);
        const QRectF rect(centred(l.xOf(i), w), l.rows.hour.top(), w, th);
        if (rect.left() < lastRight + 2 * kGap)
            continue;
        add(rect, s, Label::Hour, text);
        lastRight = rect.right();
    }
    return l;
}

QList<HourlyChartWidget::Label> HourlyChartWidget::labels() const
{
    return layout().labels;
}

QList<QPair<int, QRectF>> HourlyChartWidget::icons() const
{
    return layout().icons;
}

double HourlyChartWidget::slotCenter(int slot) const
{
    const Layout l = layout();
    return l.plot.isEmpty() ? -1 : l.xOf(slot);
}

int HourlyChartWidget::slotAt(double x) const
{
    const Layout l = layout();
    if (l.plot.isEmpty() || x < l.plot.left() || x >= l.plot.right())
        return -1;
    return std::clamp(int((x - l.plot.left()) / l.step), 0, m_model->rowCount() - 1);
}

bool HourlyChartWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int slot = slotAt(help->pos().x());
        if (slot >= 0)
            QToolTip::showText(help->globalPos(), m_model->readout(slot), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void HourlyChartWidget::keyPressEvent(QKeyEvent *event)
{
    const int count = m_model->rowCount();
    const int sixHours = std::max(1, 6
                                         / std::max(1, m_model->index(0)
                                                           .data(HourlyModel::HourlyRole)
                                                           .value<HourlyForecast>()
                                                           .periodHours));
    int next = m_current;
    switch (event->key()) {
    case Qt::Key_Right:
        next = m_current < 0 ? 0 : m_current + 1;
        break;
    case Qt::Key_Left:
        next = m_current < 0 ? 0 : m_current - 1;
        break;
    case Qt::Key_PageDown:
        next = m_current + sixHours;
        break;
    case Qt::Key_PageUp:
        next = std::max(0, m_current - sixHours);
        break;
    case Qt::Key_Home:
        next = 0;
        break;
    case Qt::Key_End:
        next = count - 1;
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    setCurrentSlot(std::clamp(next, 0, std::max(0, count - 1)));
    event->accept();
}

void HourlyChartWidget::mouseMoveEvent(QMouseEvent *event)
{
    const int slot = slotAt(event->position().x());
    if (slot >= 0)
        setCurrentSlot(slot);
    QWidget::mouseMoveEvent(event);
}

void HourlyChartWidget::leaveEvent(QEvent *event)
{
    if (!hasFocus())
        setCurrentSlot(-1);
    QWidget::leaveEvent(event);
}

void HourlyChartWidget::focusInEvent(QFocusEvent *event)
{
    // Tabbing in reads the first hour at once; the arrows go on from there.
    if (m_current < 0 && m_model->rowCount() > 0)
        setCurrentSlot(0);
    QWidget::focusInEvent(event);
    update();
}

void HourlyChartWidget::focusOutEvent(QFocusEvent *event)
{
    if (!underMouse())
        setCurrentSlot(-1);
    QWidget::focusOutEvent(event);
    update();
}

void HourlyChartWidget::paintEvent(QPaintEvent *)
{
    const Layout l = layout();
    if (l.plot.isEmpty())
        return;
    const int count = m_model->rowCount();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor grid = ThemeColors::gridLine(pal);
    const QRectF &pp = l.rows.precipitationPlot;

    // The hour being read: a band across every row.
    if (m_current >= 0) {
        QColor band = pal.color(QPalette::Highlight);
        band.setAlphaF(0.18);
        painter.fillRect(QRectF(l.plot.left() + m_current * l.step, l.rows.day.bottom(), l.step,
                                l.rows.hour.top() - l.rows.day.bottom()),
                         band);
    }

    // Grid: the precipitation scale's 0, 50 and 100 %, and a line where each day starts.
    painter.setPen(QPen(grid, 1));
    for (double f : {0.0, 0.5, 1.0}) {
        const double y = pp.bottom() - pp.height() * f;
        painter.drawLine(QPointF(l.plot.left(), y), QPointF(l.plot.right(), y));
    }
    for (double x : l.dayLines)
        painter.drawLine(QPointF(x, l.rows.day.top()), QPointF(x, l.rows.wind.bottom()));

    // Precipitation: the chance as a pale area, the amount as narrow solid bars over it.
    QColor chance = pal.color(QPalette::Link);
    chance.setAlphaF(0.4);
    const QColor amount = pal.color(QPalette::Link);
    for (int i = 0; i < count; ++i) {
        const QModelIndex index = m_model->index(i);
        const double left = l.plot.left() + i * l.step;
        if (const QVariant p = index.data(HourlyModel::ProbabilityRole); p.isValid()) {
            const double h = pp.height() * std::clamp(p.toDouble(), 0.0, 100.0) / 100.0;
            // Edge to edge: neighbouring hours make one area, which narrow bars do not hide.
            painter.fillRect(QRectF(left, pp.bottom() - h, l.step, h), chance);
        }
        if (const QVariant a = index.data(HourlyModel::PrecipitationRole); a.isValid()) {
            const double h = pp.height() * std::clamp(a.toDouble() / l.amountMax, 0.0, 1.0);
            painter.fillRect(QRectF(left + l.step * 0.3, pp.bottom() - h, l.step * 0.4, h), amount);
        }
    }

    // Temperature: a line through the known values (a gap stays a gap), dots where written.
    const QColor line = pal.color(QPalette::Highlight);
    if (l.hasTemperature) {
        QPainterPath path;
        bool drawing = false;
        for (int i = 0; i < count; ++i) {
            const QVariant t = m_model->index(i).data(HourlyModel::TemperatureRole);
            if (!t.isValid()) {
                drawing = false;
                continue;
            }
            const QPointF p(l.xOf(i), l.yOf(t.toDouble()));
            if (drawing)
                path.lineTo(p);
            else
                path.moveTo(p);
            drawing = true;
        }
        painter.setPen(QPen(line, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        painter.setBrush(line);
        painter.setPen(Qt::NoPen);
        for (int i : l.valueSlots) {
            const QVariant t = m_model->index(i).data(HourlyModel::TemperatureRole);
            if (t.isValid())
                painter.drawEllipse(QPointF(l.xOf(i), l.yOf(t.toDouble())), 2.5, 2.5);
        }
    }

    // Now.
    QColor nowColor = text;
    nowColor.setAlphaF(0.7);
    painter.setPen(QPen(nowColor, 1.5, Qt::DashLine));
    painter.drawLine(QPointF(l.nowX, l.rows.icon.top()), QPointF(l.nowX, pp.bottom()));

    // Icons, then the legend's swatches.
    for (const auto &[slot, rect] : l.icons) {
        const QString name = m_model->index(slot).data(HourlyModel::IconNameRole).toString();
        WeatherIcons::icon(name).paint(&painter, rect.toAlignedRect());
    }
    for (const auto &[rect, kind] : l.swatches) {
        if (kind == 0) {
            painter.setPen(QPen(line, 2));
            painter.drawLine(QPointF(rect.left(), rect.center().y()),
                             QPointF(rect.right(), rect.center().y()));
        } else if (kind == 1) {
            painter.fillRect(rect, chance);
        } else {
            painter.fillRect(QRectF(rect.left() + rect.width() * 0.3, rect.top(),
                                    rect.width() * 0.4, rect.height()),
                             amount);
        }
    }

    const QFont normal = font();
    const QFont bold = boldFont(normal);
    for (const Label &label : l.labels) {
        const bool isBold = label.kind == Label::Heading || label.kind == Label::Day;
        painter.setFont(isBold ? bold : normal);
        painter.setPen(label.color);
        painter.drawText(label.rect, Qt::AlignCenter | Qt::TextSingleLine, label.text);
    }

    if (hasFocus()) {
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 3, 3);
    }
}
