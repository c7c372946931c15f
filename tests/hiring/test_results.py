"""The results table (sortable, flagged, constant queries whatever the candidates), the report, the CSV."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.selectors.results import session_results
from hiring.views import results as results_views
from interviews.models import Appeal, Session
from tests.accounts.factories import UserFactory
from tests.hiring.conftest import HTMX, current_grade, login

pytestmark = pytest.mark.django_db


def test_the_table_shows_each_candidate_with_total_scores_and_flags(client, session, interviewer, take):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    take(alice, score="8")
    take(bob, score="3", uncertain=True, provisional=True, flags=["injection_suspected"])
    take(UserFactory(username="carol"), score="0", flags=["off_topic"])
    take(UserFactory(username="dave"), score="0", flags=["empty"])

    html = login(client, interviewer).get(reverse("hiring_results", args=[session.pk])).content.decode()

    assert "alice" in html and "bob" in html
    assert ">16</strong>" in html and ">6</strong>" in html  # 8 + 8, 3 + 3
    assert "Uncertain" in html and "Provisional" in html and "Injection suspected" in html
    assert 'class="badge flag-off_topic">Off topic' in html
    assert 'class="badge flag-empty">Empty answer' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("total", ["bob", "alice"]),
        ("-total", ["alice", "bob"]),
        ("candidate", ["alice", "bob"]),
        ("-candidate", ["bob", "alice"]),
    ],
)
def test_the_table_sorts(session, take, sort, expected):
    take(UserFactory(username="alice"), score="8")
    take(UserFactory(username="bob"), score="3")
    table = session_results(session=session, sort=sort.lstrip("-"), descending=sort.startswith("-"))
    assert [row.attempt.candidate.username for row in table.rows] == expected


def test_sorting_through_htmx_answers_the_table_fragment(client, session, interviewer, take):
    take(UserFactory(username="alice"))
    response = login(client, interviewer).get(
        reverse("hiring_results", args=[session.pk]), {"sort": "-total"}, **HTMX
    )
    assert response.content.decode().strip().startswith('<section id="results-table"')
    assert 'aria-sort="descending"' in response.content.decode()


def test_the_table_costs_the_same_queries_for_two_or_twenty_candidates(
    client, session, interviewer, take, django_assert_num_queries
):
    login(client, interviewer)
    url = reverse("hiring_results", args=[session.pk])
    for n in range(2):
        take(UserFactory(username=f"first{n}"))
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    for n in range(18):
        attempt = take(UserFactory(username=f"more{n}"))
        Appeal.objects.create(answer=attempt.answers.first(), criterion_id="1", reason="r")
    with django_assert_num_queries(len(baseline)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 21  # header + 20 candidates


def test_a_long_table_is_paged_and_its_page_links_keep_the_sort(
    client, session, interviewer, take, monkeypatch
):
    monkeypatch.setattr(results_views, "ROWS_PER_PAGE", 2)
    for name, score in (("ann", "9"), ("ben", "7"), ("cai", "5")):
        take(UserFactory(username=name), score=score)
    url = reverse("hiring_results", args=[session.pk])
    login(client, interviewer)

    first = client.get(url, {"sort": "-total"}).content.decode()
    assert ">ann<" in first and ">ben<" in first and ">cai<" not in first
    assert "Page 1 of 2" in first and 'href="?sort=-total&amp;page=2"' in first

    second = client.get(url, {"sort": "-total", "page": "2"}, **HTMX).content.decode()
    assert second.strip().startswith('<section id="results-table"')
    assert ">cai<" in second and ">ann<" not in second and 'href="?sort=-total&amp;page=1"' in second
    assert ">cai<" in client.get(url, {"sort": "-total", "page": "99"}).content.decode()  # the last page


def test_the_candidate_report_shows_answers_verdicts_evidence_and_the_judges_why(
    client, session, interviewer, take
):
    attempt = take(UserFactory(username="alice"))
    html = login(client, interviewer).get(reverse("hiring_report", args=[attempt.pk])).content.decode()
    assert "answer of alice to 1" in html
    assert "指出 Q、K 使用不同投影的作用" in html and "Partly met" in html
    assert "不同的投影让注意力不对称" in html and "没有解释方差" in html  # evidence, the judge's comment
    assert "思路清楚" in html  # feedback
    assert "@page" not in html and "data-print" in html


def test_evidence_is_rendered_like_the_answer_it_quotes(client, session, interviewer, take):
    attempt = take(UserFactory(username="alice"))
    grade = current_grade(attempt)
    grade.criteria = [{**grade.criteria[0], "evidence": "**缩放** 用 $\\sqrt{d_k}$"}, *grade.criteria[1:]]
    grade.save(update_fields=["criteria"])
    login(client, interviewer)

    pages = [
        client.get(reverse(name, args=[pk])).content.decode()
        for name, pk in [
            ("hiring_report", attempt.pk),
            ("hiring_answer_review", grade.answer_id),
            ("grade_why", grade.pk),
        ]
    ]

    for html in pages:
        assert "<strong>缩放</strong>" in html and '<span class="math inline">' in html and "**" not in html


def test_the_csv_opens_in_excel_one_row_per_candidate_with_points(client, session, interviewer, take):
    take(UserFactory(username="张三"), score="8")
    take(UserFactory(username="bob"), score="3")

    response = login(client, interviewer).get(reverse("hiring_results_csv", args=[session.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, *lines = rows
    assert len(lines) == 2
    assert header[:7] == ["Candidate", "Email", "Status", "Started", "Time used (s)", "Total", "Maximum"]
    # Per question: its title, its score, then one column per rubric point (three each).
    assert header[7:9] == ["Q1 question", "Q1 score"] and header[9].startswith("Q1.1 key point 0 of")
    assert len(header) == 7 + 2 * (2 + 3)
    by_name = {line[0]: line for line in lines}
    assert by_name["张三"][5] == "16" and by_name["张三"][7] == "第1题：解释注意力的缩放"
    assert by_name["bob"][8] == "3"


def test_the_csv_runs_no_formula_and_names_points_in_the_viewers_language(client, session, interviewer, take):
    """A username is the candidate's own text: "=HYPERLINK(…)" must reach the spreadsheet as text."""
    take(UserFactory(username="=1+1"), score="8")
    take(UserFactory(username="@sum"), score="3")
    item = session.items.get(order=1)
    item.question.rubric.filter(order=0).update(description_en="Explains why the scores are scaled")

    response = login(client, interviewer).get(reverse("hiring_results_csv", args=[session.pk]))

    header, *lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(line[0] for line in lines) == ["'=1+1", "'@sum"]
    assert header[9] == "Q1.1 Explains why the scores are scaled"


def test_the_csv_file_keeps_a_chinese_title_in_its_name(client, session, interviewer):
    Session.objects.filter(pk=session.pk).update(title="后端面试 第二轮")

    response = login(client, interviewer).get(reverse("hiring_results_csv", args=[session.pk]))

    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert unquote(header.split("''", 1)[1]) == "后端面试-第二轮-results.csv"


def test_the_csv_has_the_points_of_the_graded_rubric(client, session, interviewer, take):
    attempt = take(UserFactory(username="alice"))
    question = attempt.answers.get(position=1).question
    first = question.rubric.order_by("order").first()
    grade = current_grade(attempt)
    grade.criteria = [
        {
            "criterion_id": str(first.pk),
            "description": "d",
            "verdict": "met",
            "points": 4,
            "points_possible": 4,
            "evidence": "",
            "comment": "",
        }
    ]
    grade.save()

    body = (
        login(client, interviewer)
        .get(reverse("hiring_results_csv", args=[session.pk]))
        .content.decode("utf-8-sig")
    )

    header, line = list(csv.reader(io.StringIO(body)))
    assert line[header.index(f"Q1.1 {first.description}")] == "4"
