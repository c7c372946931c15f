"""Accounts: sign-up with automatic log-in; Django's own views do the rest (see accounts/urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.forms import SignupForm
from accounts.throttle import rate


@require_http_methods(["GET", "POST"])
@ratelimit(group="signup", key="ip", rate=rate("signup_ip"), method="POST")
def signup(request: HttpRequest) -> HttpResponse:
    # Where to go once signed up (an invite link, say): only a page of this site.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            welcome = _("Welcome, %(name)s. Your account is ready.") % {"name": user.get_username()}
            messages.success(request, welcome)
            return redirect(next_url or "home")
        messages.error(request, _("The account was not created: please correct the fields marked below."))
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
