// SPDX-License-Identifier: MIT
// The Places list's rename editor (issue 27, N29): framed, over the name line only, commits on
// Enter and on focus out, refuses an empty name with a sentence.
#include "widgets/placesdelegate.h"

#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTest>
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
