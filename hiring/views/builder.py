"""The session builder: a page of the session's items, its settings and invite link, and a question search.

Every change is a real form post; with htmx the post answers the `items` fragment in place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from hiring import forms
from hiring.permissions import interviewer_required, session_get_for_interviewer, sessions_for
from hiring.selectors.builder import question_search, questions_usable_by, session_items
from hiring.services import questions as question_services
from hiring.services import sessions as services
from interviews.models import Session, SessionItem


@interviewer_required
@require_GET
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = sessions_for(user=request.user).select_related("owner").order_by("-created_at")
    return render(request, "hiring/session_list.html", {"sessions": sessions})


@interviewer_required
@require_POST
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    session = services.session_create(owner=request.user)
    return redirect("hiring_builder", pk=session.pk)


@interviewer_required
@require_GET
def session_builder(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _render_builder(request, session, forms.SessionSettingsForm(instance=session))


@interviewer_required
@require_GET
def question_search_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.htmx:
        search = forms.SearchForm(request.GET)
        found = question_search(user=request.user, session=session, **search.filters())
        return render(request, "hiring/builder.html#search_results", {"session": session, "found": found})
    return redirect(f"{reverse('hiring_builder', args=[pk])}?{request.GET.urlencode()}#search")


@interviewer_required
@require_POST
def item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    question = get_object_or_404(questions_usable_by(user=request.user), pk=_id(request.POST.get("question")))
    return _change(request, session, lambda: services.session_item_add(session=session, question=question))


@interviewer_required
@require_POST
def item_add_random(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = forms.RandomItemForm(request.POST, prefix=forms.RANDOM_PREFIX)
    if not form.is_valid():
        messages.error(request, _("The random item was not added: check its fields."))
        return _items_or_redirect(request, session)
    data = form.cleaned_data

    def add() -> None:
        minutes = data.get("minutes")
        services.session_item_add_random(
            session=session,
            topic=data.get("topic"),
            difficulty=data.get("difficulty") or "",
            count=data["count"],
            time_seconds=minutes * 60 if minutes else None,
        )

    return _change(request, session, add)


@interviewer_required
@require_POST
def item_remove(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    session, item = _item(request, pk, item_pk)
    return _change(request, session, lambda: services.session_item_remove(item=item))


@interviewer_required
@require_POST
def item_move(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    session, item = _item(request, pk, item_pk)
    up = request.POST.get("direction") == "up"
    return _change(request, session, lambda: services.session_item_move(item=item, up=up))


@interviewer_required
@require_POST
def item_time(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    session, item = _item(request, pk, item_pk)
    form = forms.ItemTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the time in whole minutes."))
        return _items_or_redirect(request, session)
    minutes = form.cleaned_data["minutes"]
    return _change(request, session, lambda: services.session_item_set_time(item=item, minutes=minutes))


@interviewer_required
@require_POST
def session_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = forms.SessionSettingsForm(request.POST, instance=session)
    if not form.is_valid():
        messages.error(request, _("The settings were not saved: please correct the fields marked below."))
        return _render_builder(request, session, form, status=422)
    form.save()
    messages.success(request, _("Settings saved."))
    return redirect("hiring_builder", pk=session.pk)


@interviewer_required
@require_POST
def session_duplicate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    copy = services.session_duplicate(session=_session(request, pk), owner=request.user)
    messages.success(
        request, _("Session duplicated: this is the copy. It is closed and has a new invite link.")
    )
    return redirect("hiring_builder", pk=copy.pk)


@interviewer_required
@require_POST
def invite_regenerate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.session_invite_regenerate(session=_session(request, pk))
    messages.success(request, _("New invite link made: the old link no longer works."))
    return redirect(f"{reverse('hiring_builder', args=[pk])}#invite")


@interviewer_required
@require_http_methods(["GET", "POST"])
def custom_question_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    data = request.POST if request.method == "POST" else None
    form = forms.CustomQuestionForm(data)
    rubric = forms.RubricFormSet(data, prefix="rubric")
    wrong = forms.WrongClaimFormSet(data, prefix="wrong")
    if request.method == "POST":
        if form.is_valid() and rubric.is_valid() and wrong.is_valid():
            try:
                question_services.custom_question_add(
                    session=session,
                    owner=request.user,
                    **form.cleaned_data,
                    rubric=forms.rubric_points(rubric),
                    misconceptions=forms.wrong_claims(wrong),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Your question was added to the session. Only your sessions use it.")
                )
                return redirect("hiring_builder", pk=session.pk)
        messages.error(request, _("The question was not saved: please correct the fields marked below."))
    context = {"session": session, "form": form, "rubric": rubric, "wrong": wrong}
    return render(
        request,
        "hiring/custom_question.html",
        context,
        status=422 if form.errors or request.method == "POST" else 200,
    )


def _session(request: AuthenticatedHttpRequest, pk: int) -> Session:
    return session_get_for_interviewer(user=request.user, session_id=pk)


def _id(value: str | None) -> int:
    """A posted object id; anything else is no id (a 404 follows)."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def _item(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> tuple[Session, SessionItem]:
    session = _session(request, pk)
    return session, get_object_or_404(SessionItem, pk=item_pk, session=session)


def _change(
    request: AuthenticatedHttpRequest, session: Session, change: Callable[[], object]
) -> HttpResponse:
    try:
        change()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _items_or_redirect(request, session)


def _items_or_redirect(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    if request.htmx:
        context = {
            "session": session,
            "built": session_items(session=session),
            "taken": session.attempts.exists(),
            "partial": True,
        }
        response = render(request, "hiring/builder.html#items", context)
        # The search refreshes, so that an added question leaves the results and a removed one comes back.
        response["HX-Trigger"] = "items-changed"
        return response
    return redirect(f"{reverse('hiring_builder', args=[session.pk])}#items")


def _render_builder(
    request: AuthenticatedHttpRequest,
    session: Session,
    settings_form: forms.SessionSettingsForm,
    status: int = 200,
) -> HttpResponse:
    search = forms.SearchForm(request.GET, auto_id="search-%s")
    context = {
        "session": session,
        "built": session_items(session=session),
        "taken": session.attempts.exists(),
        "settings_form": settings_form,
        "search_form": search,
        "found": question_search(user=request.user, session=session, **search.filters()),
        "random_form": forms.RandomItemForm(prefix=forms.RANDOM_PREFIX),
        "invite_url": request.build_absolute_uri(reverse("invite", args=[session.invite_token])),
    }
    return render(request, "hiring/builder.html", context, status=status)
