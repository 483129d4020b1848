// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"

#include <QTimer>
#include <QWidget>

#include <memory>

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
    static QString normalized(const QString &text);
    static QString buttonText(const Location &location, const QList<Location> &all);

    std::unique_ptr<Ui::SearchBar> ui;
    LocationSuggestionModel *m_model;
    QCompleter *m_completer;
    QTimer m_debounce;
    QList<QToolButton *> m_recentButtons;
    QToolButton *m_moreButton = nullptr;
    QMenu *m_moreMenu = nullptr;
};
