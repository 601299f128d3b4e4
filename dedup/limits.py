"""Fixed internal limits: each has one name here, used by every path (clean, check, engines).

These are not settings: changing one changes which candidates are seen, so each is part of the
index fingerprint where an index stores its effect (see ``precommit``).
"""

from typing import Final

from dedup.records import Shape

#: candidates taken per paragraph from earlier documents (the most shingles shared first)
MAX_CANDIDATES: Final = 16
#: anchor shingles are those whose hash is a multiple of this: a fixed quarter of all hash values
ANCHOR_EVERY: Final = 4
#: an anchor shingle held by more paragraphs than this is too common to say anything (postings dropped)
MAX_POSTINGS: Final = 64
#: paragraph shapes as stored in packed arrays and indexes: the position is the code
SHAPE_CODES: Final[tuple[Shape, ...]] = ("body", "heading")
#: candidates taken per paragraph from its own document (the most shingles shared first): more than an
#: ordinary article's paragraphs ever share with one of theirs, so only a very long document meets it
MAX_LOCAL_CANDIDATES: Final = 64
