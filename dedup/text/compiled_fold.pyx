# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Folder: ``normalize.fold`` for text of the Basic Multilingual Plane, one array lookup per
character (``str.translate`` with the fold table is the pure twin: it looks each character up in a
Python list, making an int object for most of them).  A character the table folds into several
(``㍿``), or one outside the plane, is not folded here: ``fold`` returns ``None`` and the caller
takes the pure path.  ``ends`` are written as ``"\\n"`` (``normalize.fold_marked``).

Built by ``pip install .`` where a C compiler exists (setup.py, ``optional``).
"""

from libc.stdint cimport uint32_t
from libc.stdlib cimport free, malloc
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND

#: the table's marks: the character is dropped, or folds into several
cdef uint32_t DROP = 0xFFFFFFFF
cdef uint32_t SEVERAL = 0xFFFFFFFE
cdef Py_ssize_t PLANE = 0x10000


cdef class Folder:
    cdef uint32_t* table

    def __cinit__(self, list translation, str ends=""):
        """``translation``: ``normalize._translation()`` (per code point: itself as an int, what
        it folds to, or ``None``)."""
        if len(translation) != PLANE:
            raise ValueError("the fold table must have one entry per code point of the plane")
        self.table = <uint32_t*>malloc(PLANE * sizeof(uint32_t))
        if self.table == NULL:
            raise MemoryError()
        cdef Py_ssize_t code
        for code in range(PLANE):
            folded = translation[code]
            if folded is None:
                self.table[code] = DROP
            elif isinstance(folded, int):
                self.table[code] = <uint32_t>folded
            elif len(folded) == 1:
                self.table[code] = <uint32_t>ord(folded)
            else:
                self.table[code] = SEVERAL
        for ch in ends:
            self.table[ord(ch)] = 0x0A

    def __dealloc__(self):
        free(self.table)

    def fold(self, str text):
        """``text`` folded, or ``None`` where the pure path must fold it."""
        cdef Py_ssize_t n = len(text), i, j = 0
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_UCS4 c
        cdef uint32_t folded
        cdef uint32_t* out = <uint32_t*>malloc((n + 1) * sizeof(uint32_t))
        if out == NULL:
            raise MemoryError()
        try:
            for i in range(n):
                c = PyUnicode_READ(kind, data, i)
                if c >= PLANE:
                    return None
                folded = self.table[c]
                if folded == DROP:
                    continue
                if folded == SEVERAL:
                    return None
                out[j] = folded
                j += 1
            return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, j)
        finally:
            free(out)
