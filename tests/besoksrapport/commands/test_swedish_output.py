"""No English reaches the secretary from the command line: help, errors and every output.

The commands are found by walking the parser, so a command another module registers is
checked too: its help and its wrong arguments at once, its normal output when it needs no
argument or has a sample here (``samples``). Each is run in-process (``cli.main``) and as a
subprocess (``python -m besoksrapport.cli``, as the secretary starts it), with a filled
database: reports, a flagged one, one waiting for a meeting, a refused delivery and a
failed delivery to a real WebDAV server that refuses the password (the ``busy`` desk).
A subprocess takes seconds to start (importing jsonschema builds a grammar), so those run
every help and every normal output but one wrong argument per command and two commands'
configuration errors; in-process runs every case.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from io import StringIO
from pathlib import Path

import pytest
from english import english_words
from flow import visit_envelope
from ports import free_port
from webhook_helpers import PATH, SECRET, environment
from werkzeug.serving import make_server

from besoksrapport.cli.main import build_parser, main

from .conftest import Desk

ROOT = Path(__file__).resolve().parents[3]


def walk(parser: argparse.ArgumentParser,
         path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser with its command path, the main one (path ``()``) first."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, child in action.choices.items():
                if id(child) not in seen:  # an alias is the same parser again
                    seen.add(id(child))
                    yield from walk(child, (*path, name))


PARSERS = dict(walk(build_parser()))
COMMANDS = [path for path in PARSERS if path]
NAMES = {name for path in COMMANDS for name in path}


def required(parser: argparse.ArgumentParser) -> bool:
    return any(action.required for action in parser._actions)


def wrong_arguments(path: tuple[str, ...]) -> list[list[str]]:
    """An unknown flag, a value of the wrong kind for each typed argument, none at all."""
    parser = PARSERS[path]
    cases = [[*path, "--finns-inte"]]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            cases.append([*path, "finns-inte"])
        elif action.type not in (None, str, Path):
            cases.append([*path, *action.option_strings[:1], "x!"])
    if required(parser):
        cases.append(list(path))
    return cases


def samples(desk: Desk, tmp: Path) -> dict[tuple[str, ...], list[str]]:
    """Arguments that make each known command do its normal work on the busy desk."""
    envelope = tmp / "inskick.json"
    envelope.write_text(json.dumps(visit_envelope(5), ensure_ascii=False), encoding="utf-8")
    first, second = desk.first.isoformat(), desk.second.isoformat()
    period = ["--from", f"{desk.first.year - 1}-01-01", "--to", f"{desk.second.year}-12-31"]
    waiting = desk.ctx.storage.reports_for_meeting(desk.first)[0].report_id
    other = desk.ctx.storage.reports_for_meeting(desk.first)[-1].report_id
    return {
        ("meetings",): ["meetings"],
        ("meeting",): ["meeting", first],
        ("outbox",): ["outbox"],
        ("quarantine",): ["quarantine"],
        ("check-config",): ["check-config"],
        ("compensation",): ["compensation", *period, "-o", str(tmp / "ut")],
        ("follow-up",): ["follow-up", *period, "-o", str(tmp / "ut")],
        ("render",): ["render", str(envelope), "-o", str(tmp / "rapport.docx")],
        ("bundle",): ["bundle", first],
        ("move",): ["move", waiting, "--to", second],
        ("process",): ["process"],
        ("agenda",): ["agenda", first],
        ("review",): ["review", other, "--mask"],
        ("withdraw",): ["withdraw", other, "--reason", "Dubblett av en annan rapport."],
        ("worker",): ["worker", "--until-idle"],  # without it, it runs until stopped
        ("send-example",): ["send-example", "--url", f"http://127.0.0.1:{free_port()}{PATH}"],
    }


def in_process(argv: list[str]) -> str:
    """What ``besoksrapport ARGV`` prints (stdout and stderr), run in this process."""
    out, err = StringIO(), StringIO()
    # --help and wrong arguments end in argparse's exit.
    with redirect_stdout(out), redirect_stderr(err), suppress(SystemExit):
        main(argv)
    return out.getvalue() + err.getvalue()


def as_subprocess(argv: list[str]) -> str:
    """What ``besoksrapport ARGV`` prints when the secretary starts it (same environment)."""
    result = subprocess.run([sys.executable, "-m", "besoksrapport.cli", *argv], cwd=ROOT,
                            env=dict(os.environ), capture_output=True, text=True, timeout=120,
                            check=False)
    return result.stdout + result.stderr


def english_in(runs: dict[str, str]) -> dict[str, list[str]]:
    """Command line → the English words its output holds, for those that hold any."""
    found = {argv: english_words(text, NAMES) for argv, text in runs.items()}
    return {argv: words for argv, words in found.items() if words}


def run_all(argvs: list[list[str]], runner: Callable[[list[str]], str]) -> dict[str, str]:
    if runner is in_process:
        return {" ".join(argv): runner(argv) for argv in argvs}
    with ThreadPoolExecutor(max_workers=4) as pool:  # each subprocess mostly imports
        return dict(zip([" ".join(argv) for argv in argvs], pool.map(runner, argvs),
                        strict=True))


@pytest.fixture(params=[in_process, as_subprocess], ids=["in-process", "subprocess"])
def runner(request) -> Callable[[list[str]], str]:
    return request.param


def test_the_scan_finds_english_but_leaves_codes_paths_quotes_and_commands_alone():
    assert english_words("error: the following arguments are required: --to", NAMES) == [
        "error", "the", "arguments", "are", "required"]
    assert english_words("Misslyckades: överföring (Meeting 3 failed)", NAMES) == [
        "meeting", "failed"]
    technical = ("besoksrapport outbox: HTTP 401, SQLITE_BUSY (errno 13, EACCES) i "
                 "/tmp/pytest-of-root/report.docx, fältet deadline.days_before, ”each”, "
                 "--to ÅÅÅÅ-MM-DD, webhook-timestamp, Content-Type, BR-2026-7Q3K9X")
    assert english_words(technical, NAMES) == []


def test_the_commands_are_found_by_walking_the_parser():
    assert {("meetings",), ("meeting",), ("outbox",), ("move",), ("send-example",)} <= \
        set(COMMANDS)


def test_help_of_every_command_is_swedish(desk, runner):
    runs = run_all([["--help"], *([*path, "--help"] for path in COMMANDS)], runner)
    assert "användning: besoksrapport [-h] KOMMANDO" in runs["--help"]
    assert "visa den här hjälptexten och avsluta" in runs["meetings --help"]
    assert english_in(runs) == {}


def test_wrong_arguments_to_every_command_are_refused_in_swedish(desk, runner):
    # A subprocess costs seconds (imports): there, one wrong argument per command.
    per_command = [wrong_arguments(path) for path in COMMANDS]
    cases = [case for cases in per_command for case in
             (cases if runner is in_process else cases[:1])]
    runs = run_all([[], ["finns-inte"], *cases], runner)
    assert "besoksrapport: fel: följande måste anges: KOMMANDO" in runs[""]
    assert "besoksrapport: fel: okända argument: --finns-inte" in runs["meetings --finns-inte"]
    assert "”finns-inte” finns inte (välj bland ”bundle”" in runs["finns-inte"]
    assert english_in(runs) == {}


def broken_committee(tmp: Path) -> Path:
    path = tmp / "trasig.toml"
    path.write_text('municipality = "Exempelby kommun"\n[deadline]\ndays_before = -1\n',
                    encoding="utf-8")
    return path


def test_configuration_errors_stop_every_command_in_swedish(desk, busy, tmp_path, runner):
    argvs = list(samples(desk, tmp_path).values())
    if runner is as_subprocess:  # the same code as in-process; a subprocess costs seconds
        argvs = [["meetings"], ["check-config"]]
    desk.monkeypatch.setenv("BESOKSRAPPORT_CONFIG", str(broken_committee(tmp_path)))
    broken = run_all(argvs, runner)
    desk.monkeypatch.delenv("BESOKSRAPPORT_CONFIG")
    missing = run_all(argvs, runner)
    assert "besoksrapport: Konfigurationsfel i " in broken["meetings"]
    assert ("besoksrapport: Konfigurationsfel i inställningen BESOKSRAPPORT_CONFIG: "
            "den saknas; ange sökvägen") in missing["meetings"]
    assert english_in(broken) == {} and english_in(missing) == {}


@contextmanager
def webhook_server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The web app on a real HTTP server (werkzeug) on 127.0.0.1; yields its address.

    Its JSON log (for IT, English) is the server's, not the command's: it is kept off the
    stderr the in-process commands print to.
    """
    from webhook import create_app

    app = create_app(environment(data_dir, BESOKSRAPPORT_RUN_WORKER="false"))
    for name in ("besoksrapport", "webhook"):
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PATH}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["besoksrapport"].ctx.storage.close()


def test_the_normal_output_of_every_command_is_swedish(desk, busy, tmp_path, runner):
    desk.monkeypatch.setenv("BESOKSRAPPORT_WEBHOOK_SECRETS", SECRET)
    known = samples(desk, tmp_path)
    others = [list(path) for path in COMMANDS if path not in known
              and not required(PARSERS[path]) and PARSERS[path].get_default("func")]
    runs = run_all([*known.values(), *others], runner)
    with webhook_server(tmp_path / "webhook", desk.monkeypatch) as url:
        answered = run_all([["send-example", "--url", url]], runner)
        desk.monkeypatch.setenv("BESOKSRAPPORT_WEBHOOK_SECRETS",
                                "whsec_" + "QUFBQUFBQUFBQUFBQUFBQQ==")
        refused = run_all([["send-example", "--url", url]], runner)
    [text] = answered.values()
    assert text.startswith("HTTP 201: rapporten togs emot") or \
        text.startswith("HTTP 200: rapporten var redan mottagen")
    [text] = refused.values()
    assert text.startswith("HTTP 401: signaturen godtogs inte")
    runs.update({f"{argv} (svar)": text for argv, text in answered.items()})
    runs.update({f"{argv} (fel hemlighet)": text for argv, text in refused.items()})
    assert "Sista tid för rapporter" in runs["meetings"]
    assert "Misslyckades: " in runs["outbox"]
    assert "Ingen server svarar på" in runs[" ".join(known[("send-example",)])]
    assert english_in(runs) == {}
