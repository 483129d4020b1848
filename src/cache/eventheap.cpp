// SPDX-License-Identifier: MIT
#include "eventheap.h"

using namespace Qt::StringLiterals;

void EventHeap::set(quint32 id, qint64 time)
{
    if (id >= m_pos.size())
        m_pos.resize(size_t(id) + 1, kAbsent);
    if (m_pos[id] == kAbsent) {
        m_heap.push_back({time, id});
        m_pos[id] = quint32(m_heap.size() - 1);
        siftUp(m_heap.size() - 1);
        return;
    }
    const size_t i = m_pos[id];
    const qint64 old = m_heap[i].time;
    m_heap[i].time = time;
    if (time < old)
        siftUp(i);
    else if (time > old)
        siftDown(i);
}

void EventHeap::remove(quint32 id)
{
    if (!contains(id))
        return;
    const size_t i = m_pos[id];
    m_pos[id] = kAbsent;
    const Node last = m_heap.back();
    m_heap.pop_back();
    if (i == m_heap.size())
        return;
    place(i, last);
    siftUp(i);
    siftDown(m_pos[last.id]);
}

void EventHeap::collectDue(qint64 time, size_t max, std::vector<quint32> *ids) const
{
    // Breadth first from the root: a node later than `time` has no due descendant. `ids`
    // holds places while the walk goes on, turned into ids at the end.
    ids->clear();
    if (m_heap.empty() || m_heap.front().time > time || max == 0)
        return;
    ids->push_back(0);
    for (size_t k = 0; k < ids->size() && ids->size() < max; ++k) {
        for (size_t child = 2 * size_t((*ids)[k]) + 1, end = child + 2; child < end; ++child) {
            if (child < m_heap.size() && m_heap[child].time <= time && ids->size() < max)
                ids->push_back(quint32(child));
        }
    }
    for (quint32 &id : *ids)
        id = m_heap[id].id;
}

void EventHeap::siftUp(size_t i)
{
    const Node n = m_heap[i];
    while (i > 0) {
        const size_t parent = (i - 1) / 2;
        if (!before(n, m_heap[parent]))
            break;
        place(i, m_heap[parent]);
        i = parent;
    }
    place(i, n);
}

void EventHeap::siftDown(size_t i)
{
    const Node n = m_heap[i];
    const size_t size = m_heap.size();
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= size)
            break;
        if (child + 1 < size && before(m_heap[child + 1], m_heap[child]))
            ++child;
        if (!before(m_heap[child], n))
            break;
        place(i, m_heap[child]);
        i = child;
    }
    place(i, n);
}

QString EventHeap::check() const
{
    size_t present = 0;
    for (quint32 id = 0; id < m_pos.size(); ++id) {
        if (m_pos[id] == kAbsent)
            continue;
        ++present;
        if (m_pos[id] >= m_heap.size() || m_heap[m_pos[id]].id != id)
            return u"event of id %1: position table points elsewhere"_s.arg(id);
    }
    if (present != m_heap.size())
        return u"event heap holds %1 events, position table %2"_s.arg(m_heap.size()).arg(present);
    for (size_t i = 1; i < m_heap.size(); ++i) {
        if (before(m_heap[i], m_heap[(i - 1) / 2]))
            return u"event heap out of order at %1"_s.arg(i);
    }
    return {};
}
