"""What glibc (and libstdc++) versions an ELF file needs, read from its `.gnu.version_r` section.

The dynamic loader refuses a library whose version needs (`GLIBC_2.29` from `libc.so.6`, ...) the
system's glibc does not define; `objdump -T` shows the same thing per symbol. This reader needs no
binutils, so `make package-check` runs wherever Python does.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

_ELF_MAGIC = b"\x7fELF"
_SHT_GNU_VERNEED = 0x6FFFFFFE
_VERSION = re.compile(r"^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$")


@dataclass(frozen=True)
class VersionNeed:
    library: str  # the DT_NEEDED file the version is asked of, e.g. libc.so.6
    version: str  # e.g. GLIBC_2.29

    def parsed(self) -> tuple[str, tuple[int, ...]] | None:
        match = _VERSION.match(self.version)
        if match is None:
            return None
        return match.group(1), tuple(int(p) for p in match.group(2).split("."))


def is_elf(data: bytes) -> bool:
    return data[:4] == _ELF_MAGIC


def version_needs(data: bytes) -> list[VersionNeed]:
    """Every (library, version) pair of the file's version-needs table; [] if it has none."""
    if not is_elf(data) or len(data) < 64:
        return []
    elf_class, endian = data[4], data[5]
    if elf_class not in (1, 2) or endian not in (1, 2):
        raise ValueError("not a valid ELF header")
    e = "<" if endian == 1 else ">"
    if elf_class == 2:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x3A)
        section = e + "IIQQQQIIQQ"  # name type flags addr offset size link info align entsize
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x2E)
        section = e + "IIIIIIIIII"
    sections = []
    for i in range(shnum):
        start = shoff + i * shentsize
        if start + struct.calcsize(section) > len(data):
            break
        fields = struct.unpack_from(section, data, start)
        sections.append({"type": fields[1], "offset": fields[4], "size": fields[5], "link": fields[6],
                         "info": fields[7]})
    needs: list[VersionNeed] = []
    for sec in sections:
        if sec["type"] != _SHT_GNU_VERNEED or sec["link"] >= len(sections):
            continue
        strtab = sections[sec["link"]]

        def string(offset: int) -> str:
            start = strtab["offset"] + offset
            end = data.index(b"\0", start)
            return data[start:end].decode("ascii", "replace")

        entry = sec["offset"]
        for _ in range(sec["info"] or 1 << 16):  # sh_info: the number of Verneed entries
            _version, count, file_off, aux_off, next_off = struct.unpack_from(e + "HHIII", data, entry)
            library = string(file_off)
            aux = entry + aux_off
            for _ in range(count):
                _hash, _flags, _other, name_off, aux_next = struct.unpack_from(e + "IHHII", data, aux)
                needs.append(VersionNeed(library, string(name_off)))
                if not aux_next:
                    break
                aux += aux_next
            if not next_off:
                break
            entry += next_off
    return needs


def newest_needed(needs: list[VersionNeed], family: str) -> tuple[tuple[int, ...], VersionNeed] | None:
    best = None
    for need in needs:
        parsed = need.parsed()
        if parsed and parsed[0] == family and (best is None or parsed[1] > best[0]):
            best = (parsed[1], need)
    return best


def file_needs(path: Path) -> list[VersionNeed]:
    return version_needs(path.read_bytes())
