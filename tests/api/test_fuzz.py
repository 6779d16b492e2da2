"""The API against its own OpenAPI document: schemathesis sends valid and invalid requests to
every route (a few of each here; `bench/api_fuzz.py` sends 10,000 and more) as a counselor with
records. No answer may be a server error, an undocumented status or shape, or an invalid
request accepted."""

from tests.api.fuzz import fuzz, seed_world


def test_every_route_answers_valid_and_invalid_requests_as_its_document_says(db):
    report = fuzz(world=seed_world(), examples=6)

    assert report.failures == {}, report.as_dict()["failures"]
    assert report.server_errors == report.invalid_accepted == 0
    assert report.by_mode["positive"] > 100 and report.by_mode["negative"] > 100
