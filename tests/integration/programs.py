# SPDX-License-Identifier: Apache-2.0
"""The static test programs built under $VIGIL_BUILD_DIR/tests/programs/.

The container rootfs has no libc or dynamic loader, so a program copied into
it must be statically linked; a dynamic one would fail inside the container
with a baffling "not found", so it is refused here with a clear message.
"""

import struct
from pathlib import Path

PT_INTERP = 3


def program_path(build_dir: Path, name: str) -> Path:
    return Path(build_dir) / "tests" / "programs" / name


def executable_problem(path: Path):
    """None if path is a static ELF executable the rootfs can run, else why not."""
    path = Path(path)
    if not path.is_file():
        return f"{path} does not exist (is the tests/programs target built?)"
    with path.open("rb") as program:
        header = program.read(64)
        if header[:4] != b"\x7fELF":
            return f"{path} is not an ELF executable"
        if header[4] != 2 or header[5] != 1:
            return f"{path} is not a 64-bit little-endian ELF"
        program_headers, = struct.unpack_from("<Q", header, 0x20)
        entry_size, entry_count = struct.unpack_from("<HH", header, 0x36)
        program.seek(program_headers)
        table = program.read(entry_size * entry_count)
    for index in range(entry_count):
        segment_type, = struct.unpack_from("<I", table, index * entry_size)
        if segment_type == PT_INTERP:
            return f"{path} is dynamically linked; the container rootfs has no libc, link it with -static"
    return None
