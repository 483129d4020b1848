// SPDX-License-Identifier: MIT
#include "preferencesdialog.h"

#include "ui_preferencesdialog.h"

#include "models/displaytext.h"
#include "themecolors.h"
#include "weather/providerfactory.h"
#include "weather/redisurl.h"
#include "weather/settings.h"
#include "weather/weatherprovider.h"
#include "weathercard.h"

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSslCertificate>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kMiB = 1024 * 1024;
} // namespace

PreferencesDialog::PreferencesDialog(Settings *settings, QNetworkAccessManager *network,
                                     QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::PreferencesDialog>())
    , m_settings(settings)
    , m_network(network)
{
    ui->setupUi(this);
    ThemeColors::keepPlaceholdersReadable(this);
    for (const ProviderInfo &provider : providers()) {
        ui->providerCombo->addItem(provider.requiresKey
                                       ? tr("%1 (needs your own API key)").arg(provider.displayName)
                                       : tr("%1 (free, no key needed)").arg(provider.displayName),
                                   provider.id);
    }
    setUpUnits();
    ui->keyResultLabel->hide();
    ui->sharedCacheNote->setText(sharedCacheNote());

    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(ui->testKeyButton, &QPushButton::clicked, this, &PreferencesDialog::testKey);
    connect(ui->sharedCacheCaBrowseButton, &QPushButton::clicked, this,
            &PreferencesDialog::browseTlsCaFile);
    connect(ui->providerCombo, &QComboBox::currentIndexChanged, this,
            &PreferencesDialog::updateKeyWidgets);
    connect(ui->apiKeyEdit, &QLineEdit::textEdited, this, [this] {
        ui->keyResultLabel->hide();
        m_rejectedKeyWarned = false;
    });
    load();
}

PreferencesDialog::~PreferencesDialog() = default;

void PreferencesDialog::browseTlsCaFile()
{
    // Opened, not exec()'d: no nested event loop.
    const QString current = ui->sharedCacheCaEdit->text().trimmed();
    auto *dialog = new QFileDialog(this, tr("TLS CA File"),
                                   current.isEmpty() ? QString() : QFileInfo(current).path(),
                                   tr("PEM certificates (*.pem *.crt);;All files (*)"));
    dialog->setObjectName(u"tlsCaFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    if (!current.isEmpty())
        dialog->selectFile(current);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString &file) { ui->sharedCacheCaEdit->setText(file); });
    dialog->open();
}

QString PreferencesDialog::sharedCacheNote()
{
    return tr("Machines that share one Redis ask the provider once for all of them. Takes "
              "effect the next time WeatherDash starts.");
}

void PreferencesDialog::load()
{
    ui->providerCombo->setCurrentIndex(
        qMax(0, ui->providerCombo->findData(m_settings->providerId())));
    ui->apiKeyEdit->setText(m_settings->storedApiKey());
    if (m_settings->storedApiKey().isEmpty() && !m_settings->apiKey().isEmpty())
        ui->apiKeyEdit->setPlaceholderText(tr("Using OPENWEATHERMAP_API_KEY"));
    showUnits(m_settings->units());
    ui->airQualityScaleCombo->setCurrentIndex(
        qMax(0, ui->airQualityScaleCombo->findData(int(m_settings->airQualityScale()))));
    ui->currentTtlSpin->setValue(int(m_settings->currentTtlMs() / kMinute));
    ui->forecastTtlSpin->setValue(int(m_settings->forecastTtlMs() / kMinute));
    ui->staleHorizonSpin->setValue(int(m_settings->staleHorizonMs() / kHour));
    ui->memoryLimitSpin->setValue(int(qMax<qint64>(1, m_settings->memoryLimitBytes() / kMiB)));
    // The address may hold a password: shown with "***" instead, and kept unless edited.
    const QString stored = m_settings->storedSharedCacheUrl();
    const auto parsed = RedisUrl::parse(stored);
    m_shownSharedCacheUrl = parsed ? parsed->redacted() : stored;
    ui->sharedCacheEdit->setText(m_shownSharedCacheUrl);
    if (!qEnvironmentVariableIsEmpty("WEATHERDASH_REDIS_URL"))
        ui->sharedCacheEdit->setPlaceholderText(tr("Using WEATHERDASH_REDIS_URL"));
    ui->sharedCacheCaEdit->setText(m_settings->storedSharedCacheTlsCaFile());
    if (!qEnvironmentVariableIsEmpty("WEATHERDASH_REDIS_TLS_CA"))
        ui->sharedCacheCaEdit->setPlaceholderText(tr("Using WEATHERDASH_REDIS_TLS_CA"));
    updateKeyWidgets();
    loadDesktop();
    setUpLocation();
}

bool PreferencesDialog::checkSharedCacheUrl()
{
    const QString text = ui->sharedCacheEdit->text().trimmed();
    QString why;
    if (!text.isEmpty() && text != m_shownSharedCacheUrl && !RedisUrl::parse(text, &why)) {
        ui->sharedCacheNote->setText(why);
        ui->tabs->setCurrentWidget(ui->cacheTab); // the note is read where it is
        ui->sharedCacheEdit->setFocus();
        return false;
    }
    // The CA file is read when WeatherDash starts; a wrong path is said now, not then.
    const QString ca = ui->sharedCacheCaEdit->text().trimmed();
    if (!ca.isEmpty() && ca != m_settings->storedSharedCacheTlsCaFile()) {
        QFile file(ca);
        if (!file.open(QIODevice::ReadOnly))
            why = tr("The TLS CA file cannot be read: %1.").arg(file.errorString());
        else if (QSslCertificate::fromDevice(&file, QSsl::Pem).isEmpty())
            why = tr("The TLS CA file holds no PEM certificate.");
        if (!why.isEmpty()) {
            ui->sharedCacheNote->setText(why);
            ui->tabs->setCurrentWidget(ui->cacheTab);
            ui->sharedCacheCaEdit->setFocus();
            return false;
        }
    }
    ui->sharedCacheNote->setText(sharedCacheNote());
    return true;
}

void PreferencesDialog::apply()
{
    m_settings->setProviderId(selectedProviderId());
    m_settings->setApiKey(ui->apiKeyEdit->text());
    m_settings->setUnits(selectedUnits());
    m_settings->setAirQualityScale(
        AirQuality::Scale(ui->airQualityScaleCombo->currentData().toInt()));
    m_settings->setCurrentTtlMs(ui->currentTtlSpin->value() * kMinute);
    m_settings->setForecastTtlMs(ui->forecastTtlSpin->value() * kMinute);
    m_settings->setStaleHorizonMs(ui->staleHorizonSpin->value() * kHour);
    m_settings->setMemoryLimitBytes(ui->memoryLimitSpin->value() * kMiB);
    const QString shared = ui->sharedCacheEdit->text().trimmed();
    if (shared != m_shownSharedCacheUrl)
        m_settings->setSharedCacheUrl(shared);
    m_settings->setSharedCacheTlsCaFile(ui->sharedCacheCaEdit->text());
    applyDesktop();
    m_settings->setLocationEnabled(m_locationCheck->isChecked());
}

bool PreferencesDialog::checkProvider()
{
    if (!providerOrDefault(selectedProviderId()).requiresKey)
        return true;
    const QString typed = ui->apiKeyEdit->text().trimmed();
    if (typed.isEmpty() && m_settings->apiKey().isEmpty()) {
        showKeyLine(false, tr("OpenWeatherMap needs an API key: enter yours, or choose "
                              "Open-Meteo, which needs none."));
        ui->tabs->setCurrentWidget(ui->generalTab);
        ui->apiKeyEdit->setFocus();
        return false;
    }
    const QString key = typed.isEmpty() ? m_settings->apiKey() : typed;
    if (!m_rejectedKey.isEmpty() && key == m_rejectedKey && !m_rejectedKeyWarned) {
        // A key just activated can be refused for up to two hours: warn once, then save.
        m_rejectedKeyWarned = true;
        showKeyLine(false, tr("OpenWeatherMap rejected this key. A new key can take up to "
                              "two hours to become active: press OK again to save it anyway."));
        ui->tabs->setCurrentWidget(ui->generalTab);
        ui->apiKeyEdit->setFocus();
        return false;
    }
    return true;
}

void PreferencesDialog::accept()
{
    if (!checkSharedCacheUrl())
        return; // the note says what is wrong; nothing is saved
    if (!checkProvider())
        return;
    apply();
    QDialog::accept();
}

void PreferencesDialog::setUpUnits()
{
    // Issue 23: the card's air-quality index, European by default.
    ui->airQualityScaleCombo->addItem(tr("European (EEA, 0–100+)"),
                                      QVariant::fromValue(int(AirQuality::Scale::European)));
    ui->airQualityScaleCombo->addItem(tr("US (EPA AQI, 0–500)"),
                                      QVariant::fromValue(int(AirQuality::Scale::US)));
    // The preset sets all four; changing one of them shows which preset that is, or Custom.
    ui->unitsCombo->addItem(tr("Metric (°C, km/h, hPa, mm)"), QVariant::fromValue(Units::Metric));
    ui->unitsCombo->addItem(tr("Imperial (°F, mph, inHg, in)"),
                            QVariant::fromValue(Units::Imperial));
    ui->unitsCombo->addItem(tr("Custom"));
    const auto add = [](QComboBox *combo, const QString &text, auto unit) {
        combo->addItem(text, QVariant::fromValue(int(unit)));
    };
    add(ui->temperatureUnitCombo, tr("Celsius (°C)"), TemperatureUnit::Celsius);
    add(ui->temperatureUnitCombo, tr("Fahrenheit (°F)"), TemperatureUnit::Fahrenheit);
    add(ui->windUnitCombo, tr("Kilometres per hour (km/h)"), WindSpeedUnit::KilometresPerHour);
    add(ui->windUnitCombo, tr("Metres per second (m/s)"), WindSpeedUnit::MetresPerSecond);
    add(ui->windUnitCombo, tr("Miles per hour (mph)"), WindSpeedUnit::MilesPerHour);
    add(ui->windUnitCombo, tr("Knots (kn)"), WindSpeedUnit::Knots);
    add(ui->windUnitCombo, tr("Beaufort scale (Bft)"), WindSpeedUnit::Beaufort);
    add(ui->pressureUnitCombo, tr("Hectopascals (hPa)"), PressureUnit::Hectopascal);
    add(ui->pressureUnitCombo, tr("Inches of mercury (inHg)"), PressureUnit::InchOfMercury);
    add(ui->pressureUnitCombo, tr("Millimetres of mercury (mmHg)"),
        PressureUnit::MillimetreOfMercury);
    add(ui->precipitationUnitCombo, tr("Millimetres (mm)"), PrecipitationUnit::Millimetre);
    add(ui->precipitationUnitCombo, tr("Inches (in)"), PrecipitationUnit::Inch);
    connect(ui->unitsCombo, &QComboBox::activated, this, [this](int index) {
        const QVariant preset = ui->unitsCombo->itemData(index);
        if (preset.isValid())
            showUnits(UnitSet::preset(preset.value<Units>()));
    });
    for (QComboBox *combo : {ui->temperatureUnitCombo, ui->windUnitCombo, ui->pressureUnitCombo,
                             ui->precipitationUnitCombo}) {
        connect(combo, &QComboBox::activated, this, [this] { showUnits(selectedUnits()); });
    }
}

void PreferencesDialog::showUnits(const UnitSet &units)
{
    const auto select = [](QComboBox *combo, int value) {
        combo->setCurrentIndex(qMax(0, combo->findData(value)));
    };
    select(ui->temperatureUnitCombo, int(units.temperature));
    select(ui->windUnitCombo, int(units.windSpeed));
    select(ui->pressureUnitCombo, int(units.pressure));
    select(ui->precipitationUnitCombo, int(units.precipitation));
    const auto preset = units.matchingPreset();
    ui->unitsCombo->setCurrentIndex(preset ? ui->unitsCombo->findData(QVariant::fromValue(*preset))
                                           : ui->unitsCombo->count() - 1);
}

UnitSet PreferencesDialog::selectedUnits() const
{
    UnitSet units;
    units.temperature = TemperatureUnit(ui->temperatureUnitCombo->currentData().toInt());
    units.windSpeed = WindSpeedUnit(ui->windUnitCombo->currentData().toInt());
    units.pressure = PressureUnit(ui->pressureUnitCombo->currentData().toInt());
    units.precipitation = PrecipitationUnit(ui->precipitationUnitCombo->currentData().toInt());
    return units;
}

QString PreferencesDialog::selectedProviderId() const
{
    return ui->providerCombo->currentData().toString();
}

void PreferencesDialog::updateKeyWidgets()
{
    const bool needsKey = providerOrDefault(selectedProviderId()).requiresKey;
    ui->apiKeyEdit->setEnabled(needsKey);
    ui->apiKeyCaption->setEnabled(needsKey);
    ui->testKeyButton->setText(needsKey ? tr("&Test key") : tr("&Test connection"));
    ui->keyResultLabel->hide();
}

QString PreferencesDialog::keyTestResult() const
{
    return ui->keyResultLabel->isHidden() ? QString() : ui->keyResultLabel->text();
}

void PreferencesDialog::showKeyLine(bool succeeded, const QString &message)
{
    // The message may carry a server's reason: plain (keyResultLabel's textFormat), one line.
    ui->keyResultLabel->setText((succeeded ? u"✔ "_s : u"✘ "_s) + DisplayText::plain(message));
    QPalette pal = palette();
    // From the dialog's palette: readable on a dark window too.
    pal.setColor(QPalette::WindowText, succeeded ? ThemeColors::successText(palette())
                                                 : ThemeColors::failureText(palette()));
    ui->keyResultLabel->setPalette(pal);
    ui->keyResultLabel->show();
}

void PreferencesDialog::showKeyResult(bool succeeded, const QString &message)
{
    showKeyLine(succeeded, message);
    ui->testKeyButton->setEnabled(true);
    Q_EMIT keyTestFinished(succeeded, message);
}

void PreferencesDialog::testKey()
{
    // The service's own configuration and factory, with the provider and key being edited:
    // the test asks exactly the endpoints, with the key and timeout, that will be used.
    ServiceConfig config = m_settings->serviceConfig();
    const Units units = ui->unitsCombo->currentData().value<Units>();
    config.providerId = selectedProviderId();
    if (providerOrDefault(selectedProviderId()).requiresKey) {
        const QString key = ui->apiKeyEdit->text().trimmed().isEmpty()
                                ? m_settings->apiKey()
                                : ui->apiKeyEdit->text().trimmed();
        if (key.isEmpty()) {
            showKeyResult(false, tr("Enter your OpenWeatherMap API key first."));
            return;
        }
        config.apiKey = key;
    }
    m_testProvider = makeProvider(config, m_network, nullptr);

    // A real request for a well-known place: what the key can do is what matters.
    Location london;
    london.name = u"London"_s;
    london.countryCode = u"GB"_s;
    london.latitude = 51.50853;
    london.longitude = -0.12574;

    ui->testKeyButton->setEnabled(false);
    ui->keyResultLabel->setText(tr("Asking %1…").arg(m_testProvider->displayName()));
    ui->keyResultLabel->setPalette(QPalette());
    ui->keyResultLabel->show();
    const int generation = ++m_testGeneration;
    const QString provider = m_testProvider->displayName();
    const QString testedKey = config.apiKey;
    m_testProvider->fetchCurrent(london, units)
        .then(this, [this, generation, provider,
                     testedKey](const WeatherResult<CurrentConditions> &result) {
            if (generation != m_testGeneration)
                return;
            const bool rejected = !result.ok()
                                  && (result.error.kind() == WeatherError::ApiKeyRejected
                                      || result.error.kind() == WeatherError::ApiKeyMissing);
            m_rejectedKey = rejected ? testedKey : QString();
            m_rejectedKeyWarned = false;
            if (result.ok()) {
                showKeyResult(
                    true, tr("%1 answered: %2 in London right now.")
                              .arg(provider, WeatherCard::temperatureText(result.value->temperature,
                                                                          result.value->units)));
            } else {
                showKeyResult(false, result.error.message());
            }
        });
}

void PreferencesDialog::loadDesktop()
{
    const bool tray = QSystemTrayIcon::isSystemTrayAvailable();
    ui->keepInTrayCheck->setChecked(m_settings->keepInTray());
    ui->keepInTrayCheck->setEnabled(tray);
    ui->trayNote->setVisible(!tray);
    ui->notifyOutageCheck->setChecked(m_settings->notifyOutage());
    ui->outageMinutesSpin->setValue(m_settings->outageMinutes());
    ui->outageMinutesSpin->setEnabled(m_settings->notifyOutage());
    connect(ui->notifyOutageCheck, &QCheckBox::toggled, ui->outageMinutesSpin, &QWidget::setEnabled,
            Qt::UniqueConnection);
    ui->notifyRainCheck->setChecked(m_settings->notifyRain());
    // Severe-weather alerts (issue 22): the least severity told; off by default.
    if (ui->alertThresholdCombo->count() == 0) {
        ui->alertThresholdCombo->addItem(tr("Off"), QString());
        ui->alertThresholdCombo->addItem(tr("Extreme only"), u"extreme"_s);
        ui->alertThresholdCombo->addItem(tr("Severe and extreme"), u"severe"_s);
        ui->alertThresholdCombo->addItem(tr("Moderate and above"), u"moderate"_s);
        ui->alertThresholdCombo->addItem(tr("Any alert"), u"any"_s);
    }
    const int threshold = ui->alertThresholdCombo->findData(m_settings->alertThreshold());
    ui->alertThresholdCombo->setCurrentIndex(std::max(0, threshold));
}

void PreferencesDialog::applyDesktop()
{
    m_settings->setKeepInTray(ui->keepInTrayCheck->isChecked());
    m_settings->setNotifyOutage(ui->notifyOutageCheck->isChecked());
    m_settings->setOutageMinutes(ui->outageMinutesSpin->value());
    m_settings->setNotifyRain(ui->notifyRainCheck->isChecked());
    m_settings->setAlertThreshold(ui->alertThresholdCombo->currentData().toString());
}

void PreferencesDialog::setUpLocation()
{
    if (!m_locationCheck) {
        auto *box = new QGroupBox(tr("Location"), ui->desktopTab);
        box->setObjectName(u"locationBox"_s);
        auto *layout = new QVBoxLayout(box);
        m_locationCheck = new QCheckBox(tr("Use my &location: “Here” at the top of Places"), box);
        m_locationCheck->setObjectName(u"locationCheck"_s);
        auto *note = new QLabel(
            tr("Your desktop (GeoClue) says where you are; OpenStreetMap Nominatim names the "
               "place, once per kilometre. Nothing is asked until this is on."),
            box);
        note->setTextFormat(Qt::PlainText);
        note->setWordWrap(true);
        layout->addWidget(m_locationCheck);
        layout->addWidget(note);
        // Above the tab's closing spacer.
        ui->desktopTabLayout->insertWidget(ui->desktopTabLayout->count() - 1, box);
    }
    m_locationCheck->setChecked(m_settings->locationEnabled());
}
