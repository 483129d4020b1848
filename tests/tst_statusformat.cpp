// SPDX-License-Identifier: MIT
// The status-bar lines of weatherdash-cli --format: what Waybar, i3blocks and polybar are fed.
#include "weather/statusformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTest>

#include <ctime>

using namespace Qt::StringLiterals;

namespace {

Location berlin()
{
    Location l;
    l.name = u"Berlin"_s;
    l.region = u"Berlin"_s;
    l.country = u"Germany"_s;
    l.countryCode = u"DE"_s;
    return l;
}

StatusInput fresh(WeatherCondition condition = WeatherCondition::Rain)
{
    StatusInput in;
    in.query = u"Berlin"_s;
    in.location = berlin();
    CurrentConditions c;
    c.temperature = 21.4;
    c.feelsLike = 20.9;
    c.humidity = 58;
    c.pressure = 1008;
    c.windSpeed = 14.8;
    c.windDirection = 250;
    c.description = u"Moderate rain"_s;
    c.condition = condition;
    in.current = c;
    in.now = QDateTime(QDate(2026, 6, 15), QTime(13, 20), Qt::UTC);
    return in;
}

StatusInput failed(WeatherError::Kind kind)
{
    StatusInput in;
    in.query = u"Berlin"_s;
    in.location = berlin();
    in.error = WeatherError(kind, u"Open-Meteo"_s);
    return in;
}

QJsonObject waybar(const StatusInput &in)
{
    const auto format = StatusFormat::parse(u"waybar"_s, nullptr);
    Q_ASSERT(format);
    const QString line = format->render(in);
    Q_ASSERT(!line.contains(u'\n'));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << line;
    return doc.object();
}

QString templ(const QString &pattern, const StatusInput &in)
{
    QString why;
    const auto format = StatusFormat::parse(pattern, &why);
    if (!format)
        qWarning() << why;
    return format ? format->render(in) : u"<bad format>"_s;
}

} // namespace

class tst_StatusFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waybarFresh();
    void waybarClassFollowsTheCondition_data();
    void waybarClassFollowsTheCondition();
    void waybarStaleIsMarked();
    void waybarErrorHasClassAndShortMessage();
    void waybarTooltipListsTheNextHours();
    void hoursAreThePlacesTimeInAnyZone();
    void waybarEscapesPangoAndStaysOneLine();
    void i3blocksLines();
    void templates_data();
    void templates();
    void templateStaleAndFailed();
    void templateNeverOpensAPolybarTag();
    void badSpecs_data();
    void badSpecs();
    void ageSuffix_data();
    void ageSuffix();
    void fromAnswer();
};

void tst_StatusFormat::waybarFresh()
{
    const QJsonObject o = waybar(fresh());
    QCOMPARE(o.value(u"text"_s).toString(), u"🌧 21°C"_s);
    QCOMPARE(o.value(u"class"_s).toString(), u"rain"_s);
    QCOMPARE(o.value(u"percentage"_s).toInt(), 58); // the humidity
    const QString tooltip = o.value(u"tooltip"_s).toString();
    QVERIFY2(tooltip.startsWith(u"Berlin, DE\n"_s), qPrintable(tooltip));
    QVERIFY2(tooltip.contains(u"Moderate rain, 21.4 °C (feels like 20.9 °C)"_s),
             qPrintable(tooltip));
    QVERIFY2(tooltip.contains(u"Wind 15 km/h WSW"_s), qPrintable(tooltip));
    // No hourly data: no hour lines.
    QVERIFY2(!tooltip.contains(u":00"_s), qPrintable(tooltip));
}

void tst_StatusFormat::waybarClassFollowsTheCondition_data()
{
    QTest::addColumn<WeatherCondition>("condition");
    QTest::addColumn<QString>("cls");
    QTest::newRow("clear") << WeatherCondition::Clear << u"clear"_s;
    QTest::newRow("partly cloudy") << WeatherCondition::PartlyCloudy << u"cloudy"_s;
    QTest::newRow("overcast") << WeatherCondition::Overcast << u"cloudy"_s;
    QTest::newRow("fog") << WeatherCondition::Fog << u"fog"_s;
    QTest::newRow("drizzle") << WeatherCondition::Drizzle << u"rain"_s;
    QTest::newRow("freezing rain") << WeatherCondition::FreezingRain << u"rain"_s;
    QTest::newRow("showers") << WeatherCondition::Showers << u"rain"_s;
    QTest::newRow("snow") << WeatherCondition::Snow << u"snow"_s;
    QTest::newRow("snow showers") << WeatherCondition::SnowShowers << u"snow"_s;
    QTest::newRow("thunderstorm") << WeatherCondition::Thunderstorm << u"storm"_s;
    QTest::newRow("unknown") << WeatherCondition::Unknown << u"unknown"_s;
}

void tst_StatusFormat::waybarClassFollowsTheCondition()
{
    QFETCH(WeatherCondition, condition);
    QFETCH(QString, cls);
    QCOMPARE(waybar(fresh(condition)).value(u"class"_s).toString(), cls);
}

void tst_StatusFormat::waybarStaleIsMarked()
{
    StatusInput in = fresh(WeatherCondition::Snow);
    in.stale = true;
    in.ageMs = 3 * 3600 * 1000 + 5 * 60 * 1000;
    in.error = WeatherError(WeatherError::Offline, u"Open-Meteo"_s);
    const QJsonObject o = waybar(in);
    QCOMPARE(o.value(u"text"_s).toString(), u"❄️ 21°C (3 h old)"_s);
    QCOMPARE(o.value(u"class"_s).toArray(), (QJsonArray{u"snow"_s, u"stale"_s}));
    const QString tooltip = o.value(u"tooltip"_s).toString();
    QVERIFY2(tooltip.contains(u"Not updated (3 h old): "_s + in.error.message().toHtmlEscaped()),
             qPrintable(tooltip));
}

void tst_StatusFormat::waybarErrorHasClassAndShortMessage()
{
    const StatusInput in = failed(WeatherError::Offline);
    const QJsonObject o = waybar(in);
    QCOMPARE(o.value(u"class"_s).toString(), u"error"_s);
    QCOMPARE(o.value(u"text"_s).toString(), u"⚠ offline"_s);
    QVERIFY(!o.contains(u"percentage"_s));
    QVERIFY2(o.value(u"tooltip"_s).toString().contains(in.error.message().toHtmlEscaped()),
             qPrintable(o.value(u"tooltip"_s).toString()));
    QCOMPARE(waybar(failed(WeatherError::CityNotFound)).value(u"text"_s).toString(),
             u"⚠ not found"_s);
}

void tst_StatusFormat::waybarTooltipListsTheNextHours()
{
    StatusInput in = fresh();
    const QDateTime start(QDate(2026, 6, 15), QTime(10, 0), Qt::UTC);
    for (int i = 0; i < 12; ++i) {
        StatusHour h;
        h.time = start.addSecs(i * 3600);
        h.temperature = 15 + i;
        h.condition = i % 2 ? WeatherCondition::Rain : WeatherCondition::Clear;
        h.precipitationProbability = i * 5;
        in.hourly << h;
    }
    const QStringList lines = waybar(in).value(u"tooltip"_s).toString().split(u'\n');
    // Now is 13:20: the hour from 13:00 is the first, six are shown, none from the past.
    const qsizetype first = lines.indexOf(u"13:00 🌧 18°C 15% rain"_s);
    QVERIFY2(first > 0, qPrintable(lines.join(u'|')));
    QCOMPARE(lines.size() - first, 6);
    QCOMPARE(lines.last(), u"18:00 ☀️ 23°C 40% rain"_s);
    QVERIFY(!lines.join(u'\n').contains(u"12:00"_s));
    // And %p takes the coming hour's chance of rain.
    QCOMPARE(templ(u"%p"_s, in), u"15%"_s);
    // The hours say whose clock they are on.
    QCOMPARE(lines.at(first - 1), u"Next hours (time in Berlin):"_s);
}

void tst_StatusFormat::hoursAreThePlacesTimeInAnyZone()
{
    // Read in Berlin about São Paulo (UTC-3), at 13:20 UTC: the coming hour is 13:00 UTC,
    // 10:00 in São Paulo. The hours used to be compared as wall times with UTC, which
    // skipped the first three hours west of Greenwich and kept past ones east of it.
    qputenv("TZ", "Europe/Berlin");
    tzset();
    const auto restore = qScopeGuard([] {
        qunsetenv("TZ");
        tzset();
    });
    StatusInput in = fresh();
    in.location->name = u"São Paulo"_s;
    const QDateTime start(QDate(2026, 6, 15), QTime(10, 0), Qt::UTC);
    for (int i = 0; i < 8; ++i) {
        StatusHour h;
        h.time = start.addSecs(i * 3600).toOffsetFromUtc(-3 * 3600);
        h.temperature = 15 + i;
        h.condition = WeatherCondition::Clear;
        h.precipitationProbability = i * 5;
        in.hourly << h;
    }
    const QStringList lines = waybar(in).value(u"tooltip"_s).toString().split(u'\n');
    const qsizetype caption = lines.indexOf(u"Next hours (time in São Paulo):"_s);
    QVERIFY2(caption > 0, qPrintable(lines.join(u'|')));
    QVERIFY2(lines.at(caption + 1).startsWith(u"10:00 "_s), qPrintable(lines.join(u'|')));
    QCOMPARE(templ(u"%p"_s, in), u"15%"_s);
}

void tst_StatusFormat::waybarEscapesPangoAndStaysOneLine()
{
    StatusInput in = fresh();
    in.location->name = u"<b>Bold</b> & \"co\"\n\x1b[31m\u202E"_s;
    in.location->region.clear();
    in.location->countryCode.clear();
    in.current->description = u"<span size='99999'>big</span>"_s;
    const auto format = StatusFormat::parse(u"waybar"_s, nullptr);
    const QString line = format->render(in);
    QVERIFY(!line.contains(u'\n'));
    QVERIFY(!line.contains(u'\x1b'));
    QVERIFY(!line.contains(QChar(0x202E)));
    const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
    const QString tooltip = o.value(u"tooltip"_s).toString();
    QVERIFY2(tooltip.startsWith(u"&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;co&quot; [31m"_s),
             qPrintable(tooltip));
    QVERIFY2(tooltip.contains(u"&lt;span size=&#39;99999&#39;&gt;big&lt;/span&gt;"_s),
             qPrintable(tooltip));
    QVERIFY(!tooltip.contains(u'<'));
}

void tst_StatusFormat::i3blocksLines()
{
    const auto format = StatusFormat::parse(u"i3blocks"_s, nullptr);
    QVERIFY(format);
    QCOMPARE(format->render(fresh()).split(u'\n'),
             (QStringList{u"Berlin: 🌧 21°C"_s, u"🌧 21°C"_s}));

    StatusInput stale = fresh();
    stale.stale = true;
    stale.ageMs = 90 * 60 * 1000;
    QCOMPARE(
        format->render(stale).split(u'\n'),
        (QStringList{u"Berlin: 🌧 21°C (1 h old)"_s, u"🌧 21°C (1 h old)"_s, u"#E5A50A"_s}));
    QCOMPARE(format->render(failed(WeatherError::Timeout)).split(u'\n'),
             (QStringList{u"Berlin: ⚠ timed out"_s, u"⚠ timed out"_s, u"#E01B24"_s}));

    StatusInput amp = fresh();
    amp.location->name = u"Bar & <Grill>"_s;
    QCOMPARE(format->render(amp).split(u'\n').first(), u"Bar &amp; &lt;Grill&gt;: 🌧 21°C"_s);
}

void tst_StatusFormat::templates_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("expected");
    QTest::newRow("wttr-like") << u"%l: %t %c"_s << u"Berlin: 21°C 🌧"_s;
    QTest::newRow("full place") << u"%L"_s << u"Berlin, DE"_s;
    QTest::newRow("feels like") << u"%f"_s << u"21°C"_s;
    QTest::newRow("words") << u"%C"_s << u"Moderate rain"_s;
    QTest::newRow("humidity") << u"%h"_s << u"58%"_s;
    QTest::newRow("wind") << u"%w"_s << u"15 km/h WSW"_s;
    QTest::newRow("pressure") << u"%P"_s << u"1008 hPa"_s;
    QTest::newRow("no hourly data") << u"%p"_s << u"?"_s;
    QTest::newRow("percent") << u"100%% %h"_s << u"100% 58%"_s;
    QTest::newRow("text around") << u"[%t]"_s << u"[21°C]"_s;
}

void tst_StatusFormat::templates()
{
    QFETCH(QString, pattern);
    QTEST(templ(pattern, fresh()), "expected");
}

void tst_StatusFormat::templateStaleAndFailed()
{
    StatusInput stale = fresh();
    stale.stale = true;
    stale.ageMs = 25 * 60 * 1000;
    QCOMPARE(templ(u"%l %t"_s, stale), u"Berlin 21°C (25 min old)"_s);
    QCOMPARE(templ(u"%l %t"_s, failed(WeatherError::RateLimited)), u"Berlin: ⚠ rate limited"_s);

    StatusInput imperial = fresh();
    imperial.current->units = UnitSet::imperial();
    imperial.current->temperature = -0.4;
    QCOMPARE(templ(u"%t"_s, imperial), u"0°F"_s); // never "-0"
}

void tst_StatusFormat::templateNeverOpensAPolybarTag()
{
    StatusInput in = fresh();
    in.location->name = u"%{A1:rm -rf ~:}Evil%{A}"_s;
    const QString line = templ(u"%l"_s, in);
    QVERIFY2(!line.contains(u"%{"_s), qPrintable(line));
    QVERIFY(line.contains(u"Evil"_s));
}

void tst_StatusFormat::badSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("why");
    QTest::newRow("unknown name") << u"polybar"_s << u"unknown format \"polybar\""_s;
    QTest::newRow("unknown placeholder") << u"%l %x"_s << u"unknown placeholder %x"_s;
    QTest::newRow("lone percent") << u"%t %"_s << u"lone %"_s;
    QTest::newRow("uv not offered") << u"%u"_s << u"unknown placeholder %u"_s;
}

void tst_StatusFormat::badSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, why);
    QString said;
    QVERIFY(!StatusFormat::parse(spec, &said));
    QVERIFY2(said.contains(why), qPrintable(said));
}

void tst_StatusFormat::ageSuffix_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(40'000) << u"(0 min old)"_s;
    QTest::newRow("minutes") << qint64(59 * 60'000) << u"(59 min old)"_s;
    QTest::newRow("hours") << qint64(3 * 3600'000) << u"(3 h old)"_s;
    QTest::newRow("two days") << qint64(49LL * 3600'000) << u"(2 d old)"_s;
}

void tst_StatusFormat::ageSuffix()
{
    QFETCH(qint64, ms);
    QTEST(StatusFormat::ageSuffix(ms), "text");
}

void tst_StatusFormat::fromAnswer()
{
    WeatherAnswer<CurrentConditions> answer;
    answer.value = *fresh().current;
    answer.source = AnswerSource::Stale;
    answer.ageMs = 7200'000;
    answer.error = WeatherError(WeatherError::Offline);
    const Location place = berlin();
    const StatusInput in = StatusInput::fromAnswer(u"berlin"_s, &place, answer.error, &answer);
    QVERIFY(in.stale);
    QCOMPARE(in.ageMs, 7200'000);
    QCOMPARE(in.location->name, u"Berlin"_s);

    const StatusInput none = StatusInput::fromAnswer(
        u"Nowhere"_s, nullptr, WeatherError(WeatherError::CityNotFound), nullptr);
    QVERIFY(!none.current);
    QCOMPARE(templ(u"%t"_s, none), u"Nowhere: ⚠ not found"_s);
}

QTEST_GUILESS_MAIN(tst_StatusFormat)
#include "tst_statusformat.moc"
