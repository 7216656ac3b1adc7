"""Policy libraries as data: the shipped Karlsborg policy, checking files with line numbers,
loading once, adopting, and comparing versions clause by clause (P3.1)."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Iterator

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from stadga.organisation.choices import Role
from stadga.policy import registry
from stadga.policy.library import (
    LibraryError,
    load_library,
    parse_library,
    read_library,
    shipped_libraries,
    text_checksum,
)
from stadga.policy.models import Clause, Policy, PolicyAdoption
from stadga.policy.registry import RuleContext, RuleResult
from stadga.policy.services_library import (
    DiffStatus,
    diff_counts,
    policy_adopt,
    policy_compare,
    policy_load,
)
from stadga.testing.factories import MunicipalityFactory, UserFactory

SHIPPED_KEY = "karlsborg-it-policy-2006"
SHIPPED_VERSION = "2006-09-25"

# Every clause of docs/policy.md, in the document's order.
POLICY_CLAUSE_IDS = [
    "P1.1", "P1.2",
    "P2.1", "P2.2", "P2.3", "P2.4",
    "P3.1", "P3.2", "P3.3", "P3.4", "P3.5", "P3.6", "P3.7", "P3.8", "P3.9", "P3.10", "P3.11",
    "P3.12", "P3.13",
    "P4.1", "P4.2", "P4.3",
    "P5.1", "P5.2", "P5.3", "P5.4", "P5.5", "P5.6", "P5.7",
    "P6.1", "P6.2", "P6.3", "P6.4",
    "P7.1",
    "P8.1", "P8.2", "P8.3",
    "P9.1", "P9.2", "P9.3", "P9.4", "P9.5", "P9.6",
]  # fmt: skip

# The rules the shipped library binds, with the clauses each was written for.
SHIPPED_RULES = {
    "organisation.executive_board_oversight": ["P3.1"],
    "organisation.it_coordinator_named": ["P3.2", "P9.4"],
    "systems.board_responsible": ["P9.2"],
    "systems.classified": ["P9.1"],
    "systems.owner_named": ["P9.3"],
    "security.classification_current": ["P9.1"],
    "security.processing_register": ["P9.2"],
    "security.platform_measures": ["P9.4"],
    "security.requirements_have_measures": ["P9.5"],
    "security.follow_ups_current": ["P9.5"],
    "security.ineffective_have_actions": ["P9.5"],
    "security.shortfall_notices_acknowledged": ["P9.6"],
    "catalogue.no_overlapping_business_systems": ["P4.1"],
    "catalogue.system_products_approved": ["P4.1", "P5.4"],
    "catalogue.requests_assessed": ["P5.1", "P5.2", "P5.3", "P5.7"],
    "catalogue.in_house_exception": ["P5.6"],
    "catalogue.coordination_before_decision": ["P8.2"],
    "cooperation.member_of_group": ["P8.1"],
    "cooperation.inquiries_answered_in_time": ["P8.2"],
    "cooperation.it_department_is_link": ["P8.3"],
    "inventory.installed_software_approved": ["P5.4", "P5.5"],
    "itgroup.every_department_represented": ["P3.12"],
    "plans.items_state_benefit": ["P1.2"],
    "plans.goal_p2_1_served": ["P2.1"],
    "plans.goal_p2_2_served": ["P2.2"],
    "plans.goal_p2_3_served": ["P2.3"],
    "plans.goal_p2_4_served": ["P2.4"],
    "plans.board_plan_adopted": ["P3.4"],
    "plans.plan_costs_per_year": ["P3.5"],
    "statusreports.reported_twice_a_year": ["P3.13"],
    "training.required_training_covered": ["P6.1", "P6.2"],
    "training.basic_training_for_shared_systems": ["P6.3"],
    "training.departments_have_training_plans": ["P6.2"],
    "training.it_department_watch_kept": ["P6.4"],
    "portal.published_and_current": ["P7.1"],
    "portal.messages_answered_in_time": ["P7.1"],
}


def _stub(ctx: RuleContext) -> RuleResult:
    return RuleResult(status="met")


@pytest.fixture(autouse=True)
def rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`test.rule` for the small libraries below, and a stand-in for any shipped rule that is not
    registered (the registry is restored after the test)."""
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    for rule_id, clauses in {**SHIPPED_RULES, "test.rule": ["A1"]}.items():
        if rule_id not in registry.all_rules():
            registry.rule(rule_id, clauses=clauses, title=rule_id)(_stub)
    with translation.override("en"):  # the messages asserted are the English msgids
        yield


# A small valid library; the line numbers below are those of this text.
VALID = """\
format: 1
key: test-policy
version: "1"
title: Testpolicy
issuing_body: Kommunfullmäktige
adopted_on: 2020-01-01
language: sv
sections:
  - number: "1"
    title: Ett
clauses:
  - id: A1
    section: "1"
    text: Första
    responsible_role: it_coordinator
    rules: [test.rule]
  - id: A2
    section: "1"
    text: Andra
    responsible_role: employee
    attestation_required: true
"""


def edited(line: int, replacement: str | None, text: str = VALID) -> str:
    """VALID with line `line` (1-based) replaced, or removed when `replacement` is None."""
    lines = text.splitlines()
    if replacement is None:
        del lines[line - 1]
    else:
        lines[line - 1] = replacement
    return "\n".join(lines) + "\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(LibraryError) as caught:
        parse_library(text)
    return caught.value.messages


# --- The shipped library ---------------------------------------------------------------------


def test_the_karlsborg_policy_is_shipped():
    assert [p.name for p in shipped_libraries()] == [f"{SHIPPED_KEY}.yaml"]


def test_the_shipped_file_is_valid_and_has_every_clause_of_the_policy():
    library = read_library(shipped_libraries()[0])

    assert (library.key, library.version) == (SHIPPED_KEY, SHIPPED_VERSION)
    assert library.title == "IT-policy för Karlsborgs kommun"
    assert library.issuing_body == "Kommunfullmäktige"
    assert library.adopted_on == datetime.date(2006, 9, 25)
    assert library.language == "sv"
    assert [c.clause_id for c in library.clauses] == POLICY_CLAUSE_IDS
    assert library.checksum == text_checksum(library, library.clauses)


def test_the_shipped_texts_are_the_policys_own_words():
    clauses = {c.clause_id: c for c in read_library(shipped_libraries()[0]).clauses}

    assert all(c.text and c.text_en for c in clauses.values())
    assert all(c.section == c.clause_id[1:].split(".")[0] for c in clauses.values())
    # Verbatim from the adopted text, its spelling included.
    assert "finnas en systemansvarig som bl a svarar för systemets säkerhet" in clauses["P9.3"].text
    assert clauses["P3.1"].text.startswith(
        "Kommunstyrelsen har det övergripande ansvaret för kommunens IT-utveckling"
    )
    assert clauses["P5.6"].text == (
        "Egen utveckling eller inköp av verksamhetssystem som inte är färdigutvecklade får ej "
        "förekomma."
    )
    assert "möjligheter att utträta kommunala tjänster" in clauses["P2.1"].text
    assert "IT-samordnaren avger lägesrapport till chefsgruppen" in clauses["P3.13"].text
    assert "- Den ska vara robust - dvs" in clauses["P4.3"].text.splitlines()[3]
    assert clauses["P9.3"].section_title == "IT-säkerhet"
    assert clauses["P9.3"].section_title_en == "IT security"


def test_the_shipped_rules_are_bound_to_the_clauses_they_were_written_for():
    clauses = read_library(shipped_libraries()[0]).clauses
    bound = {c.clause_id: list(c.rule_ids) for c in clauses if c.rule_ids}

    expected: dict[str, list[str]] = {}
    for rule_id, clause_ids in SHIPPED_RULES.items():
        for clause_id in clause_ids:
            expected.setdefault(clause_id, []).append(rule_id)
    assert bound == expected
    for clause_id, rule_ids in bound.items():
        for rule_id in rule_ids:
            assert clause_id in registry.get_rule(rule_id).clauses


def test_every_shipped_clause_says_who_answers_and_how_it_is_measured():
    for clause in read_library(shipped_libraries()[0]).clauses:
        assert clause.responsible_role in Role.values, clause.clause_id
        if clause.rule_ids or clause.attestation_required:
            continue
        # Nothing measures it yet: the live page says why, in both languages, plainly.
        assert clause.unmeasured_note and clause.unmeasured_note_en, clause.clause_id
        for note in (clause.unmeasured_note, clause.unmeasured_note_en):
            assert "#" not in note and "issue" not in note.lower(), clause.clause_id


def test_what_only_a_person_can_judge_is_attested():
    clauses = {c.clause_id: c for c in read_library(shipped_libraries()[0]).clauses}
    for clause_id in ("P1.1", "P4.3", "P6.1", "P6.4", "P8.1", "P8.3"):
        assert clauses[clause_id].attestation_required, clause_id
    # Measured by rules since the measures are kept in Stadga; no longer attested.
    assert not clauses["P9.5"].attestation_required
    assert not clauses["P9.6"].unmeasured_note
    assert clauses["P3.1"].responsible_role == Role.EXECUTIVE_BOARD_READER
    assert clauses["P9.3"].responsible_role == Role.SYSTEM_OWNER
    assert clauses["P6.2"].responsible_role == Role.DEPARTMENT_HEAD


def test_the_shipped_file_loads(db):
    policy = load_library(shipped_libraries()[0])

    assert (policy.key, policy.version, policy.source) == (
        SHIPPED_KEY,
        SHIPPED_VERSION,
        f"{SHIPPED_KEY}.yaml",
    )
    assert list(policy.clauses.values_list("clause_id", flat=True)) == POLICY_CLAUSE_IDS
    assert list(policy.clauses.values_list("order", flat=True)) == list(
        range(1, len(POLICY_CLAUSE_IDS) + 1)
    )
    p93 = policy.clauses.get(clause_id="P9.3")
    assert p93.rule_ids == ["systems.owner_named"]
    assert p93.responsible_role == Role.SYSTEM_OWNER


# --- Checking, with line numbers -------------------------------------------------------------


def test_the_small_library_is_valid():
    library = parse_library(VALID)
    assert [c.clause_id for c in library.clauses] == ["A1", "A2"]
    assert library.clauses[0].rule_ids == ("test.rule",)
    assert library.clauses[1].attestation_required


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            edited(15, "    responsible_role: boss"),
            "line 15, clauses[0].responsible_role: 'boss' is not one of ['it_coordinator'",
            id="wrong-role",
        ),
        pytest.param(
            edited(19, None),
            "line 17, clauses[1]: 'text' is a required property",
            id="missing-text",
        ),
        pytest.param(
            edited(19, "    text: ''"),
            "line 19, clauses[1].text: '' should be non-empty",
            id="empty-text",
        ),
        pytest.param(
            edited(17, "  - id: A1"),
            "line 17, clauses[1].id: clause A1 appears twice (first on line 12)",
            id="duplicate-clause-id",
        ),
        pytest.param(
            edited(16, "    rules: [test.rule, test.nope]"),
            "line 16, clauses[0].rules[1]: there is no compliance rule 'test.nope'",
            id="unknown-rule",
        ),
        pytest.param(
            edited(14, "    text: Första: fel"),
            "line 14: YAML syntax error: mapping values are not allowed here",
            id="yaml-syntax",
        ),
        pytest.param(
            edited(21, "    attestation_requird: true"),
            "line 21, clauses[1].attestation_requird: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            edited(6, "adopted_on: 2020-02-30"),
            "line 6, adopted_on: '2020-02-30' is not a date",
            id="impossible-date",
        ),
        pytest.param(
            edited(18, '    section: "2"'),
            "line 18, clauses[1].section: there is no section 2 under sections",
            id="unknown-section",
        ),
        pytest.param(
            edited(21, "    attestation_required: false"),
            "line 17, clauses[1]: no rule measures the clause and no attestation is required",
            id="unmeasured-without-a-reason",
        ),
        pytest.param(
            edited(14, "    text: Första\n    text: Igen"),
            "line 15, clauses[0].text: this field is given twice",
            id="duplicate-field",
        ),
        pytest.param(
            edited(2, "key: Test Policy"),
            "line 2, key: 'Test Policy' does not match",
            id="bad-key",
        ),
        pytest.param(
            edited(1, None),
            "line 1: 'format' is a required property",
            id="missing-format",
        ),
        pytest.param("", "line 1: the file is empty", id="empty-file"),
        pytest.param("- a\n- b\n", "line 1: ['a', 'b'] is not of type 'object'", id="not-a-map"),
    ],
)
def test_errors_name_the_line(text, expected):
    messages = errors_of(text)
    assert any(m.startswith(expected) for m in messages), messages


def test_every_error_of_a_file_is_reported_in_line_order():
    text = edited(15, "    responsible_role: boss", edited(6, "adopted_on: 2020-13-01"))
    text = edited(17, "  - id: A1", text)

    messages = errors_of(text)

    assert [m.split(",")[0] for m in messages] == ["line 6", "line 15", "line 17"]


def test_a_file_error_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(edited(15, "    responsible_role: boss"), encoding="utf-8")

    with pytest.raises(LibraryError) as caught:
        read_library(path)

    assert str(caught.value).startswith("broken.yaml: line 15, clauses[0].responsible_role")


def test_a_file_that_is_not_utf8_is_refused():
    assert errors_of(VALID.encode("latin-1"))[0].startswith("the file is not UTF-8 text")


def test_unquoted_numbers_and_dates_are_read_as_text():
    text = edited(
        3, "version: 2006-09-25", edited(9, "  - number: 1", edited(13, "    section: 1"))
    )

    library = parse_library(text)

    assert library.version == "2006-09-25"
    assert library.clauses[0].section == "1"


# --- Loading ---------------------------------------------------------------------------------


def test_loading_twice_does_nothing(db):
    first = policy_load(library=parse_library(VALID), actor=None)
    second = policy_load(library=parse_library(VALID), actor=None)

    assert first.created and not second.created
    assert second.policy.pk == first.policy.pk
    assert Policy.objects.count() == 1
    assert Clause.objects.count() == 2
    library = parse_library(VALID)
    assert first.policy.checksum == text_checksum(library, library.clauses)


def test_a_loaded_version_is_never_changed(db):
    policy = load_library(VALID)
    changed = edited(14, "    text: Första, ändrad")

    with pytest.raises(LibraryError) as caught:
        load_library(changed)

    assert "a loaded version is never changed; give the new text a new version" in str(caught.value)
    assert policy.clauses.get(clause_id="A1").text == "Första"
    # The same text under a new version is a new policy next to the old one.
    newer = load_library(edited(3, 'version: "2"', changed))
    assert newer.pk != policy.pk
    assert Policy.objects.filter(key="test-policy").count() == 2


# The text of a loaded version never changes; how Stadga measures it may (its rule bindings,
# attestations and unmeasured notes): loading the same text with new bindings updates them.


@pytest.mark.parametrize(
    ("line", "replacement"),
    [
        (4, "title: Testpolicy, ändrad"),  # the metadata
        (6, "adopted_on: 2020-01-02"),
        (10, "    title: Ett, ändrad"),  # a section's title
        (14, "    text: Första, ändrad"),  # a clause's text
        (15, "    responsible_role: employee"),  # the role that answers for it
        (20, "    responsible_role: it_coordinator"),
    ],
)
def test_any_change_to_the_text_is_refused(db, line, replacement):
    load_library(VALID)

    with pytest.raises(LibraryError, match="a loaded version is never changed"):
        load_library(edited(line, replacement))


def test_a_removed_or_added_clause_is_a_changed_text(db):
    load_library(VALID)
    with pytest.raises(LibraryError, match="a loaded version is never changed"):
        load_library("\n".join(VALID.splitlines()[:16]) + "\n")
    with pytest.raises(LibraryError, match="a loaded version is never changed"):
        load_library(
            VALID + "  - id: A3\n    section: '1'\n    text: Tredje\n"
            "    responsible_role: employee\n    attestation_required: true\n"
        )


def test_new_rule_bindings_are_applied_to_the_loaded_version(db):
    policy = load_library(VALID)
    adoption = policy_adopt(
        municipality=MunicipalityFactory(),
        policy=policy,
        adopted_on=datetime.date(2020, 2, 1),
        actor=None,
    )
    # A1 loses its rule and gets an attestation; A2 gets a rule and a note, no longer attested.
    rebound = edited(
        16,
        "    rules: []\n    attestation_required: true",
        edited(
            21,
            "    rules: [test.rule]\n    unmeasured_note: Mäts delvis.\n"
            "    unmeasured_note_en: Partly measured.",
        ),
    )

    result = policy_load(library=parse_library(rebound), actor=None)

    assert (result.policy.pk, result.created) == (policy.pk, False)
    assert result.updated_clauses == ("A1", "A2")
    a1, a2 = Policy.objects.get(pk=policy.pk).clauses.order_by("order")
    assert (a1.rule_ids, a1.attestation_required) == ([], True)
    assert (a2.rule_ids, a2.attestation_required) == (["test.rule"], False)
    assert (a2.unmeasured_note, a2.unmeasured_note_en) == ("Mäts delvis.", "Partly measured.")
    assert (a1.text, a2.text) == ("Första", "Andra")  # the text is untouched
    assert Policy.objects.count() == 1
    adoption.refresh_from_db()
    assert adoption.policy_id == policy.pk  # the adoption measures the new way at once
    # Loading the same file again changes nothing.
    again = policy_load(library=parse_library(rebound), actor=None)
    assert (again.created, again.updated_clauses) == (False, ())


def test_comments_and_layout_are_not_the_text(db):
    policy = load_library(VALID)
    relaid = "# En kommentar\n" + VALID.replace("    text: Första", "    text: >-\n      Första")

    result = policy_load(library=parse_library(relaid), actor=None)

    assert (result.policy.pk, result.created, result.updated_clauses) == (policy.pk, False, ())


def test_a_version_loaded_with_the_files_checksum_is_matched_on_its_text(db):
    """Versions loaded before the checksum covered the text alone hold the file's SHA-256; the
    same text loads onto them, and their checksum is brought up to date."""
    policy = load_library(VALID)
    Policy.objects.filter(pk=policy.pk).update(checksum=hashlib.sha256(VALID.encode()).hexdigest())

    result = policy_load(
        library=parse_library(edited(16, "    rules: []\n    attestation_required: true")),
        actor=None,
    )

    assert result.updated_clauses == ("A1",)
    result.policy.refresh_from_db()
    assert result.policy.checksum == parse_library(VALID).checksum
    with pytest.raises(LibraryError, match="a loaded version is never changed"):
        load_library(edited(14, "    text: Första, ändrad"))


def test_a_binding_to_an_unknown_rule_is_refused_before_anything_changes(db):
    policy = load_library(VALID)

    with pytest.raises(LibraryError, match="no compliance rule"):
        load_library(edited(16, "    rules: [test.nothing]"))

    assert policy.clauses.get(clause_id="A1").rule_ids == ["test.rule"]


def test_command_reports_the_clauses_it_rebinds(db, tmp_path):
    path = tmp_path / "test.yaml"
    path.write_text(VALID, encoding="utf-8")
    run("load", str(path))
    path.write_text(edited(16, "    rules: []\n    attestation_required: true"), encoding="utf-8")

    out = run("load", str(path))

    assert (
        "test-policy version 1 is already loaded; updated the rule bindings of 1 clause (A1)" in out
    )
    assert "nothing was changed" in run("load", str(path))


def test_a_file_with_errors_loads_nothing(db):
    with pytest.raises(LibraryError):
        load_library(edited(15, "    responsible_role: boss"))
    assert not Policy.objects.exists()


def test_load_reads_a_path_or_the_text(db, tmp_path):
    path = tmp_path / "test.yaml"
    path.write_text(VALID, encoding="utf-8")

    from_path = load_library(path)
    from_string_path = load_library(str(path))
    from_bytes = load_library(VALID.encode())

    assert from_path.pk == from_string_path.pk == from_bytes.pk
    assert from_path.source == "test.yaml"


def test_a_missing_file_is_an_error():
    with pytest.raises(LibraryError, match="cannot be read"):
        read_library("/nonexistent/policy.yaml")


# --- Adoption --------------------------------------------------------------------------------


def test_adopting_records_the_decision_and_logs_it(db):
    policy = load_library(VALID)
    municipality = MunicipalityFactory()
    user = UserFactory()

    adoption = policy_adopt(
        municipality=municipality,
        policy=policy,
        adopted_on=datetime.date(2020, 2, 1),
        decision_reference=" KF § 12/2020 ",
        actor=user,
    )

    adoption.refresh_from_db()
    assert (adoption.municipality, adoption.policy) == (municipality, policy)
    assert adoption.decision_reference == "KF § 12/2020"
    entry = LogEntry.objects.get_for_object(adoption).get()
    assert entry.actor == user
    assert entry.action == LogEntry.Action.CREATE


def test_a_version_is_adopted_once(db):
    policy = load_library(VALID)
    municipality = MunicipalityFactory()
    policy_adopt(
        municipality=municipality, policy=policy, adopted_on=datetime.date(2020, 2, 1), actor=None
    )

    with pytest.raises(ValidationError) as caught:
        policy_adopt(
            municipality=municipality,
            policy=policy,
            adopted_on=datetime.date(2021, 1, 1),
            actor=None,
        )

    assert "policy" in caught.value.message_dict
    assert PolicyAdoption.objects.count() == 1
    # Another municipality adopts the same version on its own.
    policy_adopt(
        municipality=MunicipalityFactory(),
        policy=policy,
        adopted_on=datetime.date(2020, 2, 1),
        actor=None,
    )


def test_a_policy_is_not_adopted_before_it_was_written(db):
    policy = load_library(VALID)  # adopted by its issuing body 2020-01-01

    with pytest.raises(ValidationError) as caught:
        policy_adopt(
            municipality=MunicipalityFactory(),
            policy=policy,
            adopted_on=datetime.date(2019, 12, 31),
            actor=None,
        )

    assert "adopted_on" in caught.value.message_dict


# --- Comparing -------------------------------------------------------------------------------

OLD = """\
format: 1
key: test-policy
version: "1"
title: Testpolicy
issuing_body: KF
adopted_on: 2020-01-01
language: sv
sections:
  - {number: "1", title: Ett}
clauses:
  - {id: A1, section: "1", responsible_role: it_coordinator, rules: [test.rule],
     text: Kommunen ska ha en plan.}
  - {id: A2, section: "1", responsible_role: employee, attestation_required: true,
     text: Tas bort.}
  - {id: A3, section: "1", responsible_role: employee, attestation_required: true,
     text: Oförändrad text.}
  - {id: A4, section: "1", responsible_role: employee, attestation_required: true,
     text: Ny roll.}
"""

NEW = """\
format: 1
key: test-policy
version: "2"
title: Testpolicy
issuing_body: KF
adopted_on: 2022-01-01
language: sv
sections:
  - {number: "1", title: Ett}
clauses:
  - {id: A1, section: "1", responsible_role: it_coordinator, rules: [test.rule],
     text: Kommunen ska ha en årlig plan.}
  - {id: A3, section: "1", responsible_role: employee, attestation_required: true,
     text: Oförändrad text.}
  - {id: A5, section: "1", responsible_role: employee, attestation_required: true,
     text: Helt ny.}
  - {id: A4, section: "1", responsible_role: system_owner, attestation_required: true,
     text: Ny roll.}
"""


def test_compare_finds_added_removed_and_changed_clauses_in_order(db):
    old, new = load_library(OLD), load_library(NEW)

    diffs = policy_compare(old, new)

    assert [(d.clause_id, d.status, d.changed) for d in diffs] == [
        ("A1", DiffStatus.CHANGED, ("text",)),
        ("A2", DiffStatus.REMOVED, ()),
        ("A3", DiffStatus.UNCHANGED, ()),
        ("A5", DiffStatus.ADDED, ()),
        ("A4", DiffStatus.CHANGED, ("responsible_role",)),
    ]
    assert diff_counts(diffs) == {"added": 1, "removed": 1, "changed": 2, "unchanged": 1}
    assert diffs[0].text_diff() == [
        ("equal", "Kommunen ska ha en "),
        ("insert", "årlig "),
        ("equal", "plan."),
    ]
    assert diffs[1].old is not None and diffs[1].new is None


def test_compare_notices_changed_rules(db):
    old = load_library(VALID)
    new = load_library(
        edited(3, 'version: "2"', edited(16, "    rules: []")).replace(
            "    rules: []", "    rules: []\n    unmeasured_note: Mäts inte."
        )
    )

    diffs = policy_compare(old, new)

    assert diffs[0].changed == ("rule_ids", "unmeasured_note")
    assert diffs[1].status == DiffStatus.UNCHANGED


def test_a_version_compared_with_itself_is_unchanged(db, django_assert_num_queries):
    policy = load_library(shipped_libraries()[0])
    with django_assert_num_queries(2):
        diffs = policy_compare(policy, policy)
    assert {d.status for d in diffs} == {DiffStatus.UNCHANGED}
    assert len(diffs) == len(POLICY_CLAUSE_IDS)


# --- The command -----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


def test_command_loads_the_shipped_libraries_once(db):
    assert "Loaded karlsborg-it-policy-2006 version 2006-09-25 (43 clauses)" in run(
        "load", "--shipped"
    )
    assert "already loaded; nothing was changed" in run("load", "--shipped")
    assert Policy.objects.count() == 1


def test_command_reports_every_error_with_its_line(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        edited(15, "    responsible_role: boss", edited(17, "  - id: A1")), encoding="utf-8"
    )

    with pytest.raises(CommandError) as caught:
        run("load", str(path))

    text = str(caught.value)
    assert "broken.yaml: line 15, clauses[0].responsible_role: 'boss'" in text
    assert "broken.yaml: line 17, clauses[1].id: clause A1 appears twice" in text
    assert caught.value.returncode == 1
    assert not Policy.objects.exists()


def test_command_needs_a_file_or_shipped(db):
    with pytest.raises(CommandError):
        run("load")


def test_command_adopts_compares_and_lists(db, tmp_path):
    municipality = MunicipalityFactory(slug="alingsas")
    for name, text in (("old.yaml", OLD), ("new.yaml", NEW)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    run("load", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))

    out = run(
        "adopt",
        "test-policy",
        "2",
        "--municipality",
        "alingsas",
        "--adopted-on",
        "2022-03-01",
        "--decision",
        "KF § 1/2022",
    )

    adoption = PolicyAdoption.objects.get(municipality=municipality)
    assert (adoption.policy.version, adoption.adopted_on, adoption.decision_reference) == (
        "2",
        datetime.date(2022, 3, 1),
        "KF § 1/2022",
    )
    assert "adopted" in out
    with pytest.raises(CommandError, match="already adopted"):
        run("adopt", "test-policy", "2", "--municipality", "alingsas", "--adopted-on", "2022-03-02")
    with pytest.raises(CommandError, match="no policy test-policy version 9"):
        run("adopt", "test-policy", "9", "--municipality", "alingsas")

    compared = run("compare", "test-policy", "1", "2")
    assert "~ A1" in compared and "- A2" in compared and "+ A5" in compared
    assert "A3" not in compared  # unchanged clauses only with -v 2
    assert "1 added, 1 removed, 2 changed, 1 unchanged." in compared

    listed = run("list")
    assert "test-policy  1  Testpolicy" in listed and "test-policy  2" in listed
