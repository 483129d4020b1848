// SPDX-License-Identifier: MIT
#pragma once

#include "rowlistmodel.h"
#include "weather/location.h"

#include <QList>

/**
 * The places a geocoder offered for what the user is typing, best first, for the search
 * field's completer. Each row shows the name with its region and country, so the right London
 * is picked. setLocations() updates in place: rows that stay are changed, extra rows are
 * inserted or removed, never a reset.
 */
class LocationSuggestionModel : public RowListModel<Location>
{
    Q_OBJECT
public:
    enum Role {
        LocationRole = Qt::UserRole + 1, ///< Location
        NameRole, ///< "London"
        DetailRole, ///< "England, United Kingdom"
    };

    explicit LocationSuggestionModel(QObject *parent = nullptr);
    ~LocationSuggestionModel() override;

    /** `query` is what they answer, so a late answer for older text can be recognised. */
    void setLocations(const QString &query, const QList<Location> &locations);
    void clear();

    QString query() const { return m_query; }
    QList<Location> locations() const { return m_rows; }
    Location locationAt(int row) const;

    /** "England, United Kingdom": region and country, skipping empty or repeated parts. */
    static QString detailText(const Location &location);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QString m_query;
};
