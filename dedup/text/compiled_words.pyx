# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Words: jieba's cut with HMM off over jieba's dict.txt (``dedup.text.wordcut`` is the pure twin,
step by step; ``dedup.text.words`` uses this one).  jieba's prefix dictionary holds every word
and every prefix of one, so it is a trie: a node per key, found by hashing (its parent node, its
last character) into an open-addressing table.  Walking a text from one position is then one
probe per character, comparing one integer.  The table is built once from the file's bytes, the
way jieba's ``gen_pfdict`` reads them, and can be saved and memory-mapped (``table``, ``load``).

A node is one 64-bit word: its parent and character (the key probed for), whether it has
children, and the number of its frequency among the dictionary's distinct ones (about 5,000), by
which a small array gives ``log(freq) - log(total)``, the very double jieba's route adds.  The
first character of a walk is looked up in an array by character instead of probed for.  The
walks are bound by memory, not arithmetic: with 16-byte nodes holding the double, and every
character and every walk's end probed for, cutting the low-redundancy corpus's keys took half as
long again (9 MB of table instead of 16, and about one probe less per character).

Built by ``pip install .`` where a C compiler exists (setup.py, ``optional``), beside the
matching core (``dedup/matching/compiled.pyx``); without it the segmenter falls back to rjieba
or jieba, which give the same words.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.math cimport log
from libc.stdlib cimport calloc, free, malloc, qsort
from libc.string cimport memchr, memcmp
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ, PyUnicode_Substring

#: a table's header: magic, slots, keys, total frequency, distinct frequencies (uint64 each); then
#: a word per slot, a word per first character below ``FIRST``, and ``FREQUENCIES`` doubles
cdef Py_ssize_t TABLE_HEADER = 40
cdef uint64_t TABLE_MAGIC = 0x3530574142454944  # b"DIEBAW05"

# A node's word, from its highest bit: its parent (PARENT_BITS: the slot of the key less its last
# character, or ROOT), its last character (CP_BITS), whether it has children (one bit), and the
# number of its frequency (FREQUENCY_BITS; 0: a prefix only, or a word of frequency 0).  A free
# slot's word is FREE.  A first character's word (``Words.first``) holds its slot + 1 in place of
# the parent and the character (0: no key starts with it).
cdef enum:
    FREQUENCY_BITS = 14
    CP_BITS = 21
    PARENT_BITS = 28
    KEY_SHIFT = FREQUENCY_BITS + 1  # below it: the children bit and the frequency's number
    FIRST = 0x10000  # first characters looked up by character: the Basic Multilingual Plane
    FREQUENCIES = 1 << FREQUENCY_BITS
cdef uint64_t ROOT = (1 << PARENT_BITS) - 1
cdef uint64_t FREE = 0xFFFFFFFFFFFFFFFFULL
cdef uint64_t HAS_CHILDREN = 1 << FREQUENCY_BITS
cdef uint64_t FREQUENCY = FREQUENCIES - 1
#: the character of a free slot while the table is built
cdef uint32_t NO_CHARACTER = 0xFFFFFFFF


cdef struct Node:  # a key while the trie is built
    uint32_t parent  # the slot of the key less its last character, or ROOT
    uint32_t cp      # its last character, or NO_CHARACTER
    uint32_t freq    # its frequency (0: a prefix only)
    uint32_t children


cdef struct Entry:  # a key while the file is read: its bytes in the file, its frequency
    uint32_t hash
    uint32_t start
    uint32_t length  # 0: an empty slot
    uint32_t freq


cdef inline bint ascii_space(uint8_t c) noexcept nogil:
    return c == 32 or (9 <= c <= 13)  # what bytes.strip() strips


cdef inline bint is_han(Py_UCS4 c) noexcept nogil:
    """In ``jieba.re_han_default``: [\\u4E00-\\u9FD5a-zA-Z0-9+#&._%-]."""
    return ((0x4E00 <= c <= 0x9FD5) or (c'a' <= c <= c'z') or (c'A' <= c <= c'Z') or (c'0' <= c <= c'9')
            or c == c'+' or c == c'#' or c == c'&' or c == c'.' or c == c'_' or c == c'%' or c == c'-')


cdef inline bint is_eng(Py_UCS4 c) noexcept nogil:
    return (c'a' <= c <= c'z') or (c'A' <= c <= c'Z') or (c'0' <= c <= c'9')


cdef inline uint32_t fnv1a(const uint8_t* p, Py_ssize_t n) noexcept nogil:
    """FNV-1a of a dictionary line's key bytes: where the builder looks a key up (only while
    building: the saved table holds nodes, placed by ``mix64``)."""
    cdef uint32_t h = 2166136261U
    cdef Py_ssize_t i
    for i in range(n):
        h = (h ^ p[i]) * 16777619U
    return h


cdef inline uint64_t mix64(uint64_t k) noexcept nogil:
    """MurmurHash3's 64-bit finalizer."""
    k ^= k >> 33
    k *= 0xFF51AFD7ED558CCDULL
    k ^= k >> 33
    k *= 0xC4CEB9FE1A85EC53ULL
    k ^= k >> 33
    return k


cdef Py_ssize_t utf8_char(const uint8_t* p, Py_ssize_t n, uint32_t* cp) noexcept nogil:
    """The length of the UTF-8 character at ``p`` (``n`` bytes left), its code point in ``cp``;
    0 where the bytes are not UTF-8 as Python decodes it (jieba would fail on them)."""
    cdef Py_ssize_t size, i
    cdef uint32_t c = p[0], low
    if c < 0x80:
        cp[0] = c
        return 1
    if 0xC2 <= c <= 0xDF:
        size = 2
        c &= 0x1F
        low = 0x80
    elif 0xE0 <= c <= 0xEF:
        size = 3
        c &= 0x0F
        low = 0x800
    elif 0xF0 <= c <= 0xF4:
        size = 4
        c &= 0x07
        low = 0x10000
    else:
        return 0
    if size > n:
        return 0
    for i in range(1, size):
        if (p[i] & 0xC0) != 0x80:
            return 0
        c = (c << 6) | (p[i] & 0x3F)
    if c < low or c > 0x10FFFF or 0xD800 <= c <= 0xDFFF:
        return 0
    cp[0] = c
    return size


cdef inline Py_ssize_t _table_bytes(Py_ssize_t slots) noexcept nogil:
    return TABLE_HEADER + 8 * (slots + FIRST + FREQUENCIES)


cdef Py_ssize_t _sorted_unique(uint32_t* values, Py_ssize_t n) noexcept nogil:
    """``values[:n]`` sorted with each value once; how many remain."""
    qsort(values, n, sizeof(uint32_t), _by_value)
    cdef Py_ssize_t i, kept = 0
    for i in range(n):
        if kept == 0 or values[i] != values[kept - 1]:
            values[kept] = values[i]
            kept += 1
    return kept


cdef int _by_value(const void* x, const void* y) noexcept nogil:
    cdef uint32_t a = (<const uint32_t*>x)[0], b = (<const uint32_t*>y)[0]
    return (a > b) - (a < b)


cdef class Words:
    """jieba's prefix dictionary, and ``cut``: ``jieba.Tokenizer.cut(text, HMM=False)``.

    ``Words(data)`` reads the bytes of jieba's ``dict.txt`` (a line that is not ``word SPACE
    digits``, where jieba would fail or read it otherwise, raises ``ValueError``); ``table()``
    is the table built, as bytes, and ``Words.load(buffer)`` uses such bytes where they lie (a
    memory-mapped file: nothing to build, pages read as lookups touch them)."""

    cdef object owner  # the buffer of a loaded table
    cdef uint8_t* block  # the table built here (``table``'s bytes), or NULL
    cdef const uint64_t* words  # a word per slot
    cdef const uint64_t* first  # a word per first character below FIRST
    cdef const double* logps  # log(freq) - log(total) by a frequency's number
    cdef Py_ssize_t mask
    cdef double logtotal
    cdef readonly object total
    cdef readonly Py_ssize_t size
    # while the file is read and the trie built
    cdef const uint8_t* data
    cdef Entry* entries
    cdef Py_ssize_t emask, eused
    cdef Node* nodes

    def __cinit__(self):
        self.block = NULL
        self.nodes = NULL
        self.entries = NULL

    def __init__(self, data=None):
        if data is None:  # Words.load
            return
        if not isinstance(data, bytes):
            raise TypeError("Words(data): the bytes of jieba's dict.txt")
        if len(data) >= 0xFFFFFFFF:
            raise ValueError("jieba's dictionary is too large")
        cdef Py_ssize_t lines = data.count(b"\n") + 1, capacity = 1 << 10
        while capacity < 2 * lines:
            capacity <<= 1
        self.data = <const uint8_t*><const char*>data
        self.entries = <Entry*>calloc(capacity, sizeof(Entry))
        if self.entries == NULL:
            raise MemoryError()
        self.emask = capacity - 1
        self.eused = 0
        try:
            total = self._read(len(data))
            if total <= 0:
                raise ValueError("jieba's dictionary holds no frequency")
            self._ready(total)
            self._build()
            self._pack()
        finally:
            free(self.entries)
            free(self.nodes)
            self.entries = NULL
            self.nodes = NULL
            self.data = NULL

    cdef int _ready(self, object total) except -1:
        self.total = total
        self.logtotal = log(<double>total)
        return 0

    def __dealloc__(self):
        free(self.entries)
        free(self.nodes)
        free(self.block)

    def table(self):
        """The table as bytes: a header, the words and the log probabilities (for ``load``)."""
        if self.block == NULL:
            return bytes(self.owner)
        return bytes((<char*>self.block)[:_table_bytes(self.mask + 1)])

    @staticmethod
    def load(buffer):
        """A ``Words`` over bytes ``table()`` gave (kept, not copied); ``ValueError`` when they
        are not such bytes."""
        cdef const uint8_t[::1] view = buffer
        cdef Py_ssize_t n = view.shape[0]
        cdef const uint64_t* head
        if n < TABLE_HEADER:
            raise ValueError("not a word table")
        head = <const uint64_t*>&view[0]
        slots, used, total, distinct = head[1], head[2], head[3], head[4]
        if (head[0] != TABLE_MAGIC or slots < 2 or slots & (slots - 1) or slots >= ROOT
                or not 0 < used < slots or total == 0 or distinct >= FREQUENCIES
                or n != _table_bytes(slots)):
            raise ValueError("not a word table")
        cdef Words words = Words()
        words.owner = view
        words._place(&view[0], slots)
        words.size = used
        words._ready(total)
        return words

    cdef void _place(self, const uint8_t* table, Py_ssize_t slots) noexcept:
        """The words and log probabilities of a table (a damaged one reads wrong words, never
        outside it: a slot is always masked, a frequency's number always below FREQUENCIES)."""
        self.words = <const uint64_t*>(table + TABLE_HEADER)
        self.first = self.words + slots
        self.logps = <const double*>(self.first + FIRST)
        self.mask = slots - 1

    # ------------------------------------------------------------------ reading dict.txt
    cdef Entry* _entry(self, const uint8_t* key, Py_ssize_t length, uint32_t h) noexcept nogil:
        """The entry of ``key``, or the empty one where it would go."""
        cdef Py_ssize_t at = h & self.emask
        cdef Entry* entry
        while True:
            entry = &self.entries[at]
            if entry.length == 0:
                return entry
            if (entry.hash == h and entry.length == length
                    and memcmp(self.data + entry.start, key, length) == 0):
                return entry
            at = (at + 1) & self.emask

    cdef int _put(self, Py_ssize_t start, Py_ssize_t length, uint32_t freq, bint word) except -1:
        cdef uint32_t h = fnv1a(self.data + start, length)
        cdef Entry* entry = self._entry(self.data + start, length, h)
        if entry.length == 0:
            if 3 * (self.eused + 1) > 2 * (self.emask + 1):
                self._grow()
                entry = self._entry(self.data + start, length, h)
            entry.hash, entry.start, entry.length, entry.freq = h, <uint32_t>start, <uint32_t>length, freq
            self.eused += 1
        elif word:  # a later line sets a word again (over a prefix's 0 too); a prefix never does
            entry.freq = freq
        return 0

    cdef int _grow(self) except -1:
        """Twice the entries, each placed again."""
        cdef Entry* old = self.entries
        cdef Py_ssize_t count = self.emask + 1, i, at
        cdef Entry* new = <Entry*>calloc(2 * count, sizeof(Entry))
        if new == NULL:
            raise MemoryError()
        self.entries = new
        self.emask = 2 * count - 1
        for i in range(count):
            if old[i].length:
                at = old[i].hash & self.emask
                while new[at].length:
                    at = (at + 1) & self.emask
                new[at] = old[i]
        free(old)
        return 0

    cdef object _read(self, Py_ssize_t n):
        """``gen_pfdict``: every line's word and frequency, then its prefixes with 0."""
        cdef const uint8_t* p = self.data
        cdef Py_ssize_t pos = 0, end, s, e, space, i, step, number = 0
        cdef unsigned long long freq, total = 0
        cdef const void* found
        cdef uint32_t cp
        while pos < n:
            found = memchr(p + pos, b"\n", n - pos)
            end = n if found == NULL else <Py_ssize_t>(<const uint8_t*>found - p)
            number += 1
            s, e = pos, end
            while s < e and ascii_space(p[s]):
                s += 1
            while e > s and ascii_space(p[e - 1]):
                e -= 1
            space = s
            while space < e and p[space] != 32:
                space += 1
            i = space + 1
            freq = 0
            while i < e and p[i] != 32:
                if not (48 <= p[i] <= 57) or freq > 0xFFFFFFF:
                    break
                freq = freq * 10 + (p[i] - 48)
                i += 1
            if space >= e or i == space + 1 or (i < e and p[i] != 32):
                raise ValueError(f"jieba's dictionary: line {number} is not 'word frequency'")
            self._put(s, space - s, <uint32_t>freq, True)
            total += freq
            i = s
            while i < space:  # each prefix: up to each character's end
                step = utf8_char(p + i, space - i, &cp)
                if step == 0:
                    raise ValueError(f"jieba's dictionary: line {number} is not UTF-8")
                i += step
                if i < space:
                    self._put(s, i - s, 0, False)
            pos = end + 1
        return total

    cdef int _build(self) except -1:
        """The trie of the keys read: a node per key, its parent the key less its last character."""
        cdef Py_ssize_t slots = 2, i, at, p, end, step
        cdef Entry* entry
        cdef uint32_t parent, cp
        while slots < 2 * self.eused:
            slots <<= 1
        if slots >= ROOT:
            raise ValueError("jieba's dictionary is too large")
        self.nodes = <Node*>calloc(slots, sizeof(Node))
        if self.nodes == NULL:
            raise MemoryError()
        self.mask = slots - 1
        for i in range(slots):
            self.nodes[i].cp = NO_CHARACTER
        self.size = 0
        for i in range(self.emask + 1):
            entry = &self.entries[i]
            if entry.length == 0:
                continue
            parent = <uint32_t>ROOT
            p, end = entry.start, entry.start + entry.length
            while p < end:
                step = utf8_char(self.data + p, end - p, &cp)
                at = self._insert(parent, cp)
                parent = <uint32_t>at
                p += step
            self.nodes[parent].freq = entry.freq
        if self.size != self.eused:
            raise ValueError("jieba's dictionary: its keys do not make a trie")
        return 0

    cdef Py_ssize_t _insert(self, uint32_t parent, uint32_t cp) except -1:
        """The node of (``parent``, ``cp``), added (as a prefix) when missing."""
        cdef Py_ssize_t at = mix64((<uint64_t>parent << 32) | cp) & self.mask
        cdef Node* node
        while True:
            node = &self.nodes[at]
            if node.cp == NO_CHARACTER:
                if self.size + 1 >= self.mask:
                    raise ValueError("jieba's dictionary: the table is full")
                node.parent, node.cp, node.freq = parent, cp, 0
                self.size += 1
                if parent != ROOT:
                    self.nodes[parent].children += 1
                return at
            if node.cp == cp and node.parent == parent:
                return at
            at = (at + 1) & self.mask

    cdef int _pack(self) except -1:
        """The table (``block``) from the trie built: each node's word, the first characters'
        words, and a log probability per distinct frequency, numbered in increasing order."""
        cdef Py_ssize_t slots = self.mask + 1, i, distinct = 0, lo, hi, mid
        cdef uint32_t* frequencies = <uint32_t*>malloc(slots * sizeof(uint32_t))
        cdef uint64_t* words
        cdef uint64_t* first
        cdef double* logps
        cdef uint64_t number, word
        cdef uint64_t* head
        cdef Node* node
        if frequencies == NULL:
            raise MemoryError()
        try:
            for i in range(slots):
                if self.nodes[i].cp != NO_CHARACTER and self.nodes[i].freq:
                    frequencies[distinct] = self.nodes[i].freq
                    distinct += 1
            distinct = _sorted_unique(frequencies, distinct)
            if distinct >= FREQUENCIES:
                raise ValueError("jieba's dictionary holds too many distinct frequencies")
            self.block = <uint8_t*>calloc(_table_bytes(slots), 1)
            if self.block == NULL:
                raise MemoryError()
            head = <uint64_t*>self.block
            head[0], head[1], head[2], head[3], head[4] = TABLE_MAGIC, slots, self.size, self.total, distinct
            self._place(self.block, slots)
            words, first, logps = <uint64_t*>self.words, <uint64_t*>self.first, <double*>self.logps
            for i in range(distinct):
                logps[i + 1] = log(<double>frequencies[i]) - self.logtotal
            for i in range(slots):
                node = &self.nodes[i]
                if node.cp == NO_CHARACTER:
                    words[i] = FREE
                    continue
                number = 0
                if node.freq:  # its place among the sorted frequencies, + 1
                    lo, hi = 0, distinct
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if frequencies[mid] < node.freq:
                            lo = mid + 1
                        else:
                            hi = mid
                    number = lo + 1
                word = (HAS_CHILDREN if node.children else 0) | number
                words[i] = (<uint64_t>node.parent << (CP_BITS + KEY_SHIFT)) | (<uint64_t>node.cp << KEY_SHIFT) | word
                if node.parent == ROOT and node.cp < FIRST:
                    first[node.cp] = (<uint64_t>(i + 1) << 32) | word
        finally:
            free(frequencies)
        return 0

    # ------------------------------------------------------------------ cutting
    cdef inline Py_ssize_t _child(self, uint64_t parent, uint32_t cp) noexcept nogil:
        """The slot of (``parent``, ``cp``), or -1 (also in a damaged table that has no free slot)."""
        cdef uint64_t key = (parent << CP_BITS) | cp, word
        cdef Py_ssize_t at = mix64((parent << 32) | cp) & self.mask, probes
        for probes in range(self.mask + 1):
            word = self.words[at]
            if word >> KEY_SHIFT == key:
                return at
            if word == FREE:
                return -1
            at = (at + 1) & self.mask
        return -1

    cdef void _route(self, Py_ssize_t a, Py_ssize_t b, double* best_p, Py_ssize_t* best_x, int kind,
                     void* chars) noexcept:
        """``get_DAG`` and ``calc`` over characters ``a:b``: where each one's best word ends."""
        cdef Py_ssize_t k, i, at, x_k
        cdef double p, p_k
        cdef bint found
        cdef uint64_t word, number
        cdef uint32_t cp
        best_p[b] = 0.0
        best_x[b] = 0
        for k in range(b - 1, a - 1, -1):
            found = False
            p_k = 0.0
            x_k = k
            cp = <uint32_t>PyUnicode_READ(kind, chars, k)
            if cp < FIRST:
                word = self.first[cp]
                at = (<Py_ssize_t>(word >> 32) - 1) & self.mask
            else:
                at = self._child(ROOT, cp)
                word = self.words[at] if at >= 0 else 0
            i = k
            while word:  # s[k:i + 1] in FREQ, as long as it is
                number = word & FREQUENCY
                if number:  # frequency > 0: in the DAG
                    p = self.logps[number] + best_p[i + 1]
                    if not found or p >= p_k:  # max((p, x)): ties go to the larger x
                        p_k = p
                        x_k = i
                        found = True
                i += 1
                if not word & HAS_CHILDREN or i == b:
                    break
                at = self._child(<uint64_t>at, <uint32_t>PyUnicode_READ(kind, chars, i))
                word = self.words[at] if at >= 0 else 0
            if not found:  # the character alone: FREQ.get(c) or 1
                p_k = log(1.0) - self.logtotal + best_p[k + 1]
                x_k = k
            best_p[k] = p_k
            best_x[k] = x_k

    cdef int _block(self, str text, Py_ssize_t a, Py_ssize_t b, double* best_p, Py_ssize_t* best_x,
                    list out, int kind, void* chars) except -1:
        """``__cut_DAG_NO_HMM`` over characters ``a:b``."""
        self._route(a, b, best_p, best_x, kind, chars)
        cdef Py_ssize_t x = a, y, buf = -1
        while x < b:
            y = best_x[x] + 1
            if y - x == 1 and is_eng(PyUnicode_READ(kind, chars, x)):
                if buf < 0:
                    buf = x
            else:
                if buf >= 0:
                    out.append(PyUnicode_Substring(text, buf, x))
                    buf = -1
                out.append(PyUnicode_Substring(text, x, y))
            x = y
        if buf >= 0:
            out.append(PyUnicode_Substring(text, buf, b))
        return 0

    def route(self, str text):
        """``Tokenizer.get_DAG`` and ``calc`` over all of ``text``: for each position, where its best
        word ends (inclusive).  The route of ``jieba.posseg``'s ``__cut_DAG`` (``tagger._route`` is
        the pure twin): the same dictionary, the same sums, ties to the longer word; a character
        no key starts with (a surrogate too) is a word of frequency 1."""
        cdef Py_ssize_t n = len(text), i
        cdef int kind = PyUnicode_KIND(text)
        cdef void* chars = PyUnicode_DATA(text)
        if n == 0:
            return []
        cdef Py_ssize_t* best_x = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
        cdef double* best_p = <double*>malloc((n + 1) * sizeof(double))
        try:
            if best_x == NULL or best_p == NULL:
                raise MemoryError()
            self._route(0, n, best_p, best_x, kind, chars)
            return [best_x[i] for i in range(n)]
        finally:
            free(best_x)
            free(best_p)

    def cut(self, str text):
        """``jieba.Tokenizer.cut(text, HMM=False)`` as a list (a lone surrogate raises
        ``UnicodeEncodeError``, as rjieba, which takes UTF-8, does)."""
        cdef Py_ssize_t n = len(text), i, j
        cdef int kind = PyUnicode_KIND(text)
        cdef void* chars = PyUnicode_DATA(text)
        cdef Py_UCS4 c
        out = []
        if n == 0:
            return out
        if kind != 1:
            for i in range(n):
                c = PyUnicode_READ(kind, chars, i)
                if 0xD800 <= c <= 0xDFFF:
                    raise UnicodeEncodeError("utf-8", text, i, i + 1, "surrogates not allowed")
        cdef Py_ssize_t* best_x = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
        cdef double* best_p = <double*>malloc((n + 1) * sizeof(double))
        try:
            if best_x == NULL or best_p == NULL:
                raise MemoryError()
            i = 0
            while i < n:
                c = PyUnicode_READ(kind, chars, i)
                if is_han(c):
                    j = i + 1
                    while j < n and is_han(PyUnicode_READ(kind, chars, j)):
                        j += 1
                    self._block(text, i, j, best_p, best_x, out, kind, chars)
                    i = j
                elif c == 13 and i + 1 < n and PyUnicode_READ(kind, chars, i + 1) == 10:
                    out.append(PyUnicode_Substring(text, i, i + 2))
                    i += 2
                else:
                    out.append(PyUnicode_Substring(text, i, i + 1))
                    i += 1
        finally:
            free(best_x)
            free(best_p)
        return out
