"""A deterministic synthetic corpus for the benchmark: N source articles and what annotates them.

Same N, same bytes, on every machine (one seeded `random.Random`, no clock, no hash order).
Each source is about 1,200 words of markdown (paragraphs, a heading, some emphasis, a link,
typographic quotes); each has ANNOTATIONS_PER_SOURCE annotations quoting one of its sentences
word for word. Actors, motives, events and arguments grow with N the way a real site's would
(slower than the sources; motives level off at 40), and every reference resolves, so the corpus
builds without errors.

`write_corpus(n, dest)` writes our `content/`; `write_hugo_site(corpus, dest)` writes the same article
text as a Hugo site (one page per article, and the home and section lists), so Hugo and
Pagefind can be timed on the same text.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20250703
WORDS_PER_SOURCE = 1200
ANNOTATIONS_PER_SOURCE = 6
PRIMARY = [("russia", "Russia"), ("china", "China"), ("india", "India"), ("pakistan", "Pakistan"),
           ("united-states", "United States")]
GROUPS = ("security", "geopolitical", "economic", "ideological")

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cr", "dr",
           "gr", "pr", "st", "tr", "sh", "ch", "th", "pl", "sl"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "nd", "st", "rk", "m", "ng"]
_FUNCTION = ("the of and to in a that is for on with as by at from this it be not are was which but has "
             "an have its their they would will more than its after over into about also could other").split()


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words: list[str] = []
    seen = set(_FUNCTION)
    while len(words) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.choice((1, 2, 2, 3))))
        if word not in seen and len(word) > 2:
            seen.add(word)
            words.append(word)
    return words


@dataclass
class Corpus:
    """The whole generated content, as files: relative path -> text."""

    n: int
    files: dict[str, str] = field(default_factory=dict)
    articles: list[tuple[str, str, str, list[str], list[str]]] = field(default_factory=list)
    """(id, title, body, actor ids, motive ids) for the Hugo twin."""
    annotation_paths: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, n: int):
        self.n = n
        self.rng = random.Random(SEED)
        self.vocab = _vocabulary(self.rng)
        # Zipf-like: early words are much more frequent, as in real text.
        self.weights = [1.0 / (i + 8) for i in range(len(self.vocab))]
        self.cum = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)

    def word(self) -> str:
        if self.rng.random() < 0.38:
            return self.rng.choice(_FUNCTION)
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=1)[0]

    def sentence(self, names: list[str], lo: int = 12, hi: int = 28) -> str:
        count = self.rng.randint(lo, hi)
        words = [self.word() for _ in range(count)]
        if names and self.rng.random() < 0.5:
            words[self.rng.randrange(count)] = self.rng.choice(names)
        if count > 14 and self.rng.random() < 0.4:
            words[count // 2] += ","
        if self.rng.random() < 0.12:
            i = self.rng.randrange(1, count - 3)
            words[i] = "“" + words[i]
            words[i + 2] += "”"
        elif self.rng.random() < 0.1:
            i = self.rng.randrange(count)
            words[i] += "’s"
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice((".", ".", ".", ".", "?", ";")).replace(";", ".")

    def paragraph_markup(self, sentence: str) -> str:
        """Some sentences get inline markup; quoted sentences are chosen among the plain ones."""
        words = sentence.split(" ")
        roll = self.rng.random()
        if roll < 0.08 and len(words) > 6:
            i = self.rng.randrange(1, len(words) - 2)
            words[i] = f"*{words[i]}*"
        elif roll < 0.12 and len(words) > 6:
            i = self.rng.randrange(1, len(words) - 2)
            words[i] = f"[{words[i]}](https://example.org/{self.rng.randrange(10**6)})"
        return " ".join(words)


def build_corpus(n: int) -> Corpus:
    w = _Writer(n)
    rng = w.rng
    corpus = Corpus(n)
    files = corpus.files

    n_actors = len(PRIMARY) + max(3, n // 20)
    n_motives = min(40, 8 + n // 50)  # a taxonomy of motives levels off; actors keep growing
    actors = list(PRIMARY) + [(f"actor-{i:04d}", f"Actor {w.vocab[i].title()} {i}") for i in range(n_actors - len(PRIMARY))]
    motives = [(f"motive-{i:03d}", f"{w.vocab[1000 + i].title()} {w.vocab[2000 + i]} ({i})", GROUPS[i % len(GROUPS)]) for i in range(n_motives)]
    actor_ids = [a for a, _ in actors]
    motive_ids = [m for m, _, _ in motives]
    names = [name for _, name in actors[:len(PRIMARY)]]

    files["site.yaml"] = (
        "title: Synthetic Analysis\n"
        "description: A generated corpus for the benchmark.\n"
        "language: en\n"
        "site_url: https://example.org/bench/\n"
        "summary: |\n  A generated site with [[actors/russia]] and [[actors/china]].\n"
    )
    for i, (mid, label, group) in enumerate(motives):
        files[f"motives/{mid}.md"] = f"---\nlabel: {label}\ngroup: {group}\n---\n{w.sentence(names)} {w.sentence(names)}\n"

    by_actor: dict[str, list[str]] = {a: [] for a in actor_ids}
    all_refs: list[tuple[str, str, list[str], list[str]]] = []  # (ref, actor, motives, involves)
    for s in range(n):
        sid = f"source-{s:05d}"
        title = " ".join(w.word() for _ in range(5)).capitalize()
        paragraphs: list[list[str]] = []
        count = 0
        while count < WORDS_PER_SOURCE:
            para = [w.sentence(names) for _ in range(rng.randint(3, 6))]
            count += sum(len(x.split()) for x in para)
            paragraphs.append(para)
        # Quote plain sentences (no inline markup) that occur once.
        candidates = [(p, k) for p, para in enumerate(paragraphs) for k in range(len(para))]
        rng.shuffle(candidates)
        chosen = sorted(candidates[:ANNOTATIONS_PER_SOURCE])
        chosen_set = set(chosen)
        lines = []
        for p, para in enumerate(paragraphs):
            if p == len(paragraphs) // 2:
                lines.append("## " + " ".join(w.word() for _ in range(4)).capitalize())
                lines.append("")
            lines.append(" ".join(sent if (p, k) in chosen_set else w.paragraph_markup(sent) for k, sent in enumerate(para)))
            lines.append("")
        body = "\n".join(lines)
        year = 2020 + s % 6
        date = f"{year}-{1 + s % 12:02d}-{1 + s % 28:02d}"
        files[f"sources/{sid}.md"] = (
            f"---\ntitle: {title}\nauthors: [Author {s % 97}]\npublication: Gazette {s % 13}\n"
            f"published: {date}\nurl: https://example.org/articles/{sid}\n---\n{body}"
        )
        source_actors, source_motives = set(), set()
        for j, (p, k) in enumerate(chosen):
            aid = f"passage-{j + 1}"
            actor = rng.choice(actor_ids)
            mots = sorted(set(rng.sample(motive_ids, rng.choice((1, 1, 2)))))
            involves = sorted({rng.choice(actor_ids) for _ in range(rng.choice((0, 1, 1, 2)))} - {actor})
            quote = paragraphs[p][k]
            front = [f"actor: {actor}", f"motives: [{', '.join(mots)}]"]
            if involves:
                front.append(f"involves: [{', '.join(involves)}]")
            commentary = f"{w.sentence(names)} {w.sentence(names)}"
            if rng.random() < 0.3:
                commentary += f" Compare [[actors/{rng.choice(actor_ids)}]]."
            rel = f"annotations/{sid}/{aid}.md"
            files[rel] = "---\n" + "\n".join(front) + f"\n---\n> {quote}\n\n{commentary}\n"
            corpus.annotation_paths.append(rel)
            ref = f"{sid}/{aid}"
            by_actor[actor].append(ref)
            all_refs.append((ref, actor, mots, involves))
            source_actors.add(actor)
            source_motives.update(mots)
        corpus.articles.append((sid, title, body, sorted(source_actors), sorted(source_motives)))

    for i, (aid, name) in enumerate(actors):
        evidence = by_actor[aid][:1]
        front = [f"name: {name}", "kind: state" if i < len(PRIMARY) else "kind: group",
                 f"primary: {'true' if i < len(PRIMARY) else 'false'}", f"position: {w.sentence([])}"]
        if evidence:
            front.append(f"evidence: [{evidence[0]}]")
        files[f"actors/{aid}.md"] = "---\n" + "\n".join(front) + f"\n---\n{w.sentence(names)} See [[motives/{rng.choice(motive_ids)}]].\n"

    ref_info = {r[0]: r for r in all_refs}
    n_events = max(2, n // 4)
    for e in range(n_events):
        ref_a = all_refs[rng.randrange(len(all_refs))]
        refs = sorted({ref_a[0], all_refs[rng.randrange(len(all_refs))][0]})
        involved = sorted({ref_a[1], rng.choice(actor_ids)})
        date = f"{2020 + e % 6}-{1 + e % 12:02d}-{1 + e % 28:02d}"
        files[f"events/event-{e:05d}.md"] = (
            f"---\ndate: {date}\ntitle: {w.sentence(names, 5, 9).rstrip('.?')}\nactors: [{', '.join(involved)}]\n"
            f"evidence: [{', '.join(refs)}]\n---\n{w.sentence(names)}\n"
        )

    n_arguments = max(2, n // 4)
    for a in range(n_arguments):
        picks = sorted({all_refs[rng.randrange(len(all_refs))][0] for _ in range(rng.randint(1, 3))})
        ann = [ref_info[r] for r in picks]
        arg_actors = sorted({r[1] for r in ann})
        arg_motives = sorted({m for r in ann for m in r[2]})
        front = [f"claim: {w.sentence(names, 8, 14)}", f"actors: [{', '.join(arg_actors)}]",
                 f"motives: [{', '.join(arg_motives)}]", f"evidence: [{', '.join(picks)}]"]
        if a > 0:
            other = f"argument-{rng.randrange(a):05d}"
            front.append(f"{'supports' if rng.random() < 0.5 else 'opposes'}: [{other}]")
        files[f"arguments/argument-{a:05d}.md"] = "---\n" + "\n".join(front) + f"\n---\n{w.sentence(names)} {w.sentence(names)}\n"
    return corpus


def write_files(files: dict[str, str], dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    for rel in sorted(files):
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[rel], encoding="utf-8")


def write_corpus(n: int, dest: Path) -> Corpus:
    corpus = build_corpus(n)
    write_files(corpus.files, dest)
    return corpus


HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>\n'
        '<body>\n<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>\n'
        "<main>{{ block \"main\" . }}{{ end }}</main>\n</body>\n</html>\n"
    ),
    "layouts/_default/single.html": (
        '{{ define "main" }}<article data-pagefind-body>\n<h1>{{ .Title }}</h1>\n'
        "<p>{{ .Date.Format \"2 January 2006\" }} · {{ delimit .Params.actors \", \" }}</p>\n"
        "{{ .Content }}\n</article>{{ end }}\n"
    ),
    "layouts/_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        "{{ end }}</ul>{{ end }}\n"
    ),
    "layouts/index.html": (
        '{{ define "main" }}<h1>{{ .Site.Title }}</h1>\n<ul>{{ range .Site.RegularPages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
}


def write_hugo_site(corpus: Corpus, dest: Path) -> dict[str, str]:
    """The same article text as a Hugo site; returns path -> text of the article files."""
    files = {
        "hugo.toml": (
            'baseURL = "https://example.org/"\nlanguageCode = "en"\ntitle = "Synthetic Analysis"\n'
            'disableKinds = ["RSS", "taxonomy", "term"]\n'
        ),
        **HUGO_LAYOUTS,
    }
    for sid, title, body, actor_ids, motive_ids in corpus.articles:
        index = int(sid.rsplit("-", 1)[1])
        date = f"{2020 + index % 6}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        files[f"content/sources/{sid}.md"] = (
            f'---\ntitle: "{title}"\ndate: {date}\nactors: [{", ".join(actor_ids)}]\nmotives: [{", ".join(motive_ids)}]\n---\n{body}'
        )
    write_files(files, dest)
    return files
