// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdlib>
#include <type_traits>

/**
 * What values really cost on the heap, as glibc's malloc hands it out: a chunk is the
 * request plus an 8-byte header, rounded up to 16, at least 32. The cache's byte figure is
 * built from these so that it matches what the allocator measures (see tst_cachememory).
 */
namespace CacheCost {

constexpr qint64 mallocChunk(qint64 request)
{
    const qint64 chunk = (request + 8 + 15) & ~qint64(15);
    return chunk < 32 ? 32 : chunk;
}

/** Heap owned by an implicitly shared Qt container (0 for static or empty data). */
// Qt 6.4 has no const d_ptr(); reading the header changes nothing.
template<typename Container>
qint64 arrayHeapBytes(const Container &c)
{
    auto &d = const_cast<Container &>(c).data_ptr();
    if (!d.d_ptr())
        return 0;
    using Char = std::remove_pointer_t<decltype(d.data())>;
    return mallocChunk(qint64(sizeof(QArrayData))
                       + (d.constAllocatedCapacity() + 1) * qint64(sizeof(Char)));
}

inline qint64 heapBytes(const QString &s)
{
    return arrayHeapBytes(s);
}

inline qint64 heapBytes(const QByteArray &b)
{
    return arrayHeapBytes(b);
}

/** Types that own no heap: everything is in sizeof(T), which the entry already counts. */
template<typename T>
qint64 heapBytes(const T &)
{
    return 0;
}

/**
 * After freeing many small blocks, let the allocator coalesce them now. glibc parks freed
 * small chunks in "fast bins" and merges them all the next time anyone asks for 1 KiB or
 * more: after a million expiries that one merge stalls the event loop for ~13 ms, at an
 * unpredictable moment. A 4 KiB request at the end of each expiry slice makes each slice
 * merge only what it freed itself (well under a millisecond). Elsewhere it is a no-op.
 */
inline void settleAllocator()
{
#if defined(__GLIBC__)
    void *volatile block = std::malloc(4096); // volatile: the pair must not be optimised out
    std::free(block);
#endif
}

} // namespace CacheCost
