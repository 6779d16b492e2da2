"""A select's empty choice says what it means ("Velg …" / "Ikke valgt"), never "---------"."""

from django import forms
from django.utils import translation

from samspill.organisations.models import Team


class _Form(forms.Form):
    must = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    may = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    labelled = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="No team"
    )


def test_the_empty_choice_is_named_in_norwegian_and_danish(db):
    for language, choose, none in (("nb", "Velg …", "Ikke valgt"), ("da", "Vælg …", "Ikke valgt")):
        with translation.override(language):
            html = str(_Form())
        assert "---------" not in html
        assert f'<option value="" selected>{choose}</option>' in html
        assert f'<option value="" selected>{none}</option>' in html
        assert "No team" in html  # a label of the form's own stays


def test_a_page_with_an_optional_select_shows_no_dashes(client, counselor):
    client.force_login(counselor)
    body = client.get("/participants/new/").content.decode()
    assert "<select" in body
    assert "---------" not in body
