# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""A run's corpus asks its indexes one call per document (``index.paired``,
``index.document_candidates``, ``index.index_document``): ``Refs`` numbers the paragraphs of both
tables (``compiled_index.Postings``) together, with each one's corpus order; ``earlier`` is the twin
of ``candidates.pure_earlier_candidates`` for a whole document (the definition; tests compare them),
``index`` the twin of ``BandIndex.add`` and ``ShingleIndex.add`` for the paragraphs it keeps.  Its
own extension (setup.py, ``optional``), reading the table through ``compiled_index.pxd`` and
numpy arrays in place through ``arrays.pxd``.
"""

from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_Release, PyObject_GetBuffer
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.string cimport memset

from dedup.matching.arrays cimport arrays_ready, values_of
from dedup.matching.compiled_index cimport Postings, Slot

import numpy as np

cdef object U32 = np.dtype(np.uint32)
cdef object U64 = np.dtype(np.uint64)
cdef object I64 = np.dtype(np.int64)
cdef bint LAYOUT = arrays_ready(np.arange(7, dtype=np.uint32))


#: a corpus order past these bounds is not packed: the per-paragraph path answers then
cdef int64_t DOC_BOUND = 1 << 31
cdef int64_t INDEX_BOUND = 1 << 32


cdef int64_t order_of(object ref):
    """A paragraph's corpus order, (doc, index) packed in one int64, or -1 (not a paragraph,
    or out of bounds): ``candidates.in_input_order``."""
    paragraph = getattr(ref, "paragraph", None)
    if paragraph is None:
        return -1
    doc = getattr(paragraph, "doc", None)
    index = getattr(paragraph, "index", None)
    if type(doc) is not int or type(index) is not int:
        return -1
    if not (0 <= doc < DOC_BOUND and 0 <= index < INDEX_BOUND):
        return -1
    return ((<int64_t>doc) << 32) | <int64_t>index


cdef struct Entry:
    int64_t order
    int32_t position
    # a ref number, or -1: the twin, not numbered
    int32_t number


cdef int by_order(const void* a, const void* b) noexcept nogil:
    cdef const Entry* x = <const Entry*>a
    cdef const Entry* y = <const Entry*>b
    if x.order != y.order:
        return -1 if x.order < y.order else 1
    return -1 if x.position < y.position else (1 if x.position > y.position else 0)


cdef class Refs:
    """The refs two tables hold, numbered together: each once (as a dict counts it), in the
    order first numbered, with its corpus order where it is a paragraph (``ordered``: every
    one is), and a query's marks and scratch."""

    cdef readonly list refs
    cdef dict numbers
    cdef int64_t* order
    cdef int32_t* seen
    cdef Py_ssize_t room
    cdef int32_t visit
    cdef readonly bint ordered
    cdef Entry* entries
    cdef Py_ssize_t entry_room
    cdef uint64_t* hashes
    cdef Py_ssize_t hash_room
    # a query's ref numbers in order of first sight, ranked, and counts per count
    cdef int32_t* first
    cdef int32_t* ranked
    cdef Py_ssize_t first_room
    cdef int32_t* tally
    cdef Py_ssize_t tally_room

    def __cinit__(self):
        self.refs = []
        self.numbers = {}
        self.room = 1024
        self.order = <int64_t*>malloc(self.room * sizeof(int64_t))
        self.seen = <int32_t*>malloc(self.room * sizeof(int32_t))
        self.entry_room = 256
        self.entries = <Entry*>malloc(self.entry_room * sizeof(Entry))
        self.hash_room = 256
        self.hashes = <uint64_t*>malloc(self.hash_room * sizeof(uint64_t))
        self.first_room = 256
        self.first = <int32_t*>malloc(self.first_room * sizeof(int32_t))
        self.ranked = <int32_t*>malloc(self.first_room * sizeof(int32_t))
        self.tally_room = 256
        self.tally = <int32_t*>malloc(self.tally_room * sizeof(int32_t))
        self.ordered = True
        if not (self.order and self.seen and self.entries and self.hashes and self.first
                and self.ranked and self.tally):
            raise MemoryError()
        memset(self.seen, 0, self.room * sizeof(int32_t))

    def __dealloc__(self):
        free(self.order)
        free(self.seen)
        free(self.entries)
        free(self.hashes)
        free(self.first)
        free(self.ranked)
        free(self.tally)

    def __len__(self):
        return len(self.refs)

    cpdef Py_ssize_t number(self, ref) except -1:
        """The number of ``ref`` (a new one: the next)."""
        cdef Py_ssize_t n
        found = self.numbers.get(ref)
        if found is not None:
            return <Py_ssize_t>found
        n = len(self.refs)
        if n == self.room:
            self.room *= 2
            self.order = <int64_t*>realloc(self.order, self.room * sizeof(int64_t))
            self.seen = <int32_t*>realloc(self.seen, self.room * sizeof(int32_t))
            if not (self.order and self.seen):
                raise MemoryError()
            memset(self.seen + n, 0, (self.room - n) * sizeof(int32_t))
        self.order[n] = order_of(ref)
        if self.order[n] < 0:
            self.ordered = False
        self.numbers[ref] = n
        self.refs.append(ref)
        return n

    def of(self, list numbers):
        """The refs of these numbers."""
        cdef list refs = self.refs
        return [refs[n] for n in numbers]

    cdef int32_t next_visit(self) noexcept:
        cdef Py_ssize_t i
        if self.visit == 2147483647:
            for i in range(self.room):
                self.seen[i] = 0
            self.visit = 0
        self.visit += 1
        return self.visit

    cdef int entry_space(self, Py_ssize_t size) except -1:
        if size > self.entry_room:
            self.entry_room = 2 * size
            self.entries = <Entry*>realloc(self.entries, self.entry_room * sizeof(Entry))
            if not self.entries:
                raise MemoryError()
        return 0

    cdef int first_space(self, Py_ssize_t size) except -1:
        if size > self.first_room:
            self.first_room = 2 * size
            self.first = <int32_t*>realloc(self.first, self.first_room * sizeof(int32_t))
            # ``ranked`` holds as many as ``first``
            self.ranked = <int32_t*>realloc(self.ranked, self.first_room * sizeof(int32_t))
            if not (self.first and self.ranked):
                raise MemoryError()
        return 0

    cdef int tally_space(self, Py_ssize_t size) except -1:
        if size > self.tally_room:
            self.tally_room = 2 * size
            self.tally = <int32_t*>realloc(self.tally, self.tally_room * sizeof(int32_t))
            if not self.tally:
                raise MemoryError()
        return 0

    cdef int hash_space(self, Py_ssize_t size) except -1:
        if size > self.hash_room:
            self.hash_room = 2 * size
            self.hashes = <uint64_t*>realloc(self.hashes, self.hash_room * sizeof(uint64_t))
            if not self.hashes:
                raise MemoryError()
        return 0


cdef Py_ssize_t buffer_of(object array, Py_buffer* view, Py_ssize_t item) except -2:
    """A C-contiguous buffer of ``item``-byte integers (unsigned where 4 bytes: shingle hashes):
    the number of values, or -1 with nothing held (another type: the caller answers another way)."""
    try:
        PyObject_GetBuffer(array, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    except (BufferError, TypeError, ValueError):
        return -1
    cdef const char* f = view.format
    if f != NULL and (f[0] == b'@' or f[0] == b'=' or f[0] == b'<'):
        f += 1
    if view.itemsize != item or f == NULL or not (
            (item == 4 and (f[0] == b'I' or f[0] == b'L'))
            or (item == 8 and (f[0] == b'L' or f[0] == b'l' or f[0] == b'Q' or f[0] == b'q'))):
        PyBuffer_Release(view)
        return -1
    return view.len // item


cdef Py_ssize_t anchors_of(Refs refs, object distinct, uint32_t every) except -2:
    """The anchors of a paragraph's distinct shingles (uint32), in their order, into
    ``refs.hashes``: how many, or -1 (not a uint32 array)."""
    cdef Py_buffer view
    cdef Py_ssize_t n, count = 0
    cdef const void* data
    if values_of(distinct, U32, &data, &n):
        return collect_anchors(refs, <const uint32_t*>data, n, every)
    n = buffer_of(distinct, &view, 4)
    if n < 0:
        return -1
    try:
        count = collect_anchors(refs, <const uint32_t*>view.buf, n, every)
    finally:
        PyBuffer_Release(&view)
    return count


cdef Py_ssize_t collect_anchors(Refs refs, const uint32_t* values, Py_ssize_t n,
                                uint32_t every) except -1:
    cdef Py_ssize_t i, count = 0
    cdef uint32_t mask = every - 1
    refs.hash_space(n)
    if every & mask == 0:  # a power of two (ANCHOR_EVERY): no division per value
        for i in range(n):
            if values[i] & mask == 0:
                refs.hashes[count] = values[i]
                count += 1
        return count
    for i in range(n):
        if values[i] % every == 0:
            refs.hashes[count] = values[i]
            count += 1
    return count


cdef Py_ssize_t near_of(Postings bands, Refs refs, object keys, int32_t visit, Py_ssize_t at) except -2:
    """The ref numbers sharing a band key (the keys in order, each bucket in insertion order,
    each number once) appended to ``refs.entries`` from ``at``: the new end, or -1 (not an
    array of 64-bit integers)."""
    cdef Py_buffer view
    cdef Py_ssize_t n
    cdef const void* data
    if values_of(keys, U64, &data, &n) or values_of(keys, I64, &data, &n):
        return union_of(bands, refs, <const uint64_t*>data, n, visit, at)
    n = buffer_of(keys, &view, 8)
    if n < 0:
        return -1
    try:
        at = union_of(bands, refs, <const uint64_t*>view.buf, n, visit, at)
    finally:
        PyBuffer_Release(&view)
    return at


cdef Py_ssize_t union_of(Postings bands, Refs refs, const uint64_t* values, Py_ssize_t n,
                         int32_t visit, Py_ssize_t at) except -1:
    cdef Py_ssize_t i, j
    cdef Slot* slot
    cdef int32_t* numbers
    cdef int32_t number
    for i in range(n):
        bands.prefetch(values[i])
    for i in range(n):
        slot = &bands.slots[bands.find(values[i])]
        if slot.head < 0:
            continue
        numbers = bands.chain(slot)
        refs.entry_space(at + slot.size)
        for j in range(slot.size):
            number = numbers[j]
            if refs.seen[number] != visit:
                refs.seen[number] = visit
                refs.entries[at].number = number
                at += 1
    return at


cdef Py_ssize_t count_shared(Postings anchors, Refs refs, Py_ssize_t count, Py_ssize_t cap,
                             int32_t* most) except -1:
    """Count, for each ref number in the followed lists of ``refs.hashes[:count]`` (visited in
    this order), how many of them hold it (``anchors.counts``), the greatest count in ``most``;
    the numbers in order of first sight go to ``refs.first``: how many."""
    cdef int32_t visit = anchors.next_visit(), number, top = 0
    cdef int32_t* numbers
    cdef Slot* slot
    cdef Py_ssize_t i, j, seen = 0
    for i in range(count):
        anchors.prefetch(refs.hashes[i])
    for i in range(count):
        slot = &anchors.slots[anchors.find(refs.hashes[i])]
        if slot.head < 0 or slot.size > cap:
            continue
        numbers = anchors.chain(slot)
        refs.first_space(seen + slot.size)
        for j in range(slot.size):
            number = numbers[j]
            if anchors.seen[number] != visit:
                anchors.seen[number] = visit
                anchors.counts[number] = 0
                refs.first[seen] = number
                seen += 1
            anchors.counts[number] += 1
            if anchors.counts[number] > top:
                top = anchors.counts[number]
    most[0] = top
    return seen


cdef bint cut_is_tied(Postings anchors, Refs refs, Py_ssize_t seen, int32_t most,
                      Py_ssize_t limit) except -1:
    """Whether the ``limit`` most shared of ``refs.first[:seen]`` depend on the order of first
    sight: the count at the cut is shared by refs on both sides of it."""
    cdef Py_ssize_t above = 0, i
    cdef int32_t c
    if seen <= limit:
        return False
    refs.tally_space(most + 2)
    memset(refs.tally, 0, (most + 2) * sizeof(int32_t))
    for i in range(seen):
        refs.tally[anchors.counts[refs.first[i]]] += 1
    for c in range(most, 0, -1):
        above += refs.tally[c]
        if above >= limit:
            return above > limit
    return False


cdef Py_ssize_t set_order(Refs refs, Py_ssize_t count) except -1:
    """``refs.hashes[:count]`` in the order Python's ``set`` of them iterates, as
    ``ShingleIndex.query`` visits them (ties at its cut are broken by first sight)."""
    cdef Py_ssize_t i = 0, k
    visited = set([refs.hashes[k] for k in range(count)])
    for h in visited:
        refs.hashes[i] = <uint64_t>h
        i += 1
    return i


cdef Py_ssize_t rank(Postings anchors, Refs refs, Py_ssize_t seen, int32_t most) except -1:
    """``refs.first[:seen]`` ranked into ``refs.ranked`` as ``Postings.most_shared`` ranks (most
    shared first, ties in order of first sight): a stable counting sort."""
    cdef Py_ssize_t i, at
    cdef int32_t number, c
    refs.tally_space(most + 2)
    memset(refs.tally, 0, (most + 2) * sizeof(int32_t))
    for i in range(seen):
        refs.tally[most - anchors.counts[refs.first[i]] + 1] += 1
    for c in range(1, most + 2):
        refs.tally[c] += refs.tally[c - 1]
    for i in range(seen):
        number = refs.first[i]
        c = most - anchors.counts[number]
        at = refs.tally[c]
        refs.ranked[at] = number
        refs.tally[c] = <int32_t>(at + 1)
    return seen


cdef object candidates_of(Postings bands, Postings anchors, Refs refs, object item, object twin,
                          Py_ssize_t cap, Py_ssize_t limit, uint32_t every, bint exact):
    """One paragraph's candidates as ``earlier_candidates`` finds them (``twin``: the kept copy
    of a title's key, or ``None``), or ``None`` where this path cannot answer.  The anchors are
    visited in increasing order unless ``exact``: where the order of first sight could matter
    (a tie at the cut of the most shared, or two of them in the same place in the corpus), the
    paragraph is answered again visiting them as Python's ``set`` does, as the query does."""
    cdef int32_t visit = refs.next_visit(), number, most = 0
    cdef Py_ssize_t at = 0, near_end, count, seen, i
    cdef int64_t twin_order = 0
    cdef Entry* entries
    cdef list held = refs.refs
    if twin is not None:
        twin_order = order_of(twin)
        if twin_order < 0:
            return None
        found = refs.numbers.get(twin)
        refs.entries[0].number = -1 if found is None else <int32_t>found
        if found is not None:
            refs.seen[<Py_ssize_t>found] = visit
        at = 1
    keys = item.bands
    if keys is not None:
        at = near_of(bands, refs, keys, visit, at)
        if at < 0:
            return None
    near_end = at
    count = anchors_of(refs, item.distinct, every)
    if count < 0:
        return None
    if exact:
        count = set_order(refs, count)
    seen = count_shared(anchors, refs, count, cap, &most)
    if not exact and cut_is_tied(anchors, refs, seen, most, limit):
        return candidates_of(bands, anchors, refs, item, twin, cap, limit, every, True)
    rank(anchors, refs, seen, most)
    refs.entry_space(at + min(seen, limit))
    for i in range(min(seen, limit)):
        number = refs.ranked[i]
        if refs.seen[number] != visit:
            refs.seen[number] = visit
            refs.entries[at].number = number
            at += 1
    if in_corpus_order(refs, at, twin_order, near_end) and not exact:
        return candidates_of(bands, anchors, refs, item, twin, cap, limit, every, True)
    entries = refs.entries
    return [twin if entries[i].number < 0 else held[entries[i].number] for i in range(at)]


cdef bint in_corpus_order(Refs refs, Py_ssize_t at, int64_t twin_order, Py_ssize_t near_end) except -1:
    """Sort ``refs.entries[:at]`` by corpus order, in the same place in the order they were found
    (a stable sort): whether two of those ranked by anchors (from ``near_end`` on) share a place,
    where their order of first sight decides."""
    cdef Entry* entries = refs.entries
    cdef Py_ssize_t i
    for i in range(at):
        entries[i].position = <int32_t>i
        entries[i].order = twin_order if entries[i].number < 0 else refs.order[entries[i].number]
    if at < 2:
        return False
    qsort(entries, at, sizeof(Entry), by_order)
    for i in range(1, at):
        if (entries[i].order == entries[i - 1].order and entries[i].position >= near_end
                and entries[i - 1].position >= near_end):
            return True
    return False


def reads_arrays_in_place():
    """Whether numpy arrays are read in place here (their head as this module expects), not
    through the buffer protocol: the same values either way, faster."""
    return LAYOUT


def earlier(Postings bands, Postings anchors, Refs refs, list items, dict copies,
            Py_ssize_t cap, Py_ssize_t limit, uint32_t every):
    """``candidates.earlier_candidates`` for a document's paragraphs in one call, from the kept
    copies by key (``copies``), the band table and the anchor table (lists of more than ``cap``
    refs not followed, at most ``limit`` ranked by anchors), all in corpus order; or ``None``
    where it cannot answer (a ref without a corpus order, an array of another type)."""
    cdef dict external = {}
    if not refs.ordered:
        return None
    refs.entry_space(1)
    for item in items:
        twin = copies.get(item.key.text)
        if twin is not None and not item.is_title:
            # nothing beats an exact copy
            external[item.paragraph.index] = [twin]
            continue
        found = candidates_of(bands, anchors, refs, item, twin, cap, limit, every, False)
        if found is None:
            return None
        if found:
            external[item.paragraph.index] = found
    return external


cdef int add_all(Postings bands, const uint64_t* values, Py_ssize_t m, int32_t n) except -1:
    cdef Py_ssize_t i
    for i in range(m):
        bands.prefetch(values[i])
    for i in range(m):
        bands.append(values[i], n, -1)
    return 0


def index(Postings bands, Postings anchors, Refs refs, list items, list keys, list anchored,
          Py_ssize_t cap, uint32_t every):
    """Index a document's kept paragraphs in one call: each one's band keys (``None``: none) in
    the band table, its anchors in the anchor table where ``anchored`` (a list holding more than
    ``cap`` refs stops growing), as ``BandIndex.add`` and ``ShingleIndex.add`` would.  Returns
    how many anchors they have in all (indexed or not).  Distinct shingles are uint32 arrays,
    band keys 64-bit (checked before anything is indexed)."""
    cdef Py_ssize_t k, n, i, m, count, total = 0
    cdef Py_buffer view
    cdef const void* data
    if not len(items) == len(keys) == len(anchored):
        raise ValueError("one band key array and one flag per paragraph")
    for k in range(len(items)):
        dtype = items[k].distinct.dtype
        if (dtype is not U32 and dtype != U32) or (keys[k] is not None and keys[k].dtype.itemsize != 8):
            raise TypeError("expected uint32 shingles and 64-bit band keys")
    for k in range(len(items)):
        item = items[k]
        count = anchors_of(refs, item.distinct, every)
        if count < 0:  # a strided view: the same values
            count = anchors_of(refs, np.ascontiguousarray(item.distinct), every)
        total += count
        if keys[k] is None and not anchored[k]:
            continue
        n = refs.number(item)
        if keys[k] is not None:
            bands.number_room(n)
            if values_of(keys[k], U64, &data, &m) or values_of(keys[k], I64, &data, &m):
                add_all(bands, <const uint64_t*>data, m, <int32_t>n)
            else:
                m = buffer_of(keys[k], &view, 8)
                if m < 0:
                    m = buffer_of(np.ascontiguousarray(keys[k]), &view, 8)
                try:
                    add_all(bands, <const uint64_t*>view.buf, m, <int32_t>n)
                finally:
                    PyBuffer_Release(&view)
        if anchored[k]:
            anchors.number_room(n)
            for i in range(count):
                anchors.prefetch(refs.hashes[i])
            for i in range(count):
                anchors.append(refs.hashes[i], <int32_t>n, cap)
    return total
