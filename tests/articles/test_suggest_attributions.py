"""`manage.py suggest_attributions IN.jsonl > OUT.jsonl`: the proposer's attributions for texts
given one JSON object a line, written the same way, with bad lines refused by number."""

import io
import json
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

import articles.attribution
from articles.attribution import attributions_find
from articles.management.commands import suggest_attributions

MAYOR = "The mayor said the bridge would reopen in May."
QUOTED = "“We are on schedule,” said Ruth Okafor, the mayor. “Families have waited long enough.”"


def run(path: str, *, stdin: bytes | None = None, monkeypatch=None) -> list[dict]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out = StringIO()
    call_command("suggest_attributions", path, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def jsonl(tmp_path, *lines: str, name: str = "in.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def item(id, text) -> str:
    return json.dumps({"id": id, "text": text}, ensure_ascii=False)


def words(text: str, spans: list[list[int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_each_line_gets_its_id_and_the_attributions_as_character_ranges(tmp_path):
    path = jsonl(tmp_path, item("mayor", MAYOR), item(2, QUOTED))

    mayor, quoted = run(str(path))

    assert mayor["id"] == "mayor" and quoted["id"] == 2
    assert mayor["attributions"] == [a.as_json() for a in attributions_find(MAYOR)]
    (found,) = mayor["attributions"]
    assert set(found) == {"source", "cue", "content"}
    assert words(MAYOR, found["source"]) == ["The mayor"]
    assert words(MAYOR, found["cue"]) == ["said"]
    assert words(MAYOR, found["content"]) == ["the bridge would reopen in May"]
    # A quotation broken by its cue is one attribution in two fragments, in reading order.
    (broken,) = quoted["attributions"]
    first, second = words(QUOTED, broken["content"])
    assert first == "We are on schedule" and second.startswith("Families have waited")


def test_offsets_count_characters_not_bytes(tmp_path):
    text = "Café owners 😀 said the rent was “far too high”."
    (line,) = run(str(jsonl(tmp_path, item("utf", text))))

    for attribution in line["attributions"]:
        for start, end in attribution["content"]:
            assert 0 <= start < end <= len(text)
    assert any("far too high" in " ".join(words(text, a["content"])) for a in line["attributions"])


def test_a_text_with_no_attribution_gets_an_empty_list_and_blank_lines_are_skipped(tmp_path):
    path = jsonl(tmp_path, "", item(1, "The bridge closed in 2023."), "   ", item(2, ""))

    assert run(str(path)) == [{"id": 1, "attributions": []}, {"id": 2, "attributions": []}]


def test_stdin_is_read_when_in_is_a_dash(monkeypatch):
    data = (item("a", MAYOR) + "\n").encode()

    (line,) = run("-", stdin=data, monkeypatch=monkeypatch)

    assert line["id"] == "a" and len(line["attributions"]) == 1


def test_a_byte_order_mark_at_the_start_of_the_file_is_no_text(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + item("a", MAYOR).encode() + b"\n")

    assert run(str(path))[0]["id"] == "a"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": 3, "text": "no end', r"in\.jsonl, line 2: this is not JSON \("),
        ('{"id": 3}', r'in\.jsonl, line 2: the object has no "text"\.'),
        ('{"text": "Who?"}', r'in\.jsonl, line 2: the object has no "id"\.'),
        ('{"id": 3, "text": 42}', r'in\.jsonl, line 2: "text" must be a string, not a number\.'),
        ('{"id": 3, "text": null}', r'line 2: "text" must be a string, not null\.'),
        ('{"id": 3, "text": ["a"]}', r'line 2: "text" must be a string, not a list\.'),
        ('["id", "text"]', r'in\.jsonl, line 2: expected an object \{"id": \.\.\., "text"'),
    ],
)
def test_a_bad_line_stops_the_command_with_its_number_after_the_whole_lines_before(
    tmp_path, bad, message
):
    path = jsonl(tmp_path, item(1, MAYOR), bad, item(4, MAYOR))
    out = StringIO()

    with pytest.raises(CommandError, match=message):
        call_command("suggest_attributions", str(path), stdout=out)

    # The line before is written whole; nothing of the bad line or after it.
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [1]


def test_a_file_that_is_not_utf8_is_refused_with_the_line(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(
        item(1, MAYOR).encode() + b"\n" + '{"id": 2, "text": "Café"}'.encode("latin-1")
    )

    with pytest.raises(CommandError, match=r"latin\.jsonl, line 2: this is not UTF-8 text\."):
        run(str(path))


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"There is no file .*missing\.jsonl"):
        run(str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError, match="is a folder, not a file"):
        run(str(tmp_path))


def test_a_failing_proposer_stops_with_the_line_and_the_error(tmp_path, monkeypatch):
    def attributions_find(text):
        raise RuntimeError("the parser fell over")

    monkeypatch.setattr(suggest_attributions, "attributions_find", attributions_find)
    path = jsonl(tmp_path, item(1, MAYOR))

    with pytest.raises(CommandError, match=r"line 1: .*RuntimeError: the parser fell over"):
        run(str(path))


def test_the_command_uses_the_proposers_own_function():
    assert suggest_attributions.attributions_find is articles.attribution.attributions_find


# Through manage.py, as it is run


def test_from_file_to_file_through_manage_py(run_manage, tmp_path):
    path = jsonl(tmp_path, item("mayor", MAYOR), "", item("quoted", QUOTED))

    result = run_manage("suggest_attributions", str(path), env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["mayor", "quoted"]
    assert lines[0]["attributions"] == [a.as_json() for a in attributions_find(MAYOR)]


def test_bad_input_through_manage_py_exits_non_zero_without_a_traceback(run_manage, tmp_path):
    path = jsonl(tmp_path, item(1, MAYOR), '{"id": 2, "text": 7}')

    result = run_manage("suggest_attributions", str(path), env={"DEBUG": "1"})

    assert result.returncode != 0
    assert 'line 2: "text" must be a string, not a number.' in result.stderr
    assert "Traceback" not in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1]


def test_a_missing_file_through_manage_py_exits_non_zero_without_a_traceback(run_manage, tmp_path):
    result = run_manage("suggest_attributions", str(tmp_path / "missing.jsonl"), env={"DEBUG": "1"})

    assert result.returncode != 0
    assert "There is no file" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
