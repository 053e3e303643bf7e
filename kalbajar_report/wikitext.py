"""Undoing the WikiText-103 tokenization of the source article's older revision."""

from __future__ import annotations

import re

__all__ = ["detokenize"]

# " @-@ " (hyphen), " @,@ " / " @, @ " (thousands separator), " @.@ " (decimal point)
_AT_JOIN = re.compile(r" @([-,.]) ?@ ")
# "Don 't", "isn 't" (and the "do n't" form)
_NEGATION = re.compile(r"(?<=\w)(?:n 't| n't)\b")
# "Union 's", "we 'll", "We 're", …
_CLITIC = re.compile(r"(?<=\w) '(s|re|ll|ve|d|m)\b")
# a plural possessive: "the Armenians ' most", "his forces ' positions"
_PLURAL_POSSESSIVE = re.compile(r"(?<=s) '(?= )")
_SPACE_BEFORE = re.compile(r" +(?=[,.;:!?)%’])")
_SPACE_AFTER_PAREN = re.compile(r"(?<=\() +")
_ELLIPSIS = re.compile(r"\.\.\.")


def _curl_double_quotes(text: str) -> str:
    """Straight double quotes to “ and ”, alternating by position; the spaces inside the quotes go."""
    parts = text.split('"')
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        if index % 2 == 0:
            out.append("“" + part.lstrip(" "))
        else:
            out[-1] = out[-1].rstrip(" ")
            out.append("”" + part)
    return "".join(out)


def detokenize(text: str) -> str:
    """Turn WikiText-103 tokenized text into normal typography.

    Joins `` @-@ `` hyphens, `` @,@ `` / `` @, @ `` thousands separators and `` @.@ `` decimal points;
    joins clitics with a typographic apostrophe (``Union 's`` → ``Union’s``, ``isn 't`` → ``isn’t``,
    ``Armenians '`` → ``Armenians’``); curls straight double quotes (alternately “ and ”); removes the
    space before ``, . ; : ! ? ) % ’`` and after ``(``; and writes ``...`` as ``…``.

    A dash lost from a range (``45 @,@ 000 ? 60 @,@ 000`` → ``45,000? 60,000``) cannot be told from a
    question mark here; the caller restores it with an explicit edit.
    """
    text = _AT_JOIN.sub(r"\1", text)
    text = _curl_double_quotes(text)
    text = _NEGATION.sub("n’t", text)
    text = _CLITIC.sub(r"’\1", text)
    text = _PLURAL_POSSESSIVE.sub("’", text)
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_AFTER_PAREN.sub("", text)
    return _ELLIPSIS.sub("…", text)
