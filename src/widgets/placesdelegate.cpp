// SPDX-License-Identifier: MIT
#include "placesdelegate.h"

#include "alertband.h"
#include "models/displaytext.h"
#include "models/placesmodel.h"
#include "themecolors.h"
#include "weathericons.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace {
constexpr int kMargin = 6;
constexpr int kIconSize = 32;
} // namespace

namespace {
QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
QFont bigFont(const QFont &font)
{
    QFont big = font;
    big.setPointSizeF(font.pointSizeF() * 1.3);
    return big;
}
QFont smallFont(const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.85);
    return small;
}
/** The name over the condition: the height of the row's first block. */
int textLinesHeight(const QFont &font)
{
    return QFontMetrics(boldFont(font)).height() + 2 + QFontMetrics(font).height();
}
QIcon staleIcon(const QWidget *widget)
{
    const QIcon themed = QIcon::fromTheme(QStringLiteral("dialog-warning"));
    if (!themed.isNull())
        return themed;
    QStyle *style = widget ? widget->style() : QApplication::style();
    return style->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, widget);
}
} // namespace

PlacesDelegate::RowLayout PlacesDelegate::rowLayout(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index)
{
    RowLayout l;
    const QRect area = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const QString credit = index.data(PlacesModel::AttributionRole).toString();
    const int creditHeight
        = credit.isEmpty() ? 0 : 2 + QFontMetrics(smallFont(option.font)).height();
    // The icon, the name over the condition and the temperature share the first block; the
    // credit has the whole width of the line under it (beside the temperature it was cut to
    // "© OpenStreetMap cont…" in a 1280 px window's sidebar).
    const QRect top(area.left(), area.top(), area.width(), area.height() - creditHeight);
    l.icon = QRect(top.left(), top.center().y() - kIconSize / 2, kIconSize, kIconSize);
    const QString temperature = index.data(PlacesModel::TemperatureTextRole).toString();
    const int temperatureWidth
        = temperature.isEmpty() ? 0
                                : QFontMetrics(bigFont(option.font)).horizontalAdvance(temperature);
    if (temperatureWidth > 0)
        l.temperature
            = QRect(top.right() - temperatureWidth + 1, top.top(), temperatureWidth, top.height());
    const int textLeft = l.icon.right() + 1 + kMargin;
    const int textWidth = top.width() - kIconSize - 2 * kMargin - temperatureWidth;
    const int lines = textLinesHeight(option.font);
    const int textTop = top.top() + qMax(0, (top.height() - lines) / 2);
    const int nameHeight = QFontMetrics(boldFont(option.font)).height();
    l.name = QRect(textLeft, textTop, textWidth, nameHeight);
    const int lineHeight = QFontMetrics(option.font).height();
    QRect detail(textLeft, l.name.bottom() + 3, textWidth, lineHeight);
    if (!index.data(PlacesModel::StaleReasonRole).toString().isEmpty()) {
        l.staleBadge = QRect(detail.left(), detail.top(), lineHeight, lineHeight);
        detail.setLeft(l.staleBadge.right() + 1 + 4);
    }
    l.detail = detail;
    if (!credit.isEmpty()) {
        // Under the name where it fits there, else from the row's left edge (under the icon,
        // which is centred on the lines above).
        const int needed = QFontMetrics(smallFont(option.font)).horizontalAdvance(credit);
        const int left = area.right() - textLeft + 1 >= needed ? textLeft : area.left();
        l.credit = QRect(left, top.bottom() + 3, area.right() - left + 1, creditHeight - 2);
    }
    return l;
}

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

    const RowLayout l = rowLayout(option, index);
    const QString iconName = index.data(PlacesModel::IconNameRole).toString();
    if (!iconName.isEmpty())
        WeatherIcons::icon(iconName).paint(painter, l.icon);

    const QFont bold = boldFont(option.font);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    const QString name = index.data(PlacesModel::LabelRole).toString();
    // The condition stays while the weather is old (the badge says why); only a place with no
    // weather at all says its problem in the condition's place.
    QString detail = index.data(PlacesModel::DescriptionRole).toString();
    if (detail.isEmpty() && index.data(PlacesModel::IconNameRole).toString().isEmpty())
        detail = index.data(PlacesModel::ProblemRole).toString();

    painter->save();
    painter->setPen(text);
    painter->setFont(bold);
    painter->drawText(l.name, Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(name, Qt::ElideRight, l.name.width()));
    if (!l.staleBadge.isNull())
        staleIcon(widget).paint(painter, l.staleBadge, Qt::AlignCenter,
                                option.state & QStyle::State_Enabled ? QIcon::Normal
                                                                     : QIcon::Disabled);
    if (!detail.isEmpty()) {
        painter->setFont(option.font);
        painter->setPen(secondary);
        painter->drawText(l.detail, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(detail, Qt::ElideRight, l.detail.width()));
    }
    // Here's name is OpenStreetMap's: its credit goes with it, on a line of its own.
    const QString attribution = index.data(PlacesModel::AttributionRole).toString();
    if (!attribution.isEmpty()) {
        const QFont small = smallFont(option.font);
        const QFontMetrics smallMetrics(small);
        painter->setFont(small);
        painter->setPen(secondary);
        painter->drawText(l.credit, Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(attribution, Qt::ElideRight, l.credit.width()));
    }
    const QString temperature = index.data(PlacesModel::TemperatureTextRole).toString();
    if (!temperature.isEmpty()) {
        painter->setFont(bigFont(option.font));
        painter->setPen(text);
        painter->drawText(l.temperature, Qt::AlignRight | Qt::AlignVCenter, temperature);
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
        const QRectF badge(l.icon.right() - side + 2, l.icon.top() - 2, side, side);
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
    int height = qMax(kIconSize, textLinesHeight(option.font) + 1);
    if (!index.data(PlacesModel::AttributionRole).toString().isEmpty())
        height += 2 + QFontMetrics(smallFont(option.font)).height(); // Here's credit
    return {160, height + 2 * kMargin};
}

bool PlacesDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                               const QStyleOptionViewItem &option, const QModelIndex &index)
{
    // The badge's own tooltip: why the weather beside it is old, and from when.
    if (event && view && index.isValid() && event->type() == QEvent::ToolTip) {
        const QString reason = index.data(PlacesModel::StaleReasonRole).toString();
        if (!reason.isEmpty() && rowLayout(option, index).staleBadge.contains(event->pos())) {
            QToolTip::showText(event->globalPos(), DisplayText::toolTip(reason), view->viewport(),
                               rowLayout(option, index).staleBadge);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
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
