// SPDX-License-Identifier: MIT
#include "placesmodel.h"

#include "displaytext.h"
#include "weather/weatherkey.h"

using namespace Qt::StringLiterals;

PlacesModel::PlacesModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

PlacesModel::~PlacesModel() = default;

QString PlacesModel::keyOf(const Location &location)
{
    return WeatherKey::coordinatesText(location.latitude, location.longitude);
}

bool PlacesModel::sameCoordinates(const Location &a, const Location &b)
{
    return keyOf(a) == keyOf(b);
}

void PlacesModel::setPlaces(const QList<SavedPlace> &places)
{
    if (!m_places.isEmpty()) {
        beginRemoveRows({}, 0, int(m_places.size()) - 1);
        m_places.clear();
        endRemoveRows();
    }
    QList<Row> rows;
    for (const SavedPlace &place : places) {
        const QString key = keyOf(place.location);
        if (rows.size() >= kMaxPlaces
            || std::any_of(rows.cbegin(), rows.cend(), [&](const Row &r) { return r.key == key; }))
            continue;
        Row row;
        row.place = place;
        row.key = key;
        rows.append(row);
    }
    if (rows.isEmpty())
        return;
    beginInsertRows({}, 0, int(rows.size()) - 1);
    m_places = rows;
    endInsertRows();
}

QList<SavedPlace> PlacesModel::places() const
{
    QList<SavedPlace> places;
    for (const Row &row : m_places)
        places.append(row.place);
    return places;
}

int PlacesModel::addPlace(const Location &location, const QString &label)
{
    if (!location.isValid() || location.name.isEmpty() || isFull() || indexOf(location) >= 0)
        return -1;
    Row row;
    row.place.location = location;
    row.place.label = label.trimmed();
    row.key = keyOf(location);
    const int at = int(m_places.size());
    // Counted only once it is in: then the other London's label changes, said with dataChanged.
    row.counted = false;
    beginInsertRows({}, at, at);
    m_places.append(row);
    endInsertRows();
    m_places[at].counted = true;
    twinsChanged(location.name);
    Q_EMIT placesChanged();
    return at;
}

int PlacesModel::indexOf(const Location &location) const
{
    const QString key = keyOf(location);
    for (int i = 0; i < m_places.size(); ++i) {
        if (m_places.at(i).key == key)
            return i;
    }
    return -1;
}

int PlacesModel::rowForPlaceId(int placeId) const
{
    if (placeId == 0)
        return -1;
    for (int i = 0; i < m_places.size(); ++i) {
        if (m_places.at(i).placeId == placeId)
            return i;
    }
    return -1;
}

Location PlacesModel::locationAt(int row) const
{
    return row >= 0 && row < m_places.size() ? m_places.at(row).place.location : Location();
}

void PlacesModel::setPlaceId(int row, int placeId)
{
    if (row < 0 || row >= m_places.size())
        return;
    m_places[row].placeId = placeId;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {PlaceIdRole});
}

void PlacesModel::setWeather(int row, const CurrentConditions &conditions,
                             const QString &temperatureText, const QString &problem)
{
    if (row < 0 || row >= m_places.size())
        return;
    Row &r = m_places[row];
    r.current = conditions;
    r.temperatureText = temperatureText;
    r.problem = problem;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i,
                       {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole,
                        TemperatureTextRole, IconNameRole, DescriptionRole, ProblemRole});
}

void PlacesModel::setProblem(int row, const QString &problem)
{
    if (row < 0 || row >= m_places.size() || m_places.at(row).problem == problem)
        return;
    m_places[row].problem = problem;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {Qt::ToolTipRole, Qt::AccessibleTextRole, ProblemRole});
}

void PlacesModel::twinsChanged(const QString &name)
{
    for (int i = 0; i < m_places.size(); ++i) {
        if (m_places.at(i).counted
            && Location::sameText(m_places.at(i).place.location.name, name)) {
            const QModelIndex at = index(i);
            Q_EMIT dataChanged(at, at,
                               {Qt::DisplayRole, Qt::EditRole, Qt::AccessibleTextRole, LabelRole});
        }
    }
}

QString PlacesModel::labelOf(const Row &row) const
{
    if (!row.place.label.isEmpty())
        return row.place.label;
    const Location &l = row.place.location;
    // Two Londons in the list: say which is which.
    const bool twin = std::any_of(m_places.cbegin(), m_places.cend(), [&](const Row &other) {
        return other.counted && other.key != row.key
               && Location::sameText(other.place.location.name, l.name)
               && other.place.label.isEmpty();
    });
    return twin ? l.displayName() : l.name.trimmed();
}

QString PlacesModel::shortLabel(int row) const
{
    return row >= 0 && row < m_places.size() ? labelOf(m_places.at(row)) : QString();
}

int PlacesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_places.size());
}

QVariant PlacesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_places.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return DisplayText::plain(labelOf(row));
    case Qt::EditRole:
        return labelOf(row);
    case CustomLabelRole:
        return row.place.label;
    case LocationRole:
        return QVariant::fromValue(row.place.location);
    case TemperatureTextRole:
        return row.temperatureText;
    case IconNameRole:
        return row.current ? row.current->iconName() : QString();
    case DescriptionRole:
        return row.current ? DisplayText::plain(row.current->description) : QString();
    case ProblemRole:
        return row.problem;
    case PlaceIdRole:
        return row.placeId;
    case Qt::AccessibleTextRole: {
        // What a screen reader says for the row: the name, then the weather, then any trouble.
        QStringList parts{DisplayText::plain(labelOf(row))};
        if (!row.temperatureText.isEmpty())
            parts << row.temperatureText;
        if (row.current && !row.current->description.isEmpty())
            parts << DisplayText::plain(row.current->description);
        if (!row.problem.isEmpty())
            parts << DisplayText::plain(row.problem);
        return parts.join(u", "_s);
    }
    case Qt::ToolTipRole: {
        QString tip = DisplayText::plain(row.place.location.displayName());
        if (row.current && !row.current->description.isEmpty())
            tip += u"\n"_s + DisplayText::plain(row.current->description);
        if (!row.problem.isEmpty())
            tip += u"\n"_s + DisplayText::plain(row.problem);
        return DisplayText::toolTip(tip);
    }
    default:
        return {};
    }
}

bool PlacesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &row = m_places[index.row()];
    QString label = value.toString().simplified();
    // The geocoder's name typed back is no name of one's own.
    if (Location::sameText(label, row.place.location.name))
        label.clear();
    if (label == row.place.label)
        return true;
    row.place.label = label;
    Q_EMIT dataChanged(
        index, index,
        {Qt::DisplayRole, Qt::EditRole, Qt::AccessibleTextRole, LabelRole, CustomLabelRole});
    twinsChanged(row.place.location.name); // a renamed London is no twin any more
    Q_EMIT placesChanged();
    return true;
}

Qt::ItemFlags PlacesModel::flags(const QModelIndex &index) const
{
    // Drops go between rows (the root), never onto a place.
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemIsDragEnabled
           | Qt::ItemNeverHasChildren;
}

QVariant PlacesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Place");
    return {};
}

QHash<int, QByteArray> PlacesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(LocationRole, "location");
    names.insert(LabelRole, "label");
    names.insert(CustomLabelRole, "customLabel");
    names.insert(TemperatureTextRole, "temperatureText");
    names.insert(IconNameRole, "iconName");
    names.insert(DescriptionRole, "description");
    names.insert(ProblemRole, "problem");
    names.insert(PlaceIdRole, "placeId");
    return names;
}

bool PlacesModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_places.size())
        return false;
    QStringList names;
    for (int i = row; i < row + count; ++i) {
        m_places[i].counted = false;
        names << m_places.at(i).place.location.name;
    }
    for (const QString &name : std::as_const(names))
        twinsChanged(name);
    beginRemoveRows({}, row, row + count - 1);
    m_places.remove(row, count);
    endRemoveRows();
    Q_EMIT placesChanged();
    return true;
}

bool PlacesModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                           const QModelIndex &destinationParent, int destinationChild)
{
    const int size = int(m_places.size());
    if (sourceParent.isValid() || destinationParent.isValid() || count <= 0 || sourceRow < 0
        || sourceRow + count > size || destinationChild < 0 || destinationChild > size)
        return false;
    // Onto itself or just behind itself: nothing moves (and beginMoveRows would refuse).
    if (destinationChild >= sourceRow && destinationChild <= sourceRow + count)
        return false;
    if (!beginMoveRows({}, sourceRow, sourceRow + count - 1, {}, destinationChild))
        return false;
    const QList<Row> moving = m_places.mid(sourceRow, count);
    m_places.remove(sourceRow, count);
    const int insertAt = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    for (int i = 0; i < count; ++i)
        m_places.insert(insertAt + i, moving.at(i));
    endMoveRows();
    Q_EMIT placesChanged();
    return true;
}

Qt::DropActions PlacesModel::supportedDropActions() const
{
    return Qt::MoveAction;
}
