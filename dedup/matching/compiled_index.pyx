# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The indexes' table in C: ``Postings``, behind ``index.BandIndex`` and ``index.ShingleIndex``.

Their dicts of lists in pure Python are the definition; tests hold this table to them (buckets,
posting lists, queries, ranking, a ref added twice, growth).  Built by ``pip install .`` beside the
rest of the compiled core (``compiled.pyx``; setup.py, ``optional``); ``core.compiled_postings``
says whether a run uses it.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memset

import numpy as np


cdef inline Py_ssize_t _slot_of(uint64_t key, Py_ssize_t mask) noexcept nogil:
    return <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> 17) & mask


cdef class Postings:
    """Key (a non-negative 64-bit int) -> ref numbers in the order they were added:
    the buckets of ``index.BandIndex`` and the posting lists of ``index.ShingleIndex``
    in C (their dicts of lists in pure Python are the definition).  An open-addressing
    table of keys, each with a chain of entries, and per ref number the marks of a query."""

    cdef uint64_t* keys
    cdef int32_t* head
    cdef int32_t* tail
    cdef int32_t* sizes
    cdef Py_ssize_t capacity, used
    cdef int32_t* refs
    cdef int32_t* nexts
    cdef Py_ssize_t entries, entry_room
    cdef uint64_t* order
    cdef int32_t* seen
    cdef int32_t* counts
    cdef Py_ssize_t numbers
    cdef int32_t visit

    def __cinit__(self):
        self.capacity = 1024
        self.keys = <uint64_t*>malloc(self.capacity * sizeof(uint64_t))
        self.head = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.tail = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.sizes = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.order = <uint64_t*>malloc(self.capacity * sizeof(uint64_t))
        self.entry_room = 1024
        self.refs = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.nexts = <int32_t*>malloc(self.entry_room * sizeof(int32_t))
        self.numbers = 0
        self.seen = NULL
        self.counts = NULL
        if not (self.keys and self.head and self.tail and self.sizes and self.order and self.refs
                and self.nexts):
            raise MemoryError()
        memset(self.head, 0xFF, self.capacity * sizeof(int32_t))

    def __dealloc__(self):
        free(self.keys)
        free(self.head)
        free(self.tail)
        free(self.sizes)
        free(self.order)
        free(self.refs)
        free(self.nexts)
        free(self.seen)
        free(self.counts)

    cdef Py_ssize_t find(self, uint64_t key) noexcept nogil:
        """The slot of ``key``, or the empty slot where it would go."""
        cdef Py_ssize_t mask = self.capacity - 1, slot = _slot_of(key, mask)
        while self.head[slot] >= 0 and self.keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    cdef int grow(self) except -1:
        cdef Py_ssize_t old = self.capacity, i, slot
        cdef uint64_t* keys = self.keys
        cdef int32_t* head = self.head
        cdef int32_t* tail = self.tail
        cdef int32_t* sizes = self.sizes
        self.capacity = old * 2
        self.keys = <uint64_t*>malloc(self.capacity * sizeof(uint64_t))
        self.head = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.tail = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.sizes = <int32_t*>malloc(self.capacity * sizeof(int32_t))
        self.order = <uint64_t*>realloc(self.order, self.capacity * sizeof(uint64_t))
        if not (self.keys and self.head and self.tail and self.sizes and self.order):
            raise MemoryError()
        memset(self.head, 0xFF, self.capacity * sizeof(int32_t))
        for i in range(old):
            if head[i] >= 0:
                slot = self.find(keys[i])
                self.keys[slot] = keys[i]
                self.head[slot] = head[i]
                self.tail[slot] = tail[i]
                self.sizes[slot] = sizes[i]
        free(keys)
        free(head)
        free(tail)
        free(sizes)
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
        cdef Py_ssize_t slot
        if 2 * (self.used + 1) > self.capacity:
            self.grow()
        slot = self.find(key)
        if self.head[slot] < 0:
            self.keys[slot] = key
            self.sizes[slot] = 0
            self.order[self.used] = key
            self.used += 1
        elif cap >= 0 and self.sizes[slot] > cap:
            return 0
        if self.entries == self.entry_room:
            self.entry_room *= 2
            self.refs = <int32_t*>realloc(self.refs, self.entry_room * sizeof(int32_t))
            self.nexts = <int32_t*>realloc(self.nexts, self.entry_room * sizeof(int32_t))
            if not (self.refs and self.nexts):
                raise MemoryError()
        self.refs[self.entries] = number
        self.nexts[self.entries] = -1
        if self.head[slot] < 0:
            self.head[slot] = <int32_t>self.entries
        else:
            self.nexts[self.tail[slot]] = <int32_t>self.entries
        self.tail[slot] = <int32_t>self.entries
        self.sizes[slot] += 1
        self.entries += 1
        return 0

    def add_keys(self, int32_t number, const uint64_t[:] keys):
        """Add ref ``number`` to the bucket of each key, in order (twice for a key given twice)."""
        cdef Py_ssize_t i
        self.number_room(number)
        for i in range(keys.shape[0]):
            self.append(keys[i], number, -1)

    def add_capped(self, int32_t number, hashes, Py_ssize_t cap):
        """Add ref ``number`` to the list of each hash (an iterable of distinct ints) that
        holds at most ``cap`` refs (a longer one is never followed: it stops at ``cap`` + 1)."""
        self.number_room(number)
        for h in hashes:
            self.append(<uint64_t>h, number, cap)

    def bucket(self, uint64_t key):
        """The ref numbers of ``key`` in the order they were added, or ``None``."""
        cdef Py_ssize_t slot = self.find(key)
        cdef int32_t entry = self.head[slot]
        if entry < 0:
            return None
        found = []
        while entry >= 0:
            found.append(self.refs[entry])
            entry = self.nexts[entry]
        return found

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
        cdef int32_t visit = self.next_visit(), entry, number
        cdef Py_ssize_t i
        found = []
        for i in range(keys.shape[0]):
            entry = self.head[self.find(keys[i])]
            while entry >= 0:
                number = self.refs[entry]
                if self.seen[number] != visit:
                    self.seen[number] = visit
                    found.append(number)
                entry = self.nexts[entry]
        return found

    def most_shared(self, list hashes, Py_ssize_t cap, Py_ssize_t min_shared, limit):
        """The ref numbers in the lists of ``hashes`` (visited in this order) that hold
        at most ``cap`` refs: those in at least ``min_shared`` of them, the most
        shared first, ties in order of first sight, at most ``limit`` (``index.most_shared``)."""
        cdef int32_t visit = self.next_visit(), entry, number, most = 0
        cdef Py_ssize_t slot, i, count, total = 0, at
        cdef list first = []
        for h in hashes:
            slot = self.find(<uint64_t>h)
            if self.head[slot] < 0 or self.sizes[slot] > cap:
                continue
            entry = self.head[slot]
            while entry >= 0:
                number = self.refs[entry]
                if self.seen[number] != visit:
                    self.seen[number] = visit
                    self.counts[number] = 0
                    first.append(number)
                self.counts[number] += 1
                if self.counts[number] > most:
                    most = self.counts[number]
                entry = self.nexts[entry]
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
