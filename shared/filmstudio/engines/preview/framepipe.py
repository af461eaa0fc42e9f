"""Raw frames into a pipe, lent to it page by page instead of copied through the kernel.

A 720p yuv420p frame is 1.4 MB, so a minute of film is 2 GB on its way to x264.
Written with write(2), each byte is copied into freshly allocated pipe pages and copied out
of them again. Measured on 2 GB into ffmpeg, that is ~0.7 CPU-s in the writer and ~1.1 in
ffmpeg. vmsplice(2) instead puts the writer's own pages in the pipe, and the reader copies
straight out of them: ~0.35 and ~0.6 CPU-s.

The catch: a lent page must not change until the reader has read it. So `FrameFeed` first
copies each frame into one of two staging buffers (a memcpy, ~0.06 ms a 720p frame), and it
sizes the pipe to hold no more than one frame. Then "frame n+1 is in the pipe whole" means
"frame n has been read", and frame n's buffer is free again for frame n+2. A backstop in
case the pipe were widened behind the feed's back: before a buffer is reused, the pipe's
unread bytes (FIONREAD) must be no more than one frame's, else the feed waits (with the
pipe sized as above that never happens). Where vmsplice is missing (not Linux) or refused
(a sandbox that filters it), or the pipe cannot be sized, frames are written as before.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import mmap
import os
import select
import struct
import termios
import time

import numpy as np

F_SETPIPE_SZ, F_GETPIPE_SZ = 1031, 1032  # Linux fcntl commands: set and get a pipe's capacity
PAGE = mmap.PAGESIZE
MAX_PIPE = 1 << 20  # what an unprivileged process may ask for (/proc/sys/fs/pipe-max-size)


# What a sandbox that filters vmsplice (seccomp, gVisor) answers; the feed then writes.
_REFUSED = {errno.ENOSYS, errno.EPERM, errno.EINVAL, errno.EOPNOTSUPP}


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


@functools.cache
def _vmsplice():
    try:
        fn = ctypes.CDLL(None, use_errno=True).vmsplice
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_size_t, ctypes.c_uint]
    fn.restype = ctypes.c_ssize_t
    return fn


def set_capacity(fd: int, size: int) -> int | None:
    """Ask for a pipe capacity of `size` bytes (the kernel rounds it up to a power of two pages);
    returns the capacity the pipe has, or None where pipes cannot be sized."""
    try:
        fcntl.fcntl(fd, F_SETPIPE_SZ, size)
    except OSError:  # a lower pipe-max-size or a user over its pipe quota: the pipe keeps its size
        pass
    try:
        return fcntl.fcntl(fd, F_GETPIPE_SZ)
    except OSError:  # not Linux
        return None


def _one_frame_capacity(frame_bytes: int) -> int:
    """The largest capacity the kernel can give (a power of two pages, at most MAX_PIPE) that a frame fills."""
    pages = 1
    while pages * 2 * PAGE <= min(frame_bytes, MAX_PIPE):
        pages *= 2
    return pages * PAGE


def _aligned(size: int) -> np.ndarray:
    """A page-aligned buffer: every page of it then fills a whole pipe slot."""
    raw = np.empty(size + PAGE, np.uint8)
    skip = -raw.ctypes.data % PAGE
    return raw[skip:skip + size]


def _write_all(fd: int, view: memoryview) -> None:
    while view.nbytes:
        view = view[os.write(fd, view):]


def unread_bytes(fd: int) -> int:
    """Bytes in a pipe not yet read (FIONREAD works on either end of a Linux pipe)."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


class FrameFeed:
    """Sends equal-sized raw frames into the write end of a pipe; the caller may change a
    frame's buffer as soon as `send` returns (a frame is copied before it is lent).

    Keep the feed until the reader has exited: the pipe may still hold pages of its staging
    buffers, which must not be freed (and their memory reused) before they are read."""

    def __init__(self, fd: int, frame_bytes: int):
        self.fd, self.frame_bytes = fd, frame_bytes
        self._iov = _IoVec()
        self._sent = 0
        splice = _vmsplice() if frame_bytes >= PAGE else None
        capacity = set_capacity(fd, _one_frame_capacity(frame_bytes)) if splice is not None else None
        self.splice = splice if capacity is not None and capacity <= frame_bytes else None
        if self.splice is None:
            # Written, a frame goes through in fewer wake-ups of writer and reader in a wide pipe.
            set_capacity(fd, MAX_PIPE)
        else:
            self._staging = (_aligned(frame_bytes), _aligned(frame_bytes))

    @property
    def lends(self) -> bool:
        """Whether frames go in by vmsplice (False: by write)."""
        return self.splice is not None

    def _wait_until_read(self) -> None:
        """Until no more than one frame is unread; a reader that has gone (the pipe's write end
        then polls POLLERR) leaves bytes unread forever, and is a broken pipe."""
        while unread_bytes(self.fd) > self.frame_bytes:
            poller = select.poll()
            poller.register(self.fd, select.POLLOUT)
            if any(events & select.POLLERR for _, events in poller.poll(0)):
                raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")
            time.sleep(0.0005)

    def send(self, frame) -> None:
        """One frame (any bytes-like object). Raises BrokenPipeError when the reader has gone."""
        view = memoryview(frame).cast("B")
        if self.splice is None or view.nbytes != self.frame_bytes:
            _write_all(self.fd, view)
            return
        buf = self._staging[self._sent % 2]
        self._sent += 1
        # This buffer was lent for frame n-2. Frame n-1, a whole pipe or more, has been spliced in
        # after it, so the reader has read it all: unless the kernel counts pipe slots in a way
        # this did not foresee, which the unread bytes would show.
        self._wait_until_read()
        buf[:] = np.frombuffer(view, np.uint8)
        base, done = buf.ctypes.data, 0
        while done < self.frame_bytes:
            self._iov.base, self._iov.len = base + done, self.frame_bytes - done
            n = self.splice(self.fd, ctypes.byref(self._iov), 1, 0)
            if n < 0:
                err = ctypes.get_errno()
                if err == errno.EINTR:
                    continue
                if done == 0 and err in _REFUSED:
                    # Nothing of this frame went in: it, and every later one, is written instead.
                    self.splice = None
                    _write_all(self.fd, view)
                    return
                raise OSError(err, os.strerror(err))  # EPIPE comes out as BrokenPipeError
            if n == 0:
                raise OSError(errno.EIO, "vmsplice moved nothing")
            done += n
