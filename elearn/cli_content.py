"""`flask content ...`: check course content, show its statistics, and move quiz banks in and out
(GIFT and Aiken in, GIFT and QTI out)."""

from collections import Counter
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup

from .content import ContentError, load_course
from .content.aiken import parse_aiken
from .content.gift import parse_gift, write_gift
from .content.interchange import InterchangeError, bank_yaml
from .content.lint import MAX_MODULE_WORDS, lint_course
from .content.qti import write_qti_package
from .content.stats import course_stats, share
from .formatting import plural
from .web.content_store import get_course

content_cli = AppGroup("content", help="Course content in modules/ and quizzes/.")


@content_cli.command("check")
@click.option(
    "--lint/--no-lint",
    default=True,
    help="Also apply the quiz-quality rules (default). "
    "--no-lint checks only what the app needs to run, e.g. for the small test course.",
)
def content_check(lint):
    """Validate every content file and the quiz-quality rules; list every problem with its file, line and field."""
    try:
        course = load_course(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        raise click.ClickException(f"{plural(len(exc.issues), 'problem')} found in the course content") from None
    issues = lint_course(course) if lint else []
    for issue in issues:
        click.echo(str(issue), err=True)
    if issues:
        per_bank = ", ".join(f"{file} {n}" for file, n in sorted(Counter(i.file for i in issues).items()))
        raise click.ClickException(
            f"{plural(len(issues), 'quiz-quality problem')} ({per_bank}); the rules are in docs/content-format.md"
        )
    drafts = sum(m.is_draft for m in course.modules)
    click.echo(f"Content OK: {len(course.modules)} modules ({drafts} draft), version {course.version}")


@content_cli.command("import")
@click.option("--format", "fmt", type=click.Choice(["gift", "aiken"]), required=True)
@click.option("--module", "module_id", required=True, help="The module id the bank is for, e.g. prevention.")
@click.option("--outcome", help="Outcome id for every question (GIFT $CATEGORY lines override it).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the YAML bank; an existing file is never overwritten.",
)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def content_import(fmt, module_id, outcome, output, source):
    """Read a GIFT or Aiken file into a YAML quiz bank; what it cannot know is marked TO-DO for content check."""
    if output.exists():
        raise click.ClickException(f"{output} already exists: choose another --output")
    parse = {"gift": parse_gift, "aiken": parse_aiken}[fmt]
    try:
        questions = parse(source.read_text(encoding="utf-8"), filename=str(source))
    except InterchangeError as exc:
        raise click.ClickException(f"{plural(len(exc.problems), 'problem')}:\n{exc}") from None
    output.write_text(bank_yaml(questions, module_id, outcome, source=source.name), encoding="utf-8")
    click.echo(f"Wrote {plural(len(questions), 'question')} to {output}. Fill in each TO-DO, then run `content check`.")


@content_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["gift", "qti"]), required=True)
@click.option("--module", "module_id", required=True, help="The module id, e.g. prevention.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def content_export(fmt, module_id, output):
    """Write a module's quiz bank as GIFT (Moodle) or a QTI 2.1 package (.zip) for other tools."""
    course = get_course()
    if course.module(module_id) is None:
        raise click.ClickException(f"no module '{module_id}'")
    bank = yaml.safe_load(
        (Path(current_app.config["CONTENT_DIR"]) / "quizzes" / f"{module_id}.yaml").read_text("utf-8")
    )
    if fmt == "gift":
        output.write_text(write_gift(bank), encoding="utf-8")
    else:
        output.write_bytes(write_qti_package(bank))
    click.echo(f"Wrote {plural(len(bank['questions']), 'question')} to {output}.")


@content_cli.command("stats")
def content_stats():
    """Per module: size, outcomes, readability, and the quiz-quality measures the lint checks."""
    try:
        course = load_course(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        raise click.ClickException(f"content has errors; run `content check`:\n{exc}") from None
    for stats in course_stats(course):
        module = course.module(stats.module_id)
        too_long = f" (over {MAX_MODULE_WORDS:,}: cut repetition)" if stats.too_long else ""
        click.echo(
            f"{module.slug}{' (draft)' if module.is_draft else ''}: {stats.words} words{too_long}, "
            f"{len(stats.pages)} pages, {stats.minutes} minutes, {stats.outcomes} outcomes"
        )
        click.echo("  questions per outcome: " + ", ".join(f"{k} {v}" for k, v in stats.questions_per_outcome.items()))
        click.echo("  question types: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.question_types.items())))
        click.echo(f"  key is the longest option: {share(*stats.longest_key)} single-answer questions (at most 30%)")
        trues, falses = stats.true_false
        click.echo(f"  true/false keys: {trues} True, {falses} False; True {share(trues, trues + falses)}")
        click.echo(f"  scenario items: {share(*stats.scenario)} questions (at least 40%)")
        click.echo("  near-duplicate prompts: " + ("; ".join(stats.near_duplicates) or "none"))
        for page in stats.pages:
            click.echo(f"  {page.page_id}: {page.words} words, reading ease {page.reading_ease}")
    click.echo(f"Content version {course.version}")
