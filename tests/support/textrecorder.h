// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPen>
#include <QString>

#include <memory>

/**
 * A paint device that keeps what is painted as text, with the pen it was painted in: a
 * contrast test reads the colours a widget or delegate really used, not the ones it meant to.
 * Everything else painted is dropped.
 */
class TextRecorder : public QPaintDevice
{
public:
    struct Text
    {
        QString text;
        QColor color;
        QPointF position;
    };

    explicit TextRecorder(const QSize &size)
        : m_size(size)
        , m_engine(std::make_unique<Engine>())
    { }
    ~TextRecorder() override = default;

    QPaintEngine *paintEngine() const override { return m_engine.get(); }
    QList<Text> texts() const { return m_engine->texts; }

protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth:
            return m_size.width();
        case PdmHeight:
            return m_size.height();
        case PdmWidthMM:
            return m_size.width() * 254 / 960;
        case PdmHeightMM:
            return m_size.height() * 254 / 960;
        case PdmNumColors:
            return 0x7fffffff;
        case PdmDepth:
            return 32;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return 96;
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return int(devicePixelRatioFScale());
        }
        return 0;
    }

private:
    struct Engine : QPaintEngine
    {
        Engine()
            : QPaintEngine(QPaintEngine::AllFeatures)
        { }
        bool begin(QPaintDevice *) override { return true; }
        bool end() override { return true; }
        void updateState(const QPaintEngineState &state) override
        {
            if (state.state() & QPaintEngine::DirtyPen)
                pen = state.pen();
        }
        void drawPixmap(const QRectF &, const QPixmap &, const QRectF &) override { }
        void drawPath(const QPainterPath &) override { }
        void drawPolygon(const QPointF *, int, PolygonDrawMode) override { }
        void drawTextItem(const QPointF &position, const QTextItem &item) override
        {
            texts.append({item.text(), pen.color(), position});
        }
        Type type() const override { return QPaintEngine::User; }

        QPen pen;
        QList<Text> texts;
    };

    QSize m_size;
    std::unique_ptr<Engine> m_engine;
};
