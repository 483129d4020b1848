// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
struct Location;

/**
 * "Use my location": the one control that turns "Here" on or off, with one line under it
 * saying what happened (the place found and its credit, or why there is none). For the empty
 * start page and Preferences; it knows neither Settings nor the position source.
 *
 * Clicking only asks (locationToggleRequested()); the owner writes Settings::locationEnabled(),
 * starts or stops the HereLocator and calls setLocationEnabled() back, so the button never
 * shows "on" for a location nobody asked for. Texts are plain text: a place name from the
 * network is never read as markup.
 */
class UseLocationButton : public QWidget
{
    Q_OBJECT
public:
    explicit UseLocationButton(QWidget *parent = nullptr);
    ~UseLocationButton() override;

    void setLocationEnabled(bool enabled);
    bool isLocationEnabled() const { return m_enabled; }

    /** Here was found: "Here: Berlin, DE", and the name's credit beside it. */
    void setHere(const Location &here, const QString &attribution);
    /** Why there is no Here (PositionSource::statusText()); empty clears the line. */
    void setProblem(const QString &sentence);

    QString statusText() const;
    QPushButton *button() const { return m_button; }

Q_SIGNALS:
    /** The person asked to turn location on (true) or off (false). */
    void locationToggleRequested(bool enable);

private:
    void updateTexts();

    QPushButton *m_button;
    QLabel *m_status;
    bool m_enabled = false;
};
