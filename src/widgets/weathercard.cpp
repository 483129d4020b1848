// SPDX-License-Identifier: MIT
#include "weathercard.h"

#include "airqualityview.h"
#include "weather/moon.h"

#include "ui_weathercard.h"

#include "alertband.h"
#include "cache/clock.h"
#include "forecastdelegate.h"
#include "models/cacheentrymodel.h"
#include "models/displaytext.h"
#include "models/forecastmodel.h"
#include "themecolors.h"
#include "weathericons.h"

#include <QAbstractScrollArea>
#include <QEvent>
#include <QGraphicsOpacityEffect>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QResizeEvent>
#include <QScopeGuard>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace {
/** Makes a label act as a flat button: a click, or Enter or Space while it has the focus. */
class ActivationFilter : public QObject
{
public:
    ActivationFilter(QWidget *target, std::function<void()> activated)
        : QObject(target)
        , m_activated(std::move(activated))
    {
        target->installEventFilter(this);
        target->setFocusPolicy(Qt::StrongFocus);
        target->setCursor(Qt::PointingHandCursor);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::MouseButtonRelease
            && static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton) {
            m_activated();
            return true;
        }
        if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut) {
            // A label draws no focus frame: underlined while it has the focus, like a link.
            auto *label = static_cast<QWidget *>(parent());
            QFont font = label->font();
            font.setUnderline(event->type() == QEvent::FocusIn);
            label->setFont(font);
            return false;
        }
        if (event->type() == QEvent::KeyPress) {
            const int key = static_cast<QKeyEvent *>(event)->key();
            if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space) {
                m_activated();
                return true;
            }
        }
        return false;
    }

private:
    std::function<void()> m_activated;
};

/**
 * The days strip scrolls sideways only when the pointer means it: a horizontal wheel (a
 * touchpad's swipe, a tilting wheel) or Shift with the wheel. A plain wheel over the strip
 * scrolls the page, as everywhere else on it (issue 27, N17: it scrolled the strip first,
 * then the whole page sideways).
 */
class StripWheelFilter : public QObject
{
public:
    explicit StripWheelFilter(QAbstractScrollArea *strip)
        : QObject(strip)
        , m_strip(strip)
    {
        strip->viewport()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        auto *wheel = static_cast<QWheelEvent *>(event);
        const QPoint delta = wheel->angleDelta();
        if (qAbs(delta.x()) > qAbs(delta.y()))
            return false; // sideways: the strip's own
        if (wheel->modifiers() & Qt::ShiftModifier) {
            // Shift turns the wheel sideways; the page step Qt gives Shift is a whole screen.
            QScrollBar *bar = m_strip->horizontalScrollBar();
            const int steps = (wheel->inverted() ? -delta.y() : delta.y()) / 120;
            bar->setValue(bar->value()
                          - (steps ? steps : (delta.y() > 0 ? 1 : -1)) * bar->singleStep() * 3);
            return true;
        }
        for (QWidget *w = m_strip->parentWidget(); w; w = w->parentWidget()) {
            if (auto *page = qobject_cast<QAbstractScrollArea *>(w)) {
                QCoreApplication::sendEvent(page->verticalScrollBar(), event);
                return true;
            }
        }
        return true; // no page to scroll: not the strip either
    }

private:
    QAbstractScrollArea *m_strip;
};
} // namespace

WeatherCard::WeatherCard(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::WeatherCard>())
    , m_forecastModel(new ForecastModel(this))
    , m_forecastDelegate(nullptr)
    , m_alertBand(nullptr)
    , m_clock(Clock::system())
    , m_airQuality(new AirQualityView(this))
    , m_moonCaption(new QLabel(tr("Moon"), this))
    , m_moonValue(new QLabel(this))
{
    ui->setupUi(this);
    // Under the place's name, above the temperature: a warning is read first (issue 22). In
    // the tinted header; each band paints its own severity's colours over the tint.
    m_alertBand = new AlertBand(ui->headerFrame);
    ui->headerLayout->insertWidget(ui->headerLayout->indexOf(ui->titleLayout) + 1, m_alertBand);
    // Issue 23: the air under the conditions, before the coming days; the moon as the last
    // detail, after sunrise and sunset.
    m_airQuality->setObjectName(u"airQualityView"_s);
    ui->weatherLayout->insertWidget(ui->weatherLayout->indexOf(ui->forecastTitle), m_airQuality);
    m_moonCaption->setObjectName(u"moonCaption"_s);
    m_moonValue->setObjectName(u"moonValue"_s);
    m_moonCaption->setTextFormat(Qt::PlainText);
    m_moonValue->setTextFormat(Qt::PlainText);
    const int moonRow = ui->detailsLayout->rowCount();
    ui->detailsLayout->addWidget(m_moonCaption, moonRow, 0);
    ui->detailsLayout->addWidget(m_moonValue, moonRow, 1);
    ui->errorBanner->hide();
    ui->forecastEmptyLabel->hide();
    ui->stack->setCurrentWidget(ui->emptyPage);
    ui->emptyIconLabel->setPixmap(
        WeatherIcons::bundledIcon(u"weather-few-clouds"_s).pixmap(QSize(96, 96)));

    ui->forecastView->setModel(m_forecastModel);
    m_forecastDelegate = new ForecastDelegate(ui->forecastView);
    ui->forecastView->setItemDelegate(m_forecastDelegate);
    ui->forecastView->setMouseTracking(true);
    new StripWheelFilter(ui->forecastView);
    // The strip is as tall as one day; its width scrolls when the window is narrow.
    QStyleOptionViewItem option;
    option.font = ui->forecastView->font();
    ui->forecastView->setFixedHeight(m_forecastDelegate->minimumSize(option).height() + 4
                                     + style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    ui->forecastView->viewport()->setAutoFillBackground(false);

    for (QLabel *value : {ui->humidityValue, ui->windValue, ui->pressureValue, ui->gustsValue,
                          ui->precipitationValue, ui->sunValue, ui->uvValue, ui->dewPointValue,
                          ui->visibilityValue, ui->cloudCoverValue, m_moonValue}) {
        QFont font = value->font();
        font.setBold(true);
        value->setFont(font);
    }
    ui->errorBanner->setAutoFillBackground(true);
    ui->busyBar->hide();
    ui->addPlaceButton->hide();
    setAccessibleName(tr("Weather"));
    ui->stack->setAccessibleName(tr("Weather"));
    applyPaletteColours();

    connect(ui->retryButton, &QPushButton::clicked, this, &WeatherCard::retryRequested);
    new ActivationFilter(ui->statusLabel, [this] { Q_EMIT cacheDetailsRequested(); });
    ui->statusLabel->setToolTip(tr("Show this place's answers in the cache panel"));
    ui->statusLabel->setAccessibleDescription(ui->statusLabel->toolTip());
    connect(ui->addPlaceButton, &QPushButton::clicked, this, &WeatherCard::addToPlacesRequested);
    connect(ui->dismissButton, &QToolButton::clicked, this, &WeatherCard::clearError);

    m_statusTimer.setInterval(kStatusTickMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &WeatherCard::updateStatus);
    m_statusTimer.start();
    updateStatus();
}

WeatherCard::~WeatherCard() = default;

void WeatherCard::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    updateStatus();
}

QString WeatherCard::temperatureText(std::optional<double> value, Units units)
{
    return temperatureText(value, UnitSet::asked(units));
}

QString WeatherCard::temperatureText(std::optional<double> value, const UnitSet &units)
{
    return ::temperatureText(value, units.temperature); // places: the one formatter (units.h)
}

QString WeatherCard::windText(std::optional<double> value, const UnitSet &units)
{
    if (!value)
        return u"—"_s;
    return QLocale().toString(std::lround(*value)) + u' ' + windSpeedUnitText(units.windSpeed);
}

QString WeatherCard::pressureText(std::optional<double> value, const UnitSet &units)
{
    if (!value)
        return u"—"_s;
    return QLocale().toString(*value, 'f', pressureDecimals(units.pressure)) + u' '
           + pressureUnitText(units.pressure);
}

QString WeatherCard::precipitationText(std::optional<double> value, const UnitSet &units)
{
    if (!value)
        return u"—"_s;
    return QLocale().toString(*value, 'f', precipitationDecimals(units.precipitation)) + u' '
           + precipitationUnitText(units.precipitation);
}

QString WeatherCard::dewPointText(std::optional<double> value, const UnitSet &units)
{
    return ::temperatureText(value, units.temperature);
}

QString WeatherCard::percentText(std::optional<double> value)
{
    return value ? QLocale().toString(std::lround(*value)) + u" %"_s : u"—"_s;
}

bool WeatherCard::isDaytime(qint64 nowMs, const QDateTime &sunrise, const QDateTime &sunset,
                            std::optional<int> offsetSeconds, bool fallback)
{
    if (!sunrise.isValid() || !sunset.isValid())
        return fallback;
    constexpr int kDaySeconds = 24 * 3600;
    const auto placeSeconds = [offsetSeconds](qint64 utcSeconds) {
        const qint64 local = utcSeconds + offsetSeconds.value_or(0);
        return int(((local % kDaySeconds) + kDaySeconds) % kDaySeconds);
    };
    const int now = placeSeconds(nowMs / 1000);
    const int rise = placeSeconds(sunrise.toSecsSinceEpoch());
    const int set = placeSeconds(sunset.toSecsSinceEpoch());
    if (rise == set)
        return fallback;
    // An offset that is unknown (UTC) can put sunset before sunrise on the clock: Tokyo's day
    // runs from 20:30 to 09:40 UTC. The day then wraps past midnight.
    return rise < set ? (now >= rise && now < set) : (now >= rise || now < set);
}

QString WeatherCard::uvText(std::optional<double> value)
{
    if (!value)
        return u"—"_s;
    // The WHO's bands.
    const long index = std::lround(*value);
    QString band;
    if (index <= 2)
        band = tr("low");
    else if (index <= 5)
        band = tr("moderate");
    else if (index <= 7)
        band = tr("high");
    else if (index <= 10)
        band = tr("very high");
    else
        band = tr("extreme");
    return tr("%1 (%2)").arg(QLocale().toString(index), band);
}

QString WeatherCard::placeTimeText(const QDateTime &utc, std::optional<int> offsetSeconds)
{
    if (!utc.isValid())
        return u"—"_s;
    const QDateTime local = utc.toUTC().addSecs(offsetSeconds.value_or(0));
    return QLocale().toString(local.time(), QLocale::ShortFormat);
}

void WeatherCard::updateDayDetails()
{
    if (!m_current)
        return;
    // OpenWeatherMap says today's sun times with the current weather; Open-Meteo with the days.
    QDateTime sunrise = m_current->sunrise;
    QDateTime sunset = m_current->sunset;
    if (m_today && !sunrise.isValid())
        sunrise = m_today->sunrise;
    if (m_today && !sunset.isValid())
        sunset = m_today->sunset;
    const std::optional<int> offset = m_placeOffset ? m_placeOffset : m_location.utcOffsetSeconds;
    ui->sunValue->setText(sunrise.isValid() || sunset.isValid() ? tr("%1 / %2").arg(
                              placeTimeText(sunrise, offset), placeTimeText(sunset, offset))
                                                                : u"—"_s);
    // Whose clock (window branch, issue 27): the place's, which need not be the reader's.
    ui->sunValue->setToolTip(sunrise.isValid() || sunset.isValid()
                                 ? DisplayText::toolTip(tr("Local time in %1").arg(m_location.name))
                                 : QString());
    ui->uvValue->setText(uvText(m_today ? m_today->uvIndexMax : std::nullopt));
    // The place's today: the forecast's, else the date there now.
    QDate today = m_today ? m_today->date : QDate();
    if (!today.isValid() && m_clock) {
        today = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC)
                    .addSecs(offset.value_or(0))
                    .date();
    }
    const Moon::Phase moon = Moon::forDay(today, offset.value_or(0));
    m_moonValue->setText(tr("%1 %2").arg(Moon::symbol(moon.name), Moon::displayName(moon.name)));
    m_moonValue->setToolTip(
        DisplayText::toolTip(tr("%1 % of the disc lit").arg(std::lround(moon.illumination * 100))));
    arrangeDetails(); // longer values may no longer fit in two columns
    updateHeaderTint();
}

void WeatherCard::updateHeaderTint(bool force)
{
    const WeatherCondition condition = m_current ? m_current->condition : WeatherCondition::Unknown;
    bool day = m_current ? m_current->isDay : true;
    if (m_current) {
        QDateTime sunrise = m_current->sunrise;
        QDateTime sunset = m_current->sunset;
        if (m_today && !sunrise.isValid())
            sunrise = m_today->sunrise;
        if (m_today && !sunset.isValid())
            sunset = m_today->sunset;
        day = isDaytime(m_clock->now(), sunrise, sunset,
                        m_placeOffset ? m_placeOffset : m_location.utcOffsetSeconds, day);
    }
    const ThemeColors::Pair colours = ThemeColors::conditionTint(palette(), condition, day);
    if (!force && colours.background == m_headerColours.background
        && colours.text == m_headerColours.text && day == m_headerDay)
        return;
    m_headerColours = colours;
    m_headerDay = day;
    QPalette header = palette();
    header.setColor(QPalette::Window, colours.background);
    header.setColor(QPalette::WindowText, colours.text);
    ui->headerFrame->setPalette(header);
    // Captions are secondary text, not placeholders (PlaceholderText is often barely there):
    // faded towards the tint only as far as 4.5:1 on it allows.
    const QColor secondary = ThemeColors::secondaryTextOn(colours.text, colours.background);
    for (QLabel *caption :
         {ui->humidityCaption, ui->windCaption, ui->pressureCaption, ui->gustsCaption,
          ui->precipitationCaption, ui->sunCaption, ui->uvCaption, ui->dewPointCaption,
          ui->visibilityCaption, ui->cloudCoverCaption, m_moonCaption}) {
        QPalette pal = header;
        pal.setColor(QPalette::WindowText, secondary);
        caption->setPalette(pal);
    }
    ui->headerFrame->setAccessibleDescription(
        m_current
            ? (day ? tr("Day at %1").arg(m_location.name) : tr("Night at %1").arg(m_location.name))
            : QString());
}

QString WeatherCard::detailText(const QString &caption) const
{
    const QList<std::pair<QLabel *, QLabel *>> rows{
        {ui->humidityCaption, ui->humidityValue},
        {ui->windCaption, ui->windValue},
        {ui->pressureCaption, ui->pressureValue},
        {ui->gustsCaption, ui->gustsValue},
        {ui->precipitationCaption, ui->precipitationValue},
        {ui->sunCaption, ui->sunValue},
        {ui->uvCaption, ui->uvValue},
        {ui->dewPointCaption, ui->dewPointValue},
        {ui->visibilityCaption, ui->visibilityValue},
        {ui->cloudCoverCaption, ui->cloudCoverValue},
        {m_moonCaption, m_moonValue}};
    for (const auto &[label, value] : rows) {
        if (label->text() == caption)
            return value->text();
    }
    return {};
}

QString WeatherCard::ageText(qint64 ms)
{
    const qint64 minutes = qMax<qint64>(0, ms) / 60'000;
    if (minutes < 1)
        return tr("just now");
    if (minutes < 60)
        return tr("%n min ago", nullptr, int(minutes));
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return tr("%n h ago", nullptr, int(hours));
    return tr("%n days ago", nullptr, int(hours / 24));
}

void WeatherCard::showCurrent(const Location &location, const CurrentConditions &conditions,
                              AnswerSource source, qint64 ageMs)
{
    const bool newPlace = !(location == m_location) || !m_current;
    m_location = location;
    setDimmed(false); // its own weather now
    m_current = conditions;
    m_source = source;
    m_loadedAt = m_clock->now() - qMax<qint64>(0, ageMs);
    m_outdated = source == AnswerSource::Stale;
    m_offline = false;

    // Names and descriptions come from the provider: plain text (the labels' textFormat in
    // weathercard.ui), without the controls that would break or reorder the line.
    ui->placeLabel->setText(headingText());
    ui->temperatureLabel->setText(temperatureText(conditions.temperature, conditions.units));
    ui->descriptionLabel->setText(conditions.description.isEmpty()
                                      ? tr("Conditions unknown")
                                      : DisplayText::plain(conditions.description));
    ui->feelsLikeLabel->setText(
        conditions.feelsLike
            ? tr("Feels like %1").arg(temperatureText(conditions.feelsLike, conditions.units))
            : QString());
    ui->feelsLikeLabel->setVisible(conditions.feelsLike.has_value());
    ui->humidityValue->setText(percentText(conditions.humidity));
    const QString wind = windText(conditions.windSpeed, conditions.units);
    ui->windValue->setText(conditions.windDirection && conditions.windSpeed
                                   && *conditions.windSpeed > 0.0
                               ? tr("%1 from %2").arg(wind, compassPoint(*conditions.windDirection))
                               : wind);
    ui->gustsValue->setText(windText(conditions.windGusts, conditions.units));
    ui->pressureValue->setText(pressureText(conditions.pressure, conditions.units));
    ui->precipitationValue->setText(precipitationText(conditions.precipitation, conditions.units));
    ui->dewPointValue->setText(dewPointText(conditions.dewPoint, conditions.units));
    ui->visibilityValue->setText(visibilityText(conditions.visibility, conditions.units));
    ui->cloudCoverValue->setText(percentText(conditions.cloudCover));
    updateDayDetails();
    updateIcon();
    ui->stack->setCurrentWidget(ui->weatherPage);
    ui->addPlaceButton->setVisible(!m_saved);

    if (m_pendingForecast && m_pendingForecast->first == location) {
        const DailyForecastList days = m_pendingForecast->second;
        m_pendingForecast.reset();
        showForecast(location, days);
    } else if (newPlace) {
        m_forecastModel->clear();
        ui->forecastEmptyLabel->hide();
        m_today.reset();
        m_placeOffset.reset();
        updateDayDetails();
    }
    updateStatus();
}

void WeatherCard::showForecast(const Location &location, const DailyForecastList &days)
{
    if (!(location == m_location) || !m_current) {
        m_pendingForecast = std::make_pair(location, days);
        return;
    }
    // "Today" is the place's own date, not the viewer's: now at the offset the forecast dated
    // its days with (the picked place rarely knows its offset).
    QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
    std::optional<int> offset = location.utcOffsetSeconds;
    if (!days.isEmpty() && days.constFirst().utcOffsetSeconds)
        offset = days.constFirst().utcOffsetSeconds;
    if (offset)
        now = now.addSecs(*offset);
    if (offset)
        m_placeOffset = offset;
    // Days already over at the place are not "coming days" (a stale forecast shown offline).
    m_today.reset();
    const DailyForecastList coming = upcomingDays(
        days, QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC), location.utcOffsetSeconds);
    if (!coming.isEmpty() && coming.constFirst().date == now.date())
        m_today = coming.constFirst();
    updateDayDetails();
    m_forecastModel->setForecast(coming, now.date());
    updateForecastGrid();
    // A new place starts at its Today, not where the last one's strip was scrolled to (N1).
    if (!(location == m_stripLocation)) {
        m_stripLocation = location;
        ui->forecastView->horizontalScrollBar()->setValue(0);
    }
    ui->forecastView->setVisible(!coming.isEmpty());
    ui->forecastTitle->setVisible(true);
    ui->forecastEmptyLabel->setVisible(coming.isEmpty());
}

void WeatherCard::showForecastUnavailable()
{
    if (m_forecastModel->rowCount() > 0)
        return; // keep the older forecast; the banner says why it is not newer
    ui->forecastView->hide();
    ui->forecastEmptyLabel->show();
}

void WeatherCard::setAttribution(const QString &text)
{
    // The one rich label: our own link markup; MainWindow escapes the provider's words in it.
    ui->attributionLabel->setText(text);
    ui->attributionLabel->setToolTip(tr("The weather provider's terms ask for this credit."));
}

void WeatherCard::setBusyText(const QString &text)
{
    m_busyText = DisplayText::plain(text);
    updateStatus();
    updateEmptyPage();
}

void WeatherCard::setLoadingPlace(const Location &location)
{
    const bool loading
        = m_current && location.isValid() && !location.name.isEmpty() && !(location == m_location);
    if (loading)
        ui->placeLabel->setText(tr("Loading %1…").arg(DisplayText::plain(location.name)));
    else if (m_current)
        ui->placeLabel->setText(headingText());
    setDimmed(loading);
}

void WeatherCard::setOwnName(const QString &own)
{
    if (own == m_ownName)
        return;
    m_ownName = own;
    if (m_current && !m_dimmed)
        ui->placeLabel->setText(headingText());
}

QString WeatherCard::headingText() const
{
    const QString name = DisplayText::plain(m_location.displayName());
    //: The card's heading for a place the person renamed: "Home — Tokyo, JP"
    return m_ownName.isEmpty() ? name : tr("%1 — %2").arg(DisplayText::plain(m_ownName), name);
}

void WeatherCard::setDimmed(bool dimmed)
{
    if (dimmed == m_dimmed)
        return;
    m_dimmed = dimmed;
    // The old place's figures stay where they were (no jump when the new ones come), faded
    // well below reading strength; the title with "Loading …" stays at full strength.
    constexpr qreal kDimmedOpacity = 0.3;
    for (QWidget *w :
         {static_cast<QWidget *>(ui->iconLabel), static_cast<QWidget *>(ui->temperatureLabel),
          static_cast<QWidget *>(ui->descriptionLabel), static_cast<QWidget *>(ui->feelsLikeLabel),
          static_cast<QWidget *>(ui->detailsFrame), static_cast<QWidget *>(ui->forecastTitle),
          static_cast<QWidget *>(ui->forecastView), static_cast<QWidget *>(ui->addPlaceButton)}) {
        if (dimmed) {
            auto *effect = new QGraphicsOpacityEffect(w);
            effect->setOpacity(kDimmedOpacity);
            w->setGraphicsEffect(effect); // owned by w
        } else {
            w->setGraphicsEffect(nullptr); // deletes it
        }
    }
    ui->weatherPage->setAccessibleDescription(dimmed ? ui->placeLabel->text() : QString());
}

void WeatherCard::addToEmptyPage(QWidget *widget)
{
    auto *row = new QHBoxLayout; // centred under the hint, as wide as it needs
    row->addStretch(1);
    row->addWidget(widget);
    row->addStretch(1);
    ui->emptyLayout->insertLayout(ui->emptyLayout->indexOf(ui->emptyLabel) + 1, row);
}

void WeatherCard::updateEmptyPage()
{
    // A first search on a slow network: say it is on its way instead of "No city yet".
    const bool busy = !m_current && !m_busyText.isEmpty();
    ui->emptyTitleLabel->setText(busy ? m_busyText : tr("No city yet"));
    ui->emptyLabel->setVisible(!busy);
    ui->busyBar->setVisible(busy);
}

void WeatherCard::setSaved(bool saved)
{
    m_saved = saved;
    ui->addPlaceButton->setVisible(!saved && m_current.has_value());
}

void WeatherCard::showError(const QString &message, bool retryable)
{
    // May quote the query or a server's reason.
    ui->errorLabel->setText(DisplayText::plain(message));
    ui->retryButton->setVisible(retryable);
    ui->errorBanner->show();
}

bool WeatherCard::isRetryOffered() const
{
    return isErrorVisible() && !ui->retryButton->isHidden();
}

void WeatherCard::clearError()
{
    ui->errorLabel->clear();
    ui->errorBanner->hide();
}

void WeatherCard::markOutdated(bool offline)
{
    if (!m_current)
        return;
    m_outdated = true;
    m_offline = offline;
    updateStatus();
}

QString WeatherCard::statusText() const
{
    return ui->statusLabel->text();
}

QString WeatherCard::errorText() const
{
    return ui->errorLabel->text();
}

bool WeatherCard::isErrorVisible() const
{
    return !ui->errorBanner->isHidden();
}

void WeatherCard::setNextUpdate(qint64 at, bool retry)
{
    m_nextUpdate = at;
    m_nextIsRetry = retry;
    updateStatus();
}

void WeatherCard::updateStatus()
{
    QString text;
    if (m_current) {
        const qint64 age = m_clock->now() - m_loadedAt;
        if (m_outdated && m_offline)
            text = tr("Offline — showing data from %1").arg(dataTimeText());
        else if (m_outdated)
            text = tr("Not updated — showing data from %1").arg(dataTimeText());
        else if (m_source == AnswerSource::Cache)
            text = tr("Updated %1 · from cache").arg(ageText(age));
        else
            text = tr("Updated %1").arg(ageText(age));
        const qint64 left = m_nextUpdate - m_clock->now();
        if (m_nextUpdate >= 0 && left > 0) {
            const QString in = CacheEntryModel::formatDuration(qMax<qint64>(left, 60'000));
            text += m_nextIsRetry ? tr(" · retrying in %1").arg(in)
                                  : tr(" · next update in %1").arg(in);
        }
    }
    if (!m_busyText.isEmpty())
        text = text.isEmpty() ? m_busyText : text + u" · "_s + m_busyText;
    ui->statusLabel->setText(text);
    updateHeaderTint(); // the sun sets while the card is shown
}

QString WeatherCard::dataTimeText() const
{
    // When the weather shown was observed (else fetched): "just now" said nothing about how old
    // an offline card's weather is (N: "showing data from just now"). On the reader's clock, and
    // "your time" when the place keeps another one.
    const QDateTime at = m_current && m_current->observationTime.isValid()
                             ? m_current->observationTime
                             : QDateTime::fromMSecsSinceEpoch(m_loadedAt, Qt::UTC);
    return DisplayText::clockTime(at, m_clock->now(),
                                  m_placeOffset ? m_placeOffset : m_location.utcOffsetSeconds);
}

void WeatherCard::updateIcon()
{
    if (!m_current)
        return;
    const QIcon icon = WeatherIcons::icon(m_current->iconName());
    ui->iconLabel->setPixmap(icon.pixmap(ui->iconLabel->minimumSize(), devicePixelRatioF()));
    ui->iconLabel->setToolTip(DisplayText::toolTip(m_current->description));
}

void WeatherCard::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateLayoutForWidth();
    updateForecastGrid();
}

void WeatherCard::updateForecastGrid()
{
    // The days share the width; below their minimum the strip scrolls.
    const int days = m_forecastModel->rowCount();
    if (days == 0)
        return;
    QStyleOptionViewItem option;
    option.font = ui->forecastView->font();
    const QSize minimum = m_forecastDelegate->minimumSize(option);
    const int available = ui->forecastView->viewport()->width();
    const int width = qBound(minimum.width(), available / days, minimum.width() * 2);
    if (width == m_forecastDelegate->itemWidth())
        return;
    m_forecastDelegate->setItemWidth(width);
    ui->forecastView->doItemsLayout();
}

void WeatherCard::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        updateIcon();
        applyPaletteColours();
    }
}

void WeatherCard::applyPaletteColours()
{
    if (m_applyingPalette)
        return;
    m_applyingPalette = true;
    // From the palette in use, never fixed: a dark theme gets a dark banner whose text and
    // close button stay readable.
    const ThemeColors::Pair banner = ThemeColors::warningBanner(palette());
    QPalette bannerPalette = palette();
    bannerPalette.setColor(QPalette::Window, banner.background);
    bannerPalette.setColor(QPalette::WindowText, banner.text);
    bannerPalette.setColor(QPalette::ButtonText, banner.text);
    bannerPalette.setColor(QPalette::Text, banner.text);
    ui->errorBanner->setPalette(bannerPalette);
    // Rich text takes the link colour when it is parsed: parse it again for the new theme.
    const QString attribution = ui->attributionLabel->text();
    if (!attribution.isEmpty()) {
        ui->attributionLabel->clear();
        ui->attributionLabel->setText(attribution);
    }
    updateHeaderTint(true);
    m_applyingPalette = false;
}

void WeatherCard::arrangeDetails()
{
    using Pair = std::pair<QLabel *, QLabel *>;
    const QList<Pair> left{{ui->humidityCaption, ui->humidityValue},
                           {ui->dewPointCaption, ui->dewPointValue},
                           {ui->pressureCaption, ui->pressureValue},
                           {ui->visibilityCaption, ui->visibilityValue},
                           {ui->cloudCoverCaption, ui->cloudCoverValue}};
    const QList<Pair> right{{ui->windCaption, ui->windValue},
                            {ui->gustsCaption, ui->gustsValue},
                            {ui->precipitationCaption, ui->precipitationValue},
                            {ui->uvCaption, ui->uvValue},
                            {ui->sunCaption, ui->sunValue},
                            {m_moonCaption, m_moonValue}}; // the sky's last (issue 23)
    QGridLayout *grid = ui->detailsLayout;
    const auto groupWidth = [grid](const QList<Pair> &pairs) {
        int caption = 0;
        int value = 0;
        for (const auto &[c, v] : pairs) {
            caption = qMax(caption, c->sizeHint().width());
            value = qMax(value, v->sizeHint().width());
        }
        return caption + grid->horizontalSpacing() + value;
    };
    const QMargins margins = grid->contentsMargins();
    const int frame = margins.left() + margins.right() + 2 * ui->detailsFrame->frameWidth();
    // Columns 0-1 and 3-4, the fixed gap (column 2) between them with a spacing each side.
    const int gap = ui->detailsGap->sizeHint().width();
    const int twoColumns
        = frame + groupWidth(left) + 2 * grid->horizontalSpacing() + gap + groupWidth(right);
    // What the details may take: the card's width under the temperature, or what the icon and
    // the temperature leave beside them. From the card's width and the layouts' margins (not
    // the frames' geometry, which lags a move between the two places by a layout pass).
    const auto horizontal = [](const QLayout *l) {
        const QMargins m = l->contentsMargins();
        return m.left() + m.right();
    };
    int room = width() - horizontal(layout()) - 2 * ui->stack->frameWidth()
               - horizontal(ui->weatherLayout) - 2 * ui->headerFrame->frameWidth()
               - horizontal(ui->headerLayout);
    if (!m_narrow)
        room -= ui->iconLabel->minimumWidth() + ui->temperatureLayout->sizeHint().width()
                + 2 * ui->heroLayout->spacing();
    const int columns = twoColumns <= room ? 2 : 1;
    // The card may always shrink to one column: were the two columns' width its minimum, no
    // layout would ever hand it less, and a narrow window would scroll sideways instead.
    ui->detailsFrame->setMinimumWidth(frame + groupWidth(left + right) + grid->horizontalSpacing()
                                      + gap);
    if (columns == m_detailColumns)
        return;
    m_detailColumns = columns;
    for (const QList<Pair> *group : {&left, &right}) {
        for (const auto &[c, v] : *group) {
            grid->removeWidget(c);
            grid->removeWidget(v);
        }
    }
    for (int i = 0; i < left.size(); ++i) {
        grid->addWidget(left.at(i).first, i, 0);
        grid->addWidget(left.at(i).second, i, 1);
    }
    for (int i = 0; i < right.size(); ++i) {
        const int row = columns == 2 ? i : int(left.size()) + i;
        const int column = columns == 2 ? 3 : 0;
        grid->addWidget(right.at(i).first, row, column);
        grid->addWidget(right.at(i).second, row, column + 1);
    }
}

void WeatherCard::updateLayoutForWidth()
{
    const bool narrow = width() < kNarrowWidth;
    const auto arrange = qScopeGuard([this] { arrangeDetails(); });
    if (narrow == m_narrow)
        return;
    m_narrow = narrow;
    // Narrow: the details go on their own row under the temperature, instead of being squeezed.
    ui->heroLayout->removeWidget(ui->detailsFrame);
    ui->headerLayout->removeWidget(ui->detailsFrame);
    ui->footerLayout->setDirection(narrow ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    ui->attributionLabel->setAlignment(narrow ? Qt::AlignLeft | Qt::AlignVCenter
                                              : Qt::AlignRight | Qt::AlignVCenter);
    if (narrow) {
        // Still in the tinted header, under the temperature.
        const int heroIndex = ui->headerLayout->indexOf(ui->heroLayout);
        ui->headerLayout->insertWidget(heroIndex + 1, ui->detailsFrame, 0, Qt::AlignLeft);
    } else {
        // Next to the temperature, the stretch after it: not at the far edge of a wide card.
        ui->heroLayout->insertWidget(ui->heroLayout->count() - 1, ui->detailsFrame);
    }
}
