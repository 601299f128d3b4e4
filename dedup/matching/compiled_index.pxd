"""The indexes' table (compiled_index.pyx), declared for the extensions that read it in C
(compiled_earlier.pyx)."""

from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t


cdef struct Slot:
    uint64_t key
    # the newest entry of the key's chain (-1: an empty slot), and the chain's length
    int32_t head
    int32_t size


cdef class Postings:
    cdef Slot* slots
    cdef Py_ssize_t capacity, used
    cdef int32_t* refs
    cdef int32_t* nexts
    cdef Py_ssize_t entries, entry_room
    cdef int32_t* seen
    cdef int32_t* counts
    cdef Py_ssize_t numbers
    cdef int32_t visit
    # a chain's ref numbers, oldest first (``chain``)
    cdef int32_t* scratch
    cdef Py_ssize_t scratch_room

    cdef Py_ssize_t find(self, uint64_t key) noexcept nogil
    cdef void prefetch(self, uint64_t key) noexcept nogil
    cdef int grow(self) except -1
    cdef int number_room(self, Py_ssize_t number) except -1
    cdef int append(self, uint64_t key, int32_t number, Py_ssize_t cap) except -1
    cdef int32_t* chain(self, Slot* slot) except NULL
    cdef int32_t next_visit(self) noexcept
