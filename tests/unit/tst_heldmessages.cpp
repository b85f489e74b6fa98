// SPDX-License-Identifier: GPL-3.0-or-later
// HeldMessages on its own: decisions run on the relay's thread once, whoever takes a message first decides, change
// notices are coalesced, and a decision queued for a relay that went is never run.
#include "core/proxy/HeldMessages.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace wsi;

class tst_HeldMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decisionsRunOnTheRelaysThreadOnce();
    void aWithdrawnMessageCannotBeDecided();
    void changesAreCoalesced();
    void aDecisionForARelayThatWentIsNeverRun();
};

namespace {

HeldMessage message(const QByteArray &payload)
{
    HeldMessage held;
    held.connectionId = 1;
    held.payload = payload;
    held.rule = QStringLiteral("bp");
    return held;
}

} // namespace

void tst_HeldMessages::decisionsRunOnTheRelaysThreadOnce()
{
    HeldMessages held;
    QThread network;
    network.start();
    QObject relay;
    relay.moveToThread(&network);
    std::atomic<int> runs{0};
    std::atomic<quint64> decidedId{0};
    std::atomic<QThread *> ranOn{nullptr};
    QByteArray payload;
    const quint64 id = held.hold(message("a"), &relay, [&](quint64 decided, const HoldDecision &decision) {
        decidedId = decided;
        payload = decision.payload;
        ranOn = QThread::currentThread();
        ++runs;
    });
    QCOMPARE(held.size(), 1);
    QCOMPARE(held.messages().constFirst().id, id);
    QCOMPARE(held.message(id)->payload, QByteArray("a"));
    QVERIFY(held.decide(id, HoldDecision::edited(1, "b")));
    QVERIFY(!held.decide(id, HoldDecision::drop())); // once
    QVERIFY(!held.withdraw(id));
    QCOMPARE(held.size(), 0);
    QVERIFY(QTest::qWaitFor([&] { return runs == 1; }, 5000));
    QCOMPARE(ranOn.load(), &network);
    QCOMPARE(decidedId.load(), id);
    QCOMPARE(payload, QByteArray("b"));
    QMetaObject::invokeMethod(
        &relay, [&relay] { relay.moveToThread(QCoreApplication::instance()->thread()); }, Qt::BlockingQueuedConnection);
    network.quit();
    network.wait();
}

void tst_HeldMessages::aWithdrawnMessageCannotBeDecided()
{
    HeldMessages held;
    QObject relay;
    bool ran = false;
    const quint64 id = held.hold(message("a"), &relay, [&](quint64, const HoldDecision &) { ran = true; });
    QVERIFY(held.withdraw(id));
    QVERIFY(!held.decide(id, HoldDecision::forward()));
    QCoreApplication::processEvents();
    QVERIFY(!ran);
}

void tst_HeldMessages::changesAreCoalesced()
{
    HeldMessages held;
    QObject relay;
    QObject listener;
    int notices = 0;
    held.setListener(&listener, [&] { ++notices; });
    QCoreApplication::processEvents();
    notices = 0;
    for (int i = 0; i < 1000; ++i)
        held.hold(message("x"), &relay, [](quint64, const HoldDecision &) {});
    for (const HeldMessage &each : held.messages())
        held.withdraw(each.id);
    QCoreApplication::processEvents();
    QCOMPARE(notices, 1); // one notice for 2000 changes
    held.hold(message("y"), &relay, [](quint64, const HoldDecision &) {});
    QCoreApplication::processEvents();
    QCOMPARE(notices, 2); // and the next change is noticed again
    held.setListener(nullptr, {});
    held.hold(message("z"), &relay, [](quint64, const HoldDecision &) {});
    QCoreApplication::processEvents();
    QCOMPARE(notices, 2);
}

void tst_HeldMessages::aDecisionForARelayThatWentIsNeverRun()
{
    HeldMessages held;
    bool ran = false;
    auto *relay = new QObject;
    const quint64 id = held.hold(message("a"), relay, [&](quint64, const HoldDecision &) { ran = true; });
    QVERIFY(held.decide(id, HoldDecision::forward())); // queued on the relay...
    delete relay;                                      // ...which goes before it runs
    QCoreApplication::processEvents();
    QVERIFY(!ran);
}

QTEST_GUILESS_MAIN(tst_HeldMessages)
#include "tst_heldmessages.moc"
