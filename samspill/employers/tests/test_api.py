"""The employers API: create, the list and its filters, one employer, its changes and what
hangs off it, with the participants API's auth and error conventions (who may call which route
is in test_api_permissions.py)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_employer
from samspill.employers import services
from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    MentorSupportContact,
    RecruitmentNeed,
)

BASE = "/api/v1/employers"
ENGLISH = {"accept-language": "en"}
VALID_ORGNR = "974760673"  # Brønnøysundregistrene's own number (a real, valid orgnr)


def bearer_client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="Test integration")
    return Client(headers={"authorization": f"Bearer {key}"})


def day(offset: int = 0) -> str:
    """Today (or `offset` days from it): the services compare dates with today."""
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def body(contact_person: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Fjord Bakeri AS",
        "org_number": "974 760 673",
        "nace_division": "10",
        "size_band": "10-19",
        "municipality": "Bodø",
        "contact_person_id": contact_person.pk,
    }
    data.update(changes)
    return data


def post(client: Client, url: str, data: dict[str, object]):
    return client.post(url, data, content_type="application/json", headers=ENGLISH)


def patch(client: Client, url: str, data: dict[str, object]):
    return client.patch(url, data, content_type="application/json", headers=ENGLISH)


def revision(obj):
    """The object's revision as an API client would read it now."""
    return type(obj).objects.get(pk=obj.pk).revision


# Create.


def test_it_creates_an_employer_with_its_contact_person(org, counselor, coordinator):
    response = bearer_client(counselor).post(
        BASE, body(coordinator), content_type="application/json"
    )

    assert response.status_code == 201
    employer = Employer.objects.get()
    record = response.json()
    assert record["id"] == employer.pk
    assert record["org_number"] == VALID_ORGNR
    assert record["industry"]["division"] == "10"
    assert record["industry"]["section"] == "C"
    assert record["contact_person"]["id"] == coordinator.pk
    assert record["stage"] == "prospect"
    assert employer.organisation == org
    assert employer.contact_person == coordinator
    first = ContactPersonChange.objects.get(employer=employer)
    assert (first.contact_person, first.changed_by, first.reason) == (
        coordinator,
        counselor,
        "initial",
    )
    assert AuditEvent.objects.filter(action="employer.created", actor=counselor).exists()


@pytest.mark.parametrize(
    ("org_number", "message"),
    [
        ("97476067", "A Norwegian organisation number has 9 digits."),
        ("974760674", "This Norwegian organisation number does not pass the check digit test."),
        ("abc", "A Norwegian organisation number has 9 digits."),
    ],
)
def test_a_bad_organisation_number_is_refused_with_its_message_and_writes_nothing(
    counselor, org_number, message
):
    response = post(client_for(counselor), BASE, body(counselor, org_number=org_number))

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid.",
        "errors": [{"field": "org_number", "message": message}],
    }
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_organisation_number_already_registered_is_refused(org, counselor):
    make_employer(org, counselor, org_number=VALID_ORGNR)
    events = AuditEvent.objects.count()

    response = post(client_for(counselor), BASE, body(counselor, name="Twin AS"))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "org_number",
            "message": "An employer with this organisation number is already registered.",
        }
    ]
    assert Employer.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Nul\x00"}, "name"),
        ({"nace_division": "00"}, "nace_division"),
        ({"size_band": "huge"}, "size_band"),
        ({"website": "not a website"}, "website"),
        ({"contact_person_id": None}, "contact_person_id"),
        ({"contact_person_id": 2**70}, "contact_person_id"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(counselor, changes, field):
    response = post(client_for(counselor), BASE, body(counselor, **changes))

    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "admin", "nobody"])
def test_a_contact_person_who_may_not_be_one_reads_like_one_that_does_not_exist(
    request, counselor, who
):
    user_id = 999999 if who == "nobody" else request.getfixturevalue(who).pk

    response = post(client_for(counselor), BASE, body(counselor, contact_person_id=user_id))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "contact_person_id",
            "message": "Choose a colleague in your organisation as contact person.",
        }
    ]
    assert not Employer.objects.exists()


# The list.


def test_it_lists_the_organisations_employers(counselor, employer, other_employer):
    response = client_for(counselor).get(BASE)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "items": [
            {
                "id": employer.pk,
                "name": "Bakeriet AS",
                "org_number": employer.org_number,
                "nace_division": "",
                "nace_section": "",
                "municipality": "",
                "stage": "prospect",
                "next_step": "",
                "next_step_on": None,
                "contact_person_id": counselor.pk,
                "contact_person_name": counselor.full_name,
            }
        ],
    }


@pytest.fixture
def base(org, counselor, leader) -> dict[str, Employer]:
    """Four employers to filter: by name, number, industry, place, stage, need and person."""
    bakery = make_employer(
        org, counselor, name="Bakeriet Nord AS", nace_division="10", municipality="Bodø"
    )
    shop = make_employer(org, leader, name="Butikken AS", nace_division="47", municipality="Bodø")
    garage = make_employer(
        org, leader, name="Nord Bilverksted AS", nace_division="45", municipality="Tromsø"
    )
    kindergarten = make_employer(org, leader, name="Barnehagen AS", nace_division="88")
    services.employer_set_stage(employer=garage, by=leader, stage="active_partner")
    services.need_add(employer=shop, by=leader, role="Butikkmedarbeider")
    services.need_add(employer=garage, by=leader, role="Lærling bilmekaniker")
    services.need_add(employer=kindergarten, by=leader, role="Assistent", is_open=False)
    return {"bakery": bakery, "shop": shop, "garage": garage, "kindergarten": kindergarten}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"q": "ba"}, {"Bakeriet Nord AS", "Barnehagen AS"}),
        ({"q": "bakeriet nord"}, {"Bakeriet Nord AS"}),
        ({"q": "nord"}, {"Nord Bilverksted AS"}),  # the first word starts the name
        ({"section": "G"}, {"Butikken AS", "Nord Bilverksted AS"}),  # 45 and 47 are both G
        ({"municipality": "bodø"}, {"Bakeriet Nord AS", "Butikken AS"}),
        ({"stage": "active_partner"}, {"Nord Bilverksted AS"}),
        ({"need": "lærling"}, {"Nord Bilverksted AS"}),
        ({"need": "assistent"}, set()),  # a closed need is not a need
        ({"open_need": "true"}, {"Butikken AS", "Nord Bilverksted AS"}),
        ({"mine": "true"}, {"Bakeriet Nord AS"}),
        ({"open_need": "true", "municipality": "Tromsø"}, {"Nord Bilverksted AS"}),
    ],
)
def test_the_list_filters(counselor, base, query, names):
    response = client_for(counselor).get(BASE, query)

    assert response.status_code == 200
    assert {item["name"] for item in response.json()["items"]} == names
    assert response.json()["count"] == len(names)


def test_the_list_finds_an_organisation_number_by_its_first_digits(counselor, base):
    number = base["shop"].org_number

    response = client_for(counselor).get(BASE, {"q": f"{number[:3]} {number[3:6]}"})

    assert base["shop"].pk in [item["id"] for item in response.json()["items"]]
    assert all(item["org_number"].startswith(number[:6]) for item in response.json()["items"])


def test_the_list_pages_by_name(org, counselor):
    for n in range(30):
        make_employer(org, counselor, name=f"Firma {n:02} AS")
    client = client_for(counselor)

    page = client.get(BASE, {"limit": 5, "offset": 10}).json()
    beyond = client.get(BASE, {"offset": 1000}).json()

    assert page["count"] == 30
    assert [item["name"] for item in page["items"]] == [f"Firma {n} AS" for n in range(10, 15)]
    assert beyond == {"count": 30, "items": []}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"section": "Z"}, "section"),
        ({"stage": "married"}, "stage"),
        ({"open_need": "perhaps"}, "open_need"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_it_rejects_bad_list_parameters_with_422(counselor, query, field):
    response = client_for(counselor).get(BASE, query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_list_runs_the_same_queries_whatever_the_page_size(org, counselor, leader):
    for n in range(40):
        make_employer(org, counselor if n % 2 else leader, name=f"Firma {n:02} AS")
    client = client_for(counselor)
    counts = []

    for limit in (5, 40):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE, {"limit": limit, "open_need": "false"})
        assert len(response.json()["items"]) == limit
        counts.append(len(queries))

    # Session, user, membership, count, page: the contact person is joined in.
    assert counts == [5, 5]


# One employer.


def test_it_returns_the_employer_with_its_contact_person(counselor, employer):
    User.objects.filter(pk=counselor.pk).update(phone="+47 900 00 000")
    services.employer_update(employer=employer, by=counselor, nace_division="10")
    services.employer_set_stage(
        employer=employer,
        by=counselor,
        stage="first_meeting",
        next_step="Meet the owner",
        next_step_on=datetime.date(2027, 1, 15),
    )

    response = client_for(counselor).get(f"{BASE}/{employer.pk}", headers=ENGLISH)

    assert response.status_code == 200
    record = response.json()
    assert record["contact_person"] == {
        "id": counselor.pk,
        "name": counselor.full_name,
        "phone": "+47 900 00 000",
        "email": "counselor@example.org",
    }
    assert record["industry"] == {
        "division": "10",
        "section": "C",
        "name": "Manufacture of food products",
    }
    assert (record["stage"], record["next_step"], record["next_step_on"]) == (
        "first_meeting",
        "Meet the owner",
        "2027-01-15",
    )


def test_it_answers_the_same_404_for_hidden_and_missing_employers(counselor, other_employer):
    client = client_for(counselor)

    hidden = client.get(f"{BASE}/{other_employer.pk}", headers=ENGLISH)
    missing = client.get(f"{BASE}/{other_employer.pk + 1000}", headers=ENGLISH)
    too_big = client.get(f"{BASE}/99999999999999999999999", headers=ENGLISH)

    assert hidden.status_code == missing.status_code == too_big.status_code == 404
    assert (
        hidden.json() == missing.json() == too_big.json() == {"detail": "Not found.", "errors": []}
    )


def test_an_administrator_is_refused_with_a_message(admin, employer):
    response = client_for(admin).get(BASE, headers=ENGLISH)

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have access to the employer base."


# Changes to the employer.


def test_a_patch_changes_only_the_fields_sent(counselor, employer):
    number = employer.org_number

    response = patch(
        client_for(counselor),
        f"{BASE}/{employer.pk}",
        {"revision": revision(employer), "municipality": "Narvik", "size_band": "5-9"},
    )

    assert response.status_code == 200
    assert response.json()["municipality"] == "Narvik"
    employer.refresh_from_db()
    assert (employer.name, employer.org_number, employer.size_band) == (
        "Bakeriet AS",
        number,
        "5-9",
    )
    event = AuditEvent.objects.filter(action="employer.updated").get()
    assert event.actor == counselor


def test_a_patch_clears_the_size_with_null(counselor, employer):
    services.employer_update(employer=employer, by=counselor, size_band="5-9")

    response = patch(
        client_for(counselor),
        f"{BASE}/{employer.pk}",
        {"revision": revision(employer), "size_band": None},
    )

    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.size_band == ""


def test_an_empty_patch_changes_nothing(counselor, employer):
    events = AuditEvent.objects.count()

    response = patch(client_for(counselor), f"{BASE}/{employer.pk}", {"revision": 1})

    assert response.status_code == 200
    assert response.json()["name"] == "Bakeriet AS"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": None}, "name", "This field cannot be null."),
        ({"org_number": None}, "org_number", "This field cannot be null."),
        ({"org_number": "123"}, "org_number", "A Norwegian organisation number has 9 digits."),
        ({"nace_division": "C"}, "nace_division", "Choose an industry from the list."),
    ],
)
def test_a_bad_patch_is_refused_and_writes_nothing(counselor, employer, data, field, message):
    events = AuditEvent.objects.count()

    response = patch(client_for(counselor), f"{BASE}/{employer.pk}", {"revision": 1, **data})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    employer.refresh_from_db()
    assert (employer.name, employer.nace_division) == ("Bakeriet AS", "")
    assert AuditEvent.objects.count() == events


def test_it_changes_the_contact_person_and_keeps_the_history(counselor, leader, employer):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/contact-person",
        {
            "revision": 1,
            "contact_person_id": leader.pk,
            "reason": "long_leave",
            "handover_note": "They like calls before nine.",
        },
    )

    assert response.status_code == 200
    assert response.json()["contact_person"]["id"] == leader.pk
    first, second = ContactPersonChange.objects.filter(employer=employer).order_by("id")
    assert first.contact_person == counselor and first.ended_at is not None
    assert second.contact_person == leader and second.ended_at is None
    assert second.handover_note == "They like calls before nine."


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"reason": "other"},
            "reason_text",
            "Describe the reason when you choose “Other”.",
        ),
        ({"reason": "initial"}, "reason", "Choose a reason for the change."),
        ({"reason": "bored"}, "reason", None),
    ],
)
def test_a_bad_contact_person_change_is_refused_and_writes_nothing(
    counselor, leader, employer, data, field, message
):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/contact-person",
        {"revision": 1, "contact_person_id": leader.pk, **data},
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field
    if message:
        assert error["message"] == message
    employer.refresh_from_db()
    assert employer.contact_person == counselor
    assert ContactPersonChange.objects.filter(employer=employer).count() == 1


def test_the_same_contact_person_again_is_refused_on_the_id(counselor, employer):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/contact-person",
        {"revision": 1, "contact_person_id": counselor.pk, "reason": "balancing"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "contact_person_id", "message": f"{counselor} is already the contact person."}
    ]


def test_it_moves_the_employer_in_the_pipeline(counselor, employer):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/stage",
        {
            "revision": 1,
            "stage": "intention_agreement",
            "next_step": "Sign",
            "next_step_on": day(7),
        },
    )

    assert response.status_code == 200
    employer.refresh_from_db()
    assert (employer.stage, employer.next_step, employer.next_step_on.isoformat()) == (
        "intention_agreement",
        "Sign",
        day(7),
    )


def test_a_next_step_date_without_a_next_step_is_refused(counselor, employer):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/stage",
        {"revision": 1, "stage": "first_meeting", "next_step_on": day(7)},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "next_step", "message": "Say what the next step is."}
    ]
    employer.refresh_from_db()
    assert employer.stage == "prospect"


# Recruitment needs.


def test_it_adds_lists_and_closes_recruitment_needs(counselor, employer):
    client = client_for(counselor)
    url = f"{BASE}/{employer.pk}/needs"

    cook = post(client, url, {"role": "Kokk", "hours_per_week": 20, "needed_from": day(30)})
    waiter = post(client, url, {"role": "Servitør", "positions": 2})
    closed = patch(client, f"{url}/{cook.json()['id']}", {"is_open": False})
    listed = client.get(url).json()

    assert cook.status_code == waiter.status_code == 201
    assert closed.status_code == 200
    assert closed.json()["is_open"] is False
    assert [(need["role"], need["is_open"]) for need in listed] == [
        ("Servitør", True),
        ("Kokk", False),
    ]
    assert listed[0]["positions"] == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "Kokk", "hours_per_week": 80}, "hours_per_week"),
        ({"role": "Kokk", "positions": 0}, "positions"),
        ({"role": "Kokk", "positions": 10**6}, "positions"),
        ({"role": ""}, "role"),
    ],
)
def test_a_bad_need_is_refused_and_writes_nothing(counselor, employer, data, field):
    response = post(client_for(counselor), f"{BASE}/{employer.pk}/needs", data)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not RecruitmentNeed.objects.exists()


def test_a_need_of_another_employer_in_the_organisation_is_a_404(org, counselor, employer):
    sibling = make_employer(org, counselor, name="Søsken AS")
    need = services.need_add(employer=sibling, by=counselor, role="Kokk")

    response = patch(
        client_for(counselor), f"{BASE}/{employer.pk}/needs/{need.pk}", {"is_open": False}
    )

    assert response.status_code == 404
    need.refresh_from_db()
    assert need.is_open


# Outreach.


def test_it_records_and_lists_outreach_newest_first(counselor, employer):
    client = client_for(counselor)
    url = f"{BASE}/{employer.pk}/outreach"

    first = post(client, url, {"kind": "call", "occurred_on": day(-10), "summary": "Hello"})
    post(client, url, {"kind": "breakfast_event", "occurred_on": day(-1)})
    page = client.get(url, {"limit": 1}).json()

    assert first.status_code == 201
    assert first.json()["by_name"] == counselor.full_name
    assert page["count"] == 2
    assert [item["kind"] for item in page["items"]] == ["breakfast_event"]


def test_outreach_more_than_a_year_ahead_is_refused(counselor, employer):
    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/outreach",
        {"kind": "meeting", "occurred_on": day(400)},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "occurred_on", "message": "The date is more than a year ahead."}
    ]
    assert not employer.outreach.exists()


# Intention agreements.


def test_it_records_an_agreement_and_tells_whether_a_document_is_stored(counselor, employer):
    services.agreement_create(
        employer=employer,
        by=counselor,
        status="signed",
        signed_on=timezone.localdate(),
        document=SimpleUploadedFile("s.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    client = client_for(counselor)
    url = f"{BASE}/{employer.pk}/agreements"

    created = post(
        client, url, {"status": "active", "signed_on": day(-3), "work_training_places": 3}
    )
    listed = client.get(url).json()

    assert created.status_code == 201
    assert created.json()["has_document"] is False
    assert created.json()["created_by_id"] == counselor.pk
    assert [(a["status"], a["has_document"]) for a in listed] == [
        ("active", False),
        ("signed", True),
    ]


def test_a_signed_agreement_needs_its_date(counselor, employer):
    response = post(client_for(counselor), f"{BASE}/{employer.pk}/agreements", {"status": "signed"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "signed_on", "message": "A signed agreement needs the date it was signed."}
    ]
    assert not employer.agreements.exists()


# The people at the employer.


def test_it_adds_a_mentor_and_records_the_declaration(counselor, employer):
    client = client_for(counselor)
    url = f"{BASE}/{employer.pk}/contacts"

    created = post(client, url, {"name": "Mona", "phone": "99999999", "is_mentor": True})
    signed = patch(client, f"{url}/{created.json()['id']}", {"confidentiality_signed_on": day(-1)})
    listed = client.get(url).json()

    assert created.status_code == 201
    assert created.json()["confidentiality_signed_on"] is None
    assert signed.status_code == 200
    assert [(c["name"], c["is_mentor"], c["confidentiality_signed_on"]) for c in listed] == [
        ("Mona", True, day(-1))
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Per"}, "phone", "Give a phone number or an e-mail address."),
        (
            {"name": "Per", "phone": "1", "confidentiality_signed_on": day(1)},
            "confidentiality_signed_on",
            "The declaration cannot be signed in the future.",
        ),
    ],
)
def test_a_bad_contact_is_refused_and_writes_nothing(counselor, employer, data, field, message):
    response = post(client_for(counselor), f"{BASE}/{employer.pk}/contacts", data)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert not EmployerContact.objects.exists()


def test_a_contact_who_has_left_is_marked_inactive(counselor, employer):
    contact = services.contact_add(employer=employer, by=counselor, name="Per", phone="1")

    response = patch(
        client_for(counselor), f"{BASE}/{employer.pk}/contacts/{contact.pk}", {"is_active": False}
    )

    assert response.status_code == 200
    contact.refresh_from_db()
    assert not contact.is_active


def test_it_logs_and_lists_the_support_of_a_mentor(counselor, employer):
    mentor = services.contact_add(
        employer=employer, by=counselor, name="Mona", phone="1", is_mentor=True
    )
    client = client_for(counselor)
    url = f"{BASE}/{employer.pk}/contacts/{mentor.pk}/support-log"

    created = post(
        client,
        url,
        {
            "contact_on": day(),
            "channel": "visit",
            "topic": "The first week",
            "going": "well",
            "next_contact_on": day(14),
        },
    )
    page = client.get(url).json()

    assert created.status_code == 201
    assert created.json()["counselor_name"] == counselor.full_name
    assert page["count"] == 1
    assert page["items"][0]["next_contact_on"] == day(14)


def test_support_is_logged_only_for_a_mentor(counselor, employer):
    contact = services.contact_add(employer=employer, by=counselor, name="Per", phone="1")

    response = post(
        client_for(counselor),
        f"{BASE}/{employer.pk}/contacts/{contact.pk}/support-log",
        {"contact_on": day(), "channel": "phone", "topic": "Hi", "going": "well"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "This person is not registered as a mentor."}
    ]
    assert not MentorSupportContact.objects.exists()


# The OpenAPI document.


def test_the_routes_are_in_the_openapi_document(db):
    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    one = f"{BASE}/{{employer_id}}"

    assert set(paths[BASE]) == {"get", "post"}
    assert set(paths[one]) == {"get", "patch"}
    assert set(paths[f"{one}/contact-person"]) == {"post"}
    assert set(paths[f"{one}/stage"]) == {"post"}
    assert set(paths[f"{one}/needs"]) == {"get", "post"}
    assert set(paths[f"{one}/needs/{{need_id}}"]) == {"patch"}
    assert set(paths[f"{one}/outreach"]) == {"get", "post"}
    assert set(paths[f"{one}/agreements"]) == {"get", "post"}
    assert set(paths[f"{one}/contacts"]) == {"get", "post"}
    assert set(paths[f"{one}/contacts/{{contact_id}}"]) == {"patch"}
    assert set(paths[f"{one}/contacts/{{contact_id}}/support-log"]) == {"get", "post"}
    assert paths[BASE]["get"]["tags"] == ["employers"]
    schemas = document["components"]["schemas"]
    assert {"EmployerPage", "EmployerOut", "EmployerCreateIn", "EmployerPatch", "Error"} <= set(
        schemas
    )
