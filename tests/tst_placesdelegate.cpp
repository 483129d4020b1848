// SPDX-License-Identifier: MIT
// The Places list's rename editor (issue 27, N29): framed, over the name line only, commits on
// Enter and on focus out, refuses an empty name with a sentence.
#include "showntooltip.h"

#include "models/placesmodel.h"
#include "widgets/placesdelegate.h"

#include <QHelpEvent>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTest>
#include <QToolTip>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

class tst_PlacesDelegate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_window = std::make_unique<QWidget>();
        m_window->resize(320, 400);
        auto *layout = new QVBoxLayout(m_window.get());
        m_view = new QListView(m_window.get());
        m_other = new QLineEdit(m_window.get());
        layout->addWidget(m_view);
        layout->addWidget(m_other);
        m_model = new QStandardItemModel(m_view);
        for (const QString &name : {u"Tokyo"_s, u"Berlin"_s})
            m_model->appendRow(new QStandardItem(name));
        m_view->setModel(m_model);
        m_delegate = new PlacesDelegate(m_view);
        m_view->setItemDelegate(m_delegate);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup() { m_window.reset(); }

    void editorIsAFramedFieldBesideTheIcon()
    {
        QLineEdit *edit = startEditing(0);
        QVERIFY(edit->hasFrame());
        QCOMPARE(edit->text(), u"Tokyo"_s);
        const QRect row = m_view->visualRect(m_model->index(0, 0));
        // Not over the icon on the left (32 px and its margin), not over the temperature.
        QVERIFY2(edit->geometry().left() >= row.left() + 32,
                 qPrintable(QString::number(edit->geometry().left())));
        QVERIFY(edit->geometry().right() < row.right() - 20);
        QVERIFY(edit->height() >= edit->sizeHint().height() - 1);
    }

    void enterCommits()
    {
        QLineEdit *edit = startEditing(0);
        edit->selectAll();
        QTest::keyClicks(edit, u"Home"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(m_model->item(0)->text(), u"Home"_s); // Qt commits in a queued call
        QTRY_VERIFY(!m_view->findChild<QLineEdit *>());
    }

    void focusOutCommits()
    {
        QLineEdit *edit = startEditing(1);
        edit->selectAll();
        QTest::keyClicks(edit, u"Work"_s);
        m_other->setFocus(); // clicking elsewhere
        QTRY_COMPARE(m_model->item(1)->text(), u"Work"_s);
    }

    void escapeKeepsTheOldName()
    {
        QLineEdit *edit = startEditing(0);
        edit->selectAll();
        QTest::keyClicks(edit, u"Nope"_s);
        QTest::keyClick(edit, Qt::Key_Escape);
        QCOMPARE(m_model->item(0)->text(), u"Tokyo"_s);
    }

    void emptyNameIsRefusedWithASentence()
    {
        QSignalSpy rejected(m_delegate, &PlacesDelegate::nameRejected);
        QLineEdit *edit = startEditing(0);
        edit->clear();
        QTest::keyClicks(edit, u"   "_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QCoreApplication::processEvents(); // the queued commit, had there been one
        // Refused: the name stays, the editor stays open to type one, and a sentence says so.
        QCOMPARE(m_model->item(0)->text(), u"Tokyo"_s);
        QCOMPARE(rejected.size(), 1);
        const QString sentence = rejected.at(0).at(0).toString();
        QVERIFY2(sentence.endsWith(u'.') && sentence.contains(u"name"_s), qPrintable(sentence));
        QVERIFY(m_view->findChild<QLineEdit *>() == edit && edit->isVisible());
        edit->clear();
        QTest::keyClicks(edit, u"Home"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(m_model->item(0)->text(), u"Home"_s);
        QTRY_VERIFY(!m_view->findChild<QLineEdit *>());

        // Emptied and left: the old name is kept, and the sentence said again.
        edit = startEditing(1);
        edit->clear();
        m_other->setFocus();
        QTRY_VERIFY(!m_view->findChild<QLineEdit *>());
        QCOMPARE(m_model->item(1)->text(), u"Berlin"_s);
        QCOMPARE(rejected.size(), 2);
    }

    void hereCreditHasALineOfItsOwn_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("credit");
        // The Places sidebar of a 1280 px window's first start (255 px), and a narrower one.
        QTest::newRow("1280 px window, English") << 255 << u"© OpenStreetMap contributors"_s;
        QTest::newRow("1280 px window, German") << 255 << u"© OpenStreetMap-Mitwirkende"_s;
        QTest::newRow("220 px sidebar") << 220 << u"© OpenStreetMap contributors"_s;
    }
    void hereCreditHasALineOfItsOwn()
    {
        QFETCH(int, width);
        QFETCH(QString, credit);
        // Issue 27: beside the temperature the credit was cut to "© OpenStreetMap cont…".
        auto *here = new QStandardItem(u"Here · Potsdam"_s);
        here->setData(u"Here · Potsdam"_s, PlacesModel::LabelRole);
        here->setData(u"23 °C"_s, PlacesModel::TemperatureTextRole);
        here->setData(u"weather-few-clouds"_s, PlacesModel::IconNameRole);
        here->setData(u"Partly cloudy"_s, PlacesModel::DescriptionRole);
        here->setData(credit, PlacesModel::AttributionRole);
        m_model->insertRow(0, here);
        m_window->resize(width, 400);
        QTRY_COMPARE(m_window->width(), width);
        QStyleOptionViewItem option;
        option.initFrom(m_view->viewport());
        option.font = m_view->font();
        const QModelIndex index = m_model->index(0, 0);
        option.rect = m_view->visualRect(index);
        QVERIFY(option.rect.width() < width);
        QCOMPARE(option.rect.height(), m_delegate->sizeHint(option, index).height());
        const PlacesDelegate::RowLayout l = PlacesDelegate::rowLayout(option, index);
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        const int needed = QFontMetrics(small).horizontalAdvance(credit);
        QVERIFY2(l.credit.width() >= needed,
                 qPrintable(u"%1 px for %2 px"_s.arg(l.credit.width()).arg(needed)));
        QVERIFY(option.rect.contains(l.credit));
        QVERIFY(!l.credit.intersects(l.temperature));
        QVERIFY(!l.credit.intersects(l.icon));
        QVERIFY(!l.credit.intersects(l.detail));
        // The other rows have no credit line.
        QVERIFY(PlacesDelegate::rowLayout(option, m_model->index(1, 0)).credit.isNull());
    }

    void oldWeatherKeepsItsConditionAndShowsABadge()
    {
        // Issue 27: offline, the condition stays and a badge before it says why.
        const QString reason = u"Could not reach Open-Meteo — showing data from 14:02"_s;
        QStandardItem *tokyo = m_model->item(0);
        tokyo->setData(u"26 °C"_s, PlacesModel::TemperatureTextRole);
        tokyo->setData(u"weather-showers-scattered"_s, PlacesModel::IconNameRole);
        tokyo->setData(u"Slight rain showers"_s, PlacesModel::DescriptionRole);
        tokyo->setData(u"Could not reach Open-Meteo. Check your internet connection."_s,
                       PlacesModel::ProblemRole);
        QStyleOptionViewItem option;
        option.initFrom(m_view->viewport());
        option.font = m_view->font();
        const QModelIndex index = m_model->index(0, 0);
        option.rect = m_view->visualRect(index);
        QVERIFY(PlacesDelegate::rowLayout(option, index).staleBadge.isNull());

        tokyo->setData(reason, PlacesModel::StaleReasonRole);
        const PlacesDelegate::RowLayout l = PlacesDelegate::rowLayout(option, index);
        QVERIFY(!l.staleBadge.isNull());
        QVERIFY(l.staleBadge.right() < l.detail.left());
        QCOMPARE(l.staleBadge.top(), l.detail.top());

        // What the row paints on its second line is the condition, not the problem: render the
        // row with and without the condition and compare the condition's line.
        const auto render = [&] {
            QImage image(option.rect.size(), QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            QStyleOptionViewItem at = option;
            at.rect = QRect(QPoint(0, 0), option.rect.size());
            m_delegate->paint(&painter, at, index);
            painter.end();
            return image.copy(l.detail.translated(-option.rect.topLeft()));
        };
        const QImage withCondition = render();
        tokyo->setData(QString(), PlacesModel::DescriptionRole);
        const QImage without = render();
        QVERIFY(withCondition != without); // the condition was drawn there
        tokyo->setData(u"Slight rain showers"_s, PlacesModel::DescriptionRole);

        // Pointing at the badge tells why; pointing at the rest of the row, the row's tooltip.
        QHelpEvent help(QEvent::ToolTip, l.staleBadge.center(),
                        m_view->viewport()->mapToGlobal(l.staleBadge.center()));
        QVERIFY(m_delegate->helpEvent(&help, m_view, option, index));
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(shownToolTip(QToolTip::text()), reason);
        QToolTip::hideText();
    }

private:
    QLineEdit *startEditing(int row)
    {
        m_view->setFocus();
        m_view->setCurrentIndex(m_model->index(row, 0));
        m_view->edit(m_model->index(row, 0));
        auto *edit = m_view->findChild<QLineEdit *>();
        // The editor commits when it loses the focus: the window must have it first.
        if (edit && !QTest::qWaitForWindowActive(m_window.get()))
            return nullptr;
        return edit;
    }

    std::unique_ptr<QWidget> m_window;
    QListView *m_view = nullptr;
    QLineEdit *m_other = nullptr;
    QStandardItemModel *m_model = nullptr;
    PlacesDelegate *m_delegate = nullptr;
};

QTEST_MAIN(tst_PlacesDelegate)
#include "tst_placesdelegate.moc"
