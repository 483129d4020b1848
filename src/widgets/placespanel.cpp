// SPDX-License-Identifier: MIT
#include "placespanel.h"

#include "models/placesmodel.h"
#include "placesdelegate.h"
#include "themecolors.h"

#include <QAction>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

PlacesPanel::PlacesPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new QListView(this))
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

    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (index.isValid())
            m_view->setCurrentIndex(index);
        updateActions();
        // popup(), not exec(): no nested event loop.
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
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
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this](const QModelIndex &current) {
                    updateActions();
                    if (m_settingCurrent || !current.isValid())
                        return;
                    Q_EMIT placeSelected(m_model->locationAt(current.row()));
                });
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
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void PlacesPanel::setCurrentRow(int row)
{
    if (!m_model)
        return;
    m_settingCurrent = true;
    if (row < 0) {
        m_view->selectionModel()->clear();
    } else {
        const QModelIndex index = m_model->index(row);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_view->scrollTo(index);
    }
    m_settingCurrent = false;
    updateActions();
}

void PlacesPanel::moveCurrent(int delta)
{
    const int row = currentRow();
    if (!m_model || row < 0)
        return;
    const int target = row + delta;
    if (target < 0 || target >= m_model->rowCount())
        return;
    // moveRow's destination is the row it goes before: one further when moving down.
    m_settingCurrent = true; // the same place stays selected; nothing to show anew
    m_model->moveRow({}, row, {}, delta > 0 ? target + 1 : target);
    m_view->setCurrentIndex(m_model->index(target));
    m_settingCurrent = false;
    updateActions();
}

void PlacesPanel::renameCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        m_view->edit(current);
}

void PlacesPanel::removeCurrent()
{
    const int row = currentRow();
    if (!m_model || row < 0)
        return;
    m_settingCurrent = true; // removing is not choosing the next place
    m_model->removeRow(row);
    m_settingCurrent = false;
    updateActions();
}

void PlacesPanel::updateActions()
{
    const int row = currentRow();
    const int count = m_model ? m_model->rowCount() : 0;
    m_moveUp->setEnabled(row > 0);
    m_moveDown->setEnabled(row >= 0 && row + 1 < count);
    m_rename->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
}
