"""One document's text, stage by stage, with no knowledge of any other document.

``layout`` (how the lines make paragraphs: blank-line blocks, one per line, or
hard-wrapped) and ``segment`` (paragraphs and spans) use ``markers`` (continuation
markers cut off the edges) and ``shape`` (heading or body); ``page`` reads the parts
of a page (headline, front matter, highlights, quotations); ``normalize`` (matching keys) and
``words`` (jieba / rjieba) feed the matching; ``joins`` (broken paragraphs) and
``rewrite`` (the cleaned copy) turn the decisions back into text.
"""
