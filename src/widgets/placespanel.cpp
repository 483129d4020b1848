// SPDX-License-Identifier: MIT
#include "placespanel.h"

#include "models/placesmodel.h"
#include "placesdelegate.h"
#include "themecolors.h"

#include <QAction>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
/**
 * The list, picking only on what the person does to pick: arrow keys (and Home, End, Page
 * Up/Down), Enter, a left click. Focus (Tab), a right-click and a removal move or set the
 * current row without picking; a right-click does not even do that.
 */
class PlacesView final : public QListView
{
public:
    explicit PlacesView(QWidget *parent, std::function<void(const QModelIndex &)> picked)
        : QListView(parent)
        , m_picked(std::move(picked))
    { }

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        const QModelIndex before = currentIndex();
        const bool enter = (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
                           && state() != EditingState;
        QListView::keyPressEvent(event);
        const QModelIndex after = currentIndex();
        if (state() == EditingState || !after.isValid())
            return;
        if (enter || (after != before && (event->modifiers() & ~Qt::KeypadModifier) == 0))
            m_picked(after);
    }
    void mousePressEvent(QMouseEvent *event) override
    {
        // The context menu acts on the row under the pointer; the highlight stays on the
        // place shown.
        if (event->button() == Qt::RightButton) {
            event->accept();
            return;
        }
        QListView::mousePressEvent(event);
    }

private:
    std::function<void(const QModelIndex &)> m_picked;
};
} // namespace

PlacesPanel::PlacesPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new PlacesView(this,
                            [this](const QModelIndex &index) {
                                if (m_model && index.isValid())
                                    Q_EMIT placeSelected(m_model->locationAt(index.row()));
                            }))
    , m_emptyLabel(new QLabel(this))
    , m_moveUp(new QAction(tr("Move &Up"), this))
    , m_moveDown(new QAction(tr("Move &Down"), this))
    , m_rename(new QAction(tr("&Rename…"), this))
    , m_remove(new QAction(tr("Re&move from Places"), this))
{
    setAccessibleName(tr("Places"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_emptyLabel);

    m_view->setObjectName(u"placesView"_s);
    m_view->setAccessibleName(tr("Saved places"));
    m_view->setItemDelegate(new PlacesDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDragEnabled(true);
    m_view->setDropIndicatorShown(true);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_view->setUniformItemSizes(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_emptyLabel->setObjectName(u"placesEmptyLabel"_s);
    m_emptyLabel->setTextFormat(Qt::PlainText);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_emptyLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_emptyLabel->setMargin(8);
    m_emptyLabel->setText(tr("No saved places yet. Show a place and choose “Add to Places” "
                             "(Ctrl+D) to keep its weather here."));

    // Alt+Up/Down as in many list editors; Ctrl+Shift+Up/Down where Alt is the window
    // manager's.
    m_moveUp->setShortcuts(
        {QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up)});
    m_moveDown->setShortcuts(
        {QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down)});
    m_rename->setShortcut(QKeySequence(Qt::Key_F2));
    m_remove->setShortcut(QKeySequence::Delete);
    for (QAction *action : {m_moveUp, m_moveDown, m_rename, m_remove}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
    }
    connect(m_moveUp, &QAction::triggered, this, [this] { moveCurrent(-1); });
    connect(m_moveDown, &QAction::triggered, this, [this] { moveCurrent(+1); });
    connect(m_rename, &QAction::triggered, this, &PlacesPanel::renameCurrent);
    connect(m_remove, &QAction::triggered, this, &PlacesPanel::removeCurrent);

    connect(m_view, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        if (m_model && index.isValid())
            Q_EMIT placeSelected(m_model->locationAt(index.row()));
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        // The menu's actions act on the row under the pointer, without showing it.
        const QModelIndex index = m_view->indexAt(pos);
        m_menuRow = index.isValid() ? index.row() : -1;
        updateActions();
        // popup(), not exec(): no nested event loop.
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        // An action chosen runs after the menu hides: only then is the menu's row forgotten.
        connect(menu, &QMenu::aboutToHide, this, [this] {
            QTimer::singleShot(0, this, [this] {
                m_menuRow = -1;
                updateActions();
            });
        });
        menu->addActions({m_moveUp, m_moveDown});
        menu->addSeparator();
        menu->addActions({m_rename, m_remove});
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });
    setModel(nullptr);
}

PlacesPanel::~PlacesPanel() = default;

void PlacesPanel::setModel(PlacesModel *model)
{
    m_model = model;
    m_view->setModel(model);
    if (model) {
        // Only updates the actions: the current row changes on focus, on a removal, and by
        // the window's highlight too; PlacesView reports what the person picked.
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &PlacesPanel::updateActions);
        connect(model, &QAbstractItemModel::rowsInserted, this, &PlacesPanel::updateEmptyState);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &PlacesPanel::updateEmptyState);
        connect(model, &QAbstractItemModel::rowsMoved, this, &PlacesPanel::updateActions);
    }
    updateEmptyState();
}

void PlacesPanel::updateEmptyState()
{
    const bool empty = !m_model || m_model->rowCount() == 0;
    m_view->setVisible(!empty);
    m_emptyLabel->setVisible(empty);
    QPalette pal = m_emptyLabel->palette();
    pal.setColor(QPalette::WindowText, ThemeColors::secondaryText(palette()));
    m_emptyLabel->setPalette(pal);
    updateActions();
}

int PlacesPanel::currentRow() const
{
    if (m_menuRow >= 0 && m_model && m_menuRow < m_model->rowCount())
        return m_menuRow; // the context menu's row
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void PlacesPanel::setCurrentRow(int row)
{
    if (!m_model)
        return;
    if (row < 0) {
        m_view->selectionModel()->clear();
    } else {
        const QModelIndex index = m_model->index(row);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_view->scrollTo(index);
    }
    updateActions();
}

void PlacesPanel::moveCurrent(int delta)
{
    const int row = currentRow();
    if (!m_model || row < 0)
        return;
    const int target = row + delta;
    if (row < m_model->firstSavedRow() || target < m_model->firstSavedRow()
        || target >= m_model->rowCount())
        return;
    // moveRow's destination is the row it goes before: one further when moving down.
    const bool highlighted = m_view->currentIndex().row() == row;
    m_model->moveRow({}, row, {}, delta > 0 ? target + 1 : target);
    if (highlighted) // the same place stays highlighted; nothing to show anew
        m_view->selectionModel()->setCurrentIndex(m_model->index(target),
                                                  QItemSelectionModel::ClearAndSelect);
    if (m_menuRow == row)
        m_menuRow = target;
    updateActions();
}

void PlacesPanel::renameCurrent()
{
    const int row = currentRow();
    if (m_model && row >= m_model->firstSavedRow())
        m_view->edit(m_model->index(row));
}

void PlacesPanel::removeCurrent()
{
    const int row = currentRow();
    if (!m_model || row < 0)
        return;
    m_menuRow = -1;
    m_model->removeRow(row); // removing is not choosing the next place: nothing is reported
    updateActions();
}

void PlacesPanel::updateActions()
{
    const int row = currentRow();
    const int count = m_model ? m_model->rowCount() : 0;
    const int first = m_model ? m_model->firstSavedRow() : 0; // Here's row stays as it is
    m_moveUp->setEnabled(row > first);
    m_moveDown->setEnabled(row >= first && row + 1 < count);
    m_rename->setEnabled(row >= first);
    m_remove->setEnabled(row >= first);
}
