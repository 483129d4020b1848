// SPDX-License-Identifier: MIT
#pragma once

#include <QRect>
#include <QStyledItemDelegate>

/**
 * One saved place in the sidebar: the condition icon, the name over the description, and the
 * temperature on the right. Weather that could not be renewed keeps its condition, with a badge
 * before it that says why (its tooltip and the row's screen-reader text: "Could not reach
 * Open-Meteo — showing data from 14:02"). Here's row has the name's credit on a line of its own
 * across the row. Renaming edits the name in place: a framed line edit over the name
 * line only (the icon, the condition and the temperature stay in sight), which commits on Enter
 * and when the focus leaves it, and keeps the old name when Esc is pressed. An empty name is
 * refused with a sentence (nameRejected()): on Enter the editor stays open, on focus out the
 * old name is kept.
 */
class PlacesDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;

    /** The sentence an empty name is refused with. */
    static QString emptyNameText();

    /** Where paint() puts a row's parts (empty rects for the parts the row has not). */
    struct RowLayout
    {
        QRect icon;
        QRect name;
        QRect detail; ///< the condition, or why there is none
        QRect staleBadge; ///< before the condition while it is not current
        QRect temperature;
        QRect credit; ///< Here's name credit, on a line of its own under the rest
    };
    static RowLayout rowLayout(const QStyleOptionViewItem &option, const QModelIndex &index);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

Q_SIGNALS:
    /** An empty name was refused; `sentence` says why and what to do (shown by the editor). */
    void nameRejected(const QString &sentence) const;

protected:
    bool eventFilter(QObject *object, QEvent *event) override;
};
