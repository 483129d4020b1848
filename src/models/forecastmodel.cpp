// SPDX-License-Identifier: MIT
#include "forecastmodel.h"

#include "displaytext.h"
#include "weather/moon.h" // issue 23 (air)

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

ForecastModel::ForecastModel(QObject *parent)
    : RowListModel(parent)
{ }

ForecastModel::~ForecastModel() = default;

void ForecastModel::setForecast(const DailyForecastList &days, const QDate &today)
{
    const bool todayChanged = m_today != today; // "Today", "Tomorrow" move to other rows
    m_today = today;
    replaceRows(days, todayChanged);
}

void ForecastModel::clear()
{
    setForecast({}, m_today);
}

QString ForecastModel::temperatureText(std::optional<double> value)
{
    if (!value)
        return u"—"_s;
    const long rounded = std::lround(*value);
    // "-0°" reads as a mistake.
    return QLocale().toString(rounded == 0 ? 0L : rounded) + u"°"_s;
}

QString ForecastModel::precipitationText(const DailyForecast &day)
{
    const QLocale locale;
    QStringList parts;
    if (day.precipitationProbabilityMax)
        parts << locale.toString(std::lround(*day.precipitationProbabilityMax)) + u"\u202f%"_s;
    if (day.precipitationSum) {
        parts << locale.toString(*day.precipitationSum, 'f',
                                 precipitationDecimals(day.units.precipitation))
                     + u"\u202f"_s + precipitationUnitText(day.units.precipitation);
    }
    return parts.isEmpty() ? u"—"_s : parts.join(u" · "_s);
}

QString ForecastModel::dateText(const QDate &date)
{
    // The locale's order of day and month ("Jun 18", "18 Jun"), without the year.
    const QLocale locale;
    const QString format = locale.dateFormat(QLocale::ShortFormat);
    const bool dayFirst = format.indexOf(u'd') < format.indexOf(u'M');
    return locale.toString(date, dayFirst ? u"d MMM"_s : u"MMM d"_s);
}

QString ForecastModel::dayName(const QDate &date) const
{
    if (m_today.isValid() && date == m_today)
        return tr("Today");
    if (m_today.isValid() && date == m_today.addDays(1))
        return tr("Tomorrow");
    return QLocale().dayName(date.dayOfWeek(), QLocale::ShortFormat);
}

int ForecastModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ForecastModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DailyForecast &day = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1 %2: %3 / %4, precipitation %5")
            .arg(dayName(day.date), dateText(day.date), temperatureText(day.maxTemp),
                 temperatureText(day.minTemp), precipitationText(day));
    // The description is the provider's: escaped in the tooltip, plain everywhere.
    case Qt::ToolTipRole:
        return DisplayText::toolTip(tr("%1 — %2, between %3 and %4")
                                        .arg(QLocale().toString(day.date, QLocale::LongFormat),
                                             day.description, temperatureText(day.minTemp),
                                             temperatureText(day.maxTemp)));
    case Qt::AccessibleTextRole:
        return tr("%1, %2, %3, high %4, low %5, precipitation %6")
            .arg(dayName(day.date), QLocale().toString(day.date, QLocale::LongFormat),
                 DisplayText::plain(day.description), temperatureText(day.maxTemp),
                 temperatureText(day.minTemp), precipitationText(day));
    case DateTextRole:
        return dateText(day.date);
    case PrecipitationTextRole:
        return precipitationText(day);
    case DayNameRole:
        return dayName(day.date);
    case IconNameRole:
        return day.iconName();
    case MinTextRole:
        return temperatureText(day.minTemp);
    case MaxTextRole:
        return temperatureText(day.maxTemp);
    case ForecastRole:
        return QVariant::fromValue(day);
    case MoonPhaseRole:
    case MoonNameRole:
    case MoonSymbolRole: { // issue 23 (air): computed when asked, from the date the row holds
        if (!day.date.isValid())
            return {};
        const Moon::Phase moon = Moon::forDay(day.date, day.utcOffsetSeconds.value_or(0));
        if (role == MoonPhaseRole)
            return moon.phase;
        return role == MoonNameRole ? Moon::displayName(moon.name) : Moon::symbol(moon.name);
    }
    default:
        return {};
    }
}

QVariant ForecastModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Day");
    return QAbstractListModel::headerData(section, orientation, role);
}
