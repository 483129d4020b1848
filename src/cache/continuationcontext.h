// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include <memory>

/**
 * The context object to give QFuture::then()/onFailed()/onCanceled() when the owner may be
 * destroyed before the future finishes. Qt 6.4 runs such a continuation through its context
 * and asserts that the context still exists (a later Qt cancels the continuation instead). So
 * the owner holds a ContinuationContext, each continuation captures a copy of keepAlive() (the
 * context lives until every continuation that may still run has run or been dropped) and a
 * QPointer to the owner, which it checks before it touches the owner: the continuation runs in
 * the context's thread, the owner's thread, so that check is safe.
 *
 * The context is a plain QObject in the owner's thread, deleted with deleteLater() by whoever
 * lets go of it last.
 */
class ContinuationContext
{
public:
    ContinuationContext()
        : m_object(new QObject, [](QObject *o) { o->deleteLater(); })
    { }

    /** The object to pass as the continuation's context. */
    QObject *object() const { return m_object.get(); }
    /** Capture this in every continuation given object() as its context. */
    std::shared_ptr<QObject> keepAlive() const { return m_object; }

private:
    std::shared_ptr<QObject> m_object;
};
