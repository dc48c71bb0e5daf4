"""`flask lti ...`: register the learning platforms that may launch elearn, and list them."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..db import db
from ..domain.errors import DomainError
from ..domain.people.lti_platforms import PlatformDetails, save_platform
from ..models import LtiPlatform

lti_cli = AppGroup("lti", help="LTI 1.3: learning platforms (LMSs) that may launch elearn.")


def init_app(app) -> None:
    app.cli.add_command(lti_cli)


@lti_cli.command("add-platform")
@click.option("--name", required=True, help="What to call it, e.g. 'Acme Moodle'.")
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. https://moodle.acme.org.")
@click.option("--client-id", required=True, help="The client id the platform gave elearn.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="Repeat for each deployment.")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authentication request URL.")
@click.option("--auth-token-url", required=True, help="The platform's OAuth2 access token URL (grade passback).")
@click.option("--keyset-url", required=True, help="The platform's public key set (JWKS) URL.")
@click.option("--organisation-id", type=int, required=True, help="New accounts belong to this organisation.")
@click.option("--cohort-id", type=int, help="Launches enrol people on this cohort (of that organisation).")
def add_platform(**options):
    """Register a platform, or change the one with the same issuer and client id."""
    details = PlatformDetails(**{**options, "deployment_ids": tuple(options["deployment_ids"])})
    try:
        platform = save_platform(db.session, details)
    except DomainError as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Platform {platform.id} saved: {platform.name} ({platform.issuer}, client {platform.client_id}).")


@lti_cli.command("list-platforms")
def list_platforms():
    """Every registered platform, with where its launches land."""
    for platform in db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.id)):
        click.echo(
            f"{platform.id}\t{platform.name}\t{platform.issuer}\tclient {platform.client_id}\t"
            f"deployments {', '.join(platform.deployment_ids)}\torganisation {platform.organisation_id}\t"
            f"cohort {platform.cohort_id or '-'}"
        )
