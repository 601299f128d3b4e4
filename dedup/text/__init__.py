"""One document's text, stage by stage, with no knowledge of any other document.

``segment`` (paragraphs and spans) uses ``markers`` (continuation markers cut off
the edges) and ``shape`` (heading or body); ``normalize`` (matching keys) and
``words`` (jieba / rjieba) feed the matching; ``joins`` (broken paragraphs) and
``rewrite`` (the cleaned copy) turn the decisions back into text.
"""
