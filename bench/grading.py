"""Grading benchmark: the real Celery + Redis + PostgreSQL path, with the fake LLM server at a fixed latency.

    DATABASE_URL=postgres://... REDIS_URL=redis://... SECRET_KEY=x uv run python bench/grading.py

Use a database and a Redis db of their own: the bench migrates the database, loads the bank, and deletes the
rows it made when it ends. It prints
- throughput: N answers submitted at once and graded by one worker (threads pool, --concurrency C) while every
  LLM call takes L seconds, against the ideal C / L;
- overhead: answers submitted one by one at half the ideal rate; p50 / p95 of (submit -> grade written) - L;
- the offline judge's answers per second (one thread, in this process);
- prompt tokens per grade for the bank's questions (tiktoken o200k_base, the reference answer as the answer)
  and the share that is the static prefix (instructions, question, reference, rubric) prompt caching serves.

o200k_base.tiktoken beside this file is tiktoken's encoding file, converted from the npm package
tiktoken@1.0.22 (MIT, encoders/o200k_base.json); tiktoken checks it against the SHA-256 it expects, so
nothing is downloaded.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import tiktoken

ROOT = Path(__file__).resolve().parent.parent
O200K_FILE = Path(__file__).resolve().parent / "o200k_base.tiktoken"
O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"


def o200k_base() -> tiktoken.Encoding:
    """tiktoken's o200k_base read from the vendored file: it is placed where tiktoken's cache looks for it."""
    cache = Path(tempfile.mkdtemp(prefix="tiktoken-"))
    (cache / hashlib.sha1(O200K_URL.encode()).hexdigest()).symlink_to(O200K_FILE)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return tiktoken.get_encoding("o200k_base")


def chat_tokens(encoding: tiktoken.Encoding, messages: list[dict[str, str]]) -> int:
    # OpenAI's chat format adds about 3 tokens per message around its content.
    return sum(3 + len(encoding.encode(m["content"])) for m in messages)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=200, help="N, answers submitted at once")
    parser.add_argument("--paced", type=int, default=60, help="answers submitted one by one for the overhead")
    parser.add_argument("--latency", type=float, default=0.5, help="L, seconds per LLM call")
    parser.add_argument("--concurrency", type=int, default=8, help="C, worker threads")
    args = parser.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"Set {name}: the bench needs PostgreSQL and Redis of its own.")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    _prompt_tokens()
    _offline_speed()
    _through_the_worker(args)


def _reference_inputs() -> list:
    """Every bank question's judge input, with its reference answer as the candidate's answer."""
    from interviews.services.judges import judge_input_for_question
    from questionbank.models import Question

    return [
        judge_input_for_question(
            question=q,
            criteria=list(q.rubric.all()),
            misconceptions=list(q.misconceptions.all()),
            answer_text=q.reference_answer,
        )
        for q in Question.objects.prefetch_related("rubric", "misconceptions")
    ]


def _prompt_tokens() -> None:
    from django.conf import settings

    from interviews.grading import prompt

    encoding = o200k_base()
    totals, prefixes = [], []
    for judge_input in _reference_inputs():
        messages, _ = prompt.messages(judge_input, max_answer_chars=settings.ANSWER_MAX_CHARS)
        totals.append(chat_tokens(encoding, messages) + 3)  # and 3 to prime the reply
        prefixes.append(chat_tokens(encoding, messages[:2]))
    share = sum(prefixes) / sum(totals)
    print(f"Prompt tokens per grade (o200k_base, {len(totals)} bank questions, the reference as the answer):")
    print(
        f"  mean {statistics.mean(totals):.0f}, median {statistics.median(totals):.0f}, max {max(totals)}; "
        f"static prefix {statistics.mean(prefixes):.0f} on average = {share:.0%} of the prompt tokens "
        f"(instructions alone: {len(encoding.encode(prompt.SYSTEM)) + 3})"
    )


def _offline_speed() -> None:
    from interviews.services.judges import offline_judge

    judge = offline_judge()
    inputs = _reference_inputs()
    judge.grade(inputs[0])  # jieba loads its dictionary once
    started, count = time.perf_counter(), 0
    while count < 300:
        for judge_input in inputs:
            judge.grade(judge_input)
            count += 1
    seconds = time.perf_counter() - started
    print(f"Offline judge: {count / seconds:.0f} answers/s on one thread ({count} reference-length answers).")


def _through_the_worker(args: argparse.Namespace) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from fakes.llm_server import FakeLLM
    from interviews.models import Answer, Attempt, Grade, Session
    from interviews.services.grading import grading_enqueue
    from questionbank.models import Question

    fake = FakeLLM(latency=args.latency).start()
    user, _ = User.objects.get_or_create(username="bench-grading")
    questions = list(Question.objects.all())
    environment = {
        **os.environ,
        "OPENAI_API_KEY": "bench",
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_TIMEOUT": "30",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "threads"]
    command += [
        "--concurrency",
        str(args.concurrency),
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    ]
    log = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=out)
    try:
        _wait(lambda: b" ready." in log.read_bytes(), 60)

        def submit(count: int) -> list[int]:
            """`count` answers (an attempt holds each question once), queued as answer_submit queues them."""
            now = timezone.now()
            session = Session.objects.create(owner=user, title="bench", time_limit_seconds=600)
            ids = []
            for start in range(0, count, len(questions)):
                attempt = Attempt.objects.create(
                    candidate=user,
                    session=session,
                    started_at=now - timedelta(minutes=1),
                    deadline=now + timedelta(minutes=9),
                    status=Attempt.Status.SUBMITTED,
                    finished_at=now,
                )
                with transaction.atomic():
                    answers = Answer.objects.bulk_create(
                        Answer(
                            attempt=attempt,
                            question=question,
                            position=position,
                            text=question.reference_answer[: 200 + 7 * position],
                            status=Answer.Status.SUBMITTED,
                            submitted_at=timezone.now(),
                        )
                        for position, question in enumerate(questions[: count - start])
                    )
                    grading_enqueue(answer_ids=[a.pk for a in answers])
                ids += [a.pk for a in answers]
            return ids

        def graded(ids: list[int]) -> bool:
            return Answer.objects.filter(pk__in=ids, status=Answer.Status.GRADED).count() == len(ids)

        ideal = args.concurrency / args.latency
        submit(args.concurrency)  # warm up: connections, jieba, the OpenAI client
        started = time.perf_counter()
        burst = submit(args.answers)
        _wait(lambda: graded(burst), 60 + 3 * args.answers / ideal)
        submitted = Answer.objects.filter(pk__in=burst).values_list("submitted_at", flat=True)
        first = min(moment for moment in submitted if moment is not None)
        last = max(Grade.objects.filter(answer_id__in=burst).values_list("created_at", flat=True))
        achieved = len(burst) / (last - first).total_seconds()
        print(
            f"Through Celery + Redis + PostgreSQL: {len(burst)} answers, L = {args.latency} s per LLM call, "
            f"C = {args.concurrency} threads: {achieved:.1f} answers/s against the ideal {ideal:.1f} "
            f"(ratio {achieved / ideal:.2f}); wall clock {time.perf_counter() - started:.1f} s."
        )

        paced = []
        for _ in range(args.paced):
            paced += submit(1)
            time.sleep(2 / ideal)  # half the ideal rate: little queueing
        _wait(lambda: graded(paced), 60 + 3 * args.paced / ideal)
        overheads = sorted(
            (grade.created_at - submitted_at).total_seconds() - args.latency
            for grade in Grade.objects.filter(answer_id__in=paced).select_related("answer")
            if (submitted_at := grade.answer.submitted_at) is not None
        )
        p50, p95 = (
            overheads[len(overheads) // 2],
            overheads[min(len(overheads) - 1, int(0.95 * len(overheads)))],
        )
        print(
            f"Overhead beyond L, submit to grade written ({len(overheads)} answers at half the ideal rate): "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms."
        )
        requests = len(fake.requests)
        print(f"LLM calls: {requests} for {args.concurrency + len(burst) + len(paced)} answers.")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        fake.stop()
        user.delete()


def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"Timed out after {timeout:.0f} s.")
        time.sleep(0.05)


if __name__ == "__main__":
    main()
