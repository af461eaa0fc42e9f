"""Frames lent to a pipe arrive as they were sent, though the sender rewrites its one buffer at once."""

import fcntl
import hashlib
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from filmstudio.engines.preview import framepipe
from filmstudio.engines.preview.framepipe import PAGE, FrameFeed

# Reads frames of a given size from stdin in reads of random sizes, now and then pausing, and
# prints each frame's MD5: a reader slower and more erratic than ffmpeg.
_READER = textwrap.dedent("""
    import hashlib, random, sys, time
    size, count = int(sys.argv[1]), int(sys.argv[2])
    rnd = random.Random(5)
    src = sys.stdin.buffer.raw
    for _ in range(count):
        frame = bytearray()
        while len(frame) < size:
            chunk = src.read(min(size - len(frame), rnd.choice([512, 4096, 70000, 1 << 20])))
            if not chunk:
                sys.exit("short frame")
            frame += chunk
            if rnd.random() < 0.05:
                time.sleep(0.002)
        print(hashlib.md5(frame).hexdigest(), flush=True)
    if src.read(1):
        sys.exit("bytes past the last frame")
""")


def _send(size: int, count: int, force_write: bool = False) -> tuple[list[str], list[str], bool]:
    """Sends `count` frames to the checking reader; returns their MD5s, the reader's, and whether
    the feed was lending at the end."""
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(size), str(count)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    assert reader.stdin is not None and reader.stdout is not None
    feed = FrameFeed(reader.stdin.fileno(), size)
    if force_write:
        feed.splice = None
    buf = np.zeros(size, np.uint8)  # one buffer, rewritten for every frame as motion's composer does
    rng = np.random.default_rng(size)
    sent = []
    for n in range(count):
        buf[:] = rng.integers(0, 256, size, dtype=np.uint8)
        sent.append(hashlib.md5(buf).hexdigest())
        feed.send(memoryview(buf))
    reader.stdin.close()
    got = reader.stdout.read().decode().split()
    assert reader.wait() == 0
    return sent, got, feed.lends


def _can_lend() -> bool:
    r, w = os.pipe()
    try:
        return framepipe._vmsplice() is not None and framepipe.set_capacity(w, PAGE) is not None
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.skipif(not _can_lend(), reason="no vmsplice or no sizable pipes on this platform")
@pytest.mark.parametrize("size", [1280 * 720 * 3 // 2, 320 * 180 * 3 // 2, 3 * PAGE + 17, 1280 * 720 * 4])
def test_lent_frames_arrive_unchanged_though_the_sender_reuses_its_buffer(size):
    sent, got, lent = _send(size, 40)
    assert lent  # the premise: these went in by vmsplice
    assert got == sent


def test_frames_smaller_than_a_page_are_written():
    sent, got, lent = _send(1000, 30)
    assert not lent
    assert got == sent


def test_written_frames_arrive_unchanged():
    sent, got, _ = _send(320 * 180 * 3 // 2, 20, force_write=True)
    assert got == sent


@pytest.mark.skipif(not _can_lend(), reason="no vmsplice or no sizable pipes on this platform")
def test_a_lending_pipe_holds_no_more_than_one_frame():
    r, w = os.pipe()
    try:
        size = 320 * 180 * 3 // 2
        assert FrameFeed(w, size).lends
        assert PAGE <= fcntl.fcntl(w, framepipe.F_GETPIPE_SZ) <= size
    finally:
        os.close(r)
        os.close(w)


def test_a_reader_that_goes_away_is_a_broken_pipe():
    reader = subprocess.Popen([sys.executable, "-c", "import os; os.read(0, 10)"], stdin=subprocess.PIPE)
    assert reader.stdin is not None
    feed = FrameFeed(reader.stdin.fileno(), 1 << 16)
    with pytest.raises(BrokenPipeError):
        for _ in range(64):  # 4 MB: more than the pipe holds, so a send must find the reader gone
            feed.send(bytes(1 << 16))
    reader.stdin.close()
    assert reader.wait() == 0


@pytest.mark.skipif(not _can_lend(), reason="no vmsplice or no sizable pipes on this platform")
def test_a_reader_gone_with_frames_unread_is_a_broken_pipe_not_a_wait_forever():
    """The pipe widened behind the feed's back, so several frames sit unread when the reader
    exits: the wait for the reader to catch up must notice it has gone."""
    import threading

    size = 3 * PAGE
    reader = subprocess.Popen([sys.executable, "-c", f"import os; os.read(0, {size})"], stdin=subprocess.PIPE)
    assert reader.stdin is not None
    feed = FrameFeed(reader.stdin.fileno(), size)
    assert feed.lends
    framepipe.set_capacity(reader.stdin.fileno(), framepipe.MAX_PIPE)
    outcome = []

    def send_all():
        try:
            for _ in range(200):  # 2.4 MB: more than the widened pipe holds
                feed.send(bytes(size))
            outcome.append("all sent")
        except BrokenPipeError:
            outcome.append("broken pipe")

    sender = threading.Thread(target=send_all, daemon=True)
    sender.start()
    sender.join(20)
    assert outcome == ["broken pipe"]
    reader.stdin.close()
    assert reader.wait() == 0


def test_a_sandbox_that_refuses_vmsplice_gets_its_frames_written(monkeypatch):
    import ctypes
    import errno

    calls = []

    def refused(fd, iov, n, flags):
        calls.append(fd)
        ctypes.set_errno(errno.ENOSYS)
        return -1

    monkeypatch.setattr(framepipe, "_vmsplice", lambda: refused)
    sent, got, lent = _send(320 * 180 * 3 // 2, 12)
    assert calls and not lent  # it tried, was refused, and wrote from then on
    assert got == sent
