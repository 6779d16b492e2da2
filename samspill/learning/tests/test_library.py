import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.learning import services
from samspill.learning.models import Method, MethodVersion
from samspill.learning.tests.conftest import CONTENT

pytestmark = pytest.mark.django_db


def test_a_platform_mentor_creates_a_draft_that_only_mentors_see(
    client, platform_mentor, counselor
):
    client.force_login(platform_mentor)
    response = client.post(reverse("learning:method_create"), CONTENT)
    method = Method.objects.get()
    assert response.status_code == 302
    assert method.published is None
    client.force_login(counselor)
    assert client.get(reverse("learning:method", args=[method.pk])).status_code == 404
    assert "Troen" not in client.get(reverse("learning:library")).content.decode()


def test_publishing_makes_the_method_readable_with_its_research_and_places(
    client, published, counselor
):
    client.force_login(counselor)
    page = client.get(reverse("learning:method", args=[published.pk])).content.decode()
    assert "+32 %" in page
    assert "Kopano BIP" in page
    assert reverse("followup:today") in page  # where the belief check-in is practised
    assert AuditEvent.objects.filter(action="learning.method_published").count() == 1


def test_an_administrator_reads_where_a_method_is_practised_without_links_to_closed_pages(
    client, published, admin
):
    client.force_login(admin)
    page = client.get(reverse("learning:method", args=[published.pk])).content.decode()
    assert "The belief check-in" in page
    assert reverse("followup:today") not in page  # the administrator would meet a 403 there
    assert client.get(reverse("followup:today")).status_code == 403


def test_a_new_version_needs_a_change_note_and_keeps_the_old_one_readable(
    client, platform_mentor, published
):
    client.force_login(platform_mentor)
    edit = reverse("learning:method_edit", args=[published.pk])
    changed = {**CONTENT, "title": "Troen på deltakeren (revidert)", "revision": 1}
    assert client.post(edit, changed).status_code == 302
    response = client.post(reverse("learning:method_publish", args=[published.pk]), {})
    published.refresh_from_db()
    assert published.published.number == 1  # refused: no change note
    assert "Say what changed" in client.get(response.url).content.decode()
    client.post(
        reverse("learning:method_publish", args=[published.pk]), {"change_note": "Ny tittel"}
    )
    published.refresh_from_db()
    assert published.published.number == 2
    assert published.title == "Troen på deltakeren (revidert)"
    old = client.get(reverse("learning:method", args=[published.pk]) + "?version=1")
    assert "You are reading an earlier version" in old.content.decode() or old.status_code == 200
    assert list(MethodVersion.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_stale_draft_save_is_refused_and_changes_nothing(client, platform_mentor, leader):
    method = services.method_create(by=platform_mentor, **CONTENT)
    services.method_draft_save(method=method, by=platform_mentor, revision=1, **CONTENT)
    client.force_login(platform_mentor)
    response = client.post(
        reverse("learning:method_edit", args=[method.pk]), {**CONTENT, "title": "X", "revision": 1}
    )
    assert response.status_code == 400
    assert "Someone else saved" in response.content.decode()
    assert MethodVersion.objects.get().title == CONTENT["title"]


def test_search_finds_methods_by_their_text_and_not_drafts(
    client, published, platform_mentor, counselor
):
    services.method_create(by=platform_mentor, **{**CONTENT, "title": "Trepartsmøtet"})
    client.force_login(counselor)
    found = client.get(reverse("learning:library"), {"q": "deltakeren"}).content.decode()
    assert "Troen på deltakeren" in found
    assert "Trepartsmøtet" not in found
    assert (
        "No method matches"
        in client.get(reverse("learning:library"), {"q": "zebra"}).content.decode()
    )


def test_the_library_page_has_a_fixed_number_of_queries(
    client, platform_mentor, counselor, django_assert_num_queries
):
    for n in range(3):
        method = services.method_create(by=platform_mentor, **{**CONTENT, "title": f"M {n}"})
        services.method_publish(method=method, by=platform_mentor)
    client.force_login(counselor)
    client.get(reverse("learning:library"))
    # Session, user, membership with the platform-mentor flag, the capped count, the page.
    with django_assert_num_queries(5):
        client.get(reverse("learning:library"))


def test_files_belong_to_a_version_and_are_downloaded_by_readers(
    client, platform_mentor, published, counselor
):
    client.force_login(platform_mentor)
    upload = SimpleUploadedFile("mal.txt", b"Samtalemal", content_type="text/plain")
    client.post(
        reverse("learning:method_file_add", args=[published.pk]), {"name": "Mal", "file": upload}
    )
    draft = services.method_draft(published)
    assert draft is not None and draft.number == 2
    item = draft.files.get()
    client.force_login(counselor)
    assert client.get(reverse("learning:method_file", args=[item.pk])).status_code == 404  # draft
    client.force_login(platform_mentor)
    client.post(reverse("learning:method_publish", args=[published.pk]), {"change_note": "Mal"})
    client.force_login(counselor)
    response = client.get(reverse("learning:method_file", args=[item.pk]))
    assert b"".join(response.streaming_content) == b"Samtalemal"


def test_bad_input_gets_a_message_and_creates_nothing(client, platform_mentor):
    client.force_login(platform_mentor)
    response = client.post(
        reverse("learning:method_create"), {**CONTENT, "title": "", "practice_places": ["x"]}
    )
    assert response.status_code == 400
    assert Method.objects.count() == 0
