// SPDX-License-Identifier: MIT
#include "slottable.h"

#include <vector>

using namespace Qt::StringLiterals;

QString SlotTable::check(quint32 bound, size_t expectedLive,
                         const std::function<bool(quint32)> &isLive,
                         const std::function<size_t(quint32)> &hashOf) const
{
    if (m_capacity == 0 || (m_capacity & m_mask) != 0)
        return u"table capacity %1 is not a power of two"_s.arg(m_capacity);
    std::vector<bool> seen(bound, false);
    size_t live = 0;
    size_t tombstones = 0;
    for (size_t pos = 0; pos < m_capacity; ++pos) {
        const quint32 s = m_slots[pos];
        if (s == 0)
            continue;
        if ((s & kIndexMask) == kTombstone) {
            ++tombstones;
            continue;
        }
        ++live;
        const quint32 idx = (s & kIndexMask) - 1;
        if (idx >= bound)
            return u"table slot %1 names index %2, beyond the %3 slots in use"_s.arg(pos)
                .arg(idx)
                .arg(bound);
        if (seen[idx])
            return u"index %1 is in the table twice"_s.arg(idx);
        seen[idx] = true;
        if (!isLive(idx))
            return u"table slot %1 names index %2, which is free (a stale slot)"_s.arg(pos).arg(
                idx);
        const size_t h = hashOf(idx);
        if ((s >> kIndexBits) != fragmentOf(h))
            return u"table slot %1: hash fragment does not match its entry %2"_s.arg(pos).arg(idx);
        for (size_t p = h & m_mask; p != pos; p = (p + 1) & m_mask) {
            if (m_slots[p] == 0)
                return u"entry %1 (slot %2) is cut off from its home slot by an empty one"_s
                    .arg(idx)
                    .arg(pos);
        }
    }
    if (live != m_live)
        return u"table counts %1 live slots, holds %2"_s.arg(m_live).arg(live);
    if (live != expectedLive)
        return u"table holds %1 entries, the cache %2"_s.arg(live).arg(expectedLive);
    if (tombstones != m_tombstones)
        return u"table counts %1 tombstones, holds %2"_s.arg(m_tombstones).arg(tombstones);
    if ((live + tombstones) * 5 > m_capacity * 4)
        return u"table over 80% full: %1 + %2 tombstones of %3"_s.arg(live)
            .arg(tombstones)
            .arg(m_capacity);
    for (quint32 i = 0; i < bound; ++i) {
        if (isLive(i) && !seen[i])
            return u"live entry %1 is not in the table"_s.arg(i);
    }
    return {};
}
