"""The bank's glossary (`data/glossary.yaml`): the names of a concept in English and Chinese, and the
spellings the bank avoids. Search uses it to find a question by any name of a concept it uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from questionbank.bank_files import DATA_DIR


@dataclass(frozen=True)
class Concept:
    names: tuple[str, ...]  # English names first, then Chinese
    avoid: tuple[str, ...]


@cache
def glossary(path: Path = DATA_DIR / "glossary.yaml") -> tuple[Concept, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Concept(names=(*entry["en"], *entry["zh"]), avoid=tuple(entry.get("avoid", ())))
        for entry in raw["terms"]
    )


def search_groups(search: str) -> list[tuple[str, ...]]:
    """The search split into what must all match: a concept's name anywhere in it stands for all its names
    (in either language), every other word for itself."""
    groups: list[tuple[str, ...]] = []
    rest = search
    # Longest names first, so that "grouped-query attention" is one concept, not two words.
    by_length = sorted(((n, c) for c in glossary() for n in c.names), key=lambda nc: -len(nc[0]))
    for name, concept in by_length:
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", re.IGNORECASE)
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            if concept.names not in groups:
                groups.append(concept.names)
    groups.extend((word,) for word in rest.split())
    return groups


def misspellings(text: str) -> list[str]:
    """The avoided spellings that `text` uses."""
    found = []
    for concept in glossary():
        for spelling in concept.avoid:
            if re.search(rf"(?<![A-Za-z]){re.escape(spelling)}(?![A-Za-z])", text):
                found.append(spelling)
    return found
