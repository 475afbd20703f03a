"""`vrlcat export`: the catalog as a bibliography (BibTeX, CSL-JSON) or a table (CSV, JSON).

A paper cited from the list keeps its key: keys come from the paper alone
(first author, year, first title word), with a/b suffixes ordered by date and
id, and are given over the whole catalog before `--section` narrows the export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .model import Catalog, Entry, Section
from .stats import shown_entries

FORMATS = ("bibtex", "csl-json", "csv", "json")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_JOURNALS = re.compile(r"\b(?:TPAMI|T-PAMI|IJCV|TMLR|JMLR|Nature|Science|RA-L|T-RO|TIP|TNNLS|Journal|Transactions|"
                       r"Letters)\b", re.IGNORECASE)
_INFORMAL = re.compile(r"\b(?:Blog|Hugging Face|Course|Tutorial|Website)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward", "is"}
_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                  "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile("|".join(re.escape(ch) for ch in _LATEX_SPECIAL))


@dataclass
class Record:
    """One exported paper: the entry, its home section and its citation key."""

    key: str
    section: Section
    entry: Entry

    @property
    def year(self) -> str | None:
        """The venue's year when it names one (the paper's publication), else the date's."""
        found = _YEAR.search(self.entry.venue or "")
        return found.group(0) if found else (self.entry.date[:4] if self.entry.date else None)

    @property
    def month(self) -> int | None:
        """The date's month, when the year is the date's too."""
        date = self.entry.date or ""
        return int(date[5:7]) if len(date) >= 7 and date[:4] == self.year else None

    @property
    def kind(self) -> str:
        """conference, journal, informal (a blog post, a course) or preprint."""
        venue = self.entry.venue or ""
        if not venue:
            return "preprint"
        if _INFORMAL.search(venue):
            return "informal"
        return "journal" if _JOURNALS.search(venue) else "conference"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _family_name(author: str) -> str:
    """The last word of a name written 'Given Family' (or the part before a comma)."""
    name = author.split(",")[0] if "," in author else (author.split() or [""])[-1]
    return name


def base_key(entry: Entry) -> str:
    """first author's family name + year + first title word: `feng2025video`."""
    author = _ascii_word(_family_name(entry.authors[0])) if entry.authors else ""
    year = _YEAR.search(entry.venue or "")
    words = [_ascii_word(word) for word in re.split(r"[\s:/]+", entry.title)]
    word = next((w for w in words if w and w not in _STOP_WORDS), next((w for w in words if w), "untitled"))
    return f"{author or 'anon'}{year.group(0) if year else (entry.date or 'nd')[:4]}{word}"


def _suffix(number: int) -> str:
    """a, b, ..., z, aa, ab, ...: the letters after a key that more papers share."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def records(catalog: Catalog, include_hidden: bool = False) -> list[Record]:
    """Every entry once, keyed: papers sharing a key get a, b, ... in order of date, then id or link."""
    chosen = list(shown_entries(catalog, include_hidden=True))
    groups: dict[str, list[tuple[Section, Entry]]] = {}
    for section, entry in chosen:
        groups.setdefault(base_key(entry), []).append((section, entry))
    keyed: dict[int, str] = {}
    taken = set(groups)
    for base, members in groups.items():
        if len(members) == 1:
            keyed[id(members[0][1])] = base
            continue
        members.sort(key=lambda pair: (pair[1].date or "", pair[1].arxiv or pair[1].url or "", pair[1].title))
        number = 0
        for _, entry in members:
            while (key := base + _suffix(number)) in taken:
                number += 1
            taken.add(key)
            keyed[id(entry)] = key
            number += 1
    return [Record(keyed[id(entry)], section, entry) for section, entry in chosen
            if include_hidden or not entry.hidden]


def in_section(catalog: Catalog, chosen: list[Record], section_id: str) -> list[Record]:
    """The records under a section: held in it or below it, or cross-listed there (`also_in`)."""
    section = catalog.section(section_id)
    inside = {s.id for s in section.walk()} if section else set()
    return [r for r in chosen if r.section.id in inside or inside.intersection(r.entry.also_in)]


# --- BibTeX ---------------------------------------------------------------------

def latex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX's special characters escaped (Unicode kept)."""
    return _LATEX_RE.sub(lambda match: _LATEX_SPECIAL[match.group(0)], text)


def bibtex_entry(record: Record) -> str:
    entry = record.entry
    fields: list[tuple[str, str]] = [("title", "{" + latex_escape(entry.title) + "}")]
    if entry.authors:
        fields.append(("author", " and ".join(latex_escape(a) for a in entry.authors)))
    if record.year:
        fields.append(("year", record.year))
    if record.month:
        fields.append(("month", _MONTHS[record.month - 1]))
    kind = {"conference": "inproceedings", "journal": "article"}.get(record.kind, "misc")
    if record.kind == "conference":
        fields.append(("booktitle", latex_escape(entry.venue or "")))
    elif record.kind == "journal":
        fields.append(("journal", latex_escape(entry.venue or "")))
    elif record.kind == "informal":
        fields.append(("howpublished", latex_escape(entry.venue or "")))
    if entry.arxiv:
        fields += [("eprint", entry.arxiv), ("archivePrefix", "arXiv")]
        if "/" in entry.arxiv:
            fields.append(("primaryClass", entry.arxiv.split("/")[0]))
    if entry.doi:
        fields.append(("doi", latex_escape(entry.doi)))
    if entry.link:
        fields.append(("url", entry.link))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@{kind}{{{record.key},\n{body}\n}}\n"


# --- CSL-JSON -------------------------------------------------------------------

def csl_name(author: str) -> dict[str, str]:
    """'Given Family' (or 'Family, Given') as CSL's parts; one word stays a literal name."""
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
        return {"family": family, "given": given}
    words = author.split()
    if len(words) < 2:
        return {"literal": author}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def csl_item(record: Record) -> dict[str, Any]:
    entry = record.entry
    kind = {"conference": "paper-conference", "journal": "article-journal", "informal": "post-weblog"}
    item: dict[str, Any] = {"id": record.key, "type": kind.get(record.kind, "article"), "title": entry.title}
    if entry.authors:
        item["author"] = [csl_name(a) for a in entry.authors]
    if record.year:
        parts = [int(record.year)] + ([record.month] if record.month else [])
        item["issued"] = {"date-parts": [parts]}
    if entry.venue:
        item["container-title"] = entry.venue
    if entry.arxiv:
        item["number"] = entry.arxiv
        if record.kind == "preprint":
            item["publisher"] = "arXiv"
    if entry.doi:
        item["DOI"] = entry.doi
    if entry.link:
        item["URL"] = entry.link
    item["categories"] = [record.section.id]
    return item


# --- tables ---------------------------------------------------------------------

CSV_COLUMNS = ("key", "section", "title", "nickname", "authors", "date", "venue", "arxiv", "url", "doi", "code",
               "website", "hidden")


def table_row(record: Record) -> dict[str, Any]:
    """One record as flat fields: what the CSV and JSON exports hold."""
    entry = record.entry
    return {"key": record.key, "section": record.section.id, "title": entry.title, "nickname": entry.nickname,
            "authors": list(entry.authors), "date": entry.date, "venue": entry.venue, "arxiv": entry.arxiv,
            "url": entry.link,
            "doi": entry.doi, "code": entry.code, "website": entry.website, "hidden": entry.hidden,
            "also_in": list(entry.also_in)}


def export_text(chosen: list[Record], output_format: str) -> str:
    """The records in one of FORMATS; the same records give the same bytes."""
    if output_format == "bibtex":
        return "\n".join(bibtex_entry(record) for record in chosen)
    if output_format == "csl-json":
        return json.dumps([csl_item(record) for record in chosen], ensure_ascii=False, indent=2) + "\n"
    if output_format == "json":
        return json.dumps([table_row(record) for record in chosen], ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in chosen:
        row = table_row(record)
        row["authors"] = "; ".join(row["authors"])
        row["hidden"] = "yes" if row["hidden"] else ""
        writer.writerow(row)
    return buffer.getvalue()
