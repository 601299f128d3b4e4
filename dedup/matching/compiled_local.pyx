# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""A document's own candidates (``candidates.DocumentPostings.local``), in C.

The pure method stays the definition: for each paragraph, the paragraphs of its
document sharing a followed shingle (held by two to ``max_postings`` distinct
keys), at most ``max_local``, the keys sharing most first (a paragraph's own
exact copies share all), of equals the earlier, given in document order.  The
pure path counts pairs of keys in a ``Counter`` of tuples, which was a fifth of
extraction; here every pair of keys sharing a shingle is one 64-bit code, the
codes sorted and counted in runs, and each key's best ranked by sorting codes of
(count, position).  Tests compare both on random documents and on the fixtures.
"""

from libc.stdint cimport uint32_t, uint64_t
from libc.stdlib cimport free, malloc, qsort

import numpy as np

#: a sort key that puts the larger count first and, of equals, the smaller position
cdef inline uint64_t rank(uint64_t count, uint64_t position) noexcept nogil:
    return ((<uint64_t>0xFFFFFFFFU - count) << 32) | position


cdef int by_code(const void* a, const void* b) noexcept nogil:
    cdef uint64_t x = (<const uint64_t*>a)[0], y = (<const uint64_t*>b)[0]
    return (x > y) - (x < y)


cdef object pair_counts(list distinct, Py_ssize_t max_postings):
    """Sorted codes (key << 32 | other) of every ordered pair of keys sharing a followed
    shingle, once per shingle they share (so a run of equal codes is the pair's count)."""
    cdef Py_ssize_t groups = len(distinct), total = 0, group, i, j, a, b, at = 0, pairs = 0
    cdef int step
    cdef const uint32_t[::1] values
    cdef uint64_t[::1] codes
    cdef uint64_t[::1] out
    for group in range(groups):
        total += len(distinct[group])
    held = np.empty(total, dtype=np.uint64)
    codes = held
    for group in range(groups):
        values = distinct[group]
        for i in range(values.shape[0]):
            codes[at] = (<uint64_t>values[i] << 32) | <uint64_t>group
            at += 1
    held.sort()
    # two passes over the runs of equal hashes: count the pairs, then write them
    for step in range(2):
        if step == 1:
            found = np.empty(pairs, dtype=np.uint64)
            out = found
            pairs = 0
        i = 0
        while i < total:
            j = i + 1
            while j < total and codes[j] >> 32 == codes[i] >> 32:
                j += 1
            if 2 <= j - i <= max_postings:
                if step == 0:
                    pairs += (j - i) * (j - i - 1)
                else:
                    for a in range(i, j):
                        for b in range(i, j):
                            if a != b:
                                out[pairs] = ((codes[a] & 0xFFFFFFFFU) << 32) | (codes[b] & 0xFFFFFFFFU)
                                pairs += 1
            i = j
    found.sort()
    return found


def local_positions(list distinct, list groups, list group_of, Py_ssize_t max_postings,
                    Py_ssize_t max_local):
    """For each paragraph position, its candidates' positions (``DocumentPostings.local``):
    ``distinct``, each key's sorted distinct shingles; ``groups``, each key's paragraph
    positions in order; ``group_of``, each position's key."""
    cdef Py_ssize_t count = len(groups), g, n
    cdef uint64_t[::1] pairs = pair_counts(distinct, max_postings) if count > 1 else np.zeros(0, np.uint64)
    cdef Py_ssize_t total = pairs.shape[0], at = 0, run_end
    cdef uint64_t* others = <uint64_t*>malloc(sizeof(uint64_t) * (total + 1))
    cdef list ranked = [None] * count
    if others == NULL:
        raise MemoryError()
    try:
        for g in range(count):
            # the keys sharing with ``g``: one code per run of equal pair codes, ranked
            n = 0
            while at < total and (pairs[at] >> 32) == <uint64_t>g:
                run_end = at + 1
                while run_end < total and pairs[run_end] == pairs[at]:
                    run_end += 1
                others[n] = rank(run_end - at, pairs[at] & 0xFFFFFFFFU)
                n += 1
                at = run_end
            qsort(others, n, sizeof(uint64_t), by_code)
            ranked[g] = best_of(groups, g, len(distinct[g]), others, min(n, max_local), max_local + 1)
    finally:
        free(others)
    return _per_position(ranked, group_of, max_local)


cdef object best_of(list groups, Py_ssize_t g, uint64_t size, uint64_t* others, Py_ssize_t n,
                    Py_ssize_t limit):
    """Key ``g``'s first ``limit`` candidate positions (``None``: it has none): its own copies
    first (they share every shingle), then the paragraphs of the ``n`` keys of ``others``."""
    cdef list members = groups[g]
    cdef bint own = len(members) >= 2 and size
    cdef Py_ssize_t used = min(len(members), limit) if own else 0, taken = 0, k, i, start, q, other
    cdef uint64_t* entries
    if n == 0 and not own:
        return None
    for k in range(n):
        used += min(len(groups[others[k] & 0xFFFFFFFFU]), limit)
    entries = <uint64_t*>malloc(sizeof(uint64_t) * (used + 1))
    if entries == NULL:
        raise MemoryError()
    try:
        if own:
            for i in range(min(len(members), limit)):
                entries[taken] = rank(size, <uint64_t>members[i])
                taken += 1
        for k in range(n):
            other = others[k] & 0xFFFFFFFFU
            start = <Py_ssize_t>(0xFFFFFFFFU - (others[k] >> 32))
            for q in groups[other][:limit]:
                entries[taken] = rank(start, <uint64_t>q)
                taken += 1
        qsort(entries, taken, sizeof(uint64_t), by_code)
        return [<Py_ssize_t>(entries[i] & 0xFFFFFFFFU) for i in range(min(taken, limit))]
    finally:
        free(entries)


cdef list _per_position(list ranked, list group_of, Py_ssize_t max_local):
    """Each position's candidates from its key's ranked positions (the end of ``local``)."""
    cdef list found = [], best
    cdef dict shared = {}
    cdef Py_ssize_t position, g
    for position in range(len(group_of)):
        g = group_of[position]
        best = ranked[g]
        if best is None:
            found.append([])
        elif position in best:
            found.append(sorted([q for q in best if q != position][:max_local]))
        else:
            if g not in shared:
                shared[g] = sorted(best[:max_local])
            found.append(list(shared[g]))
    return found
