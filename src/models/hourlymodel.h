// SPDX-License-Identifier: MIT
#pragma once

#include "weather/hourlyforecast.h"

#include "rowlistmodel.h"

/**
 * The coming hours for the hourly chart, one row per slot (an hour, or three for
 * OpenWeatherMap), oldest first: the chart paints them and screen readers read them as a
 * list. setForecast() updates in place (changed rows, then rows inserted or removed).
 */
class HourlyModel : public RowListModel<HourlyForecast>
{
    Q_OBJECT
public:
    enum Role {
        TimeTextRole = Qt::UserRole + 1, ///< "14:00" in the place's own time
        TemperatureRole, ///< double, or invalid when unknown
        TemperatureTextRole, ///< "21°", "—"
        ProbabilityRole, ///< double 0..100, or invalid when unknown
        PrecipitationTextRole, ///< "70 % · 0.8 mm", "—"
        IconNameRole,
        HourlyRole, ///< HourlyForecast
        PrecipitationRole, ///< double, the amount in the slot's unit, or invalid when unknown
        WindSpeedRole, ///< double in the slot's unit, or invalid when unknown
        ReadoutRole, ///< "20:00 · 17° · rain 60 % · 1.2 mm · wind 18 km/h"
    };

    explicit HourlyModel(QObject *parent = nullptr);
    ~HourlyModel() override;

    void setForecast(const HourlyForecastList &hours);
    void clear() { setForecast({}); }
    HourlyForecastList forecast() const { return m_rows; }

    /** "14:00", or "Tue 02:00" when the slot starts on another day than the first one. */
    QString timeText(int row) const;
    /**
     * One slot in a line, for the chart's readout and tooltip: "20:00 · 17° · rain 60 % ·
     * 1.2 mm · wind 18 km/h", in the place's time and the slot's units; unknown values are
     * left out, and a slot on another day than the first says which.
     */
    QString readout(int row) const;
    /** One line per slot, as a screen reader would read the list. */
    QString summary() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString rowText(int row) const;
};
