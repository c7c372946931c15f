"""Load benchmark: gunicorn (DEBUG=false) with PostgreSQL and Redis, a Celery worker grading through the fake
LLM at a fixed latency, and N simulated candidates from one asyncio client on the same machine.

    DATABASE_URL=postgres://.../mianshi_load REDIS_URL=redis://127.0.0.1:6379/12 SECRET_KEY=x \\
        uv run python bench/load.py [--candidates 200] [--web 4] [--knee 50,100,200,400] [--knee-web 2,4]

Use a database and a Redis db of their own: the bench empties both first (a queue or provisional grades left
by an earlier run would be graded during this one), migrates and loads the bank. It prints
- the ceiling: requests/s of a trivial view (a 404 page: middleware, URL resolution, a template, no query)
  and of autosave, each with 32 clients saturating the server, in turn for three rounds; autosave's share of
  the ceiling per round and its median;
- the scenario: N candidates each running a whole interview of 2 questions (open the page, autosave every
  ~2 s for --seconds per question, submit, poll the results every 2 s until graded): requests/s, p50/p95/p99
  per endpoint, errors, and lost answers (the stored text is not the last text the candidate sent); run twice,
  the candidates starting within 2 s (a class told to start together) and arriving over --arrivals seconds;
- the knee: autosave p95 at each number of candidates of --knee (autosave only, --knee-seconds each), for each
  count of gunicorn processes of --knee-web; the knee is the first count whose p95 passes 100 ms.
Rate limits stay on with autosave/submit rates raised for the saturation phase (one candidate saves ~0.5/s).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = 2
BURST = 2.0  # seconds over which the candidates of a burst start
KNEE_MS = 100.0
CEILING_ROUNDS = 3  # trivial view and autosave measured in turn, so that drift hits both alike
CEILING_SECONDS = 6.0
# The results summary polls this URL while answers wait for a grade.
POLL_URL = re.compile(r'hx-get="([^"]+)"\s+hx-trigger="every 2s"')


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def record(self, endpoint: str, started: float, response: httpx.Response | None) -> None:
        self.latencies[endpoint].append((time.perf_counter() - started) * 1000)
        if response is None or response.status_code >= 400:
            self.errors[endpoint] += 1

    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": "/tmp/mianshi-load-static",
        "RATELIMIT_AUTOSAVE": "100000/m",
        "RATELIMIT_SUBMIT": "100000/m",
        "QUOTA_ATTEMPTS_PER_HOUR": "1000000",
        **extra,
    }


def wait_up(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit(f"the server at {url} did not come up")


@dataclass
class Candidate:
    attempt_id: int
    cookie: str
    sent: dict[int, str] = field(default_factory=dict)


def make_candidates(n: int, minutes: int = 60) -> list[Candidate]:
    """n candidates, each with a 2-question attempt started and a log-in session (no password hashing)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User
    from interviews.models import Session, SessionItem
    from interviews.services.attempts import attempt_start
    from questionbank.models import Question

    questions = list(Question.objects.filter(status=Question.Status.PUBLISHED, owner=None)[:QUESTIONS])
    run = f"{int(time.time())}-{random.randrange(10**6)}"
    made = []
    for i in range(n):
        user = User.objects.create_user(f"load-{run}-{i}", password=None)
        session = Session.objects.create(owner=user, title="load", time_limit_seconds=minutes * 60)
        SessionItem.objects.bulk_create(
            SessionItem(session=session, question=q, order=k) for k, q in enumerate(questions, start=1)
        )
        attempt = attempt_start(candidate=user, session=session)
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        made.append(Candidate(attempt_id=attempt.pk, cookie=store.session_key))
    return made


async def open_page(client: httpx.AsyncClient, c: Candidate, stats: Stats) -> str:
    started = time.perf_counter()
    try:
        response = await client.get(f"/attempts/{c.attempt_id}/?q=1", cookies={"sessionid": c.cookie})
    except httpx.HTTPError:
        stats.record("page", started, None)
        return ""
    stats.record("page", started, response)
    return response.cookies.get("csrftoken") or ""


async def autosave(
    client: httpx.AsyncClient, c: Candidate, csrf: str, position: int, text: str, stats: Stats
) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(
            f"/attempts/{c.attempt_id}/answers/{position}/save/",
            data={"text": text},
            headers={"X-CSRFToken": csrf, "HX-Request": "true"},
            cookies={"sessionid": c.cookie, "csrftoken": csrf},
        )
    except httpx.HTTPError:
        stats.record("autosave", started, None)
        return
    stats.record("autosave", started, response)
    if response.status_code == 200:
        c.sent[position] = text


async def interview(
    client: httpx.AsyncClient, c: Candidate, seconds: float, stats: Stats, submit: bool, arrivals: float
) -> None:
    await asyncio.sleep(random.uniform(0, arrivals))
    csrf = await open_page(client, c, stats)
    for position in range(1, QUESTIONS + 1):
        text = ""
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            await asyncio.sleep(random.uniform(1.5, 2.5))
            text += f"第{position}题的一句话，第 {len(text)} 个字符处。\n"
            await autosave(client, c, csrf, position, text, stats)
        if submit:
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/attempts/{c.attempt_id}/answers/{position}/submit/",
                    data={"text": text},
                    headers={"X-CSRFToken": csrf},
                    cookies={"sessionid": c.cookie, "csrftoken": csrf},
                )
                stats.record("submit", started, response)
                if response.status_code == 302:
                    c.sent[position] = text
            except httpx.HTTPError:
                stats.record("submit", started, None)
    if not submit:
        return
    # As the results page does: poll the URL its summary names (it carries the answers still waiting); an
    # unchanged poll is answered 204 and the same URL is polled again.
    poll = f"/attempts/{c.attempt_id}/results/"
    for _ in range(90):
        await asyncio.sleep(2)
        started = time.perf_counter()
        try:
            response = await client.get(poll, cookies={"sessionid": c.cookie}, headers={"HX-Request": "true"})
        except httpx.HTTPError:
            stats.record("results poll", started, None)
            continue
        stats.record("results poll", started, response)
        if response.status_code != 200:
            continue
        named = POLL_URL.search(response.text)
        if named is None:
            return  # every answer is graded: the summary stopped polling
        poll = html.unescape(named.group(1))


async def saturate(url: str, clients: int, seconds: float, candidates: list[Candidate] | None) -> float:
    """Requests/s of the trivial view (candidates None) or of autosave, `clients` loops back to back."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    done = 0
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        csrfs = []
        if candidates:
            stats = Stats()
            csrfs = [await open_page(client, c, stats) for c in candidates[:clients]]
        ends = time.monotonic() + seconds

        async def loop(k: int) -> None:
            nonlocal done
            n = 0
            while time.monotonic() < ends:
                if candidates is None:
                    await client.get("/no-such-page/")
                else:
                    c = candidates[k]
                    await client.post(
                        f"/attempts/{c.attempt_id}/answers/1/save/",
                        data={"text": f"saturating {n}"},
                        headers={"X-CSRFToken": csrfs[k], "HX-Request": "true"},
                        cookies={"sessionid": c.cookie, "csrftoken": csrfs[k]},
                    )
                n += 1
                done += 1

        started = time.monotonic()
        await asyncio.gather(*(loop(k) for k in range(clients)))
        return done / (time.monotonic() - started)


async def scenario(
    url: str, candidates: list[Candidate], seconds: float, submit: bool, arrivals: float = BURST
) -> tuple[Stats, float]:
    """Every candidate runs an interview, starting at a random moment of the first `arrivals` seconds."""
    stats = Stats()
    limits = httpx.Limits(max_connections=len(candidates), max_keepalive_connections=len(candidates))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        started = time.monotonic()
        await asyncio.gather(*(interview(client, c, seconds, stats, submit, arrivals) for c in candidates))
        return stats, time.monotonic() - started


def lost_answers(candidates: list[Candidate]) -> int:
    from interviews.models import Answer

    lost = 0
    for c in candidates:
        stored = dict(Answer.objects.filter(attempt_id=c.attempt_id).values_list("position", "text"))
        lost += sum(1 for position, text in c.sent.items() if stored.get(position) != text)
    return lost


def ungraded(candidates: list[Candidate]) -> int:
    from interviews.models import Answer

    ids = [c.attempt_id for c in candidates]
    return Answer.objects.filter(attempt_id__in=ids).exclude(status=Answer.Status.GRADED).count()


def print_table(stats: Stats, elapsed: float) -> None:
    print(f"  {'endpoint':<14}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for endpoint, values in stats.latencies.items():
        print(
            f"  {endpoint:<14}{len(values):>9}{stats.errors[endpoint]:>8}{percentile(values, 50):>9.1f}"
            f"{percentile(values, 95):>9.1f}{percentile(values, 99):>9.1f}"
        )
    print(f"  {stats.total() / elapsed:.1f} requests/s over {elapsed:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=12.0, help="autosaving per question")
    parser.add_argument("--web", type=int, default=4, help="gunicorn processes for the scenario")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the worker's niceness: grading yields the CPU to the web processes (0: equal priority)",
    )
    parser.add_argument("--latency", type=float, default=0.5, help="the fake LLM's seconds per call")
    parser.add_argument("--knee", default="100,200,400,600", help="candidate counts for the knee")
    parser.add_argument("--knee-web", default="2,4", help="gunicorn process counts for the knee")
    parser.add_argument("--knee-seconds", type=float, default=10.0)
    parser.add_argument(
        "--arrivals",
        type=float,
        default=60.0,
        help="the scenario runs twice: all candidates starting within 2 s, then over this many seconds",
    )
    args = parser.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
        if not os.environ.get(name):
            sys.exit(f"Set {name}: the bench needs PostgreSQL and Redis of its own.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update({k: v for k, v in _env().items() if k.startswith(("RATELIMIT", "QUOTA"))})
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the figures
    from django.core.management import call_command

    from fakes.llm_server import FakeLLM
    from fakes.processes import beat, free_port, gunicorn, running, worker

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    call_command("load_question_bank", verbosity=0)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=_env(), check=True
    )
    load = os.getloadavg()
    print(
        f"bench/load.py on {os.cpu_count()} cores (load average before: {load[0]:.1f}); client, server, "
        f"worker and databases on this machine; fake LLM at {args.latency} s per call"
    )

    fake = FakeLLM(latency=args.latency).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    worker_env = _env(OPENAI_API_KEY="bench", OPENAI_BASE_URL=fake.base_url)
    commands = {
        "web": gunicorn(port, args.web),
        "worker": worker(8, nice=args.worker_nice),
        "beat": beat("/tmp/mianshi-load-beat"),
    }
    with running(commands, worker_env):
        wait_up(url)
        pool = make_candidates(max(32, args.candidates))
        print(
            f"\nceiling, {args.web} gunicorn processes, 32 clients back to back, {CEILING_ROUNDS} rounds of "
            f"{CEILING_SECONDS:.0f} s each (the machine's speed drifts: one pair of runs can mislead):"
        )
        ratios = []
        for _ in range(CEILING_ROUNDS):
            trivial = asyncio.run(saturate(url, 32, CEILING_SECONDS, None))
            saving = asyncio.run(saturate(url, 32, CEILING_SECONDS, pool))
            ratios.append(saving / trivial)
            print(
                f"  trivial view {trivial:.0f} requests/s; autosave {saving:.0f} requests/s "
                f"({ratios[-1]:.2f} x the trivial view)"
            )
        print(f"  autosave / trivial view, median of {CEILING_ROUNDS}: {statistics.median(ratios):.2f}")

        for arrivals in (BURST, args.arrivals):
            candidates = make_candidates(args.candidates)
            stats, elapsed = asyncio.run(scenario(url, candidates, args.seconds, True, arrivals))
            deadline = time.monotonic() + 120
            while ungraded(candidates) and time.monotonic() < deadline:
                time.sleep(1)
            print(
                f"\nscenario: {args.candidates} candidates starting within {arrivals:.0f} s, {QUESTIONS} "
                f"questions each, autosave every ~2 s for {args.seconds:.0f} s per question, submit, "
                "poll results:"
            )
            print_table(stats, elapsed)
            print(
                f"  errors {sum(stats.errors.values())}, lost answers {lost_answers(candidates)}, "
                f"ungraded after 120 s {ungraded(candidates)}"
            )

    print(f"\nknee (autosave p95 against candidates, {args.knee_seconds:.0f} s of autosave each):")
    for web in [int(w) for w in args.knee_web.split(",")]:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        knee = None
        row = []
        with running({"web": gunicorn(port, web)}, _env()):
            wait_up(url)
            for n in [int(k) for k in args.knee.split(",")]:
                candidates = make_candidates(n)
                stats, _ = asyncio.run(scenario(url, candidates, args.knee_seconds / QUESTIONS, submit=False))
                p95 = percentile(stats.latencies["autosave"], 95)
                row.append(f"{n}: {p95:.0f} ms")
                if knee is None and p95 > KNEE_MS:
                    knee = n
        print(
            f"  {web} gunicorn processes: "
            + ", ".join(row)
            + f"; knee at {knee if knee else 'more than ' + args.knee.split(',')[-1]} candidates"
        )
    fake.stop()


if __name__ == "__main__":
    main()
