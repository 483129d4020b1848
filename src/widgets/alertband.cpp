// SPDX-License-Identifier: MIT
#include "alertband.h"

#include "weather/alertformat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

AlertBand::AlertBand(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    setVisible(false);
}

AlertBand::~AlertBand() = default;

QColor AlertBand::background(WeatherAlert::Severity severity)
{
    // The colours national services use for their warning levels (red, orange, yellow), dark
    // enough (or light enough, for yellow) that the text on them stays at 4.5:1 or better.
    switch (severity) {
    case WeatherAlert::Severity::Extreme:
        return QColor(0x8f, 0x13, 0x1d); // deep red, white text
    case WeatherAlert::Severity::Severe:
        return QColor(0xb3, 0x3c, 0x00); // orange, white text
    case WeatherAlert::Severity::Moderate:
        return QColor(0xf6, 0xd3, 0x2d); // yellow, black text
    case WeatherAlert::Severity::Minor:
        return QColor(0xd6, 0xe6, 0xf5); // pale blue, black text
    case WeatherAlert::Severity::Unknown:
        break;
    }
    return QColor(0xde, 0xdd, 0xda); // grey, black text
}

QColor AlertBand::foreground(WeatherAlert::Severity severity)
{
    return severity >= WeatherAlert::Severity::Severe ? QColor(Qt::white) : QColor(Qt::black);
}

AlertBand::Row AlertBand::makeRow(const WeatherAlert &alert, const QTimeZone &zone,
                                  const QDateTime &now)
{
    Row row;
    row.frame = new QWidget(this);
    row.frame->setObjectName(u"alertRow"_s);
    row.frame->setAutoFillBackground(true);
    QPalette palette = row.frame->palette();
    palette.setColor(QPalette::Window, background(alert.severity));
    palette.setColor(QPalette::WindowText, foreground(alert.severity));
    palette.setColor(QPalette::ButtonText, foreground(alert.severity));
    row.frame->setPalette(palette);

    auto *outer = new QVBoxLayout(row.frame);
    outer->setContentsMargins(8, 6, 8, 6);
    auto *top = new QHBoxLayout;
    auto *texts = new QVBoxLayout;
    // Every label is plain text: event, sender and descriptions come from outside.
    row.title = new QLabel(row.frame);
    row.title->setTextFormat(Qt::PlainText);
    row.title->setWordWrap(true);
    QFont bold = row.title->font();
    bold.setBold(true);
    row.title->setFont(bold);
    //: An alert band's first line: "⚠ Severe: Gale warning"
    row.title->setText(tr("⚠ %1: %2")
                           .arg(WeatherAlert::severityText(alert.severity),
                                alert.event.isEmpty() ? alert.headline : alert.event));
    row.when = new QLabel(row.frame);
    row.when->setTextFormat(Qt::PlainText);
    row.when->setWordWrap(true);
    QStringList when{AlertFormat::period(alert, zone, now)};
    if (!alert.sender.isEmpty())
        when << alert.sender;
    row.when->setText(when.join(u" · "_s));
    texts->addWidget(row.title);
    texts->addWidget(row.when);
    top->addLayout(texts, 1);
    row.toggle = new QToolButton(row.frame);
    row.toggle->setCheckable(true);
    row.toggle->setText(tr("Details"));
    row.toggle->setToolTip(tr("Show what the warning says and what to do"));
    row.toggle->setAutoRaise(true);
    top->addWidget(row.toggle, 0, Qt::AlignTop);
    outer->addLayout(top);

    row.details = new QLabel(row.frame);
    row.details->setTextFormat(Qt::PlainText);
    row.details->setWordWrap(true);
    row.details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QStringList details;
    if (!alert.headline.isEmpty() && alert.headline != alert.event)
        details << alert.headline;
    if (!alert.description.isEmpty())
        details << alert.description;
    if (!alert.instruction.isEmpty())
        details << alert.instruction;
    if (!alert.web.isEmpty())
        details << alert.web;
    row.details->setText(details.join(u"\n\n"_s));
    row.details->setVisible(false);
    outer->addWidget(row.details);
    row.toggle->setEnabled(!details.isEmpty());

    row.frame->setAccessibleName(row.title->text());
    row.frame->setAccessibleDescription(row.when->text());
    return row;
}

void AlertBand::setAlerts(const WeatherAlertList &alerts, const QTimeZone &placeZone,
                          const QDateTime &now)
{
    // Kept open across a refresh: the same alert id stays expanded.
    QSet<QString> open;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (isExpanded(i))
            open.insert(m_alerts.at(i).id);
    }
    for (const Row &row : std::as_const(m_rows))
        delete row.frame;
    m_rows.clear();
    m_alerts = alerts;
    for (int i = 0; i < alerts.size(); ++i) {
        Row row = makeRow(alerts.at(i), placeZone, now);
        m_layout->addWidget(row.frame);
        m_rows.append(row);
        connect(row.toggle, &QToolButton::toggled, this, [this, i](bool on) {
            if (i >= m_rows.size())
                return;
            m_rows.at(i).details->setVisible(on);
            Q_EMIT expandedChanged(i, on);
        });
        if (open.contains(alerts.at(i).id))
            row.toggle->setChecked(true);
    }
    setVisible(!alerts.isEmpty());
}

bool AlertBand::isExpanded(int index) const
{
    return index >= 0 && index < m_rows.size() && m_rows.at(index).toggle->isChecked();
}

void AlertBand::setExpanded(int index, bool expanded)
{
    if (index >= 0 && index < m_rows.size() && m_rows.at(index).toggle->isEnabled())
        m_rows.at(index).toggle->setChecked(expanded);
}

QString AlertBand::summaryText(int index) const
{
    if (index < 0 || index >= m_rows.size())
        return {};
    return m_rows.at(index).title->text() + u'\n' + m_rows.at(index).when->text();
}

QString AlertBand::detailsText(int index) const
{
    if (index < 0 || index >= m_rows.size() || m_rows.at(index).details->isHidden())
        return {};
    return m_rows.at(index).details->text();
}
