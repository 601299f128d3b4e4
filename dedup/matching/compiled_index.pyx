# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The indexes' table in C: ``Postings``, behind ``index.BandIndex`` and ``index.ShingleIndex``.

Their dicts of lists in pure Python are the definition; tests hold this table to them (buckets,
posting lists, queries, ranking, a ref added twice, growth).  Built by ``pip install .`` beside the
rest of the compiled core (``compiled.pyx``; setup.py, ``optional``); ``core.compiled_postings``
says whether a run uses it.  Its fields are declared in ``compiled_index.pxd``, so that
``compiled_earlier.pyx`` (a document's candidates and indexing in one call) reads the table.
"""

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

cdef extern from *:
    """
    #if defined(__linux__)
    #include <sys/mman.h>
    #include <stdint.h>
    #ifndef MADV_POPULATE_WRITE
    #define MADV_POPULATE_WRITE 23
    #endif
    /* ask the kernel for all the pages of a large block at once (Linux 5.14 on; elsewhere, or on
       an older kernel, nothing happens and the pages come one fault at a time) */
    static void dedup_populate(void *start, size_t size) {
        uintptr_t page = 4096, first = ((uintptr_t)start + page - 1) & ~(page - 1);
        uintptr_t last = ((uintptr_t)start + size) & ~(page - 1);
        if (size >= (1u << 20) && last > first)
            (void)madvise((void *)first, last - first, MADV_POPULATE_WRITE);
    }
    #else
    static void dedup_populate(void *start, size_t size) { (void)start; (void)size; }
    #endif
    """
    void dedup_populate(void* start, size_t size) noexcept nogil


cdef inline Py_ssize_t _slot_of(uint64_t key, Py_ssize_t mask) noexcept nogil:
    return <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> 17) & mask


cdef struct First:
    # a key and the oldest entry of its chain (``Postings.keys_in_order``)
    int32_t entry
    uint64_t key


cdef int _by_entry(const void* a, const void* b) noexcept nogil:
    cdef int32_t x = (<const First*>a).entry, y = (<const First*>b).entry
    return (x > y) - (x < y)


#: how far ahead of its moves a growing table asks for slots
cdef enum:
    REHASH_AHEAD = 16


cdef class Postings:
    """Key (a non-negative 64-bit int) -> ref numbers in the order they were added:
    the buckets of ``index.BandIndex`` and the posting lists of ``index.ShingleIndex``
    in C (their dicts of lists in pure Python are the definition).  An open-addressing
    table of keys (16 bytes a slot: one cache line holds a key's whole slot, which
    a big table misses), each with a chain of entries from the newest (an append
    touches the slot alone; readers walk it back), and per ref number the marks of
    a query."""

    def __cinit__(self):
        self.capacity = 1024
        self.slots = <Slot*>malloc(self.capacity * sizeof(Slot))
        self.entry_room = 1024
        self.refs = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.nexts = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.scratch_room = 256
        self.scratch = <int32_t*>malloc(self.scratch_room * sizeof(int32_t))
        self.numbers = 0
        self.seen = NULL
        self.counts = NULL
        if not (self.slots and self.refs and self.nexts and self.scratch):
            raise MemoryError()
        memset(self.slots, 0xFF, self.capacity * sizeof(Slot))  # every head -1: empty

    def __dealloc__(self):
        free(self.slots)
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
        if not self.slots:
            raise MemoryError()
        dedup_populate(self.slots, self.capacity * sizeof(Slot))
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
        """Every key, in the order it first got a ref: the order of each chain's oldest entry (asked
        when the table is spilled or read whole, not kept up: an array of the keys in order took
        8 bytes a slot, and its growth a tenth of the page faults of a run)."""
        cdef Py_ssize_t i, n = 0
        cdef int32_t entry
        cdef First* found = <First*>malloc(max(1, self.used) * sizeof(First))
        if found == NULL:
            raise MemoryError()
        try:
            for i in range(self.capacity):
                entry = self.slots[i].head
                if entry < 0:
                    continue
                while self.nexts[entry] >= 0:
                    entry = self.nexts[entry]
                found[n].entry = entry
                found[n].key = self.slots[i].key
                n += 1
            qsort(found, n, sizeof(First), _by_entry)
            return [found[i].key for i in range(n)]
        finally:
            free(found)

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
