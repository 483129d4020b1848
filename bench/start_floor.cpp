// SPDX-License-Identifier: MIT
// The floor for bench_start: a minimal Qt Widgets window (a main window with a menu bar, a
// status bar and a few labels, one a temperature), started like WeatherDash and signalling
// like it: with WEATHERDASH_BENCH_FIRST_WEATHER=<ms> set, its first paint with the temperature
// prints "first-weather-frame <epoch ms>", and <ms> later it prints its memory and quits.
//
//   WEATHERDASH_BENCH_FIRST_WEATHER=0 ./build/bench/start_floor
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

qint64 statusKib(const QByteArray &field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

class Watch : public QObject
{
public:
    Watch(QWidget *temperature, int quitAfterMs)
        : m_temperature(temperature)
        , m_quitAfterMs(quitAfterMs)
    {
        temperature->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_temperature && event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] {
                std::printf("first-weather-frame %lld\n",
                            qint64(QDateTime::currentMSecsSinceEpoch()));
                std::fflush(stdout);
                QTimer::singleShot(m_quitAfterMs, this, [] {
                    std::printf("resident-kib %lld peak-kib %lld\n", statusKib("VmRSS:"),
                                statusKib("VmHWM:"));
                    std::fflush(stdout);
                    QApplication::quit();
                });
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget *m_temperature;
    int m_quitAfterMs;
    bool m_seen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.menuBar()->addMenu(u"&File"_s);
    window.menuBar()->addMenu(u"&View"_s);
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(new QLabel(u"Berlin, DE"_s));
    auto *temperature = new QLabel(u"21\u202f°C"_s);
    QFont big = temperature->font();
    big.setPointSize(big.pointSize() * 3);
    temperature->setFont(big);
    layout->addWidget(temperature);
    layout->addWidget(new QLabel(u"Partly cloudy · Feels like 20\u202f°C"_s));
    window.setCentralWidget(central);
    window.statusBar()->showMessage(u"Updated just now"_s);
    std::unique_ptr<Watch> watch;
    bool ok = false;
    const int quitAfterMs = qEnvironmentVariableIntValue("WEATHERDASH_BENCH_FIRST_WEATHER", &ok);
    if (ok)
        watch = std::make_unique<Watch>(temperature, qMax(0, quitAfterMs));
    window.resize(1280, 800);
    window.show();
    return app.exec();
}
