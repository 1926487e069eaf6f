"""The pre-check's findings said in the reader's language, with dates in the reader's locale."""

import pytest
from django.utils import translation

from workflows.evidence import describe, local_date


def check(code, **params):
    return {"name": "date", "outcome": "fail", "detail": "english detail", "code": code, "params": params}


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", "Issued on 10 November 2026, 200 days before the upload; a certificate counts for 90 days."),
        (
            "es",
            "Expedido el 10 de noviembre de 2026, 200 días antes de la subida; un certificado cuenta durante 90 días.",
        ),
        ("ca", "Expedit el 10 de novembre de 2026, 200 dies abans de la pujada; un certificat compta durant 90 dies."),
    ],
)
def test_a_stale_certificate_is_explained_in_the_readers_language_with_a_local_date(language, expected):
    with translation.override(language):
        text = describe(check("certificate_stale", basis="issue", date="2026-11-10", days=200, max_days=90))
    assert text == expected


@pytest.mark.parametrize(
    "language,role,needed",
    [
        ("en", "outgoing (removed, resigning or revoked)", "appointed or empowered"),
        ("es", "saliente (cesada, dimitida o revocada)", "nombrada o apoderada"),
        ("ca", "sortint (cessada, dimitida o revocada)", "nomenada o apoderada"),
    ],
)
def test_a_wrong_role_names_both_roles(language, role, needed):
    with translation.override(language):
        text = describe(check("role_other", role="outgoing", needed="appointed"))
    assert role in text and needed in text


def test_no_raw_english_codes_reach_a_catalan_or_spanish_reader():
    samples = [
        check("doc_type_accepted", doc_type="power_of_attorney", score=0.66, accepted=["power_of_attorney"]),
        check("doc_type_refused", doc_type="other", score=0.9, accepted=["power_of_attorney", "deed"]),
        check("confidence", confidence=95),
        check("id_valid", basis="expiry", date="2031-05-03", issue_date="2021-05-03"),
        check("date_ok", basis="execution", date="2026-03-03"),
    ]
    for language in ("ca", "es"):
        with translation.override(language):
            texts = [describe(s) for s in samples]
        joined = " ".join(texts)
        for raw in ("power_of_attorney", "score", "mean confidence", "2031-05-03", "2026-03-03", "execution"):
            assert raw not in joined, (language, raw, texts)
    with translation.override("es"):
        assert describe(samples[0]) == "Leído como: Poder notarial."
        assert describe(samples[3]) == "Válido hasta el 3 de mayo de 2031; expedido el 3 de mayo de 2021."


def test_an_unknown_code_or_broken_params_fall_back_to_the_engines_detail():
    assert describe({"code": "from_a_newer_engine", "detail": "english detail"}) == "english detail"
    assert describe(check("certificate_stale", date="2026-11-10")) == "english detail"  # days missing
    assert describe({"detail": "stored before codes existed"}) == "stored before codes existed"


def test_local_date_leaves_what_is_not_a_date_alone():
    with translation.override("ca"):
        assert local_date("2026-11-03") == "3 de novembre de 2026"  # the month with its preposition
    assert local_date("2.871") == "2.871"


# -- on the verification page ---------------------------------------------------------------

from tests.workflows.test_verification_page import agent, page_url, submitted, verifier  # noqa: E402,F401  (fixtures)


@pytest.mark.django_db
def test_the_verification_page_says_which_document_proves_each_fact_in_catalan(client, submitted, verifier):  # noqa: F811
    from documents.models import Document

    document = Document.objects.get(document_set=submitted.document_set)
    client.force_login(verifier)
    html = client.get(page_url(submitted), HTTP_ACCEPT_LANGUAGE="ca").content.decode()
    assert "data-proven-by" in html and "Ho prova:" in html and document.original_name in html
    assert (
        "Càrrec de la persona al document" in html
        and "El document esmenta la persona com a nomenada o apoderada." in html
    )
    result = submitted.precheck.result
    date = next(c for c in result["checks"] if c["name"] == "date")
    assert date["params"]["date"] not in html  # the date is written the Catalan way, not in ISO
    for raw in ("(score", "mean confidence", "power_of_attorney"):
        assert raw not in html


@pytest.mark.django_db
def test_staff_who_may_not_read_the_documents_see_no_proofs_or_sentences(client, submitted, agent):  # noqa: F811
    client.force_login(agent)
    html = client.get(page_url(submitted), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-vw-no-access" in html  # the agent sees the list of uploads by name, nothing read from them
    assert "data-proven-by" not in html and "Proved by" not in html
    role = next(c for c in submitted.precheck.result["checks"] if c["name"] == "person_role")
    assert role["evidence"]["text"] not in html and "appointed or empowered" not in html


def test_the_crop_beside_a_claim_is_turned_as_the_viewer_turns_its_page():
    from types import SimpleNamespace

    from workflows.evidence import add_verifier_aids

    def page(index, rotation):
        box = {"id": f"b{index}", "place_attr": "0.1,0.2,0.3,0.05"}
        return {"index": index, "ocr": {"rotation": rotation}, "boxes": [box]}

    context = {
        "viewer": [{"readable": True, "document": SimpleNamespace(pk=7), "pages": [page(0, 0), page(1, 90)]}],
        "comparison": [
            {"field": "person_name", "check": {"box": "b0"}, "claim": "", "ocr": ""},
            {"field": "date", "check": {"box": "b1"}, "claim": "", "ocr": ""},
        ],
    }
    add_verifier_aids(context)
    upright, turned = (row["crop_url"] for row in context["comparison"])
    assert "/pages/0/" in upright and "turn" not in upright
    assert "/pages/1/" in turned and turned.endswith("&turn=90")
