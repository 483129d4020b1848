// SPDX-License-Identifier: MIT
#include "searchbar.h"

#include "ui_searchbar.h"

#include "models/displaytext.h"
#include "models/locationsuggestionmodel.h"
#include "suggestiondelegate.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QMenu>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {
/** Location::isValid() only checks the coordinates; a default Location is "valid" at 0, 0. */
bool isUsableLocation(const Location &location)
{
    return location.isValid() && !location.name.isEmpty();
}
} // namespace

SearchBar::SearchBar(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::SearchBar>())
    , m_model(new LocationSuggestionModel(this))
    , m_completer(new QCompleter(m_model, this))
{
    ui->setupUi(this);
    ui->recentRow->hide();

    // Every suggestion is shown, whatever was typed: the geocoder already matched them
    // (a prefix filter would drop "München" for "Munich").
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(8);
    m_completer->setWidget(ui->searchEdit);
    ui->searchEdit->setCompleter(m_completer);
    QAbstractItemView *popup = m_completer->popup();
    popup->setItemDelegate(new SuggestionDelegate(popup));
    // Installed after the completer's own filter, so it sees Enter first.
    popup->installEventFilter(this);
    ui->searchEdit->installEventFilter(this);

    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
            [this](const QModelIndex &index) {
                choose(index.data(LocationSuggestionModel::LocationRole).value<Location>());
            });

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        const QString q = query();
        if (q.size() >= kMinQueryLength)
            Q_EMIT suggestionsRequested(q);
    });
    connect(ui->searchEdit, &QLineEdit::textEdited, this, &SearchBar::onTextEdited);
}

SearchBar::~SearchBar() = default;

QString SearchBar::text() const
{
    return ui->searchEdit->text();
}

void SearchBar::setText(const QString &text)
{
    ui->searchEdit->setText(text);
}

QString SearchBar::query() const
{
    return normalized(ui->searchEdit->text());
}

QLineEdit *SearchBar::lineEdit() const
{
    return ui->searchEdit;
}

QString SearchBar::normalized(const QString &text)
{
    return text.simplified();
}

void SearchBar::focusSearch()
{
    ui->searchEdit->setFocus(Qt::ShortcutFocusReason);
    ui->searchEdit->selectAll();
}

void SearchBar::onTextEdited(const QString &text)
{
    m_popupWanted = true;
    if (normalized(text).size() < kMinQueryLength) {
        m_debounce.stop();
        m_model->clear();
        m_completer->popup()->hide();
        return;
    }
    m_debounce.start();
}

void SearchBar::setSuggestions(const QString &forQuery, const QList<Location> &locations)
{
    if (forQuery != query())
        return; // a late answer for text no longer there
    m_model->setLocations(forQuery, locations);
    if (locations.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    // Enter was pressed or a place chosen since this was asked for: a late answer must not
    // cover the weather it brought.
    if (m_popupWanted && ui->searchEdit->hasFocus()) {
        m_completer->setCompletionPrefix(forQuery);
        m_completer->complete();
    }
}

void SearchBar::submit()
{
    const QString q = query();
    m_popupWanted = false;
    QAbstractItemView *popup = m_completer->popup();
    if (popup->isVisible()) {
        const QModelIndex current = popup->currentIndex();
        popup->hide();
        if (current.isValid()) {
            choose(current.data(LocationSuggestionModel::LocationRole).value<Location>());
            return;
        }
    }
    if (q.isEmpty())
        return;
    // The label this bar put there itself ("London, Ontario, CA"): that place, not a search
    // for its label, which no geocoder knows.
    if (isUsableLocation(m_shownLocation)
        && normalized(DisplayText::plain(m_shownLocation.displayName()))
                   .compare(q, Qt::CaseInsensitive)
               == 0) {
        choose(m_shownLocation);
        return;
    }
    const QList<Location> offered = m_model->locations();
    // The text may be a suggestion put there by the completer ("London, England, GB"), as the
    // model shows it.
    for (const Location &location : offered) {
        if (normalized(DisplayText::plain(location.displayName())).compare(q, Qt::CaseInsensitive)
            == 0) {
            choose(location);
            return;
        }
    }
    if (!offered.isEmpty() && m_model->query() == q) {
        choose(offered.first());
        return;
    }
    m_debounce.stop();
    Q_EMIT searchSubmitted(q);
}

void SearchBar::setShownLocation(const Location &location)
{
    m_shownLocation = location;
    if (!isUsableLocation(location))
        return;
    // Not while the person is typing something else.
    if (!ui->searchEdit->hasFocus() || !m_popupWanted)
        ui->searchEdit->setText(DisplayText::plain(location.displayName()));
}

void SearchBar::choose(const Location &location)
{
    if (!isUsableLocation(location))
        return;
    m_popupWanted = false;
    m_shownLocation = location;
    m_debounce.stop();
    m_completer->popup()->hide();
    ui->searchEdit->setText(DisplayText::plain(location.displayName()));
    m_model->clear();
    Q_EMIT locationChosen(location);
}

bool SearchBar::eventFilter(QObject *watched, QEvent *event)
{
    // The search field is back in use: now the recent row may take its new order.
    if (event->type() == QEvent::FocusIn && watched == ui->searchEdit && m_pendingRecent) {
        const QList<Location> pending = *m_pendingRecent;
        m_pendingRecent.reset();
        applyRecentLocations(pending);
    }
    // QLineEdit takes Ctrl+D (delete the next character, as in Emacs) before any shortcut:
    // after a search the focus is here, and Ctrl+D is the window's "Add to Places".
    if (event->type() == QEvent::ShortcutOverride && watched == ui->searchEdit) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_D && key->modifiers() == Qt::ControlModifier) {
            event->ignore();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress
        && (watched == ui->searchEdit || watched == m_completer->popup())) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool plain
            = key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier;
        if (plain && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            submit();
            return true;
        }
        if (watched == ui->searchEdit && plain && key->key() == Qt::Key_Down
            && !m_completer->popup()->isVisible() && m_model->rowCount() > 0
            && m_model->query() == query()) {
            m_completer->complete();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString SearchBar::buttonText(const Location &location, const QList<Location> &all)
{
    int sameName = 0;
    for (const Location &other : all)
        sameName += other.name == location.name ? 1 : 0;
    // Two Londons in the list: say which is which.
    if (sameName > 1 && !location.countryCode.isEmpty())
        return location.name + u", "_s + location.countryCode;
    return location.name;
}

void SearchBar::setRecentLocations(const QList<Location> &locations)
{
    // A visit moves its place to the front; doing that while the row is on screen moves the
    // button the person is about to click. Same places, other order: wait for the search
    // field. New or dropped places change what the row offers and show at once.
    const auto samePlaces = [&] {
        if (locations.size() != m_shownRecent.size())
            return false;
        for (const Location &l : locations) {
            if (!m_shownRecent.contains(l))
                return false;
        }
        return true;
    };
    if (ui->recentRow->isVisible() && samePlaces() && !ui->searchEdit->hasFocus()) {
        m_pendingRecent = locations;
        return;
    }
    m_pendingRecent.reset();
    applyRecentLocations(locations);
}

void SearchBar::applyRecentLocations(const QList<Location> &locations)
{
    if (locations == m_shownRecent && !m_recentButtons.isEmpty())
        return;
    m_shownRecent = locations;
    qDeleteAll(m_recentButtons);
    m_recentButtons.clear();
    if (!m_moreButton) {
        m_moreButton = new QToolButton(ui->recentRow);
        m_moreButton->setText(tr("More"));
        m_moreButton->setAutoRaise(true);
        m_moreButton->setPopupMode(QToolButton::InstantPopup);
        m_moreMenu = new QMenu(m_moreButton);
        m_moreButton->setMenu(m_moreMenu);
        ui->recentLayout->insertWidget(ui->recentLayout->count() - 1, m_moreButton);
    }
    m_moreMenu->clear();

    const int shown = qMin(int(locations.size()), kRecentButtons);
    for (int i = 0; i < locations.size(); ++i) {
        const Location location = locations.at(i);
        if (i < shown) {
            auto *button = new QToolButton(ui->recentRow);
            button->setAutoRaise(true);
            // The provider's name: no mnemonic from its '&', no markup in the tooltip.
            button->setText(DisplayText::mnemonicSafe(buttonText(location, locations)));
            button->setToolTip(
                DisplayText::toolTip(tr("Show the weather in %1").arg(location.displayName())));
            button->setObjectName(u"recentButton%1"_s.arg(i));
            connect(button, &QToolButton::clicked, this, [this, location] { choose(location); });
            // Before the "More" button and the stretch.
            ui->recentLayout->insertWidget(ui->recentLayout->count() - 2, button);
            m_recentButtons.append(button);
        } else {
            m_moreMenu->addAction(DisplayText::mnemonicSafe(location.displayName()), this,
                                  [this, location] { choose(location); });
        }
    }
    m_moreButton->setVisible(!m_moreMenu->isEmpty());
    ui->recentRow->setVisible(!locations.isEmpty());
    // Tab goes from the field to the recent places, not past the whole window first.
    QWidget *previous = ui->searchEdit;
    for (QToolButton *button : std::as_const(m_recentButtons)) {
        setTabOrder(previous, button);
        previous = button;
    }
    setTabOrder(previous, m_moreButton);
}
