"""Roles in templates: `{% load roles %}{% if user|is_interviewer %}`."""

from __future__ import annotations

from django import template

from accounts import roles

register = template.Library()
register.filter("is_interviewer", roles.is_interviewer)
