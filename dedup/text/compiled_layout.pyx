# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""A document's lines read in C: ``layout.choose_layout``, ``layout.stripped_spans`` and
``layout.first_blank`` without a ``Line`` record per line.

The pure functions of ``text.layout`` stay the definition (tests compare both on random text and
on the fixtures).  Each call scans the text once for its line breaks and reads each line's facts
(blank, indented, width, ends a sentence) as ``layout.Line`` defines them, with Python's notion of
whitespace (``Py_UNICODE_ISSPACE``, what ``str.strip`` and ``str.isspace`` use).

Built by ``pip install .`` where a C compiler exists (setup.py, ``optional``).
"""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ
from libc.stdlib cimport free, malloc, qsort

from dedup.text.markers import is_marker

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)


cdef struct Line:
    Py_ssize_t start
    Py_ssize_t end
    bint blank
    bint indented
    Py_ssize_t width
    bint ends_sentence


cdef inline bint is_final(Py_UCS4 ch) noexcept nogil:
    """``shape.FINAL``: 。！？!?；;…：:"""
    return ch in (0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0xFF1B, 0x3B, 0x2026, 0xFF1A, 0x3A)


cdef inline bint is_closer(Py_UCS4 ch) noexcept nogil:
    """``shape.CLOSERS``: ”’」』）)】〕］]》〉"'"""
    return ch in (0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x29, 0x3011, 0x3015, 0xFF3D, 0x5D,
                  0x300B, 0x3009, 0x22, 0x27)


cdef class Lines:
    """The physical lines of a text (``layout.lines_of``) as C records."""

    cdef Line* lines
    cdef Py_ssize_t count
    cdef str text

    def __cinit__(self, str text):
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text), i, breaks = 0, position = 0, end
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        self.text = text
        for i in range(length):
            if PyUnicode_READ(kind, data, i) == 0x0A:
                breaks += 1
        self.lines = <Line*>malloc(sizeof(Line) * (breaks + 1))
        if self.lines == NULL:
            raise MemoryError()
        self.count = 0
        for i in range(length + 1):
            if i == length or PyUnicode_READ(kind, data, i) == 0x0A:
                end = i
                if end > position and PyUnicode_READ(kind, data, end - 1) == 0x0D:
                    end -= 1
                self.read(kind, data, position, end)
                position = i + 1
        # a final line ending opens no new line
        if self.count > 1 and self.lines[self.count - 1].end == self.lines[self.count - 1].start:
            self.count -= 1

    def __dealloc__(self):
        free(self.lines)

    cdef void read(self, int kind, void* data, Py_ssize_t start, Py_ssize_t end) noexcept:
        cdef Line* line = &self.lines[self.count]
        cdef Py_ssize_t first = start, last = end
        cdef Py_UCS4 ch
        self.count += 1
        line.start = start
        line.end = end
        while first < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, first)):
            first += 1
        line.blank = first == end
        while last > first and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, last - 1)):
            last -= 1
        line.width = last - first
        line.indented = False
        if end > start:
            ch = PyUnicode_READ(kind, data, start)
            line.indented = ch == 0x3000 or ch == 0xA0 or ch == 0x09 or (
                ch == 0x20 and end - start > 1 and PyUnicode_READ(kind, data, start + 1) == 0x20
            )
        # rstrip(), then rstrip(CLOSERS): whitespace inside the closers stays
        last = end
        while last > start and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, last - 1)):
            last -= 1
        while last > start and is_closer(PyUnicode_READ(kind, data, last - 1)):
            last -= 1
        line.ends_sentence = last > start and is_final(PyUnicode_READ(kind, data, last - 1))


cdef int by_size(const void* a, const void* b) noexcept nogil:
    cdef Py_ssize_t x = (<const Py_ssize_t*>a)[0], y = (<const Py_ssize_t*>b)[0]
    return (x > y) - (x < y)


cdef Py_ssize_t full_width(Lines lines) except -1:
    """The 90th percentile of the widths of the non-blank lines (``choose_layout``)."""
    cdef Py_ssize_t* widths = <Py_ssize_t*>malloc(sizeof(Py_ssize_t) * (lines.count + 1))
    cdef Py_ssize_t n = 0, i, found
    if widths == NULL:
        raise MemoryError()
    for i in range(lines.count):
        if not lines.lines[i].blank:
            widths[n] = lines.lines[i].width
            n += 1
    qsort(widths, n, sizeof(Py_ssize_t), by_size)
    found = widths[<Py_ssize_t>(0.9 * <double>(n - 1))]
    free(widths)
    return found


def choose_layout(str text):
    """``layout.choose_layout``."""
    cdef Lines lines = Lines(text)
    cdef Line* ls = lines.lines
    cdef Py_ssize_t n = lines.count, i, breaks = 0, blocks = 0, wraps = 0, ends = 0, starts = 0, width
    cdef bint has_blank = False, indented_later = False
    for i in range(n):
        if not ls[i].blank and (i == 0 or ls[i - 1].blank):
            blocks += 1
            starts += ls[i].indented
        if i > 0 and not ls[i].blank and not ls[i - 1].blank:
            breaks += 1
        if 0 < i < n - 1 and ls[i].blank:
            has_blank = True
        if i > 0 and ls[i].indented:
            indented_later = True
    has_blank = has_blank or blocks > 1
    if breaks == 0:
        return "blank-lines" if has_blank else "lines"
    width = full_width(lines)
    for i in range(1, n):
        if ls[i].blank or ls[i - 1].blank:
            continue
        if (not ls[i - 1].ends_sentence and not ls[i].indented and width >= 12
                and ls[i - 1].width >= 0.85 * width):
            wraps += 1
        if ls[i - 1].ends_sentence or ls[i].indented:
            ends += 1
    if wraps > ends:
        if not has_blank and starts and indented_later:
            return "wrapped"
        return "blank-lines"
    if has_blank and breaks < 2:
        for i in range(1, n):
            if ls[i].blank or ls[i - 1].blank:
                continue
            if not ls[i - 1].ends_sentence or is_marker(text[ls[i].start : ls[i].end]):
                return "blank-lines"
    return "lines"


def stripped_spans(str text, str layout):
    """``layout.stripped_spans``: each paragraph's span without its surrounding whitespace."""
    cdef Lines lines = Lines(text)
    cdef Line* ls = lines.lines
    cdef Py_ssize_t n = lines.count, i, start = -1, end = -1
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    # as ``paragraph_spans``: any other layout than these two reads as ``wrapped``
    cdef bint by_line = layout == "lines", wrapped = not by_line and layout != "blank-lines"
    spans = []
    for i in range(n):
        if ls[i].blank:
            continue
        if by_line or start < 0 or (wrapped and ls[i].indented) or ls[i - 1].blank:
            if start >= 0:
                strip_into(spans, kind, data, start, end)
            start = ls[i].start
        end = ls[i].end
    if start >= 0:
        strip_into(spans, kind, data, start, end)
    return spans


cdef int strip_into(list spans, int kind, void* data, Py_ssize_t start, Py_ssize_t end) except -1:
    while start < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start)):
        start += 1
    while end > start and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)):
        end -= 1
    if end > start:
        spans.append((start, end))
    return 0


def first_blank(str text):
    """``layout.first_blank``: where the first blank line after the first line starts."""
    cdef Lines lines = Lines(text)
    cdef Py_ssize_t i
    for i in range(1, lines.count):
        if lines.lines[i].blank:
            return lines.lines[i].start
    return None
