// SPDX-License-Identifier: MIT
#include "location.h"

#include "streamhelpers_p.h"

#include <QDataStream>
#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr quint8 kStreamVersion = 1;

/** Case-folded, without combining marks: "São" and "SAO" fold alike. */
QString folded(const QString &text)
{
    const QString decomposed = text.trimmed().normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c);
    }
    return out.toCaseFolded();
}
} // namespace

bool Location::sameText(const QString &a, const QString &b)
{
    return folded(a) == folded(b);
}

QString Location::displayName() const
{
    QStringList parts;
    const QString trimmedName = name.trimmed();
    const QString trimmedRegion = region.trimmed();
    const QString trimmedCountry = country.trimmed();
    const QString code = countryCode.trimmed();

    if (!trimmedName.isEmpty())
        parts << trimmedName;
    const bool regionRepeats
        = !trimmedRegion.isEmpty()
          && (sameText(trimmedRegion, trimmedCountry) || sameText(trimmedRegion, code)
              || sameText(trimmedRegion, trimmedName));
    if (!trimmedRegion.isEmpty() && !regionRepeats)
        parts << trimmedRegion;
    const QString countryPart = code.isEmpty() ? trimmedCountry : code;
    if (!countryPart.isEmpty()
        && (parts.isEmpty() || parts.constLast().compare(countryPart, Qt::CaseInsensitive) != 0))
        parts << countryPart;
    return parts.join(u", "_s);
}

bool Location::isValid() const
{
    return std::isfinite(latitude) && std::isfinite(longitude) && latitude >= -90.0
           && latitude <= 90.0 && longitude >= -180.0 && longitude <= 180.0;
}

QDataStream &operator<<(QDataStream &out, const Location &location)
{
    out << kStreamVersion << location.name << location.region << location.country
        << location.countryCode << location.latitude << location.longitude << location.timezone;
    WeatherStream::writeOptional(out, location.utcOffsetSeconds);
    return out;
}

QDataStream &operator>>(QDataStream &in, Location &location)
{
    location = Location();
    if (!WeatherStream::readVersion(in, kStreamVersion))
        return in;
    // Strings through readString: a stored length never allocates more than the blob holds.
    WeatherStream::readString(in, location.name);
    WeatherStream::readString(in, location.region);
    WeatherStream::readString(in, location.country);
    WeatherStream::readString(in, location.countryCode);
    in >> location.latitude >> location.longitude;
    WeatherStream::readString(in, location.timezone);
    WeatherStream::readOptional(in, location.utcOffsetSeconds);
    return in;
}
