"""Strings of Django's and simple-history's admin templates that their Chinese catalogues lack.

Listed here only so that `makemessages` puts them in the project's catalogue, which translates them; nothing
imports this module.
"""

from django.utils.translation import gettext_noop

# The admin index's table heads, read out by screen readers (Django 5.2's app_list.html).
gettext_noop("Model name")
gettext_noop("Add link")
gettext_noop("Change or view list link")
# The admin's add-user page (Django 5.2 curled its apostrophes; the Chinese catalogue has the old string).
gettext_noop("After you’ve created a user, you’ll be able to edit more user options.")
# simple-history's history table: the column of what each change changed.
gettext_noop("Changes")
