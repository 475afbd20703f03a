"""Dates and the date labels after a title, in every form lists write them.

A date is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a written day is kept). A label's
date part is read into a date *and* a pattern such as `Mon. D, YYYY`, so a list's
house style can be inferred and any date written back in it. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")
_MONTH_WORDS = {name.lower(): i + 1 for i, name in enumerate(MONTHS)}
_MONTH_WORDS.update({name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)})
_MONTH_WORDS.update({"sept": 9, "jl": 7, "jly": 7, "jn": 6, "arp": 4, "jum": 6,  # typos seen in real lists
                     "fe": 2, "ap": 4, "au": 8, "se": 9, "oc": 10, "de": 12})

DATE_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_YEAR = r"(?:19|20)\d{2}"
_YEAR_IN_TEXT_RE = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")

# Old setting names for the patterns they stand for.
DATE_STYLE_ALIASES = {"abbrev-dot": "Mon. YYYY", "abbrev": "Mon YYYY", "full": "Month YYYY", "iso": "YYYY-MM"}

# A date written with words: month word, optional dot/comma, optional day, year.
_WORDY_RE = re.compile(
    r"^(?P<month>[A-Za-z]{2,9})(?P<mdot>\.?)(?P<msep>,?\s+|,\s*)"
    r"(?:(?P<day>\d{1,2})(?P<dsep>(?:st|nd|rd|th)?,?\s+))?(?P<year>" + _YEAR + r")$")
_DAY_FIRST_RE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})(?P<mdot>\.?),?\s+(?P<year>" + _YEAR + r")$")
_NUMERIC_RE = re.compile(r"^(?P<year>" + _YEAR + r")(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?$")
_YEAR_ONLY_RE = re.compile(r"^(?P<year>" + _YEAR + r")$")


@dataclass(frozen=True)
class ReadDate:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    pattern: str  # how it was written, e.g. "Mon. D, YYYY"


def _month_token(word: str, dot: str) -> str | None:
    """`Mar` -> `Mon`, `March` -> `Month`, `Sept` -> `Sept`; None if not a month."""
    number = _MONTH_WORDS.get(word.lower())
    if number is None:
        return None
    if word == MONTHS[number - 1]:
        token = "Mon"
    elif word == MONTH_NAMES[number - 1]:
        token = "Month"
    else:
        return None  # a typo or odd case: readable, but not a style to write
    return token + dot


def _day_token(day: str) -> str:
    """A day after a month word: `D` unless zero-padded (`06` is `DD`; `12` fits both, so `D`)."""
    return "DD" if day.startswith("0") else "D"


def read_date(text: str) -> ReadDate | None:
    """A date written in any form lists use, with the pattern it was written in."""
    text = text.strip()
    if match := _YEAR_ONLY_RE.match(text):
        return ReadDate(text, "YYYY")
    if match := _NUMERIC_RE.match(text):
        month, day, sep = int(match["month"]), match["day"], match["sep"]
        if not 1 <= month <= 12:
            return None
        mm = "MM" if len(match["month"]) == 2 else "M"  # numeric dates: two digits unless written short
        if day is None:
            return ReadDate(f"{match['year']}-{month:02d}", f"YYYY{sep}{mm}")
        if not 1 <= int(day) <= 31:
            return None
        dd = "DD" if len(day) == 2 else "D"
        return ReadDate(f"{match['year']}-{month:02d}-{int(day):02d}", f"YYYY{sep}{mm}{sep}{dd}")
    if match := _WORDY_RE.match(text):
        number = _MONTH_WORDS.get(match["month"].lower())
        if number is None:
            return None
        token = _month_token(match["month"], match["mdot"]) or f"?{match['month']}{match['mdot']}"
        if match["day"] is None:
            return ReadDate(f"{match['year']}-{number:02d}", f"{token}{match['msep']}YYYY")
        day = int(match["day"])
        if not 1 <= day <= 31:
            return None
        dd = _day_token(match["day"])
        return ReadDate(f"{match['year']}-{number:02d}-{day:02d}", f"{token}{match['msep']}{dd}{match['dsep']}YYYY")
    if match := _DAY_FIRST_RE.match(text):
        number = _MONTH_WORDS.get(match["month"].lower())
        if number is None or not 1 <= int(match["day"]) <= 31:
            return None
        token = _month_token(match["month"], match["mdot"]) or f"?{match['month']}{match['mdot']}"
        dd = _day_token(match["day"])
        rest = text[len(match["day"]):]
        between = rest[: len(rest) - len(rest.lstrip())]
        after = text[text.index(match["month"]) + len(match["month"]) + len(match["mdot"]):-4]
        return ReadDate(f"{match['year']}-{number:02d}-{int(match['day']):02d}", f"{dd}{between}{token}{after}YYYY")
    return None


def parse_date(text: str) -> str | None:
    """`Mar. 2025`, `Oct., 2025`, `12 Mar 2025`, `2025-03` -> an ISO date; else None."""
    read = read_date(text)
    return read.date if read else None


_DAY_TOKEN_RE = re.compile(r"\s*\bD{1,2}\b(?:st|nd|rd|th)?,?")
_DAY_FIRST_TOKEN_RE = re.compile(r"^D{1,2}\s+")


def _month_level(pattern: str) -> str:
    """The pattern with its day removed: `Mon. D, YYYY` -> `Mon. YYYY`, `YYYY-MM-DD` -> `YYYY-MM`."""
    if pattern.startswith("YYYY") and pattern.count("YYYY") == 1:
        numeric = re.match(r"^YYYY([-/.])(MM|M)(?:\1(DD|D))?$", pattern)
        if numeric:
            return f"YYYY{numeric[1]}{numeric[2]}"
    if _DAY_FIRST_TOKEN_RE.match(pattern):
        return _DAY_FIRST_TOKEN_RE.sub("", pattern)
    stripped = _DAY_TOKEN_RE.sub("", pattern, count=1)
    # "Mon. D, YYYY" loses "D," and keeps one space before the year
    return re.sub(r"(Mon\.?|Month\.?),?(?=YYYY)", r"\1 ", stripped).replace("  ", " ")


def format_date(date: str, pattern: str = "Mon. YYYY") -> str:
    """Write an ISO date in a pattern; a date less precise than the pattern drops the missing parts."""
    pattern = DATE_STYLE_ALIASES.get(pattern, pattern)
    parts = date.split("-")
    if len(parts) == 1:
        return date
    has_day = bool(re.search(r"\bD{1,2}\b", pattern))
    if len(parts) == 2 and has_day:
        pattern = _month_level(pattern)
    year, month = parts[0], int(parts[1])
    day = int(parts[2]) if len(parts) == 3 else None
    if day is not None and not has_day:
        pass  # the pattern shows months: the day stays in the data only

    def token(match: re.Match[str]) -> str:
        word = match.group(0)
        if word == "YYYY":
            return year
        if word == "Month":
            return MONTH_NAMES[month - 1]
        if word == "Mon":
            return MONTHS[month - 1]
        if word == "MM":
            return f"{month:02d}"
        if word == "M":
            return str(month)
        if word == "DD":
            return f"{day or 1:02d}"
        if word == "D":
            return str(day or 1)
        return word

    return re.sub(r"YYYY|Month|Mon|MM|M|DD|D", token, pattern)


# --- labels ------------------------------------------------------------------

_SEPARATORS = ("; ", ", ", ". ", " | ", " - ", " · ", "，")


@dataclass(frozen=True)
class ReadLabel:
    date: str | None
    venue: str | None
    pattern: str | None  # the date's pattern, None without a written date
    layout: str  # "date", "date{sep}venue", "venue{sep}date", "venue"


def read_label(label: str) -> ReadLabel:
    """Split `Jun. 2024, NeurIPS 2024` into its date and venue, keeping how it was written.

    Forms: `Mar. 2025`, `Mar. 12, 2025; ACL 2025`, `Nov 16, 2025. arXiv`,
    `Oct., 2025 | CVPR 2026`, `2024, ICML`, `CVPR, 2024`, `CVPR 2024` (the
    venue's year becomes a year-only date), `Hugging Face` (a venue, no date).
    """
    text = label.strip()
    if not text:
        return ReadLabel(None, None, None, "empty")
    if read := read_date(text):
        return ReadLabel(read.date, None, read.pattern, "date")
    for sep in _SEPARATORS:
        position = text.find(sep)
        while position > 0:
            head, tail = text[:position], text[position + len(sep):]
            if tail.strip() and (read := read_date(head)):
                return ReadLabel(read.date, tail.strip(), read.pattern, f"date{sep}venue")
            position = text.find(sep, position + 1)
        position = text.rfind(sep)
        if position > 0:
            head, tail = text[:position], text[position + len(sep):]
            if head.strip() and (read := read_date(tail)):
                return ReadLabel(read.date, head.strip(), read.pattern, f"venue{sep}date")
    year = _YEAR_IN_TEXT_RE.search(text)
    return ReadLabel(year.group(1) if year else None, text, None, "venue")


def parse_date_label(label: str) -> tuple[str | None, str | None]:
    """(date, venue) of a label."""
    read = read_label(label)
    return read.date, read.venue


@dataclass(frozen=True)
class LabelStyle:
    """How a list writes its labels: the date pattern and where a venue goes."""

    pattern: str = "Mon. YYYY"
    venue_layout: str = "date, venue"  # or "date; venue", "venue, date", ...


def format_label(date: str | None, venue: str | None, style: LabelStyle = LabelStyle()) -> str | None:
    """The text inside the parentheses, or None when there is nothing to say."""
    if date and venue:
        if "-" not in date and date in _YEAR_IN_TEXT_RE.findall(venue):
            return venue
        written = format_date(date, style.pattern)
        return style.venue_layout.replace("date", "\0").replace("venue", venue).replace("\0", written)
    if date:
        return format_date(date, style.pattern)
    return venue or None


def label_means(label: str, date: str | None, venue: str | None) -> bool:
    """Does a label as written still say this date and venue? (A kept label is
    rendered only while it does; after an edit the house style takes over.)"""
    read = read_label(label)
    return (read.date, read.venue) == (date, venue)
