"""Quality rules for quiz banks, so a test-wise guesser cannot pass without knowing the answers.

These run over a course that already loaded (the structure is valid). They are separate from the
loader's checks because the app can run on content that breaks them (the small test course does),
while `flask content check` and the real-content test hold the real course to them.
Each rule returns ContentIssues naming the bank file, the question's line and the field.
"""

import re
from itertools import combinations

from .errors import ContentIssue
from .model import Course, Module, Question

# Rule 1: with 4 options a key is the longest by chance about 25% of the time; 30% leaves room
# for a few honest long keys but catches the old banks' 41%.
MAX_LONGEST_KEY_SHARE = 0.30
# Rule 2: always answering "True" (or "False") must not beat chance by much.
TRUE_SHARE_RANGE = (0.40, 0.60)
# Rule 3: one absurd wrong option made multiple-answer items a guess between "all but that one".
MIN_WRONG_IN_MULTIPLE = 2
# Rule 4: token-set (Jaccard) similarity of two prompts' word sets. One changed word in a prompt
# of 13 distinct words scores 12/14 = 0.857, and one added word in 6 scores 6/7 = 0.857: the same
# question lightly reworded. The first edition's "Section 6 of the Mental Capacity Act allows staff
# to deprive a person of their liberty if it is in their best interests." (HR) and "... if they
# think it is in the person's best interests." (RP) score 0.875 and are caught. Short prompts that share a stem
# but ask different things, "Which of these best describes co-production?" and "... seclusion?",
# score 5/7 = 0.71 and pass. Meaning-level duplicates with new wording still need a reviewer.
NEAR_DUPLICATE = 0.85
# Rule 5: most of a pre-course quiz should ask the trainee to apply what they read.
MIN_SCENARIO_SHARE = 0.40
# Rule 6: "No." or "Correct." teaches nothing; 7 words is about the shortest real reason.
MIN_FEEDBACK_WORDS = 7
# Not a lint rule (the real-content test checks it): longer modules lose readers before the quiz.
MAX_MODULE_WORDS = 3000


def lint_course(course: Course) -> list[ContentIssue]:
    """Every quality-rule violation in every bank, in course order."""
    issues: list[ContentIssue] = []
    for module in course.modules:
        issues += longest_key(module)
        issues += true_false_balance(module)
        issues += multiple_wrong_options(module)
        issues += scenario_share(module)
        issues += feedback(module)
        issues += see_anchors(module)
    issues += near_duplicate_prompts(course)
    issues += repeated_wrong_feedback(course)
    return issues


def bank_file(module: Module) -> str:
    return f"quizzes/{module.id}.yaml"


def words(text: str) -> list[str]:
    """Lower-cased words with punctuation removed ("person's" -> "persons")."""
    return re.sub(r"[^\w\s]", "", text.lower()).split()


def similarity(a: str, b: str) -> float:
    """Token-set (Jaccard) similarity: shared distinct words / all distinct words."""
    left, right = set(words(a)), set(words(b))
    return len(left & right) / len(left | right) if left | right else 1.0


def longest_key(module: Module) -> list[ContentIssue]:
    """Rule 1: at most 30% of single-answer keys may be strictly the longest option."""
    singles = [q for q in module.quiz.questions if q.type == "single"]
    longest = [q for q in singles if key_is_strictly_longest(q)]
    if not singles or len(longest) / len(singles) <= MAX_LONGEST_KEY_SHARE:
        return []
    return [
        _bank_issue(
            module,
            "questions",
            f"the key is strictly the longest option in {len(longest)} of "
            f"{len(singles)} single-answer questions ({_pct(len(longest), len(singles))}); at most "
            f"{_pct(MAX_LONGEST_KEY_SHARE)} allowed. Lengthen the distractors of: {_where(longest)}",
        )
    ]


def true_false_balance(module: Module) -> list[ContentIssue]:
    """Rule 2: True keys make up 40-60% of true/false items, or differ from False keys by at most 1."""
    items = [q for q in module.quiz.questions if q.type == "true_false"]
    trues = sum(q.correct_option_ids == {"true"} for q in items)
    falses = len(items) - trues
    low, high = TRUE_SHARE_RANGE
    if not items or low <= trues / len(items) <= high or abs(trues - falses) <= 1:
        return []
    return [
        _bank_issue(
            module,
            "questions",
            f"true/false keys are {trues} True and {falses} False; keep True "
            f"between {_pct(low)} and {_pct(high)}, or the two counts within 1 of each other",
        )
    ]


def multiple_wrong_options(module: Module) -> list[ContentIssue]:
    """Rule 3: every multiple-answer question has at least two wrong options."""
    return [
        _question_issue(
            module,
            i,
            q,
            "options",
            f"a multiple-answer question needs at least "
            f"{MIN_WRONG_IN_MULTIPLE} wrong options, each plausible; has {wrong}",
        )
        for i, q in enumerate(module.quiz.questions)
        if q.type == "multiple" and (wrong := sum(not o.is_correct for o in q.options)) < MIN_WRONG_IN_MULTIPLE
    ]


def scenario_share(module: Module) -> list[ContentIssue]:
    """Rule 5: at least 40% of a bank's questions are scenario (application) items."""
    questions = module.quiz.questions
    marked = sum(q.scenario for q in questions)
    if not questions or marked / len(questions) >= MIN_SCENARIO_SHARE:
        return []
    return [
        _bank_issue(
            module,
            "questions",
            f"{marked} of {len(questions)} questions ({_pct(marked, len(questions))}) "
            f"have 'scenario: true'; at least {_pct(MIN_SCENARIO_SHARE)} must be application items",
        )
    ]


def feedback(module: Module) -> list[ContentIssue]:
    """Rule 6: feedback of 7+ words on every option, and no two options of a question share it."""
    issues = []
    for index, question in enumerate(module.quiz.questions):
        seen: dict[str, str] = {}
        for n, option in enumerate(question.options):
            field = f"options[{n}].feedback"
            if len(words(option.feedback)) < MIN_FEEDBACK_WORDS:
                issues.append(
                    _question_issue(
                        module,
                        index,
                        question,
                        field,
                        f"option '{option.id}': feedback has "
                        f"{len(words(option.feedback))} words; write at least {MIN_FEEDBACK_WORDS} saying why",
                    )
                )
            key = " ".join(words(option.feedback))
            if key in seen:
                issues.append(
                    _question_issue(
                        module,
                        index,
                        question,
                        field,
                        f"option '{option.id}' has the same "
                        f"feedback as option '{seen[key]}'; say why each option is right or wrong",
                    )
                )
            seen.setdefault(key, option.id)
    return issues


def see_anchors(module: Module) -> list[ContentIssue]:
    """Rule 7: every see names a heading (#anchor) on the page that teaches the fact."""
    # The loader already refuses an anchor that is not on the page; here a missing one is refused.
    return [
        _question_issue(
            module,
            i,
            q,
            "see",
            f"'{q.see_page}' has no #anchor; point at the heading "
            f"that teaches this (anchors: {', '.join(_anchors(module, q.see_page)) or 'none'})",
        )
        for i, q in enumerate(module.quiz.questions)
        if not q.see_anchor
    ]


def near_duplicate_prompts(course: Course) -> list[ContentIssue]:
    """Rule 4: no two prompts in the whole course are near-duplicates; the later one is reported."""
    items = [(m, i, q) for m in course.modules for i, q in enumerate(m.quiz.questions)]
    issues = []
    for (m1, _i1, q1), (m2, i2, q2) in combinations(items, 2):
        score = similarity(q1.prompt, q2.prompt)
        if score >= NEAR_DUPLICATE:
            issues.append(
                _question_issue(
                    m2,
                    i2,
                    q2,
                    "prompt",
                    f"near-duplicate (similarity {score:.2f}) of "
                    f"'{q1.id}' at {bank_file(m1)}:{q1.line}; ask something different or remove one",
                )
            )
    return issues


def near_duplicate_pairs(course: Course) -> list[tuple[Question, Question, float]]:
    """Every pair of prompts at or above the threshold, for `content stats`."""
    questions = [q for m in course.modules for q in m.quiz.questions]
    pairs = ((a, b, similarity(a.prompt, b.prompt)) for a, b in combinations(questions, 2))
    return [pair for pair in pairs if pair[2] >= NEAR_DUPLICATE]


def repeated_wrong_feedback(course: Course) -> list[ContentIssue]:
    """Rule 6: the same wrong-option feedback on two questions is generic, not about that option."""
    first: dict[str, tuple[Module, Question]] = {}
    issues = []
    for module in course.modules:
        for index, question in enumerate(module.quiz.questions):
            for n, option in enumerate(question.options):
                key = " ".join(words(option.feedback))
                if option.is_correct:
                    continue
                if key in first and first[key][1].id != question.id:
                    other_module, other = first[key]
                    issues.append(
                        _question_issue(
                            module,
                            index,
                            question,
                            f"options[{n}].feedback",
                            f"option '{option.id}' repeats the feedback of a wrong option in '{other.id}' "
                            f"({bank_file(other_module)}:{other.line}); say why THIS option is wrong",
                        )
                    )
                first.setdefault(key, (module, question))
    return issues


def key_is_strictly_longest(question: Question) -> bool:
    """True when the correct option has more characters than every wrong option."""
    key_length = max(len(o.text.strip()) for o in question.options if o.is_correct)
    return all(len(o.text.strip()) < key_length for o in question.options if not o.is_correct)


def _anchors(module: Module, page_id: str) -> tuple[str, ...]:
    page = module.page(page_id)
    return page.anchors if page else ()


def _bank_issue(module: Module, field: str, message: str) -> ContentIssue:
    return ContentIssue(bank_file(module), 1, field, message)


def _question_issue(module: Module, index: int, question: Question, field: str, message: str) -> ContentIssue:
    return ContentIssue(bank_file(module), question.line, f"questions[{index}].{field}", f"{question.id}: {message}")


def _where(questions: list[Question]) -> str:
    return ", ".join(f"{q.id} (line {q.line})" for q in questions)


def _pct(part: float, whole: float = 1.0) -> str:
    return f"{round(100 * part / whole)}%"
