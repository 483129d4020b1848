// SPDX-License-Identifier: MIT
#include "placesmodel.h"

#include "cache/clock.h"
#include "displaytext.h"
#include "weather/nominatimparser.h"
#include "weather/statusformat.h"

#include <algorithm>

using namespace Qt::StringLiterals;

PlacesModel::PlacesModel(PlaceBook *book, QObject *parent)
    : QAbstractListModel(parent)
    , m_book(book)
{
    Q_ASSERT(book);
    connect(m_book, &PlaceBook::placesChanged, this, &PlacesModel::sync);
    connect(m_book, &PlaceBook::answered, this,
            [this](PlaceBook::PlaceId id, WeatherKey::Kind feed) {
                if (feed == WeatherKey::Kind::Current || feed == WeatherKey::Kind::AlertList)
                    weatherChanged(id);
            });
    sync();
}

PlacesModel::~PlacesModel() = default;

PlaceBook::PlaceId PlacesModel::placeIdAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0;
}

Location PlacesModel::locationAt(int row) const
{
    const PlaceBook::PlaceId id = placeIdAt(row);
    return id ? m_book->location(id) : Location();
}

int PlacesModel::firstSavedRow() const
{
    return m_book->here() && !m_ids.isEmpty() && m_ids.first() == m_book->here() ? 1 : 0;
}

void PlacesModel::sync()
{
    const QList<PlaceBook::PlaceId> target = m_book->listed();
    // Gone from the book.
    for (int row = int(m_ids.size()) - 1; row >= 0; --row) {
        if (!target.contains(m_ids.at(row))) {
            beginRemoveRows({}, row, row);
            m_ids.removeAt(row);
            m_labels.removeAt(row);
            endRemoveRows();
        }
    }
    // Moved: the rows still here, in the book's order.
    QList<PlaceBook::PlaceId> order;
    for (const PlaceBook::PlaceId id : target) {
        if (m_ids.contains(id))
            order.append(id);
    }
    // One place moved is one move, down or up, whatever its distance.
    for (;;) {
        int first = 0;
        while (first < order.size() && m_ids.at(first) == order.at(first))
            ++first;
        if (first == order.size())
            break;
        int last = int(order.size()) - 1;
        while (m_ids.at(last) == order.at(last))
            --last;
        int from = first;
        int to = last; // down
        if (m_ids.at(first) != order.at(last)) {
            from = int(m_ids.indexOf(order.at(first))); // up
            to = first;
        }
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        m_ids.move(from, to);
        m_labels.move(from, to);
        endMoveRows();
    }
    // New.
    for (int row = 0; row < target.size(); ++row) {
        if (row < m_ids.size() && m_ids.at(row) == target.at(row))
            continue;
        beginInsertRows({}, row, row);
        m_ids.insert(row, target.at(row));
        m_labels.insert(row, m_book->label(target.at(row)));
        endInsertRows();
    }
    // Renamed, or told apart from a twin that came or went.
    for (int row = 0; row < m_ids.size(); ++row) {
        const QString label = m_book->label(m_ids.at(row));
        if (label == m_labels.at(row))
            continue;
        m_labels[row] = label;
        const QModelIndex at = index(row);
        Q_EMIT dataChanged(
            at, at,
            {Qt::DisplayRole, Qt::EditRole, Qt::AccessibleTextRole, LabelRole, CustomLabelRole});
    }
}

void PlacesModel::weatherChanged(PlaceBook::PlaceId id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at,
                       {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole,
                        TemperatureTextRole, IconNameRole, DescriptionRole, ProblemRole,
                        StaleReasonRole, AlertCountRole, AlertSeverityRole});
}

int PlacesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QVariant PlacesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PlaceBook::PlaceId id = m_ids.at(index.row());
    const auto answer = m_book->lastCurrent(id);
    const CurrentConditions *current = answer ? &*answer->value : nullptr;
    const auto latest = m_book->latest<CurrentConditions>(id, WeatherKey::Kind::Current);
    // Stale, failed, or a forced refresh that failed over a fresh value: why it is not newer.
    const QString problem = latest && latest->error.isError() ? latest->error.message() : QString();
    // With weather to show, the row keeps it and says beside it why it is not newer (offline,
    // "Could not reach Open-Meteo" five times over the conditions was the N-issue's complaint).
    QString staleReason;
    if (current && !problem.isEmpty()) {
        const WeatherError &error = latest->error;
        const QString when
            = current->observationTime.isValid()
                  ? DisplayText::clockTime(current->observationTime, m_book->clock()->now(),
                                           m_book->location(id).utcOffsetSeconds)
                  : QString();
        const QString who
            = error.provider().isEmpty() ? tr("the weather service") : error.provider();
        if (error.kind() == WeatherError::Offline)
            staleReason = when.isEmpty()
                              ? tr("Could not reach %1 — showing older data").arg(who)
                              : tr("Could not reach %1 — showing data from %2").arg(who, when);
        else
            staleReason = when.isEmpty() ? tr("Not updated (%1) — showing older data")
                                               .arg(StatusFormat::shortError(error))
                                         : tr("Not updated (%1) — showing data from %2")
                                               .arg(StatusFormat::shortError(error), when);
    }
    // What the row's tooltip and screen reader say about trouble: the short form beside the
    // weather, the whole sentence when there is no weather.
    const QString trouble = staleReason.isEmpty() ? DisplayText::plain(problem) : staleReason;
    const QString temperature
        = current ? temperatureText(current->temperature, current->units.temperature) : QString();
    const WeatherAlertList alerts = m_book->liveAlerts(id).value_or(WeatherAlertList());
    WeatherAlert::Severity worst = WeatherAlert::Severity::Unknown;
    for (const WeatherAlert &alert : alerts)
        worst = std::max(worst, alert.severity);
    //: A Places row's alert badge, said and shown in its tooltip: "2 weather alerts: Gale warning"
    const QString alertText = alerts.isEmpty()
                                  ? QString()
                                  : tr("%n weather alert(s): %1", nullptr, int(alerts.size()))
                                        .arg(DisplayText::plain(alerts.first().event));
    const bool isHere = id == m_book->here();
    const QString label = isHere ? tr("Here · %1").arg(m_book->label(id)) : m_book->label(id);
    const QString attribution = isHere ? NominatimParser::attribution() : QString();
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return DisplayText::plain(label);
    case Qt::EditRole:
        return label;
    case IsHereRole:
        return isHere;
    case AttributionRole:
        return attribution;
    case CustomLabelRole:
        return m_book->customLabel(id);
    case LocationRole:
        return QVariant::fromValue(m_book->location(id));
    case TemperatureTextRole:
        return temperature;
    case IconNameRole:
        return current ? current->iconName() : QString();
    case DescriptionRole:
        return current ? DisplayText::plain(current->description) : QString();
    case ProblemRole:
        return problem;
    case StaleReasonRole:
        return staleReason;
    case PlaceIdRole:
        return id;
    case AlertCountRole:
        return int(alerts.size());
    case AlertSeverityRole:
        return alerts.isEmpty() ? QVariant() : QVariant(int(worst));
    case Qt::AccessibleTextRole: {
        // What a screen reader says for the row: the name, then the weather, then any trouble.
        QStringList parts{DisplayText::plain(label)};
        if (!temperature.isEmpty())
            parts << temperature;
        if (current && !current->description.isEmpty())
            parts << DisplayText::plain(current->description);
        if (!trouble.isEmpty())
            parts << trouble;
        if (!alertText.isEmpty())
            parts << alertText;
        if (!attribution.isEmpty())
            parts << tr("place name %1").arg(attribution);
        return parts.join(u", "_s);
    }
    case Qt::ToolTipRole: {
        QString tip = DisplayText::plain(m_book->location(id).displayName());
        if (current && !current->description.isEmpty())
            tip += u"\n"_s + DisplayText::plain(current->description);
        if (!trouble.isEmpty())
            tip += u"\n"_s + trouble;
        if (!alertText.isEmpty())
            tip += u"\n"_s + alertText;
        if (!attribution.isEmpty())
            tip += u"\n"_s + tr("Place name %1").arg(attribution);
        return DisplayText::toolTip(tip);
    }
    default:
        return {};
    }
}

bool PlacesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || m_ids.at(index.row()) == m_book->here())
        return false;
    m_book->rename(m_ids.at(index.row()), value.toString()); // dataChanged through sync()
    return true;
}

Qt::ItemFlags PlacesModel::flags(const QModelIndex &index) const
{
    // Drops go between rows (the root), never onto a place.
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    // Here is where the person is: not renamed, dragged or removed like a saved place.
    if (index.row() < firstSavedRow())
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
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
    names.insert(StaleReasonRole, "staleReason");
    names.insert(PlaceIdRole, "placeId");
    names.insert(AlertCountRole, "alertCount");
    names.insert(AlertSeverityRole, "alertSeverity");
    names.insert(IsHereRole, "isHere");
    names.insert(AttributionRole, "attribution");
    return names;
}

bool PlacesModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < firstSavedRow() || count <= 0 || row + count > m_ids.size())
        return false;
    const QList<PlaceBook::PlaceId> ids = m_ids.mid(row, count);
    for (const PlaceBook::PlaceId id : ids)
        m_book->remove(id); // the rows go through sync()
    return true;
}

bool PlacesModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                           const QModelIndex &destinationParent, int destinationChild)
{
    const int size = int(m_ids.size());
    const int first = firstSavedRow(); // Here stays on top
    if (sourceParent.isValid() || destinationParent.isValid() || count <= 0 || sourceRow < first
        || sourceRow + count > size || destinationChild < first || destinationChild > size)
        return false;
    // Onto itself or just behind itself: nothing moves.
    if (destinationChild >= sourceRow && destinationChild <= sourceRow + count)
        return false;
    // One row at a time, each an incremental move through sync().
    // The book counts its saved places only.
    for (int i = 0; i < count; ++i) {
        if (destinationChild < sourceRow)
            m_book->move(sourceRow - first + i, destinationChild - first + i);
        else
            m_book->move(sourceRow - first, destinationChild - first - 1);
    }
    return true;
}

Qt::DropActions PlacesModel::supportedDropActions() const
{
    return Qt::MoveAction;
}
