// SPDX-License-Identifier: MIT
#include "weather/weathererror.h"

#include <QDataStream>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_WeatherError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void message_data();
    void message();
    void everyKindHasASentence();
    void streamRoundTrip();
    void streamRoundTripEveryKind();
};

void tst_WeatherError::message_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");

    QTest::newRow("key rejected") << int(WeatherError::ApiKeyRejected) << u"OpenWeatherMap"_s
                                  << QString() << -1 << 401
                                  << u"OpenWeatherMap rejected the API key. A new key can take up "
                                     u"to two hours to become active."_s;
    QTest::newRow("rate limited 42 s")
        << int(WeatherError::RateLimited) << u"Open-Meteo"_s << QString() << 42 << 429
        << u"Open-Meteo asked us to slow down; try again in 42 "
           u"seconds."_s;
    QTest::newRow("rate limited 1 s")
        << int(WeatherError::RateLimited) << u"Open-Meteo"_s << QString() << 1 << 429
        << u"Open-Meteo asked us to slow down; try again in 1 "
           u"second."_s;
    QTest::newRow("rate limited, unknown time")
        << int(WeatherError::RateLimited) << u"Open-Meteo"_s << QString() << -1 << 429
        << u"Open-Meteo asked us to slow down; try again in a minute."_s;
    QTest::newRow("rate limited for an hour")
        << int(WeatherError::RateLimited) << u"OpenWeatherMap"_s << QString() << 3600 << 429
        << u"OpenWeatherMap asked us to slow down; try again in 60 minutes."_s;
    QTest::newRow("rate limited for a day")
        << int(WeatherError::RateLimited) << u"Open-Meteo"_s << QString() << 86400 << 429
        << u"Open-Meteo asked us to slow down; try again in 24 hours."_s;
    QTest::newRow("rate limited for years says over a day")
        << int(WeatherError::RateLimited) << u"Open-Meteo"_s << QString() << 99'999'999 << 429
        << u"Open-Meteo asked us to slow down; try again in over a day."_s;
    QTest::newRow("server error with Retry-After")
        << int(WeatherError::ServerError) << u"Open-Meteo"_s << QString() << 120 << 503
        << u"Open-Meteo is having problems right now (server error 503); try again in 2 "
           u"minutes."_s;
    QTest::newRow("server error for years says over a day")
        << int(WeatherError::ServerError) << u"Open-Meteo"_s << QString() << 2'000'000 << 503
        << u"Open-Meteo is having problems right now (server error 503); try again in over a "
           u"day."_s;
    QTest::newRow("certificate rejected")
        << int(WeatherError::TlsFailed) << u"Open-Meteo"_s
        << u"The certificate is self-signed, and untrusted"_s << -1 << 0
        << u"The server's certificate for Open-Meteo was not accepted (The certificate is "
           u"self-signed, and untrusted), so WeatherDash did not connect. Check that the "
           u"computer's date and time are right and that nothing on the network intercepts "
           u"secure connections."_s;
    QTest::newRow("handshake failed without a certificate error")
        << int(WeatherError::TlsFailed) << u"Open-Meteo"_s << QString() << -1 << 0
        << u"A secure connection to Open-Meteo could not be set up, so WeatherDash did not "
           u"connect. Check that the computer's date and time are right and that nothing on the "
           u"network intercepts secure connections."_s;
    QTest::newRow("offline") << int(WeatherError::Offline) << u"Open-Meteo"_s << QString() << -1
                             << 0
                             << u"Could not reach Open-Meteo. Check your internet connection."_s;
    QTest::newRow("no provider name")
        << int(WeatherError::Timeout) << QString() << QString() << -1 << 0
        << u"The weather service did not answer in time. Try again "
           u"in a moment."_s;
    QTest::newRow("city not found with the typed name")
        << int(WeatherError::CityNotFound) << u"Open-Meteo"_s << u"Atlantis"_s << -1 << 0
        << u"No place called “Atlantis” was found. Check the spelling, or add the country, for "
           u"example “London, GB”."_s;
    QTest::newRow("server error without backoff")
        << int(WeatherError::ServerError) << u"Open-Meteo"_s << QString() << -1 << 503
        << u"Open-Meteo is having problems right now (server error 503)."_s;
    QTest::newRow("local input check")
        << int(WeatherError::InvalidInput) << QString() << u"Type the name of a place."_s << -1 << 0
        << u"Type the name of a place."_s;
    QTest::newRow("none") << int(WeatherError::None) << QString() << QString() << -1 << 0
                          << QString();
}

void tst_WeatherError::message()
{
    QFETCH(int, kind);
    QFETCH(QString, provider);
    QFETCH(QString, detail);
    QFETCH(int, retryAfter);
    QFETCH(int, status);
    WeatherError error(WeatherError::Kind(kind), provider, detail);
    error.setRetryAfter(retryAfter);
    error.setHttpStatus(status);
    QTEST(error.message(), "expected");
    QCOMPARE(error.isError(), kind != WeatherError::None);
}

void tst_WeatherError::everyKindHasASentence()
{
    QSet<QString> names;
    for (int kind = WeatherError::CityNotFound; kind <= WeatherError::LastKind; ++kind) {
        const WeatherError error(WeatherError::Kind(kind), u"Open-Meteo"_s);
        QVERIFY2(error.message().endsWith(u'.'), qPrintable(error.message()));
        QVERIFY(error.message().size() > 20);
        names.insert(WeatherError::kindName(error.kind()));
    }
    QCOMPARE(names.size(), int(WeatherError::LastKind)); // all distinct
    QVERIFY(!names.contains(u"unknown"_s));
}

void tst_WeatherError::streamRoundTrip()
{
    WeatherError error(WeatherError::RateLimited, u"OpenWeatherMap"_s, u"detail"_s);
    error.setRetryAfter(42);
    error.setHttpStatus(429);
    QByteArray blob;
    {
        QDataStream out(&blob, QIODevice::WriteOnly);
        out << error;
    }
    QDataStream in(blob);
    WeatherError copy;
    in >> copy;
    QCOMPARE(in.status(), QDataStream::Ok);
    QCOMPARE(copy, error);
}

void tst_WeatherError::streamRoundTripEveryKind()
{
    for (int kind = WeatherError::None; kind <= WeatherError::LastKind; ++kind) {
        WeatherError error(WeatherError::Kind(kind), u"Open-Meteo"_s, u"why"_s);
        QByteArray blob;
        {
            QDataStream out(&blob, QIODevice::WriteOnly);
            out << error;
        }
        QDataStream in(blob);
        WeatherError copy;
        in >> copy;
        QCOMPARE(in.status(), QDataStream::Ok);
        QCOMPARE(copy, error);
    }
}

QTEST_GUILESS_MAIN(tst_WeatherError)
#include "tst_weathererror.moc"
