// SPDX-License-Identifier: MIT
#pragma once

#include "weather/dailyforecast.h"

#include "rowlistmodel.h"

/**
 * The coming days for the weather card's forecast strip: one row per day, oldest first, with
 * its date and its precipitation (the card gives it only the days from the place's today on).
 * setForecast() updates in place (changed rows, then extra rows inserted or removed).
 */
class ForecastModel : public RowListModel<DailyForecast>
{
    Q_OBJECT
public:
    enum Role {
        DayNameRole = Qt::UserRole + 1, ///< "Today", "Tue"
        IconNameRole, ///< freedesktop icon name
        MinTextRole, ///< "12°"
        MaxTextRole, ///< "21°"
        ForecastRole, ///< DailyForecast
        DateTextRole, ///< "15 Jun": the date in the locale's short form, without the year
        PrecipitationTextRole, ///< "80 % · 4.2 mm", "—" when neither is known
        // issue 23 (air): the moon of the day in the place's time (Moon::forDay)
        MoonPhaseRole, ///< double, 0 new, 0.5 full, towards 1 new again
        MoonNameRole, ///< "Waxing crescent", translated
        MoonSymbolRole, ///< "🌒"
    };

    explicit ForecastModel(QObject *parent = nullptr);
    ~ForecastModel() override;

    /** `today` is the place's local date: that day is called "Today". */
    void setForecast(const DailyForecastList &days, const QDate &today = {});
    void clear();
    DailyForecastList forecast() const { return m_rows; }

    /** "21°", or "—" when unknown. */
    static QString temperatureText(std::optional<double> value);
    /** The day's chance and amount of precipitation: "80 % · 4.2 mm", "10 %", "—". */
    static QString precipitationText(const DailyForecast &day);
    /** "15 Jun" (the locale's day and short month). */
    static QString dateText(const QDate &date);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString dayName(const QDate &date) const;
    QDate m_today;
};
