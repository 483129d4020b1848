// SPDX-License-Identifier: MIT
#include "heretracker.h"

#include "herelocator.h"
#include "positionsource.h"
#include "weather/placebook.h"
#include "weather/reversegeocoder.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"

HereTracker::HereTracker(PlaceBook *book, Settings *settings, WeatherService *service,
                         QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_book(book)
    , m_settings(settings)
    , m_service(service)
    , m_network(network)
{
    Q_ASSERT(book && settings && service && network);
    connect(m_settings, &Settings::changed, this, &HereTracker::apply);
    connect(m_service, &WeatherService::configChanged, this, [this] {
        if (m_geocoder)
            m_geocoder->setLanguage(m_service->config().language);
    });
    apply();
}

HereTracker::~HereTracker() = default;

void HereTracker::apply()
{
    const bool wanted = m_settings->locationEnabled();
    if (wanted == isFollowing())
        return;
    if (wanted)
        start();
    else
        stop();
}

void HereTracker::start()
{
    if (!m_geocoder) {
        m_geocoder = std::make_unique<ReverseGeocoder>(m_network, m_service->layers(),
                                                       m_service->cache()->clock());
        m_geocoder->setLanguage(m_service->config().language);
    }
    // A fresh source each time: GeoClue is asked anew, an NMEA log is read from its start.
    m_source = std::make_unique<PositionSource>();
    m_locator = std::make_unique<HereLocator>(m_source.get(), m_geocoder.get());
    connect(m_locator.get(), &HereLocator::placeChanged, m_book, &PlaceBook::setHere);
    connect(m_locator.get(), &HereLocator::failed, m_book, &PlaceBook::setHereProblem);
    m_locator->start(); // a source that fails at once says so through failed()
}

void HereTracker::stop()
{
    m_locator->stop();
    m_locator.reset();
    m_source.reset();
    m_book->clearHere();
}
