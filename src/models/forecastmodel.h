// SPDX-License-Identifier: MIT
#pragma once

#include "weather/dailyforecast.h"

#include <QAbstractListModel>

/**
 * The coming days for the weather card's forecast strip: one row per day, oldest first.
 * setForecast() updates in place (changed rows, then extra rows inserted or removed).
 */
class ForecastModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        DayNameRole = Qt::UserRole + 1, ///< "Today", "Tue"
        IconNameRole, ///< freedesktop icon name
        MinTextRole, ///< "12°"
        MaxTextRole, ///< "21°"
        ForecastRole, ///< DailyForecast
    };

    explicit ForecastModel(QObject *parent = nullptr);
    ~ForecastModel() override;

    /** `today` is the place's local date: that day is called "Today". */
    void setForecast(const DailyForecastList &days, const QDate &today = {});
    void clear();
    DailyForecastList forecast() const { return m_days; }

    /** "21°", or "—" when unknown. */
    static QString temperatureText(std::optional<double> value);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString dayName(const QDate &date) const;

    DailyForecastList m_days;
    QDate m_today;
};
