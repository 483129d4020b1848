// SPDX-License-Identifier: MIT
#pragma once

#include "weather/requestlog.h"

#include <QList>
#include <QStringList>
#include <QWidget>

/**
 * The cache's story over the last minutes, as a timeline: each request to a provider a tall
 * tick on that provider's lane (a Force Refresh a triangle on top of it), a failed load a
 * cross, an entry running out of fresh time a small circle, and the answers the cache gave
 * without asking as a quieter band whose height is their density. Newest on the right.
 *
 * Marks differ in shape, not only in colour, and take their colours from the palette (text on
 * base), so a dark palette reads as well as a light one. What it shows is also a sentence,
 * summaryText(), set as the accessible description for screen readers.
 *
 * It repaints only when given new events or when the time moved by one step (span / kSteps),
 * so an idle panel repaints it a few times a minute at most.
 */
class RequestTimelineWidget : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 kTenMinutesMs = 10 * 60'000;
    static constexpr qint64 kOneHourMs = 60 * 60'000;
    /** Steps per span: the time axis moves in these, and the band has as many bins. */
    static constexpr int kSteps = 60;

    explicit RequestTimelineWidget(QWidget *parent = nullptr);
    ~RequestTimelineWidget() override;

    /** How far back the timeline looks (ten minutes by default). */
    void setSpanMs(qint64 ms);
    qint64 spanMs() const { return m_spanMs; }

    /**
     * The events (oldest first; those before the span are ignored) as of `now`. The names are
     * the providers' display names, by RequestLog::Event::providerIndex.
     */
    void setEvents(const QList<RequestLog::Event> &events, const QStringList &providerNames,
                   qint64 now);
    /** Only the time moved: repaints when that moves the axis by a step. */
    void setNow(qint64 now);
    qint64 now() const { return m_now; }

    /** "Last 10 minutes: 3 requests to Open-Meteo (1 forced), 41 cache answers, 1 error." */
    QString summaryText() const;
    /** The events within the span, as drawn. */
    QList<RequestLog::Event> shownEvents() const;

    /** The x of time `at` in the plot; where a test looks for a mark. */
    qreal xForTime(qint64 at) const;
    /** The lane of provider `index` (requests, forced refreshes, errors). */
    QRectF laneRect(int index) const;
    /** The band of cache answers, with the expiry circles on its baseline. */
    QRectF bandRect() const;

    /** The WCAG contrast ratio of two colours (1 to 21). */
    static double contrastRatio(const QColor &a, const QColor &b);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    qint64 snapped(qint64 now) const;
    QRectF plotRect() const;
    int laneCount() const;
    void updateDescription();
    /** `preferred` if it stands out from `background` (3:1), else the palette's text. */
    QColor legible(const QColor &preferred) const;

    QList<RequestLog::Event> m_events;
    QStringList m_providerNames;
    qint64 m_spanMs = kTenMinutesMs;
    qint64 m_now = 0;
};
