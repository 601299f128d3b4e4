"""document: one document resolved from its features and its earlier candidates alone."""

from __future__ import annotations

from sample_articles import A, B, C, article

import dedup
from dedup.config import Config
from dedup.matching.candidates import earlier_candidates
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.run.corpus import Corpus
from dedup.run.document import clean_document


def test_a_document_alone_is_cleaned_as_clean_text_cleans_it() -> None:
    config = Config()
    text = article("标题", A, B, "（下转第二版）", A)
    resolution = clean_document(Extractor(config)(0, Document("0", text)), {}, config, order=str)
    assert resolution.result == dedup.clean_text(text, config)
    assert set(resolution.decisions) == {4}


def test_a_document_resolved_against_a_corpus_is_what_the_run_makes_of_it() -> None:
    config = Config()
    first, second = article("第一篇", A, B), article("第二篇", C, A)
    corpus = Corpus(config)
    corpus.clean(Extractor(config)(0, Document("0", first)))
    extracted = Extractor(config)(1, Document("1", second))
    external = earlier_candidates(extracted.items, corpus.exact, corpus.near, corpus.contain, config)
    order = {"0": 0, "1": 1}.__getitem__
    once = clean_document(extracted, external, config, order)
    # nothing but the arguments counts: asked again, the same answer
    again = clean_document(extracted, external, config, order)
    assert once.result == again.result == list(dedup.clean([first, second], config))[1]
    assert [r.kind for r in once.result.removed] == ["exact"]
