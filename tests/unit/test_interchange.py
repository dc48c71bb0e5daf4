"""Question banks in and out: GIFT and Aiken imports, GIFT and QTI 2.1 exports, round trips on the real banks."""

import io
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET  # nosec B405 - parsing our own export in a test

import pytest
import yaml

from elearn.content import ContentError, load_course
from elearn.content.aiken import parse_aiken
from elearn.content.gift import parse_gift, write_gift
from elearn.content.interchange import InterchangeError, bank_yaml
from elearn.content.qti import QTI, write_qti_package

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "content"
BANKS = sorted((ROOT / "quizzes").glob("*.yaml"))


def _words(text: str) -> str:
    return " ".join(str(text).replace("**", "").split())


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_every_real_bank_survives_a_gift_round_trip(path):
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    back = parse_gift(write_gift(bank))
    assert len(back) == len(bank["questions"])
    for original, imported in zip(bank["questions"], back, strict=True):
        assert imported.title == original["id"] and imported.outcome == original["outcome"]
        assert imported.type == original["type"] and imported.prompt == _words(original["prompt"])
        assert imported.explanation == _words(original["explanation"])
        expected = [
            (o["id"], _words(o["text"]), bool(o.get("correct")), _words(o["feedback"])) for o in original["options"]
        ]
        got = [
            (oid if original["type"] == "true_false" else o["id"], text, correct, feedback)
            for (oid, text, correct, feedback), o in zip(imported.options, original["options"], strict=True)
        ]
        assert got == expected, original["id"]


def test_gift_special_characters_are_escaped_and_restored():
    bank = {
        "module": "m",
        "questions": [
            {
                "id": "q",
                "outcome": "o",
                "type": "single",
                "prompt": "Which is {right}: a = b ~ c # d?",
                "options": [
                    {"id": "a", "text": "x = 1", "correct": True, "feedback": "Yes: 50% ~ half"},
                    {"id": "b", "text": "y", "feedback": "No #1"},
                ],
                "explanation": "See: {here}",
            }
        ],
    }
    (question,) = parse_gift(write_gift(bank))
    assert question.prompt == "Which is {right}: a = b ~ c # d?"
    assert question.options[0] == ("a", "x = 1", True, "Yes: 50% ~ half") and question.explanation == "See: {here}"


def test_gift_problems_name_the_file_and_line():
    text = "// two good, two bad\n::ok:: Fine? {=yes ~no}\n\nNo answers here\n\n::m:: Match {=a -> b =c -> d}\n\nTrue? {T}\n"
    with pytest.raises(InterchangeError) as caught:
        parse_gift(text, filename="bank.gift")
    assert caught.value.problems == [
        "bank.gift:4: no answer block { ... } found",
        "bank.gift:6: matching questions are not supported",
    ]


def test_aiken_import_and_its_errors():
    questions = parse_aiken("Which is an absolute right?\nA. Article 8\nB. Article 3\nANSWER: B\n")
    assert questions[0].options == [("a", "Article 8", False, ""), ("b", "Article 3", True, "")]
    with pytest.raises(InterchangeError) as caught:
        parse_aiken("Q one?\nA. x\nB. y\nANSWER: C\n\nQ two?\nA. x\nnot an option\n", filename="q.txt")
    assert caught.value.problems == [
        "q.txt:4: ANSWER C is not one of the options A, B",
        "q.txt:8: expected an option like 'B. text' or 'ANSWER: B'",
        "q.txt:6: question has no 'ANSWER:' line",
    ]


def test_an_imported_bank_is_checked_like_any_other(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    gift = "".join(
        (f"$CATEGORY: al-{1 + i // 4}\n" if i % 4 == 0 else "")
        + f"::q{i}:: Question {i}? {{=Right {i} #Yes because {i} ~Wrong {i} #No because {i} ####Why {i}}}\n\n"
        for i in range(8)
    )
    imported = bank_yaml(parse_gift(gift), "alpha", outcome=None, source="old.gift")
    (content / "quizzes" / "alpha.yaml").write_text(imported, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(content)
    todo = [i for i in caught.value.issues if i.file == "quizzes/alpha.yaml"]
    assert todo and all(i.line and "see" in i.field for i in todo)  # each TO-DO `see` named with its line
    (content / "quizzes" / "alpha.yaml").write_text(imported.replace("see: to-do", "see: 01-first"), encoding="utf-8")
    alpha = load_course(content).module("alpha").quiz
    assert len(alpha.questions) == 8 and alpha.questions[0].correct_option_ids == frozenset({"a"})


def test_qti_package_has_a_manifest_and_one_item_per_question():
    bank = yaml.safe_load((ROOT / "quizzes" / "prevention.yaml").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(write_qti_package(bank))) as package:
        names = set(package.namelist())
        assert "imsmanifest.xml" in names and len(names) == len(bank["questions"]) + 1
        for question in bank["questions"]:
            item = ET.fromstring(package.read(f"{question['id']}.xml"))  # nosec B314 - our own output
            declaration = item.find(f"{{{QTI}}}responseDeclaration")
            values = [v.text for v in declaration.iter(f"{{{QTI}}}value")]
            assert values == [o["id"] for o in question["options"] if o.get("correct")]
            assert declaration.get("cardinality") == ("multiple" if question["type"] == "multiple" else "single")
            prompt = item.find(f".//{{{QTI}}}prompt").text
            assert prompt == question["prompt"]
