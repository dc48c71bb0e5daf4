"""The admin blueprint: pages under /admin are for admins; exports and refreshers also for managers,
limited to their own organisations' staff."""

from flask import Blueprint

from ..models import Role
from ..web.access import roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles(Role.ADMIN)
# Read-only evidence a manager may see for their own organisations (the loaders apply the scope).
evidence_readers = roles(Role.ADMIN, Role.MANAGER)
