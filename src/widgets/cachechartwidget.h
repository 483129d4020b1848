// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QWidget>

/**
 * A small live chart of the cache's traffic: hits and misses per interval, stacked bars, the
 * newest on the right, painted with QPainter. The panel feeds it one sample per interval, and
 * one sample spanning several intervals for a time it was not watching.
 */
class CacheChartWidget : public QWidget
{
    Q_OBJECT
public:
    struct Sample
    {
        quint64 hits = 0;
        quint64 misses = 0;
        /**
         * How many intervals the counts cover: more than one when the panel was hidden and
         * sampled nothing meanwhile. Drawn that many bars wide, at the average per interval,
         * hatched, so the gap keeps its traffic without pretending to know when it came.
         */
        int intervals = 1;
    };

    static constexpr int kDefaultMaxSamples = 30;

    explicit CacheChartWidget(QWidget *parent = nullptr);
    ~CacheChartWidget() override;

    /** Closes an interval: `sample` becomes the newest bar, the current one starts at zero. */
    void appendSample(const Sample &sample);
    /** The interval still under way, drawn as the rightmost bar. */
    void setCurrentSample(const Sample &sample);
    Sample currentSample() const { return m_current; }
    void clear();
    QList<Sample> samples() const { return m_samples; }

    /** The words of the two legend items (default "Hits", "Misses"). */
    void setLegend(const QString &hits, const QString &misses);

    void setMaxSamples(int count);
    int maxSamples() const { return m_maxSamples; }
    /** How long one bar covers, for the axis text ("5 min ago"). */
    void setIntervalMs(qint64 ms);
    qint64 intervalMs() const { return m_intervalMs; }

    /** How many intervals the kept samples cover (at most maxSamples()). */
    int coveredIntervals() const;

    /** The top of the y axis for a peak value: 1, 2, 5, 10, 20, 50... */
    static quint64 niceCeiling(quint64 value);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void trim();

    QList<Sample> m_samples;
    Sample m_current;
    int m_maxSamples = kDefaultMaxSamples;
    qint64 m_intervalMs = 10'000;
    QString m_hitsLegend;
    QString m_missesLegend;
};
