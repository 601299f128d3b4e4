# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Verification's shingle lookups (``item.Overlap``) and sentence 3-grams, in C.

A paragraph under verification is compared with each of its candidates several times: the
shingles it shares with each (``Overlap.shared``), the characters of it each one covers
(``Overlap.masks``) and the characters of a candidate it covers in turn (``Overlap.back``).  The
pure ``item.PureOverlap`` stays the definition (numpy merges and ``shingle.covered_bits`` over the
comparison table); here the paragraph's shingle hashes go once into an open-addressing table, each
slot chaining the paragraph's shingles of that hash, and every candidate's values are looked up in
it: a probe a value, instead of a binary search or a merge per pair.  Tests compare the two on
random paragraphs and on the fixtures.
"""

from cpython.unicode cimport (
    PyUnicode_DATA, PyUnicode_Find, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ
)
from libc.stdint cimport int32_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, qsort
from libc.string cimport memset

cdef extern from "Python.h":
    object _PyLong_FromByteArray(const unsigned char* data, size_t n, int little_endian, int is_signed)

from dedup.matching.arrays cimport Held, arrays_ready, four_byte_values, let_go, uint32_values

import numpy as np

cdef object U32 = np.dtype(np.uint32)
cdef object I32 = np.dtype(np.int32)
arrays_ready(np.arange(7, dtype=np.uint32))


cdef class Overlap:
    """One paragraph's shingles (``distinct``, and each shingle's hash and span in ``hashes`` and
    ``spans``; its ``size`` in characters), ready to be compared with many candidates
    (``item.PureOverlap`` is the definition).  The lookup table is built when first needed: many
    paragraphs are settled by ``shared`` alone."""

    cdef object hashes, spans, distinct_values
    cdef Held distinct
    cdef const uint32_t* distinct_data
    cdef Py_ssize_t distinct_count
    #: the table: a hash per slot, and the first of its shingles (+1; 0: an empty slot)
    cdef uint32_t* keys
    cdef int32_t* heads
    #: the next shingle of the same hash (-1: none), and each shingle's span
    cdef int32_t* chain
    cdef int32_t* shingle_spans
    cdef uint32_t slot_mask
    cdef Py_ssize_t size
    cdef unsigned char* bits
    cdef Py_ssize_t bits_room

    def __cinit__(self, distinct, hashes, spans, Py_ssize_t size):
        self.keys = NULL
        self.size = size
        self.hashes = hashes
        self.spans = spans
        self.distinct_values = distinct
        self.distinct_data = uint32_values(distinct, U32, &self.distinct, &self.distinct_count)

    def __dealloc__(self):
        let_go(&self.distinct)
        free(self.keys)

    cdef int build(self) except -1:
        """The lookup table of the paragraph's shingles."""
        cdef Held hv, sv
        cdef Py_ssize_t count = 0, spans = 0, i, slots = 8
        cdef const uint32_t* h = <const uint32_t*>four_byte_values(self.hashes, U32, I32, &hv, &count)
        cdef const int32_t* s
        cdef uint32_t at, value
        cdef char* block
        try:
            s = <const int32_t*>four_byte_values(self.spans, U32, I32, &sv, &spans)
            try:
                if spans != 2 * count:
                    raise ValueError("spans must hold two offsets per hash")
                for i in range(count):
                    if not 0 <= s[2 * i] <= s[2 * i + 1] <= self.size:
                        raise ValueError("a span lies outside the paragraph")
                while slots < 2 * count:
                    slots <<= 1
                self.bits_room = (self.size + 8) // 8
                block = <char*>malloc(slots * 8 + count * 12 + self.bits_room)
                if block == NULL:
                    raise MemoryError()
                self.slot_mask = <uint32_t>(slots - 1)
                self.keys = <uint32_t*>block
                self.heads = <int32_t*>(block + slots * 4)
                self.chain = <int32_t*>(block + slots * 8)
                self.shingle_spans = self.chain + count
                self.bits = <unsigned char*>(block + slots * 8 + count * 12)
                memset(self.heads, 0, slots * sizeof(int32_t))
                memset(self.bits, 0, self.bits_room)
                # in reverse, so that each chain runs in the shingles' order
                for i in range(count - 1, -1, -1):
                    value = h[i]
                    at = value & self.slot_mask
                    while self.heads[at] and self.keys[at] != value:
                        at = (at + 1) & self.slot_mask
                    self.chain[i] = self.heads[at] - 1
                    self.keys[at] = value
                    self.heads[at] = <int32_t>(i + 1)
                    self.shingle_spans[2 * i] = s[2 * i]
                    self.shingle_spans[2 * i + 1] = s[2 * i + 1]
            finally:
                let_go(&sv)
        finally:
            let_go(&hv)
        return 0

    cdef inline int32_t first(self, uint32_t value) noexcept nogil:
        """The first shingle with hash ``value``, or -1."""
        cdef uint32_t at = value & self.slot_mask
        while self.heads[at]:
            if self.keys[at] == value:
                return self.heads[at] - 1
            at = (at + 1) & self.slot_mask
        return -1

    cdef Py_ssize_t shared_with(self, object values) except -1:
        """How many values of ``values`` (sorted, distinct: an item's ``distinct``) this
        paragraph's ``distinct`` holds, the two merged."""
        cdef Held qv
        cdef Py_ssize_t n = self.distinct_count, i = 0, j = 0, m, count = 0
        cdef const uint32_t* f = self.distinct_data
        cdef const uint32_t* q
        cdef uint32_t a, b
        q = uint32_values(values, U32, &qv, &m)
        with nogil:
            # without branches: the next values' order is a coin toss
            while i < n and j < m:
                a = f[i]
                b = q[j]
                count += a == b
                i += a <= b
                j += b <= a
        let_go(&qv)
        return count

    def shared(self, list items):
        """How many values of each item's ``distinct`` (sorted, distinct) this paragraph's
        ``distinct`` holds, the two merged (``PureOverlap.shared``)."""
        return [self.shared_with(item.distinct) for item in items]

    def sharing(self, list items, str doc_id, may_count):
        """The items sharing any shingle with this paragraph, and how many each shares, those of
        its own document ``doc_id`` only where ``may_count`` says so (``PureOverlap.sharing``)."""
        cdef Py_ssize_t count
        kept = []
        counts = []
        for item in items:
            count = self.shared_with(item.distinct)
            if count and (item.doc_id != doc_id or may_count(item)):
                kept.append(item)
                counts.append(count)
        return kept, counts

    def masks(self, list items):
        """The characters of this paragraph covered by its shingles whose hash is in each item's
        ``distinct``, as a bit set (``PureOverlap.masks``)."""
        cdef Held qv
        cdef Py_ssize_t k, j, m
        cdef int32_t i, c
        cdef const uint32_t* q
        cdef unsigned char* out
        cdef bint any_set
        cdef object values
        if self.keys == NULL:
            self.build()
        out = self.bits
        masks = []
        for k in range(len(items)):
            values = items[k].distinct
            q = uint32_values(values, U32, &qv, &m)
            any_set = False
            with nogil:
                for j in range(m):
                    i = self.first(q[j])
                    while i >= 0:
                        any_set = True
                        for c in range(self.shingle_spans[2 * i], self.shingle_spans[2 * i + 1]):
                            out[c >> 3] |= <unsigned char>(1 << (c & 7))
                        i = self.chain[i]
            let_go(&qv)
            if any_set:
                masks.append(_PyLong_FromByteArray(out, self.bits_room, 1, 0))
                memset(out, 0, self.bits_room)
            else:
                masks.append(0)
        return masks

    def back(self, item):
        """The characters of another paragraph (an ``Item``) covered by its shingles that this one
        has (``PureOverlap.back``)."""
        shingled = item.shingles
        cdef Py_ssize_t size = item.size
        cdef Held hv, sv
        cdef Py_ssize_t count = 0, spans = 0, i, room = (size + 8) // 8
        cdef int32_t c
        cdef const uint32_t* h
        cdef const int32_t* s
        cdef unsigned char* out = NULL
        cdef bint any_set = False
        if self.keys == NULL:
            self.build()
        h = <const uint32_t*>four_byte_values(shingled.hashes, U32, I32, &hv, &count)
        try:
            s = <const int32_t*>four_byte_values(shingled.spans, U32, I32, &sv, &spans)
            try:
                if spans != 2 * count:
                    raise ValueError("spans must hold two offsets per hash")
                out = <unsigned char*>malloc(room)
                if out == NULL:
                    raise MemoryError()
                memset(out, 0, room)
                for i in range(count):
                    if not 0 <= s[2 * i] <= s[2 * i + 1] <= size:
                        raise ValueError("a span lies outside the paragraph")
                with nogil:
                    for i in range(count):
                        if self.first(h[i]) >= 0:
                            any_set = True
                            for c in range(s[2 * i], s[2 * i + 1]):
                                out[c >> 3] |= <unsigned char>(1 << (c & 7))
                if not any_set:
                    return 0
                return _PyLong_FromByteArray(out, room, 1, 0)
            finally:
                free(out)
                let_go(&sv)
        finally:
            let_go(&hv)


# ---------------------------------------------------------------------------
# Sentences (``sentences._sentences_survive``): a sentence's character 3-grams held by each piece.
# A 3-gram is three code points (21 bits each), so one 64-bit code is exactly one 3-gram.
# ---------------------------------------------------------------------------

cdef inline uint64_t gram(int kind, const void* data, Py_ssize_t i) noexcept:
    return ((<uint64_t>PyUnicode_READ(kind, data, i) << 42)
            | (<uint64_t>PyUnicode_READ(kind, data, i + 1) << 21)
            | <uint64_t>PyUnicode_READ(kind, data, i + 2))


cdef int by_code(const void* x, const void* y) noexcept nogil:
    cdef uint64_t a = (<const uint64_t*>x)[0], b = (<const uint64_t*>y)[0]
    return (a > b) - (a < b)


cdef Py_ssize_t find_code(const uint64_t* codes, Py_ssize_t n, uint64_t value) noexcept nogil:
    """Where ``value`` is in ``codes[:n]`` (sorted), or -1."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if codes[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < n and codes[lo] == value else -1


def trigram_hits(str sentence, list pieces):
    """``None`` where a piece holds ``sentence`` whole; else the number of distinct character
    3-grams of ``sentence`` and, for each piece, how many of them it holds (``len(grams & held)``
    in ``sentences._sentences_survive``, the definition)."""
    cdef Py_ssize_t k, i, n = PyUnicode_GET_LENGTH(sentence), count, unique = 0, hits, at, m
    cdef int kind = PyUnicode_KIND(sentence), other_kind
    cdef const void* data = PyUnicode_DATA(sentence)
    cdef const void* other_data
    cdef uint64_t* codes
    cdef unsigned char* seen
    cdef str piece
    for k in range(len(pieces)):
        piece = pieces[k]
        if PyUnicode_Find(piece, sentence, 0, PyUnicode_GET_LENGTH(piece), 1) >= 0:
            return None
    count = n - 2 if n > 2 else 0
    codes = <uint64_t*>malloc(count * sizeof(uint64_t) + count + 1)
    if codes == NULL:
        raise MemoryError()
    seen = <unsigned char*>(codes + count)
    try:
        for i in range(count):
            codes[i] = gram(kind, data, i)
        qsort(codes, count, sizeof(uint64_t), by_code)
        for i in range(count):
            if i == 0 or codes[i] != codes[unique - 1]:
                codes[unique] = codes[i]
                unique += 1
        found = []
        for k in range(len(pieces)):
            piece = pieces[k]
            m = PyUnicode_GET_LENGTH(piece)
            other_kind = PyUnicode_KIND(piece)
            other_data = PyUnicode_DATA(piece)
            hits = 0
            memset(seen, 0, unique)
            for i in range(m - 2):
                at = find_code(codes, unique, gram(other_kind, other_data, i))
                if at >= 0 and not seen[at]:
                    seen[at] = 1
                    hits += 1
            found.append(hits)
        return unique, found
    finally:
        free(codes)



def same_key(str text, list items, Py_ssize_t start):
    """The first of ``items`` from ``start`` on whose ``key.text`` is ``text``, or -1
    (``verify.same_key``, the definition)."""
    cdef Py_ssize_t k
    cdef object other
    for k in range(start, len(items)):
        other = items[k].key.text
        if other is text or other == text:
            return k
    return -1
