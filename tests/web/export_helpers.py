"""Asking for a prepared file the way the exports page does: post its filters with a button's action."""

from datetime import date

from ..conftest import FormClient


def export_form(action: str, **filters) -> list[tuple[str, str]]:
    """The exports form as a browser posts it: a date is three boxes (day, month, year), blank if not given."""
    pairs = [("action", action)]
    filters = {"from": ("", "", ""), "to": ("", "", ""), **filters}
    for name, value in filters.items():
        if isinstance(value, date):
            pairs += [(name, str(value.day)), (name, str(value.month)), (name, str(value.year))]
        elif isinstance(value, tuple):
            pairs += [(name, part) for part in value]
        else:
            pairs.append((name, str(value)))
    return pairs


def ask_for_file(client: FormClient, action: str = "evidence_pack", **filters) -> str:
    """Post the form; the prepared file's page address."""
    response = client.post("/admin/exports", export_form(action, **filters), token_from="/admin/exports")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert location.startswith("/admin/files/"), location
    return location


def prepared_download(client: FormClient, action: str = "evidence_pack", **filters):
    """Ask for a file and download it (JOBS=inline: it is built before the page is shown)."""
    return client.get(ask_for_file(client, action, **filters) + "/download")
