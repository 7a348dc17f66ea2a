"""A plan's numbering: measures may sit under a numbered parent heading, as real plans print
them ("2. มาตรการส่งเสริม…" with 2.1 to 2.10 beneath it); the others are numbered on their own."""

from collections.abc import Iterable

from models import Measure


def outline(measures: Iterable[Measure]) -> dict[int, str]:
    """Each measure's number in plan order: '1', '2.1', '2.2', '3'. A parent takes its number
    where its first measure stands; its measures are numbered beneath it wherever they are."""
    numbers: dict[int, str] = {}
    parents: dict[str, list[int]] = {}  # heading -> [its number, measures numbered so far]
    top = 0
    for measure in sorted(measures, key=lambda m: (m.position, m.id)):
        heading = (measure.parent_title or "").strip()
        if not heading:
            top += 1
            numbers[measure.id] = str(top)
            continue
        if heading not in parents:
            top += 1
            parents[heading] = [top, 0]
        parents[heading][1] += 1
        numbers[measure.id] = f"{parents[heading][0]}.{parents[heading][1]}"
    return numbers


def parent_line(measure: Measure, number: str) -> str:
    """'2. มาตรการส่งเสริม…' for a measure numbered '2.1'; '' for one without a parent."""
    heading = (measure.parent_title or "").strip()
    return f"{number.split('.')[0]}. {heading}" if heading and "." in number else ""
