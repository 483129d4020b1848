// SPDX-License-Identifier: MIT
#include "aboutdialog.h"

#include "models/displaytext.h"
#include "weather/nominatimparser.h"
#include "weathericons.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QString link(const QString &url, const QString &text)
{
    return u"<a href=\"%1\">%2</a>"_s.arg(url.toHtmlEscaped(), text.toHtmlEscaped());
}
} // namespace

QString AboutDialog::homepage()
{
    return u"https://github.com/weatherdash/weatherdash"_s; // as in the AppStream metainfo
}

QString AboutDialog::bugTracker()
{
    return homepage() + u"/issues"_s;
}

QString AboutDialog::aboutText(const QString &providerInUse)
{
    QString text = u"<h3>"_s
                   + tr("WeatherDash %1").arg(QStringLiteral(WEATHERDASH_VERSION)).toHtmlEscaped()
                   + u"</h3><p>"_s
                   + tr("Current weather, the coming hours and days for any city, with a live "
                        "view of the cache that keeps requests to the weather service few.")
                         .toHtmlEscaped()
                   + u"</p><p>"_s
                   + tr("Free software under the %1. © 2026 The WeatherDash developers.")
                         .toHtmlEscaped()
                         .arg(link(u"https://opensource.org/license/mit"_s, tr("MIT licence")))
                   + u"</p><p><b>"_s + tr("Data").toHtmlEscaped() + u"</b><br>"_s;
    const QStringList credits{
        tr("Weather by %1, under CC BY 4.0")
            .toHtmlEscaped()
            .arg(link(u"https://open-meteo.com/"_s, u"Open-Meteo.com"_s)),
        tr("Weather by %1 (with your own key), under CC BY-SA 4.0")
            .toHtmlEscaped()
            .arg(link(u"https://openweathermap.org/"_s, u"OpenWeatherMap"_s)),
        tr("Place names for “Here”: %1, under the ODbL")
            .toHtmlEscaped()
            .arg(
                link(u"https://www.openstreetmap.org/copyright"_s, NominatimParser::attribution())),
    };
    text += credits.join(u"<br>"_s) + u"</p>"_s;
    if (!providerInUse.isEmpty())
        text += u"<p>"_s
                + tr("In use now: %1").toHtmlEscaped().arg(DisplayText::html(providerInUse))
                + u"</p>"_s;
    text += u"<p>"_s + link(homepage(), tr("Website")) + u" · "_s
            + link(bugTracker(), tr("Report a problem")) + u"</p><p>"_s
            + tr("Built with Qt %1, running on Qt %2.")
                  .arg(QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()))
                  .toHtmlEscaped()
            + u"</p>"_s;
    return text;
}

AboutDialog::AboutDialog(const QString &providerInUse, QWidget *parent)
    : QDialog(parent)
    , m_text(new QLabel(this))
{
    setWindowTitle(tr("About WeatherDash"));
    auto *icon = new QLabel(this);
    icon->setPixmap(WeatherIcons::appIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    icon->setAccessibleName(tr("WeatherDash icon"));
    m_text->setObjectName(u"aboutText"_s);
    m_text->setTextFormat(Qt::RichText);
    m_text->setWordWrap(true);
    m_text->setOpenExternalLinks(true);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_text->setText(aboutText(providerInUse));
    m_text->setMinimumWidth(360);
    m_text->setMaximumWidth(520);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *row = new QHBoxLayout;
    row->setSpacing(16);
    row->addWidget(icon);
    row->addWidget(m_text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}
