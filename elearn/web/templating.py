"""Jinja set-up: GOV.UK Frontend macros, UK date filters and the provider's brand."""

import json
from functools import lru_cache

from flask import current_app, get_template_attribute, has_request_context, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from ..formatting import plural, uk_date, uk_datetime
from ..models import Role


def init_app(app) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.add_template_filter(uk_date)
    app.add_template_filter(uk_datetime)
    app.add_template_global(plural)
    app.add_template_global(govuk_tag)
    app.add_template_global(govuk)

    @app.context_processor
    def _layout():
        return {"provider_name": current_app.config["PROVIDER_NAME"], "nav": _nav(), "layout": _layout_urls()}


# The links every page's header and footer carry (and each role's navigation, NAV_LINKS): the same for every request to an app mounted at one
# place, so built once (a dozen url_for calls were a tenth of a page's time).
LAYOUT_ENDPOINTS = {
    "favicon": ("static", {"filename": "dist/assets/images/favicon.ico"}),
    "css": ("static", {"filename": "dist/app.css"}),
    "script": ("static", {"filename": "dist/init.js"}),
    "brand_css": ("brand_css", {}),
    "home": ("home", {}),
    "sign_out": ("auth.sign_out", {}),
    "privacy": ("public.privacy", {}),
    "accessibility": ("public.accessibility", {}),
    "cookies": ("public.cookies", {}),
    "verify": ("public.verify_form", {}),
}


def _layout_urls() -> dict[str, str]:
    if not has_request_context():
        return {}  # emails are rendered from cron too: they have their own layout, with absolute links
    cache = current_app.extensions.setdefault("elearn.layout_urls", {})
    root = request.script_root
    if root not in cache:
        cache[root] = {name: url_for(endpoint, **args) for name, (endpoint, args) in LAYOUT_ENDPOINTS.items()}
        cache[root]["nav"] = {
            role: [(text, url_for(endpoint)) for text, endpoint in links] for role, links in NAV_LINKS.items()
        }
    return cache[root]


# Each role's links in the header, by endpoint: their hrefs are built once per app, with the layout's.
NAV_LINKS = {
    Role.TRAINEE: [("Your course", "learn.courses"), ("Your data", "learn.my_data")],
    Role.ADMIN: [
        ("Cohorts", "admin.cohort_list"),
        ("Users", "admin.users"),
        ("Organisations", "admin.organisations"),
        ("Readiness", "trainer.cohorts"),
        ("Quiz analysis", "trainer.analysis_all"),
        ("Exports", "admin.exports"),
        ("Refreshers", "admin.refresher_dashboard"),
        ("Audit log", "admin.audit_log"),
        ("Jobs", "admin.job_list"),
        ("API tokens", "admin.api_token_list"),
    ],
    Role.MANAGER: [
        ("Your staff", "trainer.cohorts"),
        ("Exports", "admin.exports"),
        ("Refreshers", "admin.refresher_dashboard"),
    ],
    Role.TRAINER: [("Your cohorts", "trainer.cohorts")],
}


def _nav() -> dict | None:
    if not has_request_context() or not current_user.is_authenticated:
        return None  # emails are rendered from cron too, with no request
    links = _layout_urls()["nav"][current_user.role]
    current = _current_section(request.path, [href for _text, href in links])
    # aria-current: "page" on the page itself, "true" on the section a deeper page belongs to.
    marks = {current: "page" if request.path == current else "true"}
    return {"links": [{"text": text, "href": href, "current": marks.get(href)} for text, href in links]}


def _current_section(path: str, hrefs: list[str]) -> str | None:
    """The link whose page, or section below it, is being shown: the longest match, so /trainer/analysis
    marks 'Quiz analysis' and /trainer/cohorts/3 marks the readiness link."""
    matches = [h for h in hrefs if path == h or path.startswith(h.rstrip("/") + "/")]
    return max(matches, key=len, default=None)


def summary_row(key: str, value: str) -> dict:
    """One row for the GOV.UK summary list macro."""
    return {"key": {"text": key}, "value": {"text": value}}


def govuk_tag(params: dict) -> Markup:
    """GOV.UK's tag, rendered once per variant: a board has one per trainee, and calling the macro for
    each was half the page's time."""
    return govuk("tag", params)


# GOV.UK Frontend's Jinja macros, by component, for components whose HTML depends on their parameters alone.
COMPONENT_MACROS = {
    "tag": "govukTag",
    "button": "govukButton",
    "back-link": "govukBackLink",
    "pagination": "govukPagination",
}


def govuk(component: str, params: dict) -> Markup:
    """A GOV.UK component, rendered once per distinct set of parameters (the most recent few thousand):
    the same parameters always give the same HTML, and the macros cost more than the rest of a page's
    template. Only for components called with parameters, not with a caller block."""
    return _component_html(component, json.dumps(params, sort_keys=True))


@lru_cache(maxsize=4096)
def _component_html(component: str, params_json: str) -> Markup:
    macro = get_template_attribute(
        f"govuk_frontend_jinja/components/{component}/macro.html", COMPONENT_MACROS[component]
    )
    return Markup(macro(json.loads(params_json)))  # nosec B704: the macros escape their text
