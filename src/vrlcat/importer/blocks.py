"""The page cut into pieces, each a run of non-blank lines with the blank lines after it.

markdown-it-py finds the block structure (headings, list items, HTML blocks,
fences) with source line ranges; each top-level list item is its own piece so
an entry can be read from it. Lines no token covers (link reference
definitions) become pieces of their own, so every line belongs somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark").disable(["inline", "text_join"])

_KINDS = {"heading_open": "heading", "html_block": "html", "bullet_list_open": "list", "ordered_list_open": "list"}


@dataclass
class Piece:
    kind: str  # heading, item, html, block
    start: int  # first line (0-based)
    end: int  # the line after its last non-blank line
    gap_end: int  # the line after the blank lines that follow it
    level: int = 0  # a heading's level
    heading: str = ""  # a heading's text

    def text(self, lines: list[str]) -> str:
        return "\n".join(lines[self.start:self.end])

    def gap(self, lines: list[str]) -> str:
        return "".join(line + "\n" for line in lines[self.end:self.gap_end])


def cut(lines: list[str]) -> list[Piece]:
    """Every non-blank line in exactly one piece, in page order."""
    tokens = _MD.parse("\n".join(lines))
    pieces: list[Piece] = []
    depth = 0
    for index, token in enumerate(tokens):
        if depth == 0 and token.map:
            kind = _KINDS.get(token.type, "block")
            start, end = token.map
            if kind == "heading":
                pieces.append(Piece(kind, start, end, end, int(token.tag[1]), tokens[index + 1].content))
            elif kind != "list":
                pieces.append(Piece(kind, start, end, end))
        if depth == 1 and token.type == "list_item_open" and token.map:
            pieces.append(Piece("item", token.map[0], token.map[1], token.map[1]))
        depth += token.nesting
    pieces = _fill_uncovered(pieces, lines)
    for piece, following in zip(pieces, pieces[1:] + [None], strict=False):
        limit = following.start if following else len(lines)
        piece.end = min(max(piece.end, piece.start + 1), limit)
        while piece.end > piece.start + 1 and not lines[piece.end - 1].strip():
            piece.end -= 1
        piece.gap_end = limit
    return pieces


def _fill_uncovered(pieces: list[Piece], lines: list[str]) -> list[Piece]:
    covered = bytearray(len(lines))
    for piece in pieces:
        covered[piece.start:piece.end] = b"\1" * (piece.end - piece.start)
    extra = [Piece("block", n, n + 1, n + 1) for n, line in enumerate(lines) if not covered[n] and line.strip()]
    if not extra:
        return pieces
    merged = sorted(pieces + extra, key=lambda p: p.start)
    out: list[Piece] = []
    for piece in merged:  # consecutive uncovered lines form one block
        if out and piece.kind == "block" and out[-1].kind == "block" and out[-1].end == piece.start \
                and piece.end - piece.start == 1:
            out[-1].end = out[-1].gap_end = piece.end
        else:
            out.append(piece)
    return out
