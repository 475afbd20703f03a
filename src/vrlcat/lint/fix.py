"""`vrlcat lint --fix`: mend what the fixable findings found, in the model, then
write only the changed files back through the round-trip loader (comments,
key order and quoting survive) in one atomic batch."""

from __future__ import annotations

from pathlib import Path

from ..model import Toc
from ..sort import sorted_entries
from ..store import LIST_FILE, Loaded, edit_yaml, write_files_atomically
from . import Finding, known_rules


def apply_fixes(loaded: Loaded, findings: list[Finding], readme: Path | None, rules_run: set[str]) -> list[Finding]:
    """Fix every fixable finding; returns the findings fixed. Never deletes or merges entries.

    Catalog-wide fixes of the rules that ran (sort order, heading levels, the
    README) run after the entry fixes, which may have changed a date or a title."""
    catalog = loaded.catalog
    rules = known_rules()
    before = {id(e): e.to_data() for _, e in catalog.entries()}
    order_before = {s.id: [id(e) for e in s.entries] for s in catalog.walk()}
    fixed: list[Finding] = []
    for finding in findings:
        fix = rules[finding.rule].fix_entry
        if finding.fixable and fix and finding.target is not None:
            fix(finding.target)
            fixed.append(finding)
    rule_ids = rules_run
    if "sort-order" in rule_ids:
        for section in catalog.walk():
            section.entries = sorted_entries(section.entries, catalog.sort_order(section))
        fixed.extend(f for f in findings if f.rule == "sort-order")
    tocs = [f for f in findings if f.rule == "toc-stale"] if "toc-stale" in rule_ids else []
    texts: dict[Path, str] = {}
    if tocs:
        from .style import regenerate_toc

        for block in catalog.page:
            if isinstance(block, Toc) and block.text is not None and block.file:
                regenerate_toc(block, catalog)
                texts[loaded.root / block.file] = block.text + "\n"
        fixed.extend(tocs)
    levels = {}
    if "heading-level" in rule_ids:
        levels = _fix_levels(catalog.sections, None)
        fixed.extend(f for f in findings if f.rule == "heading-level")

    for section in catalog.walk():
        changed = [e for e in section.entries if e.to_data() != before.get(id(e))]
        reordered = [id(e) for e in section.entries] != order_before[section.id]
        if changed or reordered:
            path, text = loaded.rewritten_section(section)
            texts[path] = text
    styled = []
    if "section-style" in rule_ids and any(f.rule == "section-style" for f in findings):
        styled = [section.id for section in catalog.walk() if section.style]
        for section in catalog.walk():
            section.style = {}
        fixed.extend(f for f in findings if f.rule == "section-style")
    if levels or styled:
        path = loaded.root / LIST_FILE
        texts[path] = edit_yaml(path.read_text(encoding="utf-8"),
                                lambda data: _set_sections(data, levels, set(styled)), str(path))
    remove: list[Path] = []  # section pages render no longer writes
    if readme is not None and ("readme-stale" in rule_ids or texts):
        from ..pages import files_beside, leftover_pages

        rendered = files_beside(catalog, readme)
        for path, text in rendered.items():
            if not path.exists() or path.read_bytes().decode("utf-8", errors="replace") != text:
                texts[path] = text
        remove = leftover_pages(rendered, readme)
        fixed.extend(f for f in findings if f.rule == "readme-stale")
    write_files_atomically(texts, remove=remove)
    return fixed


def _fix_levels(sections, expected) -> dict[str, int]:
    changes = {}
    for section in sections:
        if expected is not None and section.level != expected:
            section.level = expected
            changes[section.id] = expected
        changes.update(_fix_levels(section.children, section.level + 1))
    return changes


def _set_sections(data, levels: dict[str, int], unstyled: set[str]) -> None:
    def visit(items):
        for item in items or []:
            if item.get("id") in levels:
                item["level"] = levels[item["id"]]
            if item.get("id") in unstyled and "style" in item:
                del item["style"]
            visit(item.get("children"))

    visit(data.get("sections"))
