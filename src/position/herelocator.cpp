// SPDX-License-Identifier: MIT
#include "herelocator.h"

#include "positionsource.h"
#include "weather/nominatimparser.h"
#include "weather/reversegeocoder.h"
#include "weather/weatherkey.h"

#include <QPointer>
#include <QPromise>

#include <memory>

using namespace Qt::StringLiterals;

HereLocator::HereLocator(PositionSource *source, ReverseGeocoder *geocoder, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_geocoder(geocoder)
{
    connect(m_source, &PositionSource::positionUpdated, this, [this](const QGeoCoordinate &c) {
        if (m_following)
            onPosition(c);
    });
    connect(m_source, &PositionSource::statusChanged, this, [this] {
        if (m_following && m_source->isFailed())
            Q_EMIT failed(m_source->statusText());
    });
}

QString HereLocator::attribution()
{
    return NominatimParser::attribution();
}

QString HereLocator::coordinatesName(double latitude, double longitude)
{
    const QString ns = latitude >= 0 ? tr("%1° N") : tr("%1° S");
    const QString ew = longitude >= 0 ? tr("%1° E") : tr("%1° W");
    return tr("%1, %2").arg(ns.arg(qAbs(latitude), 0, 'f', 2), ew.arg(qAbs(longitude), 0, 'f', 2));
}

void HereLocator::start()
{
    m_following = true;
    m_source->start();
}

void HereLocator::stop()
{
    m_following = false;
    m_source->stop();
}

void HereLocator::onPosition(const QGeoCoordinate &coordinate)
{
    const QString cell = WeatherKey::coordinatesText(coordinate.latitude(), coordinate.longitude());
    if (cell == m_cell)
        return; // the same ~1 km: Here has not moved as far as the weather is concerned
    m_cell = cell;
    QPointer<HereLocator> self(this);
    name(coordinate).then(this, [self, cell](const WeatherAnswer<Location> &answer) {
        if (!self || cell != self->m_cell || !answer.value)
            return; // moved on meanwhile
        // No name this time (offline, Nominatim holding back): Here is named by its
        // coordinates, and the next position in this cell asks again (the gate paces it).
        if (answer.error.isError())
            self->m_cell.clear();
        if (self->m_place == *answer.value)
            return;
        self->m_place = *answer.value;
        Q_EMIT self->placeChanged(*answer.value);
    });
}

QFuture<WeatherAnswer<Location>> HereLocator::name(const QGeoCoordinate &coordinate)
{
    const double latitude = coordinate.latitude();
    const double longitude = coordinate.longitude();
    return m_geocoder->name(latitude, longitude)
        .then([latitude, longitude](WeatherAnswer<Location> answer) {
            Location here;
            if (answer.value)
                here = *answer.value;
            // A name that cannot be had now leaves Here named by its coordinates: the weather
            // is still the person's, and the error stays on the answer for whoever shows it.
            here.latitude = latitude;
            here.longitude = longitude;
            if (here.name.isEmpty())
                here.name = coordinatesName(latitude, longitude);
            answer.value = here;
            return answer;
        });
}

QFuture<WeatherAnswer<Location>> HereLocator::locateOnce(int timeoutMs)
{
    auto promise = std::make_shared<QPromise<WeatherAnswer<Location>>>();
    promise->start();
    QFuture<WeatherAnswer<Location>> future = promise->future();
    auto done = std::make_shared<bool>(false);
    auto context = new QObject(this); // ends both connections with the first of them
    connect(m_source, &PositionSource::positionUpdated, context,
            [this, promise, done, context](const QGeoCoordinate &coordinate) {
                if (*done)
                    return;
                *done = true;
                context->deleteLater();
                name(coordinate).then(this, [promise](const WeatherAnswer<Location> &answer) {
                    promise->addResult(answer);
                    promise->finish();
                });
            });
    connect(m_source, &PositionSource::statusChanged, context, [this, promise, done, context] {
        if (*done || !m_source->isFailed())
            return;
        *done = true;
        context->deleteLater();
        WeatherAnswer<Location> answer;
        answer.error = WeatherError(WeatherError::InvalidInput, QString(), m_source->statusText());
        promise->addResult(answer);
        promise->finish();
    });
    m_source->requestUpdate(timeoutMs);
    if (!*done && m_source->isFailed()) { // failed at once, as it had before: no signal
        *done = true;
        context->deleteLater();
        WeatherAnswer<Location> answer;
        answer.error = WeatherError(WeatherError::InvalidInput, QString(), m_source->statusText());
        promise->addResult(answer);
        promise->finish();
    }
    return future;
}
