"""Command line: `build` (default), `check`, `serve` and `new`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import ContentError, format_report, shown
from .outdir import OutDirRefused, check_out_dir
from .pipeline import DEFAULT_TEMPLATES, BuildOptions, build, validate
from .coverage import coverage_report
from . import scaffold
from .search import SearchIndexError
from .urls import web_address_problem


def _site_url(value: str) -> str:
    problem = value and web_address_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"'{shown(value)}' is not a web address the site can link to: {problem}; "
                                         "give the full address, like https://example.org/site/")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Validate content/ and render it into a static site.")
    sub = parser.add_subparsers(dest="command", metavar="{build,check,serve,new}")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
        p.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES, help="templates folder (default: templates/ beside build.py)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
        p.add_argument("--base-path", default="/", help="URL path the site is served from, e.g. /repo/ (default: /)")
        p.add_argument("--site-url", default="", type=_site_url, help="absolute URL of the published site, for the feed and sitemap")
        p.add_argument("--repository", default="", type=_site_url,
                       help="web address of the site's repository, where readers ask for corrections (overrides site.yaml)")

    p_build = sub.add_parser("build", help="validate and render content/ into site/")
    common(p_build)
    output(p_build)
    p_check = sub.add_parser("check", help="validate only, and report annotation coverage")
    common(p_check)
    p_serve = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every edit")
    common(p_serve)
    output(p_serve)
    p_serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p_new = sub.add_parser("new", help="write a new content file with every field of its kind, each explained")
    p_new.add_argument("kind", choices=tuple(scaffold.KINDS), help="the kind of item")
    p_new.add_argument("id", type=scaffold.valid_id, help="its id: lowercase a-z, 0-9 and hyphens")
    p_new.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    return parser


def _new(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(f"{args.content}:1: content folder not found\n    hint: pass --content DIR, or run from the project folder",
              file=sys.stderr)
        return 2
    try:
        path = scaffold.write_new(args.content, args.kind, args.id)
    except scaffold.Refused as refused:
        print(refused.diagnostic.format(), file=sys.stderr)
        return 1
    check = "python build.py check" + ("" if args.content == Path("content") else f" --content {args.content}")
    print(f"wrote {path}: {scaffold.next_steps(scaffold.KINDS[args.kind], args.id)}; then run {check}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    if args.command in ("build", "serve"):
        try:
            check_out_dir(args.out, args.content, args.templates)
        except OutDirRefused as refused:
            print(refused.format(), file=sys.stderr)
            return 2
    if args.command == "new":
        return _new(args)
    if args.command == "serve":
        from .serve import serve

        return serve(args)
    try:
        if args.command == "check":
            validated = validate(args.content, args.strict)
            for line in coverage_report(validated.model, validated.index):
                print(line)
            if validated.warnings:
                print(format_report(validated.warnings), file=sys.stderr)
            print("content is valid", file=sys.stderr)
            return 0
        options = BuildOptions(content=args.content, out=args.out, templates=args.templates,
                               base_path=args.base_path, site_url=args.site_url, repository=args.repository,
                               strict=args.strict)
        built = build(options)
        if built.warnings:
            print(format_report(built.warnings), file=sys.stderr)
        print(f"built {args.content} into {args.out} in {built.seconds:.2f} s "
              f"(search index {built.search_seconds:.2f} s)", file=sys.stderr)
        return 0
    except ContentError as error:
        print(format_report(error.diagnostics), file=sys.stderr)
        return 1
    except SearchIndexError as error:
        print(f"search index failed: {error}\nthe previous site is left as it was", file=sys.stderr)
        return 1
