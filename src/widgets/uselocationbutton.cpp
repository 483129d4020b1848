// SPDX-License-Identifier: MIT
#include "uselocationbutton.h"

#include "weather/location.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

UseLocationButton::UseLocationButton(QWidget *parent)
    : QWidget(parent)
    , m_button(new QPushButton(this))
    , m_status(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_button);
    layout->addWidget(m_status);
    m_button->setIcon(QIcon::fromTheme(QStringLiteral("mark-location")));
    m_button->setToolTip(
        tr("WeatherDash asks your desktop (GeoClue) where you are, and OpenStreetMap Nominatim "
           "once per kilometre for the place's name. Nothing guesses from your IP address."));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();
    connect(m_button, &QPushButton::clicked, this,
            [this] { Q_EMIT locationToggleRequested(!m_enabled); });
    updateTexts();
}

UseLocationButton::~UseLocationButton() = default;

void UseLocationButton::setLocationEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled)
        m_status->clear();
    updateTexts();
}

void UseLocationButton::setHere(const Location &here, const QString &attribution)
{
    const QString place = tr("Here: %1").arg(here.displayName());
    m_status->setText(attribution.isEmpty() ? place
                                            : tr("%1 (place name %2)").arg(place, attribution));
    updateTexts();
}

void UseLocationButton::setProblem(const QString &sentence)
{
    m_status->setText(sentence);
    updateTexts();
}

QString UseLocationButton::statusText() const
{
    return m_status->text();
}

void UseLocationButton::updateTexts()
{
    m_button->setText(m_enabled ? tr("Stop using my location") : tr("Use my location"));
    m_status->setVisible(!m_status->text().isEmpty());
}
