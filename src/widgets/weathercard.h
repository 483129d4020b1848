// SPDX-License-Identifier: MIT
#pragma once

#include "themecolors.h"
#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/location.h"
#include "weather/weatheranswer.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class AirQualityView;
class AlertBand;
class Clock;
class ForecastDelegate;
class QLabel;
class ForecastModel;

namespace Ui {
class WeatherCard;
}

/**
 * The weather of one place: name, large temperature, condition icon, description, feels-like,
 * humidity, dew point, wind and gusts, sea-level pressure, visibility, cloud cover,
 * precipitation now, sunrise and sunset and today's UV index, under a header tinted by the
 * condition and by whether it is day or night at the place, a strip of the coming days (from the
 * place's today on), the provider's attribution and a status line ("Updated 3 min ago · from
 * cache") that keeps itself current.
 *
 * It only shows what it is given. A failed update leaves the last good weather in place,
 * marked with its age, and the reason in an inline banner (never a dialog). The clock is
 * borrowed.
 */
class WeatherCard : public QWidget
{
    Q_OBJECT
public:
    /** How often the status line's "n min ago" is rewritten. */
    static constexpr int kStatusTickMs = 15'000;
    /** Below this width the details go under the temperature instead of beside it. */
    static constexpr int kNarrowWidth = 660;

    explicit WeatherCard(QWidget *parent = nullptr);
    ~WeatherCard() override;

    void setClock(Clock *clock);
    /** How often the status line is rewritten (kStatusTickMs by default). */
    void setStatusInterval(int ms) { m_statusTimer.setInterval(ms); }

    /** Shows `conditions` for `location`; the place name changes with it. */
    void showCurrent(const Location &location, const CurrentConditions &conditions,
                     AnswerSource source, qint64 ageMs);
    /**
     * The forecast for `location`. If the card shows another place (its current conditions
     * have not arrived yet), it waits until they do.
     */
    void showForecast(const Location &location, const DailyForecastList &days);
    /** The forecast for the shown place could not be had. */
    void showForecastUnavailable();

    /** Plain text or a small piece of rich text (links allowed). */
    void setAttribution(const QString &text);
    /** Under the empty page's hint ("Use my location"); the card takes the widget. */
    void addToEmptyPage(QWidget *widget);

    /**
     * "Loading Berlin, DE…" in the status line while a request runs; empty: done. With no
     * weather shown yet the empty page says it instead of "No city yet", with a busy bar.
     */
    void setBusyText(const QString &text);
    QString busyText() const { return m_busyText; }

    /**
     * Another place's weather is on screen while `location`'s is on its way (a new city on a
     * slow network): the weather dims and the title says "Loading São Paulo…", so the old
     * weather never reads as the new place's. The place's own weather (showCurrent()), or an
     * unusable `location` (nothing more coming), ends it.
     */
    void setLoadingPlace(const Location &location);
    /**
     * The person's own name for the place shown (a rename in Places), said before the place's
     * own in the heading ("Home — Tokyo, JP"), so the card and the list read as one; empty: none.
     */
    void setOwnName(const QString &own);
    /** The weather shown is dimmed: it is not the place being loaded (setLoadingPlace()). */
    bool isDimmed() const { return m_dimmed; }

    /**
     * A readable sentence in the inline banner; the weather shown stays. "Try again" is
     * offered only when `retryable`: not for what retrying cannot fix (an unknown place, a
     * rejected key).
     */
    void showError(const QString &message, bool retryable = true);
    void clearError();
    /**
     * The data shown could not be refreshed: the status line says so, with the data's age.
     * `offline`: because the network or the service could not be reached.
     */
    void markOutdated(bool offline);
    /**
     * When the shown weather is asked for next (ms since the epoch; -1: nothing planned),
     * and whether that is a retry after a failure: the status line says "next update in
     * 7 min" or "retrying in 2 min".
     */
    void setNextUpdate(qint64 at, bool retry);

    bool hasWeather() const { return m_current.has_value(); }
    Location location() const { return m_location; }
    QString statusText() const;
    QString errorText() const;
    bool isErrorVisible() const;
    bool isRetryOffered() const;

    /** Whether the shown place is among the saved places: the "Add to Places" button. */
    void setSaved(bool saved);

    /** "just now", "3 min ago", "2 h ago", "3 days ago". */
    static QString ageText(qint64 ms);
    static QString temperatureText(std::optional<double> value, Units units);
    static QString temperatureText(std::optional<double> value, const UnitSet &units);
    /** "14 km/h", "3 Bft", "—". */
    static QString windText(std::optional<double> value, const UnitSet &units);
    /** "1008 hPa", "29.77 inHg". */
    static QString pressureText(std::optional<double> value, const UnitSet &units);
    /** "0.4 mm", "0.02 in". */
    static QString precipitationText(std::optional<double> value, const UnitSet &units);
    /** "6 (high)": the index and the WHO's band. */
    static QString uvText(std::optional<double> value);
    /** "06:02" in the place's own time (UTC when the offset is unknown). */
    static QString placeTimeText(const QDateTime &utc, std::optional<int> offsetSeconds);

    /**
     * The place's severe-weather alerts, a band each under the place's name (issue 22);
     * MainWindow gives it the shown place's live alerts.
     */
    AlertBand *alertBand() const { return m_alertBand; }

    /** "12 °C" (a dew point), "—". */
    static QString dewPointText(std::optional<double> value, const UnitSet &units);
    /** "43 %" (cloud cover, humidity), "—". */
    static QString percentText(std::optional<double> value);
    /**
     * Whether `nowMs` falls between sunrise and sunset, both read as times of day in the
     * place's time (so yesterday's sun times from a stale forecast still tell day from night);
     * `fallback` (the provider's own verdict) when either is unknown (the polar day and night).
     */
    static bool isDaytime(qint64 nowMs, const QDateTime &sunrise, const QDateTime &sunset,
                          std::optional<int> offsetSeconds, bool fallback);

    /** The value shown beside the detail captioned `caption` ("Gusts"); empty if none. */
    QString detailText(const QString &caption) const;
    /** The header's background and text colours now (the condition and day or night tint). */
    ThemeColors::Pair headerColours() const { return m_headerColours; }
    /** Whether the header is tinted for the day (false: the night). */
    bool headerShowsDay() const { return m_headerDay; }

    /**
     * Air quality and pollen under the conditions (issue 23): the window hands it the feed's
     * answers; empty (and taking no room) until one comes.
     */
    AirQualityView *airQualityView() const { return m_airQuality; }

Q_SIGNALS:
    /** The person pressed "Try again" in the error banner. */
    void retryRequested();
    /** The person clicked the status line (or pressed Enter on it): show the cache's rows. */
    void cacheDetailsRequested();
    /** The person pressed "Add to Places". */
    void addToPlacesRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateStatus();
    /** "14:05", "14:05 your time", "12/6/26, 14:05": when the shown weather is from. */
    QString dataTimeText() const;
    void updateIcon();
    void updateLayoutForWidth();
    /** The details in one column of ten or two of five, whichever fits the card's width. */
    void arrangeDetails();
    void updateForecastGrid();
    void updateEmptyPage();
    void applyPaletteColours();
    void setDimmed(bool dimmed);
    /** The place's name, after the person's own for it when there is one. */
    QString headingText() const;
    /** Tints the header for the shown condition and the place's day or night; idempotent. */
    void updateHeaderTint(bool force = false);
    /** Sunrise, sunset and today's UV: from the current weather and today's forecast. */
    void updateDayDetails();

    std::unique_ptr<Ui::WeatherCard> ui;
    ForecastModel *m_forecastModel;
    ForecastDelegate *m_forecastDelegate;
    AlertBand *m_alertBand; // a child, in the weather page
    Clock *m_clock = nullptr;
    QTimer m_statusTimer;
    Location m_location;
    Location m_stripLocation; // whose days the strip shows: a new place starts at Today
    std::optional<CurrentConditions> m_current;
    AnswerSource m_source = AnswerSource::Network;
    qint64 m_loadedAt = 0;
    bool m_outdated = false;
    bool m_offline = false;
    qint64 m_nextUpdate = -1;
    bool m_nextIsRetry = false;
    bool m_narrow = false;
    QString m_busyText;
    QString m_ownName;
    bool m_dimmed = false;
    bool m_saved = false;
    bool m_applyingPalette = false;
    std::optional<std::pair<Location, DailyForecastList>> m_pendingForecast;
    std::optional<DailyForecast> m_today; // the place's today in the forecast shown
    std::optional<int> m_placeOffset; // what the forecast said the place's UTC offset is
    AirQualityView *m_airQuality; // issue 23; a child
    QLabel *m_moonCaption; // the moon among sunrise and sunset (issue 23)
    QLabel *m_moonValue;
    ThemeColors::Pair m_headerColours;
    bool m_headerDay = true;
    int m_detailColumns = 0; // none yet: the first arrangement places the moon too
};
