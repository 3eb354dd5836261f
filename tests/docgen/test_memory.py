"""After a bundle the worker gives its memory back (issue 19): the cycles python-docx left
are collected at once, and malloc is asked to return its free pages."""

from __future__ import annotations

import gc
import weakref

from docgen import memory


class Node:
    pass


def test_release_memory_frees_the_cycles_a_document_left():
    node = Node()
    node.self = node  # a reference cycle, as python-docx's objects are
    alive = weakref.ref(node)
    del node
    gc.disable()  # no automatic collection may do the work instead
    try:
        memory.release_memory()
    finally:
        gc.enable()
    assert alive() is None


def test_malloc_trim_is_found_in_glibc_and_runs():
    trim = memory._malloc_trim()
    assert trim is not None  # this machine's Python runs on glibc
    assert trim(0) in (0, 1)
