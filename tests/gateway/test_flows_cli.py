"""``gateway flows simulate``: the pure flows from a terminal, with nothing else running."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from gateway.cli.flows import flows


def test_the_ussd_menu_is_stepped_to_its_record():
    result = CliRunner().invoke(flows, ["simulate", "ussd", "2", "13", "1", "385"])

    assert result.exit_code == 0, result.output
    assert result.output.count("\nCON ") == 4
    assert "\nEND " in result.output and "115" in result.output
    assert "records: Declare(" in result.output


def test_answers_can_be_typed_one_by_one_in_english():
    result = CliRunner().invoke(flows, ["simulate", "ussd", "--lang", "en"], input="1\n")

    assert result.exit_code == 0, result.output
    assert "\nEND " in result.output
    assert "records: Declare(report=Report(kind=<Kind.WELL" in result.output


def test_texts_are_read_as_the_grammar_reads_them():
    result = CliRunner().invoke(flows, ["simulate", "sms"], input="2 13\nxin chao\n")

    assert result.exit_code == 0, result.output
    assert "reads as: Declare(" in result.output
    assert "reads as: Unknown(" in result.output
    assert "1 segment(s), GSM-7" in result.output


def test_the_command_needs_no_database_or_redis(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "flows", "simulate", "sms", "1"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "reads as: Declare(" in result.stdout
