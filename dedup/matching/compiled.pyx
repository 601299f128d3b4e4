# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled core: word 3-gram hashes and MinHash rows, in C.

The same functions exist in pure Python and numpy (``shingle.shingle_arrays``,
``signature.minhash_rows``), which are the definition; these give identical
results (tests compare them on the fixtures and on random input) without the
per-word and per-call cost of the interpreter.  ``pip install .`` compiles
this module where a C compiler exists (setup.py; ``optional``: without one
the pure path is used).
"""

from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_Release, PyObject_GetBuffer
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_GET_LENGTH
from libc.string cimport memset
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t

import numpy as np

cdef uint32_t P1 = 2654435761U
cdef uint32_t P2 = 2246822519U
cdef uint32_t P3 = 3266489917U
cdef uint32_t P4 = 668265263U
cdef uint32_t P5 = 374761393U
#: the multipliers that combine word hashes (``shingle._MIX``)
cdef uint32_t MIX[5]
MIX[:] = [0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1]


cdef inline uint32_t rotl(uint32_t x, int r) nogil:
    return (x << r) | (x >> (32 - r))


cdef inline uint32_t read32(const uint8_t* p) nogil:
    return <uint32_t>p[0] | (<uint32_t>p[1] << 8) | (<uint32_t>p[2] << 16) | (<uint32_t>p[3] << 24)


cdef uint32_t xxh32(const uint8_t* p, Py_ssize_t n) nogil:
    """xxHash32 with seed 0 (what ``xxhash.xxh32_intdigest`` computes)."""
    cdef const uint8_t* end = p + n
    cdef uint32_t v1, v2, v3, v4, h
    if n >= 16:
        v1 = P1 + P2
        v2 = P2
        v3 = 0
        v4 = 0U - P1
        while p + 16 <= end:
            v1 = rotl(v1 + read32(p) * P2, 13) * P1
            v2 = rotl(v2 + read32(p + 4) * P2, 13) * P1
            v3 = rotl(v3 + read32(p + 8) * P2, 13) * P1
            v4 = rotl(v4 + read32(p + 12) * P2, 13) * P1
            p += 16
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
    else:
        h = P5
    h += <uint32_t>n
    while p + 4 <= end:
        h = rotl(h + read32(p) * P3, 17) * P4
        p += 4
    while p < end:
        h = rotl(h + p[0] * P5, 11) * P1
        p += 1
    h ^= h >> 15
    h *= P2
    h ^= h >> 13
    h *= P3
    h ^= h >> 16
    return h


cdef inline uint32_t fmix32(uint32_t h) nogil:
    h ^= h >> 16
    h *= 0x85EBCA6BU
    h ^= h >> 13
    h *= 0xC2B2AE35U
    h ^= h >> 16
    return h


def word_hashes(list tokens):
    """xxh32 of each token's UTF-8 bytes, and the character offset after each."""
    cdef Py_ssize_t n = len(tokens), i, size
    cdef const char* data
    cdef object token
    words = np.empty(n, dtype=np.uint32)
    bounds = np.zeros(n + 1, dtype=np.int32)
    cdef uint32_t[::1] w = words
    cdef int32_t[::1] b = bounds
    for i in range(n):
        token = tokens[i]
        data = PyUnicode_AsUTF8AndSize(token, &size)
        w[i] = xxh32(<const uint8_t*>data, size)
        b[i + 1] = b[i] + <int32_t>PyUnicode_GET_LENGTH(token)
    return words, bounds


def shingle_arrays(list tokens, int size):
    """Shingle hashes and their character spans of a non-empty token list
    (``shingle.shingle_arrays``)."""
    words, bounds = word_hashes(tokens)
    cdef uint32_t[::1] w = words
    cdef int32_t[::1] b = bounds
    cdef Py_ssize_t n = len(tokens)
    cdef int width = size if size < n else <int>n
    cdef Py_ssize_t count = n - width + 1, i
    cdef int offset
    cdef uint32_t combined
    hashes = np.empty(count, dtype=np.uint32)
    spans = np.empty((count, 2), dtype=np.int32)
    cdef uint32_t[::1] out = hashes
    cdef int32_t[:, ::1] sp = spans
    for i in range(count):
        combined = <uint32_t>width
        for offset in range(width):
            combined = (combined * MIX[offset % 5]) ^ w[i + offset]
        out[i] = fmix32(combined)
        sp[i, 0] = b[i]
        sp[i, 1] = b[i + width]
    return hashes, spans


def minhash_rows(const uint32_t[::1] flat, const int64_t[::1] starts, const uint32_t[::1] a,
                 const uint32_t[::1] b):
    """One MinHash row per set: set ``k`` is ``flat[starts[k]:starts[k + 1]]``
    (``signature.minhash_rows``)."""
    cdef Py_ssize_t sets = starts.shape[0] - 1, perms = a.shape[0], k, i, j
    out = np.empty((sets, perms), dtype=np.uint32)
    cdef uint32_t[:, ::1] o = out
    cdef uint32_t m, v
    with nogil:
        for k in range(sets):
            for j in range(perms):
                o[k, j] = 0xFFFFFFFFU
            for i in range(starts[k], starts[k + 1]):
                m = fmix32(flat[i])
                for j in range(perms):
                    v = a[j] * m + b[j]
                    if v < o[k, j]:
                        o[k, j] = v
    return out




cdef inline bint holds(const uint32_t* values, Py_ssize_t n, uint32_t value) noexcept nogil:
    """``value`` is in ``values[:n]`` (sorted): a binary search."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo < n and values[lo] == value


cdef Py_ssize_t view_of(object array, Py_buffer* view, Py_ssize_t item) except -1:
    """A C-contiguous buffer of ``item``-byte values (uint32 or int32 arrays): the number of values.
    Cheaper than a typed memoryview, which verification would build for every candidate."""
    PyObject_GetBuffer(array, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    if view.itemsize != item or view.format == NULL or view.format[0] not in b"IiLl=<":
        PyBuffer_Release(view)
        raise ValueError("expected a contiguous array of 32-bit integers")
    return view.len // item


cdef object mask_of(const uint32_t* hashes, const int32_t* spans, Py_ssize_t count,
                    const uint32_t* found, Py_ssize_t found_count, bytearray bits):
    """Characters covered by the shingles whose hash is in ``found``, as an int (``bits``: a
    zeroed scratch buffer of the paragraph's size in bytes)."""
    cdef unsigned char* out = bits
    cdef Py_ssize_t i, c
    cdef bint any_set = False
    with nogil:
        for i in range(count):
            if holds(found, found_count, hashes[i]):
                any_set = True
                for c in range(spans[2 * i], spans[2 * i + 1]):
                    out[c >> 3] |= <unsigned char>(1 << (c & 7))
    if not any_set:
        return 0
    mask = int.from_bytes(bits, "little")
    memset(out, 0, len(bits))
    return mask


def covered_mask(hashes, spans, found, Py_ssize_t length):
    """Characters covered by the shingles whose hash is in ``found`` (sorted),
    as a bit set (bit i is character i; ``shingle.covered_bits`` of the
    paragraph's ``char_table``)."""
    return covered_masks(hashes, spans, [found], length)[0]


def shared_counts(found, list arrays):
    """How many values of each array (distinct) occur in ``found`` (sorted, distinct): the two
    sorted arrays are merged."""
    cdef Py_buffer fv, qv
    cdef Py_ssize_t n = view_of(found, &fv, 4), m, i, j, count, k
    cdef const uint32_t* f = <const uint32_t*>fv.buf
    cdef const uint32_t* q
    counts = []
    try:
        for k in range(len(arrays)):
            m = view_of(arrays[k], &qv, 4)
            q = <const uint32_t*>qv.buf
            count = i = j = 0
            with nogil:
                while i < n and j < m:
                    if f[i] < q[j]:
                        i += 1
                    elif q[j] < f[i]:
                        j += 1
                    else:
                        count += 1
                        i += 1
                        j += 1
            PyBuffer_Release(&qv)
            counts.append(count)
    finally:
        PyBuffer_Release(&fv)
    return counts


# ---------------------------------------------------------------------------
# Resolution (the main process): bit sets and indexes.  Each function mirrors a
# pure one that stays the definition (named in its docstring).
# ---------------------------------------------------------------------------


def longest_run(mask, Py_ssize_t bridge):
    """(start, end) of the longest run of set bits of ``mask`` (a non-negative int),
    bridging gaps of up to ``bridge`` unset ones; the first of equals
    (``bits.longest_run``)."""
    cdef Py_ssize_t nbits = mask.bit_length()
    cdef bytes data = mask.to_bytes((nbits + 7) // 8, "little")
    cdef const unsigned char* bits = data
    cdef Py_ssize_t i, start = -1, last = -1, best_start = 0, best_end = 0
    for i in range(nbits):
        if not (bits[i >> 3] >> (i & 7)) & 1:
            continue
        if start >= 0 and i - last - 1 > bridge:
            if last + 1 - start > best_end - best_start:
                best_start, best_end = start, last + 1
            start = i
        elif start < 0:
            start = i
        last = i
    if start >= 0 and last + 1 - start > best_end - best_start:
        best_start, best_end = start, last + 1
    return best_start, best_end


def anchor_list(const uint32_t[:] distinct, uint32_t every):
    """The hashes of ``distinct`` that are multiples of ``every``, in order, as a list
    (``index.anchors(distinct, every).tolist()``)."""
    cdef Py_ssize_t i
    found = []
    for i in range(distinct.shape[0]):
        if distinct[i] % every == 0:
            found.append(distinct[i])
    return found


def covered_masks(hashes, spans, list founds, Py_ssize_t length):
    """``covered_mask`` of one paragraph for each of several ``found`` arrays, in one call."""
    cdef Py_buffer hv, sv, fv
    cdef Py_ssize_t count = view_of(hashes, &hv, 4), k, found_count
    masks = []
    try:
        if view_of(spans, &sv, 4) != 2 * count:
            PyBuffer_Release(&sv)
            raise ValueError("spans must hold two offsets per hash")
        try:
            bits = bytearray((length + 8) // 8)
            for k in range(len(founds)):
                found_count = view_of(founds[k], &fv, 4)
                try:
                    masks.append(mask_of(<const uint32_t*>hv.buf, <const int32_t*>sv.buf, count,
                                         <const uint32_t*>fv.buf, found_count, bits))
                finally:
                    PyBuffer_Release(&fv)
        finally:
            PyBuffer_Release(&sv)
    finally:
        PyBuffer_Release(&hv)
    return masks


# ---------------------------------------------------------------------------
# Extraction (issue 15): the shingles a document's keys share
# (``candidates.shared_holders``, its pure twin and definition).
# ---------------------------------------------------------------------------

from libc.stdint cimport uint64_t


def shared_holders(list distinct):
    """For each hash in more than one of these arrays (each sorted, distinct),
    the positions of the arrays holding it, in order; hashes in increasing order.

    Each hash and its array's position make one 64-bit code (hash above,
    position below): sorted, the codes of one hash are a run, its holders in
    order."""
    cdef Py_ssize_t groups = len(distinct), total = 0, group, i, j, k, at = 0
    cdef const uint32_t[::1] values
    cdef uint64_t[::1] codes
    cdef uint64_t hash_of
    if groups < 2:
        return []
    for group in range(groups):
        total += len(distinct[group])
    sorted_codes = np.empty(total, dtype=np.uint64)
    codes = sorted_codes
    for group in range(groups):
        values = distinct[group]
        for i in range(values.shape[0]):
            codes[at] = (<uint64_t>values[i] << 32) | <uint64_t>group
            at += 1
    sorted_codes.sort()
    held = []
    i = 0
    while i < total:
        hash_of = codes[i] >> 32
        j = i + 1
        while j < total and codes[j] >> 32 == hash_of:
            j += 1
        if j - i > 1:
            held.append(tuple([<Py_ssize_t>(codes[k] & 0xFFFFFFFFU) for k in range(i, j)]))
        i = j
    return held
