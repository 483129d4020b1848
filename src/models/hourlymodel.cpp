// SPDX-License-Identifier: MIT
#include "hourlymodel.h"

#include "displaytext.h"
#include "forecastmodel.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

HourlyModel::HourlyModel(QObject *parent)
    : RowListModel(parent)
{ }

HourlyModel::~HourlyModel() = default;

void HourlyModel::setForecast(const HourlyForecastList &hours)
{
    // The first slot's day decides which labels carry a weekday: all may change with it.
    const bool firstDayChanged
        = !m_rows.isEmpty() && !hours.isEmpty()
          && m_rows.constFirst().localTime().date() != hours.constFirst().localTime().date();
    replaceRows(hours, firstDayChanged);
}

QString HourlyModel::timeText(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const QDateTime local = m_rows.at(row).localTime();
    const QString time = QLocale().toString(local.time(), QLocale::ShortFormat);
    if (local.date() == m_rows.constFirst().localTime().date())
        return time;
    return QLocale().dayName(local.date().dayOfWeek(), QLocale::ShortFormat) + u' ' + time;
}

namespace {
QString amountText(const HourlyForecast &h)
{
    return QLocale().toString(*h.precipitation, 'f', precipitationDecimals(h.units.precipitation))
           + u"\u202f"_s + precipitationUnitText(h.units.precipitation);
}

QString windText(const HourlyForecast &h)
{
    return QLocale().toString(std::lround(*h.windSpeed)) + u"\u202f"_s
           + windSpeedUnitText(h.units.windSpeed);
}
QString precipitationText(const HourlyForecast &h)
{
    QStringList parts;
    if (h.precipitationProbability)
        parts << QLocale().toString(std::lround(*h.precipitationProbability)) + u"\u202f%"_s;
    if (h.precipitation)
        parts << amountText(h);
    return parts.isEmpty() ? u"—"_s : parts.join(u" · "_s);
}

} // namespace

QString HourlyModel::readout(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const HourlyForecast &h = m_rows.at(row);
    QStringList parts{timeText(row)};
    if (h.temperature)
        parts << ForecastModel::temperatureText(h.temperature);
    if (h.precipitationProbability) {
        parts << tr("rain %1").arg(QLocale().toString(std::lround(*h.precipitationProbability))
                                   + u"\u202f%"_s);
    }
    if (h.precipitation)
        parts << amountText(h);
    if (h.windSpeed)
        parts << tr("wind %1").arg(windText(h));
    return parts.join(u" · "_s);
}

QString HourlyModel::rowText(int row) const
{
    const HourlyForecast &h = m_rows.at(row);
    const QString precipitation = precipitationText(h);
    const QString description
        = h.description.isEmpty() ? tr("conditions unknown") : DisplayText::plain(h.description);
    if (h.windSpeed) {
        if (h.periodHours > 1) {
            return tr("%1 for %n hours: %2, %3, precipitation %4, wind %5", nullptr, h.periodHours)
                .arg(timeText(row), ForecastModel::temperatureText(h.temperature), description,
                     precipitation, windText(h));
        }
        return tr("%1: %2, %3, precipitation %4, wind %5")
            .arg(timeText(row), ForecastModel::temperatureText(h.temperature), description,
                 precipitation, windText(h));
    }
    if (h.periodHours > 1) {
        return tr("%1 for %n hours: %2, %3, precipitation %4", nullptr, h.periodHours)
            .arg(timeText(row), ForecastModel::temperatureText(h.temperature), description,
                 precipitation);
    }
    return tr("%1: %2, %3, precipitation %4")
        .arg(timeText(row), ForecastModel::temperatureText(h.temperature), description,
             precipitation);
}

QString HourlyModel::summary() const
{
    QStringList lines;
    for (int row = 0; row < m_rows.size(); ++row)
        lines << rowText(row);
    return lines.join(u'\n');
}

int HourlyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant HourlyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HourlyForecast &h = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return rowText(index.row());
    case Qt::ToolTipRole:
        return DisplayText::toolTip(rowText(index.row()));
    case TimeTextRole:
        return timeText(index.row());
    case TemperatureRole:
        return h.temperature ? QVariant(*h.temperature) : QVariant();
    case TemperatureTextRole:
        return ForecastModel::temperatureText(h.temperature);
    case ProbabilityRole:
        return h.precipitationProbability ? QVariant(*h.precipitationProbability) : QVariant();
    case PrecipitationTextRole:
        return precipitationText(h);
    case IconNameRole:
        return h.iconName();
    case HourlyRole:
        return QVariant::fromValue(h);
    case PrecipitationRole:
        return h.precipitation ? QVariant(*h.precipitation) : QVariant();
    case WindSpeedRole:
        return h.windSpeed ? QVariant(*h.windSpeed) : QVariant();
    case ReadoutRole:
        return readout(index.row());
    default:
        return {};
    }
}

QVariant HourlyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Hour");
    return QAbstractListModel::headerData(section, orientation, role);
}
