# cython: language_level=3
"""Numpy arrays of integers read in place by the compiled modules that cimport this
(compiled.pyx, compiled_earlier.pyx, compiled_verify.pyx): one definition of numpy's array head,
of the check that it holds on the numpy loaded, and of the buffer protocol they fall back on.

Asking for a buffer costs about a third of a paragraph's lookup, and verification would ask for
one per candidate; reading the head is a few loads.  Each module calls ``arrays_ready`` once when
it loads: until then, or where the head does not read as laid out here, ``values_of`` answers
False and the caller asks for a buffer (``view_of``): slower, the same values.

An array unpickled (every array a worker sends, and their copies) has a dtype object of its own,
equal to numpy's but not it: ``values_of`` reads its descriptor's head too (the scalar type, kind,
type character, byte order and type number, laid out alike in numpy 1.x and 2.x), checked on a
probe the same way.
"""

from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_Release, PyObject_GetBuffer
from cpython.object cimport Py_TYPE, PyObject, PyTypeObject
from libc.stdint cimport uint32_t

cdef extern from *:
    """
    /* the head of numpy's array object (PyArrayObject_fields, the same in numpy 1.x and 2.x) */
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
    /* the head of numpy's dtype object (PyArray_Descr: these fields lead it in 1.x and 2.x) */
    typedef struct {
        PyObject_HEAD
        PyObject *typeobj;
        char kind;
        char type;
        char byteorder;
        char flags;
        int type_num;
    } dedup_descr;
    /* numpy's ndarray type once its head is known to read as dedup_array (one per module) */
    static PyTypeObject *dedup_ndarray_type = NULL;
    /* whether a dtype's head is known to read as dedup_descr (one per module) */
    static int dedup_descr_known = 0;
    #define DEDUP_C_CONTIGUOUS 1
    """
    ctypedef struct dedup_array:
        char* data
        int nd
        Py_ssize_t* dimensions
        Py_ssize_t* strides
        PyObject* descr
        int flags
    ctypedef struct dedup_descr:
        PyObject* typeobj
        char kind
        char type
        char byteorder
        int type_num
    PyTypeObject* dedup_ndarray_type
    int dedup_descr_known
    int DEDUP_C_CONTIGUOUS


cdef inline bint arrays_ready(object probe) except -1:
    """Read the head of ``probe`` (``numpy.arange(7, dtype=numpy.uint32)``) and, if it reads as
    ``dedup_array`` says, let ``values_of`` read arrays of its type; whether it did.  Its dtype's
    head, if it reads as ``dedup_descr`` says, lets ``values_of`` take an equal dtype object too."""
    cdef dedup_array* head = <dedup_array*><PyObject*>probe
    cdef dedup_descr* descr = <dedup_descr*>head.descr
    dtype = probe.dtype
    global dedup_descr_known
    dedup_descr_known = (
        head.descr == <PyObject*>dtype
        and descr.typeobj == <PyObject*>dtype.type
        and descr.kind == ord(dtype.kind)
        and descr.type == ord(dtype.char)
        and descr.byteorder == ord(dtype.byteorder)
        and descr.type_num == dtype.num
    )
    if (head.nd == 1 and head.dimensions[0] == 7 and head.strides[0] == 4
            and (head.flags & DEDUP_C_CONTIGUOUS) != 0
            and head.descr == <PyObject*>probe.dtype
            and <size_t>head.data == <size_t>probe.__array_interface__["data"][0]):
        global dedup_ndarray_type
        dedup_ndarray_type = Py_TYPE(probe)
        return True
    return False


cdef inline bint same_dtype(PyObject* descr, object dtype) noexcept:
    """Whether ``descr`` is ``dtype`` (numpy's own: a plain integer type, native byte order) or an
    equal copy of it (``dedup_descr``'s fields alike)."""
    cdef dedup_descr* mine
    cdef dedup_descr* theirs
    if descr == <PyObject*>dtype:
        return True
    if not dedup_descr_known:
        return False
    mine = <dedup_descr*>descr
    theirs = <dedup_descr*><PyObject*>dtype
    return (mine.typeobj == theirs.typeobj and mine.kind == theirs.kind and mine.type == theirs.type
            and mine.byteorder == theirs.byteorder and mine.type_num == theirs.type_num)


cdef inline bint flat_values_of(object array, object dtype, const void** data, Py_ssize_t* size) noexcept:
    """``values_of`` for a C-contiguous array of any number of dimensions (its values in C order:
    a paragraph's spans are pairs)."""
    cdef dedup_array* head
    cdef Py_ssize_t count = 1
    cdef int axis
    if dedup_ndarray_type == NULL or Py_TYPE(array) != dedup_ndarray_type:
        return False
    head = <dedup_array*><PyObject*>array
    if (head.flags & DEDUP_C_CONTIGUOUS) == 0 or not same_dtype(head.descr, dtype):
        return False
    for axis in range(head.nd):
        count *= head.dimensions[axis]
    data[0] = head.data
    size[0] = count
    return True


cdef inline bint values_of(object array, object dtype, const void** data, Py_ssize_t* size) noexcept:
    """The values of a one-dimensional C-contiguous numpy array of ``dtype`` (numpy's own dtype
    object, or one equal to it: ``same_dtype``) read in place: False where it is not such an array
    (ask for a buffer then)."""
    cdef dedup_array* head
    if dedup_ndarray_type == NULL or Py_TYPE(array) != dedup_ndarray_type:
        return False
    head = <dedup_array*><PyObject*>array
    if head.nd != 1 or (head.flags & DEDUP_C_CONTIGUOUS) == 0 or not same_dtype(head.descr, dtype):
        return False
    data[0] = head.data
    size[0] = head.dimensions[0]
    return True


cdef inline Py_ssize_t view_of(object array, Py_buffer* view, Py_ssize_t item) except -1:
    """A C-contiguous buffer of ``item``-byte values (uint32 or int32 arrays): the number of values.
    Cheaper than a typed memoryview; released by the caller (``PyBuffer_Release``)."""
    PyObject_GetBuffer(array, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    if view.itemsize != item or view.format == NULL or view.format[0] not in b"IiLl=<":
        PyBuffer_Release(view)
        raise ValueError("expected a contiguous array of 32-bit integers")
    return view.len // item


cdef struct Held:
    # a buffer asked for (``held``), which ``let_go`` releases
    Py_buffer view
    bint held


cdef inline const void* four_byte_values(object array, object u32, object i32, Held* hold,
                                         Py_ssize_t* size) except? NULL:
    """The values of a C-contiguous array of uint32 or int32 (``u32``, ``i32``: numpy's dtypes)
    read in place (``flat_values_of``), or through a buffer (``view_of``), which ``hold`` keeps
    until ``let_go``."""
    cdef const void* data
    hold.held = False
    if flat_values_of(array, u32, &data, size) or flat_values_of(array, i32, &data, size):
        return data
    size[0] = view_of(array, &hold.view, 4)
    hold.held = True
    return hold.view.buf


cdef inline void let_go(Held* hold) noexcept:
    if hold.held:
        PyBuffer_Release(&hold.view)
        hold.held = False


cdef inline const uint32_t* uint32_values(object array, object dtype, Held* hold,
                                          Py_ssize_t* size) except? NULL:
    """The uint32 values of ``array`` read in place (``values_of``), or through a buffer, which
    ``hold`` keeps until ``let_go``."""
    cdef const void* data
    hold.held = False
    if values_of(array, dtype, &data, size):
        return <const uint32_t*>data
    size[0] = view_of(array, &hold.view, 4)
    hold.held = True
    return <const uint32_t*>hold.view.buf
