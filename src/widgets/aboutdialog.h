// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLabel;

/**
 * Help ▸ About: the version, the licence, who the data comes from (every provider WeatherDash
 * can ask, with its licence and a link, and the one in use now), the website and where to report
 * a problem, and the Qt it runs on. Links open in the browser. Built in code: two labels and a
 * Close button do not need a Designer file.
 */
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    /** `providerInUse`: the attribution of the weather provider asked now (may be empty). */
    explicit AboutDialog(const QString &providerInUse, QWidget *parent = nullptr);

    /** The dialog's rich text: our own markup, outside words escaped. */
    static QString aboutText(const QString &providerInUse);

    static QString homepage();
    static QString bugTracker();

private:
    QLabel *m_text;
};
