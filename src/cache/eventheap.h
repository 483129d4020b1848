// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <vector>

/**
 * The next event of every expiry queue, earliest first: an indexed binary min-heap of
 * (time, id), each id (a queue's number) at most once, ordered by time and then id.
 * AsyncCache keeps a second one keyed by slot for the entries too far out of deadline order
 * for their queue (the strays).
 *
 * It replaces a std::set<std::pair<time, id>>, which with ~2,000 distinct TTLs allocated,
 * freed and rebalanced a tree node for every expired entry (each queue's event moves on as
 * its head goes): moving an event here is a sift along a flat array, no allocation.
 *
 * Owns only its arrays; knows nothing of entries.
 * Invariants (check()): heap order; position table and heap agree both ways.
 */
class EventHeap
{
public:
    static constexpr quint32 kAbsent = 0xffffffffu;

    bool empty() const { return m_heap.empty(); }
    size_t size() const { return m_heap.size(); }
    qint64 topTime() const { return m_heap.front().time; }
    quint32 topId() const { return m_heap.front().id; }
    /**
     * Into `ids`, up to `max` ids whose event is at `time` or earlier, in no particular order
     * (the earliest among them first); none when no event is due. O(what it returns).
     */
    void collectDue(qint64 time, size_t max, std::vector<quint32> *ids) const;
    bool contains(quint32 id) const { return id < m_pos.size() && m_pos[id] != kAbsent; }
    /** The event time of `id`, -1 when it has none. */
    qint64 timeOf(quint32 id) const { return contains(id) ? m_heap[m_pos[id]].time : -1; }

    /** Give `id` the event `time` (inserting it, or moving it either way). */
    void set(quint32 id, qint64 time);
    void remove(quint32 id);
    /** Empties it and gives its memory back (the position table grows with the largest id). */
    void clear()
    {
        std::vector<Node>().swap(m_heap);
        std::vector<quint32>().swap(m_pos);
    }

    /** An empty string when the invariants hold, else what is wrong. O(n). */
    QString check() const;

private:
    struct Node
    {
        qint64 time;
        quint32 id;
    };
    static bool before(const Node &a, const Node &b)
    {
        return a.time < b.time || (a.time == b.time && a.id < b.id);
    }
    void siftUp(size_t i);
    void siftDown(size_t i);
    void place(size_t i, const Node &n)
    {
        m_heap[i] = n;
        m_pos[n.id] = quint32(i);
    }

    std::vector<Node> m_heap;
    std::vector<quint32> m_pos; // id -> place in m_heap, kAbsent when not there
};
