"""Coverage: how much of each source the annotations reach, paragraph by paragraph."""

from __future__ import annotations

from .derive import Index
from .excerpts import excerpts
from .model import Model


def coverage_report(model: Model, index: Index) -> list[str]:
    lines = []
    for source_id in sorted(model.sources):
        source = model.sources[source_id]
        text = source.plain_text
        spans = [(model.annotations[r].anchor.start, model.annotations[r].anchor.end) for r in index.by_source.get(source_id, ())]
        paragraphs = [b for b in source.blocks if b.kind == "paragraph"]
        bare = [b for b in paragraphs if not any(s < b.end and e > b.start for s, e in spans)]
        share = len(set().union(*(range(s, e) for s, e in spans))) / max(1, len(text))
        line = (f"coverage: {source_id}: {len(paragraphs) - len(bare)} of {len(paragraphs)} paragraphs annotated, "
                f"{len(spans)} annotations, {share:.0%} of the text quoted")
        if source.excerpts:  # how much its page shows: the passages and the sentences around them
            shown = excerpts(text, ((str(n), s, e) for n, (s, e) in enumerate(spans)))
            line += f"; shown in excerpts, with their context: {sum(e.end - e.start for e in shown) / max(1, len(text)):.0%}"
        lines.append(line)
        for block in bare:
            opening = " ".join(text[block.start:block.end].split()[:8])
            lines.append(f"  {source.origin.path}:{block.line}: paragraph not annotated: “{opening} …”")
    return lines
