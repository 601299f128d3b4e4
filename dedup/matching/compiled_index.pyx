# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The indexes' table in C: ``Postings``, behind ``index.BandIndex`` and ``index.ShingleIndex``.

Their dicts of lists in pure Python are the definition; tests hold this table to them (buckets,
posting lists, queries, ranking, a ref added twice, growth).  Built by ``pip install .`` beside the
rest of the compiled core (``compiled.pyx``; setup.py, ``optional``); ``core.compiled_postings``
says whether a run uses it.
"""

from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_Release, PyObject_GetBuffer
from cpython.object cimport PyObject
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.string cimport memset

import numpy as np

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define DEDUP_PREFETCH(p) __builtin_prefetch(p)
    #else
    #define DEDUP_PREFETCH(p) ((void)0)
    #endif
    """
    void DEDUP_PREFETCH(const void* p) noexcept nogil


cdef inline Py_ssize_t _slot_of(uint64_t key, Py_ssize_t mask) noexcept nogil:
    return <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> 17) & mask


#: how far ahead of its moves a growing table asks for slots
cdef enum:
    REHASH_AHEAD = 16


cdef struct Slot:
    uint64_t key
    # the newest entry of the key's chain (-1: an empty slot), and the chain's length
    int32_t head
    int32_t size


cdef class Postings:
    """Key (a non-negative 64-bit int) -> ref numbers in the order they were added:
    the buckets of ``index.BandIndex`` and the posting lists of ``index.ShingleIndex``
    in C (their dicts of lists in pure Python are the definition).  An open-addressing
    table of keys (16 bytes a slot: one cache line holds a key's whole slot, which
    a big table misses), each with a chain of entries from the newest (an append
    touches the slot alone; readers walk it back), and per ref number the marks of
    a query."""

    cdef Slot* slots
    cdef Py_ssize_t capacity, used
    cdef int32_t* refs
    cdef int32_t* nexts
    cdef Py_ssize_t entries, entry_room
    cdef uint64_t* order
    cdef int32_t* seen
    cdef int32_t* counts
    cdef Py_ssize_t numbers
    cdef int32_t visit
    # a chain's ref numbers, oldest first (``chain``)
    cdef int32_t* scratch
    cdef Py_ssize_t scratch_room

    def __cinit__(self):
        self.capacity = 1024
        self.slots = <Slot*>malloc(self.capacity * sizeof(Slot))
        self.order = <uint64_t*>malloc(self.capacity * sizeof(uint64_t))
        self.entry_room = 1024
        self.refs = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.nexts = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.scratch_room = 256
        self.scratch = <int32_t*>malloc(self.scratch_room * sizeof(int32_t))
        self.numbers = 0
        self.seen = NULL
        self.counts = NULL
        if not (self.slots and self.order and self.refs and self.nexts and self.scratch):
            raise MemoryError()
        memset(self.slots, 0xFF, self.capacity * sizeof(Slot))  # every head -1: empty

    def __dealloc__(self):
        free(self.slots)
        free(self.order)
        free(self.refs)
        free(self.nexts)
        free(self.seen)
        free(self.counts)
        free(self.scratch)

    cdef Py_ssize_t find(self, uint64_t key) noexcept nogil:
        """The slot of ``key``, or the empty slot where it would go."""
        cdef Py_ssize_t mask = self.capacity - 1, slot = _slot_of(key, mask)
        while self.slots[slot].head >= 0 and self.slots[slot].key != key:
            slot = (slot + 1) & mask
        return slot

    cdef void prefetch(self, uint64_t key) noexcept nogil:
        """Ask the memory for ``key``'s slot ahead of use: a big table's slots are
        cache misses, and a batch of keys then waits for them together."""
        DEDUP_PREFETCH(&self.slots[_slot_of(key, self.capacity - 1)])

    cdef int grow(self) except -1:
        cdef Py_ssize_t old = self.capacity, i
        cdef Slot* slots = self.slots
        self.capacity = old * 2
        self.slots = <Slot*>malloc(self.capacity * sizeof(Slot))
        self.order = <uint64_t*>realloc(self.order, self.capacity * sizeof(uint64_t))
        if not (self.slots and self.order):
            raise MemoryError()
        memset(self.slots, 0xFF, self.capacity * sizeof(Slot))  # every head -1: empty
        for i in range(old):
            # the slots a few moves ahead are asked for now, so the misses overlap
            if i + REHASH_AHEAD < old and slots[i + REHASH_AHEAD].head >= 0:
                self.prefetch(slots[i + REHASH_AHEAD].key)
            if slots[i].head >= 0:
                self.slots[self.find(slots[i].key)] = slots[i]
        free(slots)
        return 0

    cdef int number_room(self, Py_ssize_t number) except -1:
        cdef Py_ssize_t room = max(1024, 2 * number + 2)
        if number < self.numbers:
            return 0
        self.seen = <int32_t*>realloc(self.seen, room * sizeof(int32_t))
        self.counts = <int32_t*>realloc(self.counts, room * sizeof(int32_t))
        if not (self.seen and self.counts):
            raise MemoryError()
        memset(self.seen + self.numbers, 0, (room - self.numbers) * sizeof(int32_t))
        self.numbers = room
        return 0

    cdef int append(self, uint64_t key, int32_t number, Py_ssize_t cap) except -1:
        cdef Slot* slot
        if 2 * (self.used + 1) > self.capacity:
            self.grow()
        slot = &self.slots[self.find(key)]
        if slot.head < 0:
            slot.key = key
            slot.size = 0
            self.order[self.used] = key
            self.used += 1
        elif cap >= 0 and slot.size > cap:
            return 0
        if self.entries == self.entry_room:
            self.entry_room *= 2
            self.refs = <int32_t*>realloc(self.refs, self.entry_room * sizeof(int32_t))
            self.nexts = <int32_t*>realloc(self.nexts, self.entry_room * sizeof(int32_t))
            if not (self.refs and self.nexts):
                raise MemoryError()
        self.refs[self.entries] = number
        self.nexts[self.entries] = slot.head
        slot.head = <int32_t>self.entries
        slot.size += 1
        self.entries += 1
        return 0

    cdef int32_t* chain(self, Slot* slot) except NULL:
        """The ref numbers of a slot's chain in the order they were added (in ``scratch``)."""
        cdef int32_t entry = slot.head
        cdef Py_ssize_t at = slot.size
        if at > self.scratch_room:
            self.scratch_room = 2 * at
            self.scratch = <int32_t*>realloc(self.scratch, self.scratch_room * sizeof(int32_t))
            if not self.scratch:
                raise MemoryError()
        while entry >= 0:
            at -= 1
            self.scratch[at] = self.refs[entry]
            entry = self.nexts[entry]
        return self.scratch

    def add_keys(self, int32_t number, const uint64_t[:] keys):
        """Add ref ``number`` to the bucket of each key, in order (twice for a key given twice)."""
        cdef Py_ssize_t i
        self.number_room(number)
        for i in range(keys.shape[0]):
            self.prefetch(keys[i])
        for i in range(keys.shape[0]):
            self.append(keys[i], number, -1)

    def add_capped(self, int32_t number, hashes, Py_ssize_t cap):
        """Add ref ``number`` to the list of each hash (an iterable of distinct ints) that
        holds at most ``cap`` refs (a longer one is never followed: it stops at ``cap`` + 1)."""
        cdef list given = list(hashes)
        self.number_room(number)
        for h in given:
            self.prefetch(<uint64_t>h)
        for h in given:
            self.append(<uint64_t>h, number, cap)

    def bucket(self, uint64_t key):
        """The ref numbers of ``key`` in the order they were added, or ``None``."""
        cdef Slot* slot = &self.slots[self.find(key)]
        cdef int32_t* numbers
        cdef Py_ssize_t i
        if slot.head < 0:
            return None
        numbers = self.chain(slot)
        return [numbers[i] for i in range(slot.size)]

    def keys_in_order(self):
        """Every key, in the order it first got a ref."""
        return [self.order[i] for i in range(self.used)]

    cdef int32_t next_visit(self) noexcept:
        cdef Py_ssize_t i
        if self.visit == 2147483647:
            for i in range(self.numbers):
                self.seen[i] = 0
            self.visit = 0
        self.visit += 1
        return self.visit

    def union(self, const uint64_t[:] keys):
        """The ref numbers in the buckets of ``keys``: in the order of the keys, each
        bucket in insertion order, each number once (``BandIndex.query``)."""
        cdef int32_t visit = self.next_visit(), number
        cdef int32_t* numbers
        cdef Slot* slot
        cdef Py_ssize_t i, j
        found = []
        for i in range(keys.shape[0]):
            self.prefetch(keys[i])
        for i in range(keys.shape[0]):
            slot = &self.slots[self.find(keys[i])]
            if slot.head < 0:
                continue
            numbers = self.chain(slot)
            for j in range(slot.size):
                number = numbers[j]
                if self.seen[number] != visit:
                    self.seen[number] = visit
                    found.append(number)
        return found

    def most_shared(self, list hashes, Py_ssize_t cap, Py_ssize_t min_shared, limit):
        """The ref numbers in the lists of ``hashes`` (visited in this order) that hold
        at most ``cap`` refs: those in at least ``min_shared`` of them, the most
        shared first, ties in order of first sight, at most ``limit`` (``index.most_shared``)."""
        cdef int32_t visit = self.next_visit(), number, most = 0
        cdef int32_t* numbers
        cdef Slot* slot
        cdef Py_ssize_t i, j, at
        cdef list first = []
        for h in hashes:
            self.prefetch(<uint64_t>h)
        for h in hashes:
            slot = &self.slots[self.find(<uint64_t>h)]
            if slot.head < 0 or slot.size > cap:
                continue
            numbers = self.chain(slot)
            for j in range(slot.size):
                number = numbers[j]
                if self.seen[number] != visit:
                    self.seen[number] = visit
                    self.counts[number] = 0
                    first.append(number)
                self.counts[number] += 1
                if self.counts[number] > most:
                    most = self.counts[number]
        # a stable counting sort, greatest count first
        cdef list starts = [0] * (most + 2)
        for number in first:
            starts[most - self.counts[number] + 1] += 1
        for i in range(1, most + 2):
            starts[i] += starts[i - 1]
        ranked = [0] * len(first)
        for number in first:
            at = starts[most - self.counts[number]]
            ranked[at] = number
            starts[most - self.counts[number]] = at + 1
        if limit is not None:
            ranked = ranked[:limit]
        if min_shared > 1:
            ranked = [number for number in ranked if self.counts[number] >= min_shared]
        return ranked


# ---------------------------------------------------------------------------------------------
# The corpus's candidates, one call per document (``index.Paired``): the refs of both tables
# numbered together (``Refs``), each paragraph's candidates from earlier documents
# (``earlier``, the twin of ``candidates.earlier_candidates``' loop) and a document's kept
# paragraphs indexed (``index``, the twin of ``BandIndex.add`` and ``ShingleIndex.add``).

cdef extern from *:
    """
    /* the head of numpy's array object (PyArrayObject_fields, the same in numpy 1.x and 2.x);
       checked against the array interface when the module loads */
    typedef struct {
        PyObject_HEAD
        char *data;
        int nd;
        Py_ssize_t *dimensions;
        Py_ssize_t *strides;
        PyObject *base;
        PyObject *descr;
        int flags;
    } dedup_array;
    """
    ctypedef struct dedup_array:
        char* data
        int nd
        Py_ssize_t* dimensions
        Py_ssize_t* strides
        PyObject* descr
        int flags

cdef object NDARRAY = np.ndarray
cdef object U32 = np.dtype(np.uint32)
cdef object U64 = np.dtype(np.uint64)
cdef object I64 = np.dtype(np.int64)


cdef bint layout_holds():
    """Whether an array's head reads as ``dedup_array`` says (else buffers are asked for)."""
    probe = np.arange(7, dtype=np.uint32)
    cdef dedup_array* head = <dedup_array*><PyObject*>probe
    return (head.nd == 1 and head.dimensions[0] == 7 and head.strides[0] == 4 and (head.flags & 1) != 0
            and head.descr == <PyObject*>U32
            and <size_t>head.data == <size_t>probe.__array_interface__["data"][0])


cdef bint LAYOUT = layout_holds()


cdef bint values_of(object array, object dtype, const void** data, Py_ssize_t* size):
    """The values of a one-dimensional C-contiguous numpy array of ``dtype`` (its very dtype
    object) read in place, without the buffer protocol's cost (about a third of a paragraph's
    lookup): False where it is not such an array (the caller asks for a buffer then)."""
    cdef dedup_array* head
    if not LAYOUT or type(array) is not NDARRAY:
        return False
    head = <dedup_array*><PyObject*>array
    if head.nd != 1 or head.descr != <PyObject*>dtype or (head.flags & 1) == 0:
        return False
    data[0] = head.data
    size[0] = head.dimensions[0]
    return True


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
    entries = refs.entries
    for i in range(at):
        entries[i].position = <int32_t>i
        entries[i].order = twin_order if entries[i].number < 0 else refs.order[entries[i].number]
    if at > 1:
        qsort(entries, at, sizeof(Entry), by_order)
        if not exact:
            for i in range(1, at):
                if (entries[i].order == entries[i - 1].order and entries[i].position >= near_end
                        and entries[i - 1].position >= near_end):
                    return candidates_of(bands, anchors, refs, item, twin, cap, limit, every, True)
    return [twin if entries[i].number < 0 else held[entries[i].number] for i in range(at)]


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
