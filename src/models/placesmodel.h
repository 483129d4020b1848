// SPDX-License-Identifier: MIT
#pragma once

#include "weather/placebook.h"

#include <QAbstractListModel>
#include <QList>

/**
 * A view over PlaceBook's listed places (Here first while location is on, then the saved
 * places in the person's order), each with the weather last answered for it, for the Places
 * sidebar: display roles only. Here's row says "Here · <name>" and carries the name's credit
 * (AttributionRole); it is not renamed, moved or removed from here (Preferences turn it off). The
 * places, their names and their weather are the book's; this model formats them and turns the
 * book's changes into incremental row signals (inserted, removed, moved, dataChanged), never a
 * reset.
 *
 * Edits go to the book: moveRows() (drag and drop, Alt+Up/Down) moves, setData() on
 * Qt::EditRole renames (an empty name brings the geocoder's back), removeRows() removes.
 *
 * The book is borrowed and must outlive the model.
 */
class PlacesModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        LocationRole = Qt::UserRole + 1, ///< Location (the geocoder's, unchanged by a rename)
        LabelRole, ///< the name shown: the person's own, else the geocoder's short name
        CustomLabelRole, ///< the person's own name; empty when none
        TemperatureTextRole, ///< "14 °C"; empty until an answer came
        IconNameRole, ///< the condition's icon name; empty until an answer came
        DescriptionRole, ///< "Light rain"
        ProblemRole, ///< why the weather shown is old or missing; empty when fine
        PlaceIdRole, ///< the PlaceBook id of the row's place
        AlertCountRole, ///< int: the place's live severe-weather alerts (issue 22); 0 when none
        AlertSeverityRole, ///< int (WeatherAlert::Severity): the most severe; only with alerts
        IsHereRole, ///< bool: the row is Here, the person's position
        AttributionRole, ///< the name's credit ("© OpenStreetMap contributors"); empty when none
        /**
         * Why the weather shown is not newer, said beside it ("Could not reach Open-Meteo —
         * showing data from 14:02"): the row keeps its condition and shows a badge. Empty when
         * the weather is current, or when there is none (ProblemRole says why).
         */
        StaleReasonRole,
    };

    static constexpr int kMaxPlaces = PlaceBook::kMaxPlaces;

    explicit PlacesModel(PlaceBook *book, QObject *parent = nullptr);
    ~PlacesModel() override;

    PlaceBook *placeBook() const { return m_book; }
    PlaceBook::PlaceId placeIdAt(int row) const;
    int rowOf(PlaceBook::PlaceId id) const { return int(m_ids.indexOf(id)); }
    Location locationAt(int row) const;
    /** The first saved place's row: 1 below Here, else 0. Rows above it do not move. */
    int firstSavedRow() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;
    Qt::DropActions supportedDropActions() const override;

private:
    /** Brings the rows in line with the book's saved places, one incremental step at a time. */
    void sync();
    void weatherChanged(PlaceBook::PlaceId id);

    PlaceBook *m_book;
    QList<PlaceBook::PlaceId> m_ids; // the rows, as the view knows them
    QList<QString> m_labels; // each row's label as last said (twins change with others)
};
