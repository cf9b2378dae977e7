"""Reading an uploaded assessment where it cannot hurt the service: in a child process with
hard limits on wall time, memory (so on what a compressed PDF inflates to) and paragraphs.

A worker that reads a hostile or merely enormous document in-process can be held past the
server's timeout and killed, taking other people's requests with it. Here the reading happens
in a forked child: the worker waits at most the time allowed, the child cannot grow past its
memory allowance, and a document with more paragraphs than anyone reviews is refused before it
is parsed. Over any limit the upload gets a clear refusal and nothing is written.
"""

import contextlib
import math
import multiprocessing
import os
import resource
from dataclasses import dataclass

from gaps.importer import ImportedAssessment, ImportRefused, read_assessment, read_document

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadingLimits:
    """How much an upload may cost to read."""

    seconds: float = 20.0
    memory_mb: int = 512  # on top of what the worker already holds
    paragraphs: int = 20_000


def too_complex(what: str) -> str:
    """The refusal's words: the document is too large or too complex to read, and why."""
    return f"The document is too large or too complex to read: {what}"


def count_paragraphs(text: str) -> int:
    """About how many paragraphs a text holds (blocks between blank lines), cheaply."""
    return sum(1 for block in text.split("\n\n") if block.strip())


def read_upload(data: bytes, filename: str, title: str | None,
                limits: ReadingLimits = ReadingLimits()) -> tuple[str, ImportedAssessment]:
    """The text of an uploaded document and what the importer finds in it, read in a child
    process within `limits`; `ImportRefused` says why not."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(sending, data, filename, title, limits),
                            daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(limits.seconds):
            raise ImportRefused(too_complex(f"it takes longer than {limits.seconds:g} seconds"))
        try:
            outcome, payload = receiving.recv()
        except EOFError:  # the child was killed, by its memory or processor-time limit
            raise ImportRefused(too_complex(
                f"it needs more than {limits.memory_mb} MB of memory or "
                f"{limits.seconds:g} seconds")) from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
    if outcome == "refused":
        raise ImportRefused(payload)
    return payload


def _read_in_child(sending, data: bytes, filename: str, title: str | None,
                   limits: ReadingLimits) -> None:
    """In the child: read within the limits and send back what came of it, then leave at once
    (never running the parent's exit handlers, its database connections among them)."""
    try:
        _limit_memory(limits.memory_mb)
        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(limits.seconds) + 1,) * 2)
        text = read_document(data, filename)
        blocks = count_paragraphs(text)
        if blocks > limits.paragraphs:
            raise ImportRefused(too_complex(f"{blocks:,} paragraphs, limit {limits.paragraphs:,}"))
        imported = read_assessment(text, title=title)
        if len(imported.paragraphs) > limits.paragraphs:
            raise ImportRefused(too_complex(f"{len(imported.paragraphs):,} paragraphs, limit "
                                            f"{limits.paragraphs:,}"))
        sending.send(("read", (text, imported)))
    except ImportRefused as refusal:
        sending.send(("refused", str(refusal)))
    except MemoryError:
        sending.send(("refused", too_complex(f"it needs more than {limits.memory_mb} MB of "
                                             "memory")))
    except RecursionError:
        sending.send(("refused", too_complex("it is nested too deeply")))
    except Exception:  # noqa: BLE001 - whatever a hostile file does, the answer is a refusal
        with contextlib.suppress(Exception):
            sending.send(("refused", "The document could not be read: it may be damaged"))
    finally:
        with contextlib.suppress(Exception):
            sending.close()
        os._exit(0)


def _limit_memory(allowance_mb: int) -> None:
    """Let this process's address space grow by at most `allowance_mb` from where it is."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # no /proc: count the allowance from nothing
        current = 0
    ceiling = current + allowance_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
