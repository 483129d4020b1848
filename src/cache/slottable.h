// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstring>
#include <functional>
#include <memory>

/**
 * The lookup table of AsyncCache: open addressing with linear probing over 32-bit slots,
 * each 6 bits of the key's hash (a fragment that rejects most wrong candidates without
 * touching the entry) and 26 bits of entry index + 1. 0 is an empty slot; an index part of
 * all ones is a tombstone (an erased slot that probing must walk past).
 *
 * It knows nothing of keys or values: find() asks the caller whether an index holds the key.
 * It owns only its slot array.
 *
 * Invariants (check()): every live slot names a distinct live index whose hash has that
 * fragment and is reachable from its home position without crossing an empty slot; the live
 * slots are exactly the live entries; the tombstone count is right; live + tombstones stay
 * within 80% of the capacity (a power of two).
 */
class SlotTable
{
public:
    static constexpr quint32 kNil = 0xffffffffu;
    static constexpr int kIndexBits = 26;
    static constexpr quint32 kIndexMask = (1u << kIndexBits) - 1;
    static constexpr quint32 kTombstone = kIndexMask; // index part all ones: never a live slot
    /** Indexes are below this: index + 1 must differ from the tombstone. */
    static constexpr quint32 kMaxEntries = kIndexMask - 1;
    static constexpr size_t kInitialCapacity = 64;

    explicit SlotTable(size_t capacity = kInitialCapacity) { reset(capacity); }

    /** Empty, with `capacity` slots (a power of two). Frees the old array. */
    void reset(size_t capacity)
    {
        m_slots.reset(new quint32[capacity]);
        std::memset(m_slots.get(), 0, capacity * sizeof(quint32));
        m_capacity = capacity;
        m_mask = capacity - 1;
        m_tombstones = 0;
        m_live = 0;
    }

    static quint32 fragmentOf(size_t h) { return quint32(h >> (sizeof(size_t) * 8 - 6)); }

    /** The index for which `matches(index)` holds among those filed under `h`, or kNil. */
    template<typename Matches>
    quint32 find(size_t h, Matches &&matches) const
    {
        const quint32 frag = fragmentOf(h);
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_slots[pos];
            if (s == 0)
                return kNil;
            if ((s >> kIndexBits) == frag && (s & kIndexMask) != kTombstone) {
                const quint32 idx = (s & kIndexMask) - 1;
                if (matches(idx))
                    return idx;
            }
        }
    }

    /** File `idx` under `h`. The caller made room first (needsRoom()). */
    void insert(quint32 idx, size_t h)
    {
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_slots[pos];
            if (s == 0 || (s & kIndexMask) == kTombstone) {
                if (s != 0)
                    --m_tombstones;
                m_slots[pos] = (fragmentOf(h) << kIndexBits) | (idx + 1);
                ++m_live;
                return;
            }
        }
    }

    /** Start fetching the slot where a probe for `h` begins (before an erase() of it). */
    void prefetchHome(size_t h) const { __builtin_prefetch(&m_slots[h & m_mask], 1); }

    /** Remove `idx`, filed under `h`; it must be there. */
    void erase(quint32 idx, size_t h)
    {
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_slots[pos];
            Q_ASSERT(s != 0);
            if ((s & kIndexMask) == idx + 1) {
                m_slots[pos] = kTombstone;
                ++m_tombstones;
                --m_live;
                return;
            }
        }
    }

    /** True when one more insert would take live + tombstones past 80% of the capacity. */
    bool needsRoom() const { return (m_live + m_tombstones + 1) * 5 > m_capacity * 4; }

    /**
     * The capacity to rebuild at so that `live` + 1 entries fit: the same size when
     * tombstones filled it, else doubled, so that the load stays between 40% and 80%.
     */
    size_t capacityFor(size_t live) const
    {
        size_t capacity = m_capacity;
        while ((live + 1) * 2 > capacity)
            capacity *= 2;
        return capacity;
    }

    size_t capacity() const { return m_capacity; }
    size_t tombstones() const { return m_tombstones; }
    size_t live() const { return m_live; }

    /**
     * An empty string when the invariants hold, else what is wrong. `bound`: indexes are
     * below it; `isLive(idx)`: the entry is in use; `hashOf(idx)`: its key's hash. O(capacity).
     */
    QString check(quint32 bound, size_t expectedLive, const std::function<bool(quint32)> &isLive,
                  const std::function<size_t(quint32)> &hashOf) const;

private:
    std::unique_ptr<quint32[]> m_slots;
    size_t m_capacity = 0;
    size_t m_mask = 0;
    size_t m_tombstones = 0;
    size_t m_live = 0;
};
