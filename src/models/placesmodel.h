// SPDX-License-Identifier: MIT
#pragma once

#include "weather/currentconditions.h"
#include "weather/settings.h"

#include <QAbstractListModel>
#include <QList>

#include <optional>

/**
 * The saved places in the person's order, each with the weather the session last answered
 * for it, for the Places sidebar.
 *
 * A place is known by its rounded coordinates (the cache key's), never by its name: renaming
 * changes the label shown and nothing else, and adding a place already there finds it. Rows
 * move with moveRows() (drag and drop in the view, Alt+Up/Down), are renamed through setData()
 * on Qt::EditRole (an empty name brings the geocoder's back) and are removed with
 * removeRows(); each change is one incremental signal, never a reset, and ends with
 * placesChanged() so the owner can store the list.
 *
 * The weather shown per row (temperature text, icon, description) is what the window hands
 * it with setWeather(); the model formats nothing itself.
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
        PlaceIdRole, ///< the WeatherSession id that keeps it current; 0 when none
    };

    static constexpr int kMaxPlaces = Settings::kMaxSavedPlaces;

    explicit PlacesModel(QObject *parent = nullptr);
    ~PlacesModel() override;

    /** Replaces the list (at start, from the settings). */
    void setPlaces(const QList<SavedPlace> &places);
    QList<SavedPlace> places() const;

    /** Appends `location`; its row, or -1 when it is there already or the list is full. */
    int addPlace(const Location &location, const QString &label = {});
    /** The row of the place at `location`'s coordinates, -1 when not saved. */
    int indexOf(const Location &location) const;
    int rowForPlaceId(int placeId) const;
    Location locationAt(int row) const;
    bool isFull() const { return m_places.size() >= kMaxPlaces; }

    void setPlaceId(int row, int placeId);
    /** The weather now at `row`, already formatted; `problem`: why it is old, or empty. */
    void setWeather(int row, const CurrentConditions &conditions, const QString &temperatureText,
                    const QString &problem = {});
    /** No newer weather: why (the old one, if any, stays). */
    void setProblem(int row, const QString &problem);

    /** The same place for the cache: the same rounded coordinates. */
    static bool sameCoordinates(const Location &a, const Location &b);

    /** A unique short label for `location`: its name, with region or country when two share it. */
    QString shortLabel(int row) const;

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

Q_SIGNALS:
    /** A place was added, removed, moved or renamed: what the settings keep changed. */
    void placesChanged();

private:
    struct Row
    {
        SavedPlace place;
        QString key; // rounded coordinates
        int placeId = 0;
        std::optional<CurrentConditions> current;
        QString temperatureText;
        QString problem;
        bool counted = true; // false while inserted or removed: no twin of the others yet
    };
    /** Rows named like `name` show another label now that a twin came or went. */
    void twinsChanged(const QString &name);
    static QString keyOf(const Location &location);
    QString labelOf(const Row &row) const;

    QList<Row> m_places;
};
