"""Two people save the same agreement at the same moment, each from its own database session:
one wins, the other is told (ConflictError) and nothing is lost.

Real concurrency needs a real server: PostgreSQL only (SQLite serialises every write). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from samspill.accounts.models import User
from samspill.placements import services
from samspill.placements.models import AgreementVersion, Placement
from samspill.placements.tests import cast

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two real database sessions at once (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 10  # seconds; a broken test fails instead of hanging


def side_by_side(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread (and so its own database connection); return what each
    returned or raised, in order."""
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def conflicts(outcomes: list[Any]) -> list[Any]:
    return [outcome for outcome in outcomes if isinstance(outcome, services.ConflictError)]


@pytest.fixture
def draft(participant, employer, counselor, mentor_contact) -> Placement:
    return cast.draft(participant, employer, counselor, mentor_contact)


def test_two_saves_of_the_same_revision_lose_nothing(draft, counselor, colleague, monkeypatch):
    revision = draft.revision
    # Both sessions have read revision N inside the service before either writes.
    both_have_read = threading.Barrier(2, timeout=WAIT)
    guarded = services._save_guarded

    def save_when_both_have_read(placement: Placement, read: int, fields: list[str]) -> None:
        both_have_read.wait()
        guarded(placement, read, fields)

    monkeypatch.setattr(services, "_save_guarded", save_when_both_have_read)

    def save(by: User, tasks: str) -> Callable[[], Any]:
        return lambda: services.agreement_update(
            placement=draft, by=by, revision=revision, tasks=tasks
        )[0]

    outcomes = side_by_side(save(counselor, "Kari's text"), save(colleague, "Ola's text"))

    assert len(conflicts(outcomes)) == 1, outcomes
    (winner,) = [outcome for outcome in outcomes if isinstance(outcome, Placement)]
    draft.refresh_from_db()
    assert draft.tasks == winner.tasks
    assert draft.revision == revision + 1


def test_two_changes_of_an_approved_agreement_make_one_version(
    draft, counselor, colleague, employer_user
):
    approved = cast.approve_all(draft, counselor, employer_user)
    revision = approved.revision
    both_have_read = threading.Barrier(2, timeout=WAIT)

    def change(by: User, work_days: str) -> Callable[[], Any]:
        def call() -> AgreementVersion:
            both_have_read.wait()
            return services.agreement_change(
                placement=approved,
                by=by,
                revision=revision,
                reason="New hours",
                work_days=work_days,
            )

        return call

    outcomes = side_by_side(change(counselor, "Mandag"), change(colleague, "Fredag"))

    assert len(conflicts(outcomes)) == 1, outcomes
    (version,) = [outcome for outcome in outcomes if isinstance(outcome, AgreementVersion)]
    approved.refresh_from_db()
    assert approved.work_days == version.content["work_days"]
    assert list(approved.versions.values_list("number", flat=True)) == [1, 2]
