// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class LocationSuggestionModel;
class QCompleter;
class QLineEdit;
class QMenu;
class QToolButton;

namespace Ui {
class SearchBar;
}

/**
 * The city search field with suggestions as one types, and the recent places one click away.
 *
 * It does no searching itself: it asks (suggestionsRequested, debounced, from two letters) and
 * MainWindow answers with setSuggestions(). Enter takes the highlighted suggestion, else the
 * first one for the text typed, else asks for a search (searchSubmitted). A choice, from the
 * list or from the recent places, is reported as locationChosen.
 *
 * The list only opens for text being typed: once Enter was pressed or a place chosen, a late
 * answer fills the model but opens nothing until the person types again. Enter on the label
 * the bar itself put in the field (the shown place, setShownLocation()) shows that place
 * again instead of searching for the label.
 *
 * The recent row keeps its order while it is on screen, so a button never moves under the
 * pointer: a new order is taken when the search field gets the focus again.
 */
class SearchBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 300;
    static constexpr int kMinQueryLength = 2;
    static constexpr int kRecentButtons = 4;

    explicit SearchBar(QWidget *parent = nullptr);
    ~SearchBar() override;

    QString text() const;
    void setText(const QString &text);
    /** What is typed, trimmed and with runs of spaces collapsed. */
    QString query() const;

    /** Suggestions for `query`; ignored when the text has moved on since. */
    void setSuggestions(const QString &query, const QList<Location> &locations);
    void setRecentLocations(const QList<Location> &locations);
    /** The order the recent row shows (it lags setRecentLocations() while in use). */
    QList<Location> shownRecentLocations() const { return m_shownRecent; }

    /** The place on screen: its label goes into the field, and Enter on it shows it again. */
    void setShownLocation(const Location &location);

    QLineEdit *lineEdit() const;
    QCompleter *completer() const { return m_completer; }
    LocationSuggestionModel *suggestionModel() const { return m_model; }

public Q_SLOTS:
    void focusSearch();
    /** What Enter does. */
    void submit();

Q_SIGNALS:
    void suggestionsRequested(const QString &query);
    void searchSubmitted(const QString &query);
    void locationChosen(const Location &location);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onTextEdited(const QString &text);
    void choose(const Location &location);
    void applyRecentLocations(const QList<Location> &locations);
    static QString normalized(const QString &text);
    static QString buttonText(const Location &location, const QList<Location> &all);

    std::unique_ptr<Ui::SearchBar> ui;
    LocationSuggestionModel *m_model;
    QCompleter *m_completer;
    QTimer m_debounce;
    QList<QToolButton *> m_recentButtons;
    QToolButton *m_moreButton = nullptr;
    QMenu *m_moreMenu = nullptr;
    QList<Location> m_shownRecent;
    std::optional<QList<Location>> m_pendingRecent;
    Location m_shownLocation;
    /** False from Enter or a choice until the person types again: no list pops up meanwhile. */
    bool m_popupWanted = false;
};
