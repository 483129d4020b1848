// SPDX-License-Identifier: MIT
#include "testdata.h"
#include "weather/capparser.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr double kBerlinLat = 52.52;
constexpr double kBerlinLon = 13.405;

CapMessage load(const QString &name)
{
    const auto result = CapParser::parseMessage(loadTestData(u"cap/"_s + name));
    if (!result.ok())
        qFatal("%s: %s", qPrintable(name), qPrintable(result.error.detail()));
    return *result.value;
}

/** 20:00 UTC on the day the golden messages were issued: every one of them is live then. */
QDateTime evening()
{
    return QDateTime(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC);
}

} // namespace

class tst_CapParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dwdMessage()
    {
        const CapMessage m = load(u"dwd_thunderstorm.xml"_s);
        QCOMPARE(m.identifier, u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0001"_s);
        QCOMPARE(m.sender, u"opendata@dwd.de"_s);
        QCOMPARE(m.status, u"Actual"_s);
        QCOMPARE(m.msgType, u"Alert"_s);
        QCOMPARE(m.sent, QDateTime(QDate(2026, 12, 7), QTime(18, 0), Qt::UTC));
        QCOMPARE(m.infos.size(), 2);
        const CapInfo &de = m.infos.at(0);
        QCOMPARE(de.language, u"de-DE"_s);
        QCOMPARE(de.categories, QStringList{u"Met"_s});
        QCOMPARE(de.event, u"SCHWERES GEWITTER mit ORKANBÖEN"_s);
        QCOMPARE(de.severity, u"Severe"_s);
        QCOMPARE(de.expires, QDateTime(QDate(2026, 12, 8), QTime(1, 0), Qt::UTC));
        // The offset the sender wrote is kept: the CLI prints it as it came.
        QCOMPARE(de.onset.offsetFromUtc(), 3600);
        QVERIFY(de.description.contains(u"120 km/h & Hagel"_s));
        QCOMPARE(de.areas.size(), 2);
        QCOMPARE(de.areas.at(0).description, u"Stadt Berlin"_s);
        // The closing pair is dropped; a polygon spread over lines reads the same.
        QCOMPARE(de.areas.at(0).polygons.at(0).size(), 4);
        QCOMPARE(de.areas.at(1).polygons.at(0).size(), 4);
        QCOMPARE(de.areas.at(1).polygons.at(0).at(1), (CapPoint{52.25, 12.90}));
        QCOMPARE(m.expires(), de.expires);
        QVERIFY(m.references.isEmpty());
    }

    void prefixedNamespace()
    {
        const CapMessage m = load(u"meteoalarm_multi_area.xml"_s);
        QCOMPARE(m.infos.size(), 3);
        QCOMPARE(m.infos.at(1).areas.at(1).polygons.size(), 2);
    }

    void circleAndMarkupText()
    {
        const CapMessage m = load(u"nws_tornado_circle.xml"_s);
        const CapInfo &info = m.infos.at(0);
        QCOMPARE(info.areas.at(0).circles.size(), 1);
        QCOMPARE(info.areas.at(0).circles.at(0).radiusKm, 15.0);
        // Entities are text, kept as the characters they stand for; never markup.
        QVERIFY(info.description.contains(u"<b>Not markup</b> & <script>"_s));
        QVERIFY(info.description.contains(u"\n\nHAZARD...Damaging tornado."_s));
    }

    void references()
    {
        const CapMessage update = load(u"dwd_thunderstorm_update.xml"_s);
        QCOMPARE(update.msgType, u"Update"_s);
        QCOMPARE(update.references,
                 QStringList{u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0001"_s});
        const CapMessage cancel = load(u"dwd_thunderstorm_cancel.xml"_s);
        QCOMPARE(cancel.references.size(), 2);
        QCOMPARE(cancel.references.at(1), u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0002"_s);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("kind");
        QTest::newRow("CAP 1.1 namespace")
            << u"cap/cap11_namespace.xml"_s << int(WeatherError::BadResponse);
        QTest::newRow("cut off") << u"cap/truncated.xml"_s << int(WeatherError::BadResponse);
        QTest::newRow("DTD with entities")
            << u"cap/dtd_entities.xml"_s << int(WeatherError::BadResponse);
        QTest::newRow("time without offset")
            << u"cap/no_offset_time.xml"_s << int(WeatherError::BadResponse);
        QTest::newRow("HTML error page") << u"garbage.html"_s << int(WeatherError::BadResponse);
        QTest::newRow("JSON") << u"json_array.json"_s << int(WeatherError::BadResponse);
        QTest::newRow("empty") << u"empty.txt"_s << int(WeatherError::BadResponse);
    }

    void refused()
    {
        QFETCH(QString, file);
        QFETCH(int, kind);
        const auto result = CapParser::parseMessage(loadTestData(file));
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error.kind()), kind);
    }

    void tooLarge_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QByteArray infos;
        for (int i = 0; i <= CapParser::kMaxInfos; ++i)
            infos += "<info><category>Met</category></info>";
        QTest::newRow("too many infos") << infos;
        QByteArray polygon = "<info><area><polygon>";
        for (int i = 0; i <= CapParser::kMaxPoints; ++i)
            polygon += "1,1 ";
        polygon += "</polygon></area></info>";
        QTest::newRow("too many points") << polygon;
        QTest::newRow("over the byte limit") << QByteArray(CapParser::kMaxMessageBytes + 1, ' ');
    }

    void tooLarge()
    {
        QFETCH(QByteArray, xml);
        const QByteArray doc = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
                               "<identifier>x</identifier><status>Actual</status>"
                               "<msgType>Alert</msgType>"
                               + xml + "</alert>";
        const auto result = CapParser::parseMessage(doc);
        QVERIFY(!result.ok());
        QCOMPARE(result.error.kind(), WeatherError::ResponseTooLarge);
    }

    void badGeometryDropsOnlyThatShape()
    {
        const QByteArray doc = R"(<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
            <identifier>geo</identifier><status>Actual</status><msgType>Alert</msgType>
            <info><category>Met</category><area>
              <polygon>95,13 52,14 53,14 95,13</polygon>
              <polygon>52,13 52,14 53,14</polygon>
              <circle>52.5,13.4</circle>
              <circle>52.5,13.4 -3</circle>
              <circle>52.5,13.4 nan</circle>
              <circle>52.5,13.4 5</circle>
            </area></info></alert>)";
        const auto result = CapParser::parseMessage(doc);
        QVERIFY(result.ok());
        const CapArea &area = result.value->infos.at(0).areas.at(0);
        QCOMPARE(area.polygons.size(), 1);
        QCOMPARE(area.circles.size(), 1);
    }

    void containment_data()
    {
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("lon");
        QTest::addColumn<bool>("inside");
        QTest::newRow("Berlin, inside") << kBerlinLat << kBerlinLon << true;
        QTest::newRow("Potsdam, second polygon? no: first") << 52.39 << 13.06 << true;
        QTest::newRow("Zossen, second area") << 52.22 << 13.45 << true;
        QTest::newRow("between the areas") << 52.27 << 13.40 << false;
        QTest::newRow("Hamburg, outside") << 53.55 << 9.99 << false;
        QTest::newRow("on the edge") << 52.30 << 13.40 << true;
        QTest::newRow("on a corner") << 52.70 << 13.80 << true;
    }

    void containment()
    {
        QFETCH(double, lat);
        QFETCH(double, lon);
        QFETCH(bool, inside);
        const CapMessage m = load(u"dwd_thunderstorm.xml"_s);
        QCOMPARE(m.infos.at(0).contains(lat, lon), inside);
        QCOMPARE(CapParser::alertFor(m, lat, lon, evening(), u"en"_s).has_value(), inside);
    }

    void circle_data()
    {
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("lon");
        QTest::addColumn<bool>("inside");
        // 0.1° of latitude is 11.1 km; the circle's radius is 15 km.
        QTest::newRow("centre") << 35.40 << -97.50 << true;
        QTest::newRow("11 km north") << 35.50 << -97.50 << true;
        QTest::newRow("17 km north") << 35.55 << -97.50 << false;
        // 0.15° of longitude at 35.4° N is 13.6 km: in; 0.2° is 18.1 km: out.
        QTest::newRow("13.6 km east") << 35.40 << -97.35 << true;
        QTest::newRow("18.1 km east") << 35.40 << -97.30 << false;
    }

    void circle()
    {
        QFETCH(double, lat);
        QFETCH(double, lon);
        QFETCH(bool, inside);
        const CapMessage m = load(u"nws_tornado_circle.xml"_s);
        const QDateTime now(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC); // 14:00 CST
        QCOMPARE(CapParser::alertFor(m, lat, lon, now, u"en"_s).has_value(), inside);
    }

    void alertInPersonsLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("sender");
        QTest::newRow("de") << u"de"_s << u"SCHWERES GEWITTER mit ORKANBÖEN"_s
                            << u"Deutscher Wetterdienst"_s;
        QTest::newRow("de_AT, primary tag")
            << u"de_AT"_s << u"SCHWERES GEWITTER mit ORKANBÖEN"_s << u"Deutscher Wetterdienst"_s;
        QTest::newRow("en") << u"en"_s << u"SEVERE THUNDERSTORM with GUSTS OF HURRICANE FORCE"_s
                            << u"DWD / National Meteorological Service"_s;
        QTest::newRow("fr, none: English")
            << u"fr"_s << u"SEVERE THUNDERSTORM with GUSTS OF HURRICANE FORCE"_s
            << u"DWD / National Meteorological Service"_s;
    }

    void alertInPersonsLanguage()
    {
        QFETCH(QString, language);
        QFETCH(QString, event);
        QFETCH(QString, sender);
        const auto alert = CapParser::alertFor(load(u"dwd_thunderstorm.xml"_s), kBerlinLat,
                                               kBerlinLon, evening(), language);
        QVERIFY(alert);
        QCOMPARE(alert->event, event);
        QCOMPARE(alert->sender, sender);
        QCOMPARE(alert->severity, WeatherAlert::Severity::Severe);
        QCOMPARE(alert->urgency, u"Immediate"_s);
        QCOMPARE(alert->certainty, u"Likely"_s);
        QCOMPARE(alert->onset, QDateTime(QDate(2026, 12, 7), QTime(19, 0), Qt::UTC));
        QCOMPARE(alert->web, u"https://www.wettergefahren.de"_s);
        QVERIFY(!alert->instruction.isEmpty());
    }

    void languageWithoutEnglish()
    {
        // Zürich, asked in English: MeteoSwiss sends fr, de and it; the first that covers the
        // point wins (the Italian one names only Geneva).
        const CapMessage m = load(u"meteoalarm_multi_area.xml"_s);
        auto alert = CapParser::alertFor(m, 47.37, 8.54, evening(), u"en"_s);
        QVERIFY(alert);
        QCOMPARE(alert->event, u"Vent fort"_s);
        QCOMPARE(alert->areaDescription, u"Zurich"_s);
        alert = CapParser::alertFor(m, 47.37, 8.54, evening(), u"it"_s);
        QVERIFY(alert);
        QCOMPARE(alert->event, u"Vent fort"_s); // the Italian info does not cover Zürich
        alert = CapParser::alertFor(m, 46.20, 6.15, evening(), u"it"_s);
        QVERIFY(alert);
        QCOMPARE(alert->event, u"Vento forte"_s);
        QCOMPARE(alert->severity, WeatherAlert::Severity::Moderate);
        // The second polygon of an area counts as much as the first.
        QVERIFY(CapParser::alertFor(m, 47.65, 8.70, evening(), u"de"_s));
    }

    void filters_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<bool>("live");
        QTest::newRow("alert, live") << u"dwd_thunderstorm.xml"_s << evening() << true;
        QTest::newRow("before onset: live too")
            << u"dwd_thunderstorm.xml"_s << evening().addSecs(-3600) << true;
        QTest::newRow("one second before expiry")
            << u"dwd_thunderstorm.xml"_s << QDateTime(QDate(2026, 12, 8), QTime(0, 59, 59), Qt::UTC)
            << true;
        QTest::newRow("expired") << u"dwd_thunderstorm.xml"_s
                                 << QDateTime(QDate(2026, 12, 8), QTime(1, 0), Qt::UTC) << false;
        QTest::newRow("urgency Past") << u"past_urgency.xml"_s << evening() << false;
        QTest::newRow("category Geo") << u"geo_category.xml"_s << evening() << false;
        QTest::newRow("status Exercise") << u"exercise_status.xml"_s << evening() << false;
        QTest::newRow("msgType Cancel") << u"dwd_thunderstorm_cancel.xml"_s << evening() << false;
        QTest::newRow("update, live") << u"dwd_thunderstorm_update.xml"_s << evening() << true;
    }

    void filters()
    {
        QFETCH(QString, file);
        QFETCH(QDateTime, now);
        QFETCH(bool, live);
        QCOMPARE(CapParser::alertFor(load(file), kBerlinLat, kBerlinLon, now, u"de"_s).has_value(),
                 live);
    }

    void updateReplacesAndCancelEnds()
    {
        const CapMessage first = load(u"dwd_thunderstorm.xml"_s);
        const CapMessage update = load(u"dwd_thunderstorm_update.xml"_s);
        const CapMessage cancel = load(u"dwd_thunderstorm_cancel.xml"_s);
        const CapMessage tornado = load(u"nws_tornado_circle.xml"_s);

        WeatherAlertList alerts
            = CapParser::liveAlerts({first}, kBerlinLat, kBerlinLon, evening(), u"de"_s);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.at(0).severity, WeatherAlert::Severity::Severe);

        // The server lists both for a while: the update alone is shown, with what it replaces.
        alerts = CapParser::liveAlerts({first, update}, kBerlinLat, kBerlinLon, evening(), u"de"_s);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.at(0).id, update.identifier);
        QCOMPARE(alerts.at(0).severity, WeatherAlert::Severity::Extreme);
        QCOMPARE(alerts.at(0).replaces, QStringList{first.identifier});
        QCOMPARE(alerts.at(0).expires, QDateTime(QDate(2026, 12, 8), QTime(3, 0), Qt::UTC));

        // The cancel ends both, whichever order the server lists them in.
        alerts = CapParser::liveAlerts({cancel, update, first}, kBerlinLat, kBerlinLon, evening(),
                                       u"de"_s);
        QVERIFY(alerts.isEmpty());

        // Elsewhere, the order is severity first.
        const QDateTime okNow(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC);
        alerts = CapParser::liveAlerts({first, tornado}, 35.40, -97.50, okNow, u"en"_s);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.at(0).event, u"Tornado Warning"_s);
        QCOMPARE(alerts.at(0).severity, WeatherAlert::Severity::Extreme);
    }

    void severityOrder()
    {
        CapMessage minor = load(u"dwd_thunderstorm.xml"_s);
        CapMessage extreme = load(u"dwd_thunderstorm_update.xml"_s);
        extreme.msgType = u"Alert"_s; // the same area, an unrelated second alert
        extreme.references.clear();
        minor.infos[0].severity = u"Minor"_s;
        const auto alerts
            = CapParser::liveAlerts({minor, extreme}, kBerlinLat, kBerlinLon, evening(), u"de"_s);
        QCOMPARE(alerts.size(), 2);
        QCOMPARE(alerts.at(0).severity, WeatherAlert::Severity::Extreme);
        QCOMPARE(alerts.at(1).severity, WeatherAlert::Severity::Minor);
    }

    void severityWords_data()
    {
        QTest::addColumn<QString>("cap");
        QTest::addColumn<QString>("token");
        QTest::newRow("Extreme") << u"Extreme"_s << u"extreme"_s;
        QTest::newRow("Severe") << u"Severe"_s << u"severe"_s;
        QTest::newRow("Moderate") << u"Moderate"_s << u"moderate"_s;
        QTest::newRow("Minor") << u"Minor"_s << u"minor"_s;
        QTest::newRow("Unknown") << u"Unknown"_s << u"unknown"_s;
        QTest::newRow("lower case is not CAP") << u"severe"_s << u"unknown"_s;
        QTest::newRow("empty") << QString() << u"unknown"_s;
    }

    void severityWords()
    {
        QFETCH(QString, cap);
        QFETCH(QString, token);
        QCOMPARE(WeatherAlert::severityToken(WeatherAlert::severityFromCap(cap)), token);
    }

    void idList_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<int>("error");
        QTest::newRow("two ids")
            << loadTestData(u"cap/area_two_ids.json"_s)
            << QStringList{u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0001"_s,
                           u"urn:oid:2.49.0.1.840.0.7f3e1c2b9a.001.1"_s}
            << int(WeatherError::None);
        QTest::newRow("none") << loadTestData(u"cap/area_empty.json"_s) << QStringList()
                              << int(WeatherError::None);
        QTest::newRow("duplicates once")
            << QByteArray(R"(["a","a"])") << QStringList{u"a"_s} << int(WeatherError::None);
        QTest::newRow("path in an id") << loadTestData(u"cap/area_bad_id.json"_s) << QStringList()
                                       << int(WeatherError::BadResponse);
        QTest::newRow("number") << QByteArray("[1]") << QStringList()
                                << int(WeatherError::BadResponse);
        QTest::newRow("object") << QByteArray(R"({"ids":[]})") << QStringList()
                                << int(WeatherError::BadResponse);
        QTest::newRow("HTML") << loadTestData(u"garbage.html"_s) << QStringList()
                              << int(WeatherError::BadResponse);
        QTest::newRow("cut") << QByteArray("[\"a\",\"b") << QStringList()
                             << int(WeatherError::BadResponse);
    }

    void idList()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, ids);
        QFETCH(int, error);
        const auto result = CapParser::parseIdList(body);
        QCOMPARE(int(result.error.kind()), error);
        if (error == WeatherError::None)
            QCOMPARE(result.value->ids, ids);
    }
};

QTEST_GUILESS_MAIN(tst_CapParser)
#include "tst_capparser.moc"
