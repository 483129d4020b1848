// SPDX-License-Identifier: MIT
#include "clialerts.h"

#include "weather/alertformat.h"

#include <QPointer>

using namespace Qt::StringLiterals;

CliAlerts::CliAlerts(QNetworkAccessManager *network, WeatherService *service, QObject *parent)
    : QObject(parent)
    , m_service(network, service)
{
    m_service.setLanguage(service->config().language);
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, &CliAlerts::release);
}

void CliAlerts::start(const Location &place, bool force)
{
    const quint64 generation = ++m_generation;
    m_answer.reset();
    // Not .then(this, …): an answer never given in time is finished (cancelled) when the
    // service goes, after this object, and Qt 6.4 asserts on a continuation's dead context
    // (a silent alert server at the end of a run). The service answers in this thread.
    QPointer<CliAlerts> self(this);
    m_service.alerts(place, force)
        .then([self, generation](const WeatherAnswer<WeatherAlertList> &answer) {
            if (!self || generation != self->m_generation)
                return; // gone, or a city answered before
            self->m_answer = answer;
            self->release();
        });
}

void CliAlerts::whenReady(QObject *context, std::function<void()> then)
{
    m_waiting = std::move(then);
    m_waitingContext = context;
    if (m_answer) {
        release();
        return;
    }
    m_grace.start(kGraceMs);
}

void CliAlerts::release()
{
    m_grace.stop();
    if (!m_waiting)
        return;
    // Not in time is unknown from here on, even if the answer comes a moment later.
    ++m_generation;
    std::function<void()> then = std::move(m_waiting);
    m_waiting = nullptr;
    if (m_waitingContext)
        then();
}

std::optional<WeatherAlertList> CliAlerts::live() const
{
    if (!m_answer || !m_answer->ok())
        return std::nullopt;
    return *m_answer->value;
}

QJsonValue CliAlerts::json() const
{
    return AlertFormat::toJson(live());
}

QStringList CliAlerts::textLines(const Location &place, std::optional<int> utcOffsetSeconds) const
{
    const std::optional<WeatherAlertList> alerts = live();
    if (!alerts) {
        const QString why = m_answer ? m_answer->error.message() : tr("no answer in time");
        return {tr("Weather alerts: not available (%1)").arg(why)};
    }
    QStringList lines;
    const QTimeZone zone = AlertFormat::placeZone(place.timezone, utcOffsetSeconds);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const WeatherAlert &a : *alerts)
        lines << u"⚠ "_s + AlertFormat::summary(a, zone, now);
    if (m_answer->error.isError())
        lines << tr("Some weather alerts could not be read: %1").arg(m_answer->error.message());
    return lines;
}
