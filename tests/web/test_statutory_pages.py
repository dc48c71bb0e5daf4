"""The privacy notice, accessibility statement and cookies page: public, linked from every page's footer,
and filled from the provider's settings."""

import pytest

from elearn.models import Role

from ..conftest import FormClient, make_test_app
from ..factories import PASSWORD, make_user

PAGES = {"/privacy": "Privacy notice", "/accessibility": "Accessibility statement", "/cookies": "Cookies"}


@pytest.mark.parametrize("path", PAGES)
def test_statutory_pages_are_public(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{PAGES[path]}</h1>' in response.get_data(as_text=True)


def test_every_page_links_to_them_in_the_footer(client, session):
    admin = make_user(session, Role.ADMIN)
    pages = ["/sign-in", "/verify", "/privacy"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        for link in PAGES:
            assert f'href="{link}"' in html, (path, link)
    client.sign_in(admin.email, PASSWORD)
    html = client.get("/admin/cohorts").get_data(as_text=True)
    assert all(f'href="{link}"' in html for link in PAGES)


def test_privacy_notice_uses_the_provider_settings(database_url, tmp_path):
    app = make_test_app(
        database_url,
        tmp_path,
        PROVIDER_NAME="Acme Care Training",
        PROVIDER_CONTACT_EMAIL="dpo@acme.example",
        RETENTION_YEARS=7,
    )
    html = FormClient(app.test_client()).get("/privacy").get_data(as_text=True)
    assert "Acme Care Training is the data controller" in html
    assert 'href="mailto:dpo@acme.example"' in html and "7 years" in html and "Article 6(1)(f)" in html
    cookies = FormClient(app.test_client()).get("/cookies").get_data(as_text=True)
    assert f"<code>{app.config['SESSION_COOKIE_NAME']}</code>" in cookies


def test_without_a_contact_address_people_are_told_whom_to_ask(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "ask your trainer or the person who invited you" in html and "mailto:" not in html
