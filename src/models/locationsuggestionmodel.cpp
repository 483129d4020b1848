// SPDX-License-Identifier: MIT
#include "locationsuggestionmodel.h"

#include "displaytext.h"

using namespace Qt::StringLiterals;

LocationSuggestionModel::LocationSuggestionModel(QObject *parent)
    : RowListModel(parent)
{ }

LocationSuggestionModel::~LocationSuggestionModel() = default;

void LocationSuggestionModel::setLocations(const QString &query, const QList<Location> &locations)
{
    m_query = query;
    replaceRows(locations, /*allChanged*/ false);
}

void LocationSuggestionModel::clear()
{
    setLocations({}, {});
}

Location LocationSuggestionModel::locationAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : Location();
}

QString LocationSuggestionModel::detailText(const Location &location)
{
    QStringList parts;
    const QString region = location.region.trimmed();
    const QString country = location.country.trimmed().isEmpty() ? location.countryCode.trimmed()
                                                                 : location.country.trimmed();
    // "Berlin" in Berlin: the region says nothing the name did not.
    if (!region.isEmpty() && !Location::sameText(region, country)
        && !Location::sameText(region, location.name))
        parts << region;
    if (!country.isEmpty())
        parts << country;
    return parts.join(u", "_s);
}

int LocationSuggestionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LocationSuggestionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Location &location = m_rows.at(index.row());
    // Every text role is the geocoder's words as they are shown: plain, without controls
    // (the completer puts EditRole into the search field); the tooltip escaped.
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return DisplayText::plain(location.displayName());
    case Qt::ToolTipRole:
        return DisplayText::toolTip(tr("%1 (%2, %3)")
                                        .arg(location.displayName(),
                                             QString::number(location.latitude, 'f', 2),
                                             QString::number(location.longitude, 'f', 2)));
    case LocationRole:
        return QVariant::fromValue(location);
    case NameRole:
        return DisplayText::plain(location.name);
    case DetailRole:
        return DisplayText::plain(detailText(location));
    default:
        return {};
    }
}

QVariant LocationSuggestionModel::headerData(int section, Qt::Orientation orientation,
                                             int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Place");
    return QAbstractListModel::headerData(section, orientation, role);
}

QHash<int, QByteArray> LocationSuggestionModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(LocationRole, "location");
    names.insert(NameRole, "name");
    names.insert(DetailRole, "detail");
    return names;
}
