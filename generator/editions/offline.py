"""The built site as one zip that works unpacked into a folder and opened from file:// (`make offline`):
reproducible (fixed times and modes, entries in name order)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from .. import routes
from ..catalog.history import build_epoch
from .pdf import EditionFailed

OFFLINE_FOLDER = "atlas-offline"  # the one folder inside the zip


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Every entry's time: SOURCE_DATE_EPOCH when set (reproducible builds), else the zip format's epoch."""
    epoch = build_epoch()
    if epoch is not None:
        when = max(dt.datetime.fromtimestamp(epoch, dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
        return when.timetuple()[:6]
    return (1980, 1, 1, 0, 0, 0)


def pack_offline(site_dir: Path, out: Path) -> int:
    """Zip a built site as atlas-offline/… with fixed times and modes, in name order; returns the entry count."""
    home = routes.html(routes.HOME)
    if not (site_dir / home).is_file():
        raise EditionFailed(f"{site_dir} holds no built site (no {home}): run 'make site' first")
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and not p.name.endswith(".tmp"))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".tmp")
    stamp = zip_timestamp()
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{OFFLINE_FOLDER}/{path.relative_to(site_dir).as_posix()}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(out)
    return len(files)
