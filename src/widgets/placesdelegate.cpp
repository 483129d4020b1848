// SPDX-License-Identifier: MIT
#include "placesdelegate.h"

#include "alertband.h"
#include "models/placesmodel.h"
#include "themecolors.h"
#include "weathericons.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace {
constexpr int kMargin = 6;
constexpr int kIconSize = 32;
} // namespace

void PlacesDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group
        = option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text
        = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondary = selected ? text : ThemeColors::secondaryText(option.palette, QPalette::Base);

    const QRect area = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const QString iconName = index.data(PlacesModel::IconNameRole).toString();
    const QRect iconRect(area.left(), area.center().y() - kIconSize / 2, kIconSize, kIconSize);
    if (!iconName.isEmpty())
        WeatherIcons::icon(iconName).paint(painter, iconRect);

    QFont bold = option.font;
    bold.setBold(true);
    QFont big = option.font;
    big.setPointSizeF(option.font.pointSizeF() * 1.3);
    const QFontMetrics bigMetrics(big);
    const QString temperature = index.data(PlacesModel::TemperatureTextRole).toString();
    const int temperatureWidth
        = temperature.isEmpty() ? 0 : bigMetrics.horizontalAdvance(temperature);

    const QRect textRect(iconRect.right() + kMargin, area.top(),
                         area.width() - kIconSize - 2 * kMargin - temperatureWidth, area.height());
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    const QString name = index.data(PlacesModel::LabelRole).toString();
    const QString problem = index.data(PlacesModel::ProblemRole).toString();
    const QString detail
        = problem.isEmpty() ? index.data(PlacesModel::DescriptionRole).toString() : problem;

    painter->save();
    painter->setPen(text);
    painter->setFont(bold);
    const QRect nameRect(textRect.left(), textRect.top(), textRect.width(), boldMetrics.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(name, Qt::ElideRight, nameRect.width()));
    if (!detail.isEmpty()) {
        painter->setFont(option.font);
        painter->setPen(secondary);
        const QRect detailRect(textRect.left(), nameRect.bottom() + 2, textRect.width(),
                               metrics.height());
        painter->drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(detail, Qt::ElideRight, detailRect.width()));
    }
    // Here's name is OpenStreetMap's: its credit goes with it, on a line of its own.
    const QString attribution = index.data(PlacesModel::AttributionRole).toString();
    if (!attribution.isEmpty()) {
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        const QFontMetrics smallMetrics(small);
        painter->setFont(small);
        painter->setPen(secondary);
        const QRect creditRect(textRect.left(), nameRect.bottom() + 4 + metrics.height(),
                               textRect.width(), smallMetrics.height());
        painter->drawText(creditRect, Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(attribution, Qt::ElideRight, creditRect.width()));
    }
    if (!temperature.isEmpty()) {
        painter->setFont(big);
        painter->setPen(text);
        painter->drawText(area, Qt::AlignRight | Qt::AlignVCenter, temperature);
    }
    // Severe-weather alerts (issue 22): a badge on the icon's corner in the worst alert's
    // colour, with the count in it (not by colour alone; the tooltip and the screen reader
    // say the event).
    if (const int alerts = index.data(PlacesModel::AlertCountRole).toInt(); alerts > 0) {
        const auto severity
            = WeatherAlert::Severity(index.data(PlacesModel::AlertSeverityRole).toInt());
        QFont small = option.font;
        small.setBold(true);
        small.setPixelSize(std::max(8, kIconSize * 2 / 5));
        const int side = std::max(QFontMetrics(small).height(), kIconSize / 2);
        const QRectF badge(iconRect.right() - side + 2, iconRect.top() - 2, side, side);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(option.palette.color(QPalette::Base), 1.5));
        painter->setBrush(AlertBand::background(severity));
        painter->drawEllipse(badge);
        painter->setPen(AlertBand::foreground(severity));
        painter->setFont(small);
        painter->drawText(badge, Qt::AlignCenter,
                          alerts > 9 ? QStringLiteral("!") : QString::number(alerts));
    }
    painter->restore();
}

QSize PlacesDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QFont bold = option.font;
    bold.setBold(true);
    int lines = QFontMetrics(bold).height() + 2 + QFontMetrics(option.font).height();
    if (!index.data(PlacesModel::AttributionRole).toString().isEmpty()) {
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        lines += 2 + QFontMetrics(small).height(); // Here's credit
    }
    return {160, qMax(kIconSize, lines) + 2 * kMargin};
}

QString PlacesDelegate::emptyNameText()
{
    return tr("A place needs a name: type one, or press Esc to keep the old one.");
}

QWidget *PlacesDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    Q_UNUSED(option)
    Q_UNUSED(index)
    auto *edit = new QLineEdit(parent);
    edit->setFrame(true); // a field that looks like one, not a borderless strip
    edit->setPlaceholderText(tr("Name of the place"));
    edit->setAccessibleName(tr("New name"));
    edit->setToolTip(tr("Enter keeps the new name, Esc the old one"));
    return edit;
}

void PlacesDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                          const QModelIndex &index) const
{
    Q_UNUSED(index)
    // Over the name line only: the icon on the left and the temperature on the right stay.
    const QRect area = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const int left = area.left() + kIconSize + kMargin;
    const int height = qMin(area.height(), editor->sizeHint().height());
    QFont big = option.font;
    big.setPointSizeF(option.font.pointSizeF() * 1.3);
    const int temperatureWidth = QFontMetrics(big).horizontalAdvance(QStringLiteral("-88°"));
    const int width = qMax(area.right() - temperatureWidth - kMargin - left, kIconSize * 3);
    editor->setGeometry(left, area.top(), width, height);
}

void PlacesDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                  const QModelIndex &index) const
{
    auto *edit = qobject_cast<QLineEdit *>(editor);
    if (!edit)
        return;
    if (edit->text().trimmed().isEmpty()) {
        // Focus went elsewhere with the field empty: the old name stays, and the person is told.
        Q_EMIT nameRejected(emptyNameText());
        return;
    }
    model->setData(index, edit->text(), Qt::EditRole);
}

bool PlacesDelegate::eventFilter(QObject *object, QEvent *event)
{
    auto *edit = qobject_cast<QLineEdit *>(object);
    if (edit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && edit->text().trimmed().isEmpty()) {
            // Enter on an empty field: refused, the editor stays open to type a name in.
            const QString sentence = emptyNameText();
            QToolTip::showText(edit->mapToGlobal(QPoint(0, edit->height())), sentence, edit);
            Q_EMIT nameRejected(sentence);
            return true;
        }
    }
    return QStyledItemDelegate::eventFilter(object, event);
}
