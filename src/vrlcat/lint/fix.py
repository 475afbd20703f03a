"""`vrlcat lint --fix`: mend what the fixable findings found, in the model, then
write only the changed files back through the round-trip loader (comments,
key order and quoting survive) in one atomic batch."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..entrytext import source_still_true
from ..model import Section, Toc
from ..sort import sorted_entries
from ..store import LIST_FILE, Loaded, write_files_atomically
from ..yamledit import edit_yaml
from . import Finding, known_rules


@dataclass
class FixResult:
    fixed: list[Finding] = field(default_factory=list)
    held: list[tuple[Finding, str]] = field(default_factory=list)  # not fixed: the finding, and why


def _doubted_fields(loaded: Loaded, rules_run: set[str]) -> dict[tuple[int, str], str]:
    """(entry, field) -> the rule that calls that field wrong, over every rule (not only the
    chosen ones), leaving out what this run's own fixes mend."""
    from . import ERROR, catalog_context, run_rules

    doubted = {}
    for finding in run_rules(catalog_context(loaded)):
        mended = finding.fixable and finding.rule in rules_run
        if finding.severity == ERROR and finding.target is not None and finding.wrong_field and not mended:
            doubted[(id(finding.target), finding.wrong_field)] = finding.rule
    return doubted


def apply_fixes(loaded: Loaded, findings: list[Finding], readme: Path | None, rules_run: set[str],
                keep_forms: bool = False) -> FixResult:
    """Fix every fixable finding whose fix builds on no field another finding calls wrong.
    Never deletes or merges entries. With `keep_forms` (a --fix that names no rule), a fix that
    would have an entry kept in its own Markdown (`source`) written in the house style instead
    is held: it would change how the entry looks on the page.

    Fixes that build on other fields (a date from the arXiv id) run after the
    ones that mend fields (the id itself); catalog-wide fixes of the rules that
    ran (sort order, heading levels, the README) run last."""
    catalog = loaded.catalog
    rules = known_rules()
    before = {id(e): e.to_data() for _, e in catalog.entries()}
    order_before = {s.id: [id(e) for e in s.entries] for s in catalog.walk()}
    doubted = _doubted_fields(loaded, rules_run)
    result = FixResult()
    fixed = result.fixed
    for finding in sorted(findings, key=lambda f: bool(rules[f.rule].reads)):
        rule = rules[finding.rule]
        if not (finding.fixable and rule.fix_entry and finding.target is not None):
            continue
        doubt = next(((name, doubted[(id(finding.target), name)]) for name in rule.reads
                      if (id(finding.target), name) in doubted), None)
        if doubt:
            result.held.append((finding, f"it builds on `{doubt[0]}`, which {doubt[1]} calls wrong"))
            continue
        kept = copy.deepcopy(finding.target) if keep_forms and finding.target.source is not None else None
        rule.fix_entry(finding.target)
        if kept is not None and not source_still_true(finding.target, catalog.settings):
            for name in (f.name for f in fields(kept)):
                setattr(finding.target, name, getattr(kept, name))
            result.held.append((finding, f"the entry keeps its own form, which the fix would replace with the house "
                                         f"style; `vrlcat lint --fix --select {finding.rule}` applies it"))
            continue
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
    return result


def _fix_levels(sections: list[Section], expected: int | None) -> dict[str, int]:
    changes: dict[str, int] = {}
    for section in sections:
        if expected is not None and section.level != expected:
            section.level = expected
            changes[section.id] = expected
        changes.update(_fix_levels(section.children, section.level + 1))
    return changes


def _set_sections(data: Any, levels: dict[str, int], unstyled: set[str]) -> None:
    def visit(items: Any) -> None:
        for item in items or []:
            if item.get("id") in levels:
                item["level"] = levels[item["id"]]
            if item.get("id") in unstyled and "style" in item:
                del item["style"]
            visit(item.get("children"))

    visit(data.get("sections"))
