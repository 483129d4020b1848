// SPDX-License-Identifier: MIT
#pragma once

#include "weather/airquality.h"
#include "weather/weathererror.h"

#include <QWidget>

class QLabel;

/**
 * The card's air-quality panel (issue 23): the index with its band in words ("37 · fair"),
 * on the European scale or the US one, the pollutant that drives it, the two strongest
 * pollens when there is any pollen ("grass: moderate · birch: low"), and, when the feed
 * failed, what is missing and why, in place of the values. No pollen row outside Europe or
 * the season: never a row of zeros. A plain view: whoever owns the feed calls show*().
 */
class AirQualityView : public QWidget
{
    Q_OBJECT
public:
    explicit AirQualityView(QWidget *parent = nullptr);
    ~AirQualityView() override;

    /** European by default; the US EPA scale as a preference. Applies to what is shown. */
    void setScale(AirQuality::Scale scale);
    AirQuality::Scale scale() const { return m_scale; }

    /** The air now; `staleAgeMs` > 0 adds "(3 h old)" for an answer that is not fresh. */
    void showAirQuality(const AirQuality &air, qint64 staleAgeMs = 0);
    /** The feed failed: the values give way to "Air quality not available: <why>". */
    void showFailure(const WeatherError &error);
    void clear();

    // What the labels say, for tests and the accessible description.
    QString indexText() const;
    QString driverText() const;
    QString pollenText() const; ///< empty and hidden when there is no pollen
    QString missingText() const; ///< empty and hidden unless the feed failed

private:
    void render();

    AirQuality::Scale m_scale = AirQuality::Scale::European;
    std::optional<AirQuality> m_air;
    qint64 m_staleAgeMs = 0;
    std::optional<WeatherError> m_error;
    QLabel *m_index;
    QLabel *m_driver;
    QLabel *m_pollen;
    QLabel *m_missing;
};
