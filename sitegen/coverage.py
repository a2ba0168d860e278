"""Coverage: how much of each source the annotations reach, paragraph by paragraph."""

from __future__ import annotations

from .derive import Index
from .excerpts import excerpts, shown_share
from .model import Model


def coverage_report(model: Model, index: Index) -> list[str]:
    lines = []
    for source_id in sorted(model.sources):
        source = model.sources[source_id]
        text = source.plain_text
        spans = [(model.annotations[r].anchor.start, model.annotations[r].anchor.end) for r in index.by_source.get(source_id, ())]
        paragraphs = [b for b in source.blocks if b.kind == "paragraph"]
        bare = [b for b in paragraphs if not any(s < b.end and e > b.start for s, e in spans)]
        covered_chars = set()
        for s, e in spans:
            covered_chars.update(range(s, e))
        share = len(covered_chars) / max(1, len(text))
        done = len(paragraphs) - len(bare)
        lines.append(f"coverage: {source_id}: {done} of {len(paragraphs)} paragraphs annotated, "
                     f"{len(spans)} annotations, {share:.0%} of the text quoted" + _excerpted(source, spans))
        for block in bare:
            opening = " ".join(text[block.start:block.end].split()[:8])
            lines.append(f"  {source.origin.path}:{block.line}: paragraph not annotated: “{opening} …”")
    return lines


def _excerpted(source, spans: list[tuple[int, int]]) -> str:
    """For a source shown in excerpts, how much of its text its page shows: the passages and
    the sentences around them (a page of excerpts should stay short)."""
    if not source.excerpts:
        return ""
    shown = excerpts(source.plain_text, ((str(n), s, e) for n, (s, e) in enumerate(spans)))
    return f"; shown in excerpts, with their context: {shown_share(source.plain_text, shown):.0%}"
