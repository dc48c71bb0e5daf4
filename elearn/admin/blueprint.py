"""The admin blueprint: every page under /admin is for admins only."""

from flask import Blueprint

from ..models import Role
from ..web.access import roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles(Role.ADMIN)
