// SPDX-License-Identifier: MIT
// libFuzzer: the alert server's answers: CAP 1.2 messages (/alert/{id}) and id lists
// (/alert/area), then the filters that make a message an alert for a place.
#include "fuzzcommon.h"

#include "weather/capparser.h"

namespace {

void checkShort(const QString &text)
{
    FUZZ_CHECK(text.size() <= CapParser::kMaxShortText + 1); // + the ellipsis of a cut
    FUZZ_CHECK(text.isEmpty() || !text.back().isHighSurrogate() || text.size() == 1);
}

void checkPoint(const CapPoint &p)
{
    FUZZ_CHECK(std::isfinite(p.latitude) && std::abs(p.latitude) <= 90.0);
    FUZZ_CHECK(std::isfinite(p.longitude) && std::abs(p.longitude) <= 180.0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool quiet = (Fuzz::quietQt(), true);
    Q_UNUSED(quiet);
    const QByteArray body = Fuzz::bytes(data, size);

    const auto ids = CapParser::parseIdList(body);
    FUZZ_CHECK(ids.ok() == ids.value.has_value());
    if (ids.value) {
        FUZZ_CHECK(ids.value->ids.size() <= CapParser::kMaxIds);
        for (const QString &id : ids.value->ids)
            FUZZ_CHECK(CapParser::isValidId(id));
    }

    const auto result = CapParser::parseMessage(body);
    FUZZ_CHECK(result.ok() == result.value.has_value());
    if (!result.value)
        return 0;
    const CapMessage &m = *result.value;
    FUZZ_CHECK(!m.identifier.isEmpty() && m.identifier.size() <= CapParser::kMaxIdLength);
    FUZZ_CHECK(m.source == body);
    FUZZ_CHECK(m.infos.size() <= CapParser::kMaxInfos);
    FUZZ_CHECK(m.references.size() <= CapParser::kMaxReferences);
    qsizetype areas = 0;
    qsizetype points = 0;
    for (const CapInfo &info : m.infos) {
        checkShort(info.event);
        checkShort(info.headline);
        checkShort(info.senderName);
        FUZZ_CHECK(info.description.size() <= CapParser::kMaxLongText + 1);
        FUZZ_CHECK(info.instruction.size() <= CapParser::kMaxLongText + 1);
        for (const QDateTime &t : {info.effective, info.onset, info.expires})
            FUZZ_CHECK(!t.isValid() || (t.date().year() >= 1970 && t.date().year() <= 2199));
        areas += info.areas.size();
        for (const CapArea &area : info.areas) {
            for (const auto &ring : area.polygons) {
                FUZZ_CHECK(ring.size() >= 3);
                points += ring.size();
                for (const CapPoint &p : ring)
                    checkPoint(p);
            }
            for (const CapCircle &c : area.circles) {
                checkPoint(c.centre);
                FUZZ_CHECK(std::isfinite(c.radiusKm) && c.radiusKm >= 0);
            }
        }
    }
    FUZZ_CHECK(areas <= CapParser::kMaxAreas);
    FUZZ_CHECK(points <= CapParser::kMaxPoints);

    // The filters on what the parser accepted: at a polygon's corner, at a circle's centre,
    // at the poles; an alert they keep always names a message that is in force.
    QList<CapPoint> probes{{52.52, 13.405}, {90.0, 180.0}, {-90.0, -180.0}};
    for (const CapInfo &info : m.infos) {
        for (const CapArea &area : info.areas) {
            if (!area.polygons.isEmpty())
                probes.append(area.polygons.first().first());
            if (!area.circles.isEmpty())
                probes.append(area.circles.first().centre);
        }
    }
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'765'137'600, Qt::UTC);
    for (const CapPoint &p : probes.mid(0, 8)) {
        const WeatherAlertList alerts
            = CapParser::liveAlerts({m, m}, p.latitude, p.longitude, now, QStringLiteral("de"));
        FUZZ_CHECK(alerts.size() <= 1);
        for (const WeatherAlert &a : alerts) {
            FUZZ_CHECK(a.id == m.identifier);
            FUZZ_CHECK(m.status == u"Actual" && m.msgType != u"Cancel");
            FUZZ_CHECK(!a.expires.isValid() || a.expires > now);
        }
    }
    return 0;
}
