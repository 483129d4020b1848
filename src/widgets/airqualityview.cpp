// SPDX-License-Identifier: MIT
#include "airqualityview.h"

#include "weather/airreport.h"
#include "weather/statusformat.h"

#include <QLabel>
#include <QVBoxLayout>

AirQualityView::AirQualityView(QWidget *parent)
    : QWidget(parent)
    , m_index(new QLabel(this))
    , m_driver(new QLabel(this))
    , m_pollen(new QLabel(this))
    , m_missing(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QLabel *label : {m_index, m_driver, m_pollen, m_missing}) {
        label->setTextFormat(Qt::PlainText); // units and reasons come from outside
        label->setWordWrap(true);
        layout->addWidget(label);
    }
    QFont big = m_index->font();
    big.setBold(true);
    m_index->setFont(big);
    setAccessibleName(tr("Air quality"));
    render();
}

AirQualityView::~AirQualityView() = default;

void AirQualityView::setScale(AirQuality::Scale scale)
{
    m_scale = scale;
    render();
}

void AirQualityView::showAirQuality(const AirQuality &air, qint64 staleAgeMs)
{
    m_air = air;
    m_staleAgeMs = staleAgeMs;
    m_error.reset();
    render();
}

void AirQualityView::showFailure(const WeatherError &error)
{
    // The last values stay away: a reading of yesterday's air is no air quality of now.
    m_air.reset();
    m_error = error;
    render();
}

void AirQualityView::clear()
{
    m_air.reset();
    m_error.reset();
    render();
}

QString AirQualityView::indexText() const
{
    return m_index->text();
}

QString AirQualityView::driverText() const
{
    return m_driver->text();
}

QString AirQualityView::pollenText() const
{
    return m_pollen->text();
}

QString AirQualityView::missingText() const
{
    return m_missing->text();
}

void AirQualityView::render()
{
    QString index;
    QString driver;
    QString pollen;
    QString missing;
    if (m_air) {
        const QString scaleName
            = m_scale == AirQuality::Scale::European ? tr("European index") : tr("US AQI");
        const QString value = AirReport::indexText(*m_air, m_scale);
        index = value.isEmpty() ? tr("Air quality: no index (%1)").arg(scaleName)
                                : tr("Air quality %1 (%2)").arg(value, scaleName);
        if (m_staleAgeMs > 0)
            index += u' ' + StatusFormat::ageSuffix(m_staleAgeMs);
        if (const auto pollutant = m_air->drivingPollutant(m_scale))
            driver = tr("Mostly %1").arg(AirQuality::pollutantName(*pollutant));
        const QString strongest = AirReport::pollenText(*m_air, 2);
        if (!strongest.isEmpty())
            pollen = tr("Pollen: %1").arg(strongest);
    } else if (m_error) {
        missing = tr("Air quality not available: %1").arg(m_error->message());
    }
    m_index->setText(index);
    m_driver->setText(driver);
    m_pollen->setText(pollen);
    m_missing->setText(missing);
    m_index->setVisible(!index.isEmpty());
    m_driver->setVisible(!driver.isEmpty());
    m_pollen->setVisible(!pollen.isEmpty());
    m_missing->setVisible(!missing.isEmpty());
    QStringList lines;
    for (const QString &line : {index, driver, pollen, missing}) {
        if (!line.isEmpty())
            lines << line;
    }
    setAccessibleDescription(lines.join(u'\n'));
}
