# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The fact guard's tagger, compiled: jieba's part-of-speech Viterbi (``pos_viterbi``, and
``PosHmm`` holding its tables once), the lexicon's binary search (``lexicon_find``), and the guard's
reading of numbers (``numbers``).

The pure definitions stay in ``dedup.matching.tagger.viterbi``, ``bytes.find`` and
``dedup.matching.facts.NUMBER``; the tests compare both.  Built by ``pip install .`` where a C compiler exists (setup.py, ``optional``),
beside the matching core (``compiled.pyx``); reached through ``core.compiled_tagger()``.
"""

from libc.stdint cimport int32_t, uint8_t

import numpy as np

cdef Py_ssize_t viterbi_step(Py_ssize_t t, int prev, int cur, const uint8_t[:, ::1] allowed,
                             const double[:, ::1] emit, const double[:, ::1] trans,
                             const int32_t[::1] succ_start, const int32_t[::1] succ,
                             const uint8_t[::1] has_next,
                             double[:, ::1] scores, uint8_t[:, ::1] active, int32_t[:, ::1] back,
                             int32_t[:, ::1] lists, uint8_t[::1] expect) noexcept nogil:
    """One observation of ``pos_viterbi``: the states of ``t`` from those of ``t - 1``;
    -1 when no state of ``t - 1`` has a successor (jieba's ``max`` of nothing).  The states a
    state may pass to are ``succ[succ_start[x]:succ_start[x + 1]]`` (``successors``)."""
    cdef Py_ssize_t size = expect.shape[0], previous = 0, chosen = 0, x, y, i, k, count
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
        for k in range(succ_start[x], succ_start[x + 1]):
            expect[succ[k]] = 1
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
                     const double[::1] start, const double[:, ::1] trans, const int32_t[::1] succ_start,
                     const int32_t[::1] succ,
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
        if viterbi_step(t, 1 - cur, cur, allowed, emit, trans, succ_start, succ, has_next, scores,
                        active, back, lists, expect) < 0:
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


def successors(const uint8_t[:, ::1] has_trans):
    """``has_trans`` as lists: the states ``x`` may pass to are ``succ[start[x]:start[x + 1]]``,
    ascending (the Viterbi reads a state's successors, not a row of the whole matrix)."""
    rows, cols = np.nonzero(np.asarray(has_trans))
    start = np.zeros(has_trans.shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=has_trans.shape[0]), out=start[1:])
    return start, cols.astype(np.int32)


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
    cdef int32_t[::1] succ_start, succ
    succ_start, succ = successors(has_trans)
    cdef int done
    with nogil:
        done = run_viterbi(n, allowed, emit, start, trans, succ_start, succ, has_next, scores, active,
                           back, lists, expect, &r[0])
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
    cdef int32_t[::1] succ_start
    cdef int32_t[::1] succ
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
        self.succ_start, self.succ = successors(has_trans)
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
            done = run_viterbi(n, allowed, emit, self.start, self.trans, self.succ_start, self.succ,
                               self.has_next, self.scores, self.active, back, self.lists, self.expect,
                               &route[0])
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


cdef inline bint is_numeral(Py_UCS4 c) noexcept:
    """``facts._CN_NUMERALS``: a character that states a number in Chinese."""
    return (c == u'零' or c == u'〇' or c == u'○' or c == u'一' or c == u'二' or c == u'三'
            or c == u'四' or c == u'五' or c == u'六' or c == u'七' or c == u'八' or c == u'九'
            or c == u'十' or c == u'百' or c == u'千' or c == u'万' or c == u'亿' or c == u'两')


cdef inline bint is_digit(Py_UCS4 c) noexcept:
    return 48 <= c <= 57


def numbers(str text):
    """``facts.NUMBER.findall(text)``, read in one pass: at each character, Arabic digits (after an
    optional 第, with a decimal part and a percent sign where they follow), else 第 and Chinese
    numerals, else two or more Chinese numerals; the search goes on after each number."""
    cdef Py_ssize_t n = len(text), i = 0, j, k
    cdef Py_UCS4 c
    cdef list found = []
    while i < n:
        c = text[i]
        j = i
        if c == u'第' or is_digit(c):
            k = i + 1 if c == u'第' else i
            if k < n and is_digit(text[k]):
                while k < n and is_digit(text[k]):
                    k += 1
                if k + 1 < n and text[k] == u'.' and is_digit(text[k + 1]):
                    k += 2
                    while k < n and is_digit(text[k]):
                        k += 1
                if k < n and text[k] == u'%':
                    k += 1
                j = k
            elif c == u'第':
                k = i + 1
                while k < n and is_numeral(text[k]):
                    k += 1
                if k > i + 1:
                    j = k
        elif is_numeral(c):
            k = i
            while k < n and is_numeral(text[k]):
                k += 1
            if k - i >= 2:
                j = k
        if j > i:
            found.append(text[i:j])
            i = j
        else:
            i += 1
    return found
