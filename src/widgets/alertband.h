// SPDX-License-Identifier: MIT
#pragma once

#include "weather/weatheralert.h"

#include <QColor>
#include <QDateTime>
#include <QList>
#include <QTimeZone>
#include <QWidget>

class QLabel;
class QToolButton;
class QVBoxLayout;

/**
 * The card's severe-weather alerts (issue 22): a coloured band per live alert, most severe
 * first. Each band says the severity in words (and in colour, never in colour alone), the
 * event, from–until in the place's time and the sender; its "Details" button opens the
 * description and the instruction, shown as plain text (the sender's text is never markup).
 * Hidden while there is no alert.
 *
 * Built in code, not Designer: its rows come and go with the alerts.
 */
class AlertBand : public QWidget
{
    Q_OBJECT
public:
    explicit AlertBand(QWidget *parent = nullptr);
    ~AlertBand() override;

    /** `now` decides "until" (begun) or "from … until" (coming). */
    void setAlerts(const WeatherAlertList &alerts, const QTimeZone &placeZone,
                   const QDateTime &now = QDateTime::currentDateTimeUtc());
    int count() const { return int(m_rows.size()); }
    WeatherAlertList alerts() const { return m_alerts; }

    bool isExpanded(int index) const;
    void setExpanded(int index, bool expanded);

    /** The band's colours for a severity: distinct, and text on them at least 4.5:1. */
    static QColor background(WeatherAlert::Severity severity);
    static QColor foreground(WeatherAlert::Severity severity);

    /** The texts of a row, for tests and screen readers. */
    QString summaryText(int index) const;
    QString detailsText(int index) const;

Q_SIGNALS:
    void expandedChanged(int index, bool expanded);

private:
    struct Row
    {
        QWidget *frame = nullptr;
        QLabel *title = nullptr;
        QLabel *when = nullptr;
        QToolButton *toggle = nullptr;
        QLabel *details = nullptr;
    };
    Row makeRow(const WeatherAlert &alert, const QTimeZone &zone, const QDateTime &now);

    QVBoxLayout *m_layout;
    QList<Row> m_rows;
    WeatherAlertList m_alerts;
};
