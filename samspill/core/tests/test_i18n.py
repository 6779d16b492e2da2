"""Languages: Norwegian bokmål by default, a switch to Danish and English, and complete
Norwegian and Danish catalogues (STYLE.md 8)."""

import re
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.test import Client

from samspill.core.testing import client_for

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def html_lang(response) -> str:
    match = re.search(rb'<html lang="([^"]+)"', response.content)
    assert match, "the page has no <html lang>"
    return match.group(1).decode()


def switch(client: Client, language: str, next_url: str = "/login/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


class TestLanguage:
    def test_the_default_language_is_norwegian_bokmal(self, db):
        response = Client().get("/login/")

        assert response.status_code == 200
        assert html_lang(response) == "nb"
        assert response["Content-Language"] == "nb"

    def test_a_logged_in_page_is_norwegian_by_default(self, counselor, participant):
        response = client_for(counselor).get("/participants/")

        assert html_lang(response) == "nb"

    @pytest.mark.parametrize("language", ["da", "en", "nb"])
    def test_the_language_switch_changes_the_language(self, db, language):
        client = Client()

        response = switch(client, language)

        assert response.status_code == 302
        assert response["Location"] == "/login/"
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
        assert html_lang(client.get("/login/")) == language

    def test_the_switch_keeps_the_user_on_their_page(self, counselor, participant):
        client = client_for(counselor)
        page = f"/participants/{participant.pk}/"

        response = switch(client, "da", next_url=page)

        assert response["Location"] == page
        assert html_lang(client.get(page)) == "da"

    def test_an_unknown_language_is_ignored(self, db):
        client = Client()

        switch(client, "sv")

        assert html_lang(client.get("/login/")) == "nb"

    def test_the_switch_does_not_redirect_to_another_site(self, db):
        response = switch(Client(), "da", next_url="https://evil.example.com/")

        assert response["Location"] == "/"

    def test_the_browser_language_is_used_when_nothing_is_chosen(self, db):
        response = Client(headers={"accept-language": "da-DK,da;q=0.9"}).get("/login/")

        assert html_lang(response) == "da"


def catalogue(language: str) -> polib.POFile:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages -l {language}"
    return polib.pofile(str(path))


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def summary(msgids: list[str]) -> str:
    shown = "\n  ".join(msgids[:20])
    return f"{len(msgids)} entries, first ones:\n  {shown}"


@pytest.mark.parametrize("language", ["nb", "da"])
class TestCatalogues:
    def test_every_message_is_translated(self, language):
        po = catalogue(language)

        untranslated = [
            e.msgid
            for e in po
            if not e.obsolete
            and not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr.strip())
        ]

        assert not untranslated, f"untranslated in {language}: {summary(untranslated)}"

    def test_no_message_is_fuzzy(self, language):
        po = catalogue(language)

        fuzzy = [e.msgid for e in po if not e.obsolete and "fuzzy" in e.flags]

        assert not po.metadata_is_fuzzy, f"the {language} header is marked fuzzy"
        assert not fuzzy, f"fuzzy in {language}: {summary(fuzzy)}"

    def test_translations_keep_the_named_placeholders(self, language):
        po = catalogue(language)

        broken = []
        for entry in po:
            if entry.obsolete or not entry.translated():
                continue
            wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
            translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
            broken += [entry.msgid for text in translations if placeholders(text) != wanted]

        assert not broken, f"placeholders differ in {language}: {summary(broken)}"

    def test_the_catalogue_declares_its_language(self, language):
        po = catalogue(language)

        assert po.metadata.get("Language") == language
        assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
