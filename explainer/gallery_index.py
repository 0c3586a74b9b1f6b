"""The gallery's index.html: every screenshot under its screen and mode, to browse in a browser.
Names and notes are written as escaped text; links are relative, so the folder can be moved."""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

STYLE = ("body{font-family:sans-serif;margin:1em} figure{display:inline-block;margin:.5em;"
         "vertical-align:top;width:420px} img{width:420px;border:1px solid #888} "
         "figcaption{font-size:90%} .note{color:#b00}")


def write_index(out: Path, sections: list[tuple[str, list[tuple[Path, str]]]]) -> Path:
    """sections: (heading, [(image path under `out`, note), …]) in the order shown."""
    parts = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
             "<title>explainer: what the lecture hall sees</title>",
             f"<style>{STYLE}</style></head><body>",
             "<h1>What the lecture hall sees</h1>"]
    for heading, images in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        for path, note in images:
            relative = path.relative_to(out).as_posix()
            href = html.escape(quote(relative), quote=True)
            text = html.escape(relative)
            shown = f"<br><span class='note'>{html.escape(note)}</span>" if note else ""
            parts.append(f"<figure><a href='{href}'><img src='{href}' alt='{text}' "
                         f"loading='lazy'></a><figcaption>{text}{shown}</figcaption></figure>")
    parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return index
