"""Draw theme/static/favicon.ico from theme/static/favicon.svg: ``python tools/favicon.py``.

The SVG is rendered at 16, 32 and 48 px by the system's headless Chromium (through Playwright, as
the browser tests do) and the PNGs are packed into one .ico, for browsers and feed readers that do
not take an SVG icon.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SVG = ROOT / "theme" / "static" / "favicon.svg"
ICO = ROOT / "theme" / "static" / "favicon.ico"
SIZES = (16, 32, 48)


def render(svg: str, sizes: tuple[int, ...]) -> list[bytes]:
    """PNGs of ``svg`` at each size, with a transparent background."""
    from playwright.sync_api import sync_playwright

    pngs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for size in sizes:
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{display:block;"
                f"width:{size}px;height:{size}px}}</style>{svg}"
            )
            pngs.append(page.screenshot(omit_background=True))
        browser.close()
    return pngs


def ico(pngs: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An .ico holding each PNG as one image (the format allows PNG entries since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, data = b"", b""
    for png, size in zip(pngs, sizes, strict=True):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        data += png
        offset += len(png)
    return header + entries + data


def main() -> None:
    ICO.write_bytes(ico(render(SVG.read_text(encoding="utf-8"), SIZES), SIZES))
    print(f"wrote {ICO.relative_to(ROOT)} ({ICO.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
