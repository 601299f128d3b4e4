# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled core: word 3-gram hashes and MinHash rows, in C.

The same functions exist in pure Python and numpy (``shingle.shingle_arrays``,
``signature.minhash_rows``), which are the definition; these give identical
results (tests compare them on the fixtures and on random input) without the
per-word and per-call cost of the interpreter.  ``pip install .`` compiles
this module where a C compiler exists (setup.py; ``optional``: without one
the pure path is used).
"""

from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_GET_LENGTH
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


cdef inline bint contains(const uint32_t[::1] sorted_values, uint32_t value) noexcept nogil:
    cdef Py_ssize_t lo = 0, hi = sorted_values.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if sorted_values[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo < sorted_values.shape[0] and sorted_values[lo] == value


def covered_mask(const uint32_t[::1] hashes, const int32_t[:, ::1] spans, const uint32_t[::1] found,
                 Py_ssize_t length):
    """Characters covered by the shingles whose hash is in ``found`` (sorted),
    as a bit set (bit i is character i; ``shingle.covered_bits`` of the
    paragraph's ``char_table``)."""
    cdef bytearray bits = bytearray((length + 8) // 8)
    cdef unsigned char* out = bits
    cdef Py_ssize_t i, c
    with nogil:
        for i in range(hashes.shape[0]):
            if contains(found, hashes[i]):
                for c in range(spans[i, 0], spans[i, 1]):
                    out[c >> 3] |= <unsigned char>(1 << (c & 7))
    return int.from_bytes(bits, "little")


def shared_counts(const uint32_t[::1] found, list arrays):
    """How many values of each array (distinct) occur in ``found`` (sorted, distinct)."""
    cdef Py_ssize_t k, i, count
    cdef const uint32_t[::1] values
    counts = []
    for k in range(len(arrays)):
        values = arrays[k]
        count = 0
        for i in range(values.shape[0]):
            if contains(found, values[i]):
                count += 1
        counts.append(count)
    return counts


cdef Py_ssize_t viterbi_step(Py_ssize_t t, int prev, int cur, const uint8_t[:, ::1] allowed,
                             const double[:, ::1] emit, const double[:, ::1] trans,
                             const uint8_t[:, ::1] has_trans, const uint8_t[::1] has_next,
                             double[:, ::1] scores, uint8_t[:, ::1] active, int32_t[:, ::1] back,
                             int32_t[:, ::1] lists, uint8_t[::1] expect) noexcept nogil:
    """One observation of ``pos_viterbi``: the states of ``t`` from those of ``t - 1``;
    -1 when no state of ``t - 1`` has a successor (jieba's ``max`` of nothing)."""
    cdef Py_ssize_t size = expect.shape[0], previous = 0, chosen = 0, x, y, i, count
    cdef bint any_expect = False, found
    cdef double value, best
    for x in range(size):
        active[cur, x] = 0
        expect[x] = 0
        if active[prev, x] and has_next[x]:
            lists[0, previous] = <int32_t>x
            previous += 1
    if previous == 0:
        return -1
    for i in range(previous):
        x = lists[0, i]
        for y in range(size):
            if has_trans[x, y]:
                expect[y] = 1
                any_expect = True
    for y in range(size):
        if allowed[t, y] and expect[y]:
            lists[1, chosen] = <int32_t>y
            chosen += 1
    if chosen == 0:
        for y in range(size):
            if expect[y] or not any_expect:
                lists[1, chosen] = <int32_t>y
                chosen += 1
    for count in range(chosen):
        y = lists[1, count]
        best = 0
        found = False
        for i in range(previous):
            x = lists[0, i]
            value = scores[prev, x] + trans[x, y] + emit[t, y]
            if not found or value >= best:  # ascending x: ties go to the larger state
                best = value
                back[t, y] = <int32_t>x
                found = True
        scores[cur, y] = best
        active[cur, y] = 1
    return chosen


cdef int run_viterbi(Py_ssize_t n, const uint8_t[:, ::1] allowed, const double[:, ::1] emit,
                     const double[::1] start, const double[:, ::1] trans, const uint8_t[:, ::1] has_trans,
                     const uint8_t[::1] has_next, double[:, ::1] scores, uint8_t[:, ::1] active,
                     int32_t[:, ::1] back, int32_t[:, ::1] lists, uint8_t[::1] expect,
                     int32_t* route) noexcept nogil:
    """The Viterbi of ``pos_viterbi`` over the first ``n`` observations, its states in ``route``;
    -1 where jieba's ``max`` would have nothing to choose from."""
    cdef Py_ssize_t size = start.shape[0], t, x = 0, y
    cdef int cur = 0
    cdef bint found = False
    cdef double best = 0
    for y in range(size):
        active[0, y] = 0
        if allowed[0, y]:
            scores[0, y] = start[y] + emit[0, y]
            active[0, y] = 1
    for t in range(1, n):
        cur = 1 - cur
        if viterbi_step(t, 1 - cur, cur, allowed, emit, trans, has_trans, has_next, scores, active,
                        back, lists, expect) < 0:
            return -1
    for y in range(size):
        if active[cur, y] and (not found or scores[cur, y] >= best):
            best = scores[cur, y]
            x = y
            found = True
    if not found:
        return -1
    for t in range(n - 1, -1, -1):
        route[t] = <int32_t>x
        x = back[t, x]
    return 0


def pos_viterbi(const uint8_t[:, ::1] allowed, const double[:, ::1] emit, const double[::1] start,
                const double[:, ::1] trans, const uint8_t[:, ::1] has_trans):
    """The best state of each observation (``tagger.viterbi``, which is jieba.posseg's Viterbi
    over state numbers): the same sums in the same order, ties to the larger state."""
    cdef Py_ssize_t n = allowed.shape[0], size = start.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    route = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] r = route
    cdef int32_t[:, ::1] back = np.full((n, size), -1, dtype=np.int32)
    cdef double[:, ::1] scores = np.empty((2, size), dtype=np.float64)
    cdef uint8_t[:, ::1] active = np.zeros((2, size), dtype=np.uint8)
    cdef int32_t[:, ::1] lists = np.empty((2, size), dtype=np.int32)
    cdef uint8_t[::1] has_next = np.asarray(has_trans).any(axis=1).astype(np.uint8)
    cdef uint8_t[::1] expect = np.zeros(size, dtype=np.uint8)
    cdef int done
    with nogil:
        done = run_viterbi(n, allowed, emit, start, trans, has_trans, has_next, scores, active, back,
                           lists, expect, &r[0])
    if done < 0:
        raise ValueError("max() arg is an empty sequence")  # what jieba raises here
    return route


#: the longest run whose scratch ``PosHmm`` keeps for the next
cdef Py_ssize_t KEPT_SCRATCH = 256


cdef class PosHmm:
    """``pos_viterbi`` over the tagger's tables, held once (``lexicon.Tables``: start, trans,
    has_trans and by character row allowed and emit): ``best(allowed_rows, emit_rows)`` takes each
    observation's row in ``allowed`` and ``emit`` (-1: a character they lack: any state, and
    ``MIN_FLOAT`` for every emission) and builds no array per run."""

    cdef const double[::1] start
    cdef const double[:, ::1] trans
    cdef const uint8_t[:, ::1] has_trans
    cdef const uint8_t[:, ::1] allowed_table
    cdef const double[:, ::1] emit_table
    cdef uint8_t[::1] has_next
    cdef uint8_t[::1] expect
    cdef double missing
    # scratch, as long as the longest run seen
    cdef uint8_t[:, ::1] allowed
    cdef double[:, ::1] emit
    cdef int32_t[:, ::1] back
    cdef int32_t[::1] route
    cdef double[:, ::1] scores
    cdef uint8_t[:, ::1] active
    cdef int32_t[:, ::1] lists

    def __init__(self, start, trans, has_trans, allowed, emit, double missing):
        self.start, self.trans, self.has_trans = start, trans, has_trans
        self.allowed_table, self.emit_table = allowed, emit
        self.missing = missing
        size = self.start.shape[0]
        if not (self.trans.shape[0] == self.trans.shape[1] == self.has_trans.shape[0]
                == self.has_trans.shape[1] == self.allowed_table.shape[1] == self.emit_table.shape[1] == size):
            raise ValueError("the tagger's tables disagree on the number of states")
        self.has_next = np.asarray(has_trans).any(axis=1).astype(np.uint8)
        self.expect = np.zeros(size, dtype=np.uint8)
        self.scores = np.empty((2, size), dtype=np.float64)
        self.active = np.zeros((2, size), dtype=np.uint8)
        self.lists = np.empty((2, size), dtype=np.int32)
        self._grow(16)

    cdef int _grow(self, Py_ssize_t n) except -1:
        size = self.start.shape[0]
        self.allowed = np.empty((n, size), dtype=np.uint8)
        self.emit = np.empty((n, size), dtype=np.float64)
        self.back = np.empty((n, size), dtype=np.int32)
        self.route = np.empty(n, dtype=np.int32)
        return 0

    def best(self, list allowed_rows, list emit_rows):
        """``pos_viterbi`` of the observations whose rows are given, as a list of states."""
        cdef Py_ssize_t n = len(allowed_rows), size = self.start.shape[0], t, y, row
        cdef Py_ssize_t rows_allowed = self.allowed_table.shape[0], rows_emit = self.emit_table.shape[0]
        cdef int done
        if len(emit_rows) != n:
            raise ValueError("one allowed row and one emit row per observation")
        if n == 0:
            return []
        if n > self.allowed.shape[0]:
            self._grow(n)
        cdef uint8_t[:, ::1] allowed = self.allowed
        cdef double[:, ::1] emit = self.emit
        cdef int32_t[:, ::1] back = self.back
        cdef int32_t[::1] route = self.route
        if n > KEPT_SCRATCH:  # a long run's scratch is not kept (3.3 KB a character)
            self._grow(16)
        for t in range(n):
            row = allowed_rows[t]
            if row >= rows_allowed:
                raise IndexError("no such row of allowed states")
            for y in range(size):
                allowed[t, y] = self.allowed_table[row, y] if row >= 0 else 1
            row = emit_rows[t]
            if row >= rows_emit:
                raise IndexError("no such row of emissions")
            for y in range(size):
                emit[t, y] = self.emit_table[row, y] if row >= 0 else self.missing
        with nogil:
            done = run_viterbi(n, allowed, emit, self.start, self.trans, self.has_trans, self.has_next,
                               self.scores, self.active, back, self.lists, self.expect, &route[0])
        if done < 0:
            raise ValueError("max() arg is an empty sequence")  # what jieba raises here
        return [route[t] for t in range(n)]


def lexicon_find(bytes lexicon, Py_ssize_t start, Py_ssize_t end, bytes head):
    """``lexicon.find(head, start, end)`` where ``lexicon[start:end]`` is sorted lines, each between
    newlines, ``key TAB ...`` (``lexicon.Tables``: keys sorted as str, which is their UTF-8 bytes'
    order) and ``head`` is ``NEWLINE key TAB``: a binary search over the lines, not a scan."""
    cdef const unsigned char* data = lexicon
    cdef const unsigned char* key = head
    cdef Py_ssize_t size = len(lexicon), length = len(head) - 2, lo, hi, m, i, n
    cdef int order
    if length < 0 or head[0] != 10 or head[len(head) - 1] != 9:
        raise ValueError("head is not NEWLINE key TAB")
    start, end = max(start, 0), min(end, size)
    if end - start < 2 or data[start] != 10 or data[end - 1] != 10:
        return lexicon.find(head, start, end)  # not a span of whole lines
    key += 1
    lo, hi = start, end - 1  # newlines: each line starts after one, the last ends the span
    while lo < hi:
        m = lo + (hi - lo) // 2
        while data[m] != 10:
            m -= 1
        n = 0
        while data[m + 1 + n] != 9 and data[m + 1 + n] != 10:
            n += 1
        order = 0
        for i in range(n if n < length else length):
            if data[m + 1 + i] != key[i]:
                order = -1 if data[m + 1 + i] < key[i] else 1
                break
        if order == 0:
            order = -1 if n < length else 1 if n > length else 0
        if order == 0:
            return m if data[m + 1 + n] == 9 else -1
        if order < 0:
            lo = m + 1 + n
            while data[lo] != 10:
                lo += 1
        else:
            hi = m
    return -1


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


def covered_masks(const uint32_t[::1] hashes, const int32_t[:, ::1] spans, list founds, Py_ssize_t length):
    """``covered_mask`` of one paragraph for each of several ``found`` arrays, in one call."""
    cdef Py_ssize_t k, i, c, size = (length + 8) // 8
    cdef const uint32_t[::1] found
    cdef bytearray bits
    cdef unsigned char* out
    masks = []
    for k in range(len(founds)):
        found = founds[k]
        bits = bytearray(size)
        out = bits
        for i in range(hashes.shape[0]):
            if contains(found, hashes[i]):
                for c in range(spans[i, 0], spans[i, 1]):
                    out[c >> 3] |= <unsigned char>(1 << (c & 7))
        masks.append(int.from_bytes(bits, "little"))
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
