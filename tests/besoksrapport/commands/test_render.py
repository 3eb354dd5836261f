"""``besoksrapport render``: a report document from an example file, without a server."""

from __future__ import annotations

import io
import json

from documents import MAXIMAL_FILE, answer_texts, document_text
from docx import Document
from envelopes import example_envelope

from besoksrapport.cli.main import main
from besoksrapport.paths import EXAMPLE_CONFIG, EXAMPLES_DIR
from docgen.accessibility import check_docx


def test_render_writes_the_report_of_an_example_file(tmp_path, capsys):
    out = tmp_path / "rapport.docx"
    assert main(["render", str(MAXIMAL_FILE), "--config", str(EXAMPLE_CONFIG),
                 "-o", str(out)]) == 0
    data = out.read_bytes()
    text = document_text(data)
    envelope = example_envelope("maximal")
    for snippets in answer_texts(envelope).values():
        for snippet in snippets:
            assert snippet in text
    assert check_docx(data) == []
    assert capsys.readouterr().out.startswith(f"{out}: BR-")


def test_render_uses_the_given_meeting_and_template(tmp_path, municipal_template_path):
    out = tmp_path / "rapport.docx"
    assert main(["render", str(MAXIMAL_FILE), "--config", str(EXAMPLE_CONFIG),
                 "--meeting", "2027-01-28", "--template", str(municipal_template_path),
                 "-o", str(out)]) == 0
    doc = Document(io.BytesIO(out.read_bytes()))
    assert "Sammanträde: 28 januari 2027" in document_text(out.read_bytes())
    assert "Socialförvaltningen" in doc.sections[0].header.paragraphs[0].text


def test_every_valid_example_renders(tmp_path):
    examples = sorted((EXAMPLES_DIR / "valid").glob("*.json"))
    assert examples
    for example in examples:
        out = tmp_path / f"{example.stem}.docx"
        assert main(["render", str(example), "--config", str(EXAMPLE_CONFIG),
                     "-o", str(out)]) == 0, example.name
        assert check_docx(out.read_bytes()) == [], example.name


def test_an_invalid_envelope_is_explained_in_swedish_not_rendered(tmp_path, capsys):
    envelope = example_envelope("maximal")
    del envelope["data"]["answers"]["unit"]
    source = tmp_path / "ogiltig.json"
    source.write_text(json.dumps(envelope), encoding="utf-8")
    out = tmp_path / "rapport.docx"
    assert main(["render", str(source), "--config", str(EXAMPLE_CONFIG),
                 "-o", str(out)]) == 1
    assert not out.exists()
    errors = capsys.readouterr().err
    assert "rapporten är ogiltig" in errors
    assert "/data/answers/unit: " in errors


def test_a_file_that_is_not_json_is_explained(tmp_path, capsys):
    source = tmp_path / "trasig.json"
    source.write_text("{inte json", encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "r.docx")]) == 1
    assert capsys.readouterr().err == (f"besoksrapport: filen {source} är inte giltig JSON "
                                       "(fel på rad 1, kolumn 2)\n")
