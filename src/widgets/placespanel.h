// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"

#include <QWidget>

class PlacesModel;
class QLabel;
class QListView;
class QAction;

/**
 * The Places sidebar: the saved places with their weather, in the person's order.
 *
 * Picking a row (a left click, Enter, the arrow keys) reports placeSelected at once; the
 * window shows that place from the cache. Focus (Tab), a right-click and a removal never do:
 * the context menu acts on the row under the pointer without showing it. Rows move by drag and
 * drop, with Alt+Up/Alt+Down (or Ctrl+Shift+Up/Down) and from the context menu; F2 renames, Delete
 * removes. The model is borrowed.
 */
class PlacesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PlacesPanel(QWidget *parent = nullptr);
    ~PlacesPanel() override;

    void setModel(PlacesModel *model);
    QListView *view() const { return m_view; }

    /** Highlights the row of the shown place (-1: none); reports nothing. */
    void setCurrentRow(int row);

    QAction *moveUpAction() const { return m_moveUp; }
    QAction *moveDownAction() const { return m_moveDown; }
    QAction *renameAction() const { return m_rename; }
    QAction *removeAction() const { return m_remove; }

public Q_SLOTS:
    void moveCurrent(int delta);
    void renameCurrent();
    void removeCurrent();

Q_SIGNALS:
    void placeSelected(const Location &location);

private:
    void updateActions();
    void updateEmptyState();
    int currentRow() const;

    PlacesModel *m_model = nullptr;
    QListView *m_view;
    QLabel *m_emptyLabel;
    QAction *m_moveUp;
    QAction *m_moveDown;
    QAction *m_rename;
    QAction *m_remove;
    int m_menuRow = -1; // the row the context menu was opened on; -1: none open
};
