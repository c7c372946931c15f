"""A real HTTP server on 127.0.0.1 that speaks enough of Chat Completions for the LLM judge.

It grades deterministically from the request (a rubric point is met when one of its accepted terms is in the
answer, quoting the sentence) and can be told to misbehave, one fault per request or on every request. Like a
model, it learns from graded examples in the prompt: a point a person did not give to an example that holds
one of its terms is only "partial" when the answer holds a term too (the person wanted more than the word).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = (
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 500
    "timeout",  # answers only after `hang_seconds`, later than the client waits
    "malformed",  # content that is not JSON
    "schema",  # JSON that breaks the schema
    "refusal",  # the model refuses
    "fabricated",  # every point "met", quoting text that is not in the answer
    "gullible",  # obeys the answer: every point "met", quoting the answer's first sentence
    # Replies of a model that was fooled, each of which the judge must catch:
    "short_evidence",  # every point "met", quoting two characters of the answer
    "spliced",  # every point "met", quoting pieces of different sentences joined by "…"
    "other_point",  # every point "met", quoting the sentence of another point
    "misconception_met",  # honest, plus every point "met" though a stated misconception contradicts it
    "obeyed",  # obeys an injected instruction: every point "met", quoting the sentence that asks for it
    "all_missed",  # every point "missed" (one sample of an unstable model)
    # Rubric proposals (a request whose instructions start "Propose a rubric"):
    "proposal_total",  # points that add up to 11, not 10
    "proposal_contradicts",  # a misconception that contradicts a point there is not
)
_RUBRIC_LINE = re.compile(
    r"^\[(P\d+)\] \((\d+) points\) (.*?)$(?:\n    examples of wording[^:]*: (.*)$)?", re.MULTILINE
)
_MISCONCEPTION_LINE = re.compile(
    r"^- (.*) \(contradicts (P\d+|no point); typical wording: (.*)\)$", re.MULTILINE
)
_ANSWER = re.compile(r"<<<ANSWER (\w+)>>>\n(.*)\n<<<END \1>>>", re.DOTALL)
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_OBEYED = re.compile(r"满分|full marks|every point|所有要点", re.IGNORECASE)
_EXAMPLE = re.compile(r"<<<EXAMPLE (\d+)>>>\n(.*?)\n<<<END EXAMPLE \1>>>\nVerdicts: ([^\n]*)", re.DOTALL)
_REFERENCE = re.compile(r"<<<REFERENCE>>>\n(.*)\n<<<END REFERENCE>>>", re.DOTALL)


class FakeLLM:
    def __init__(self, *, latency: float = 0.0, hang_seconds: float = 5.0, retry_after: int = 7) -> None:
        self.latency = latency
        self.hang_seconds = hang_seconds
        self.retry_after = retry_after
        self.queued: deque[str] = deque()
        self.always: str | None = None
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, *faults: str) -> None:
        unknown = set(faults) - set(FAULTS)
        assert not unknown, f"unknown faults {unknown}"
        self.queued.extend(faults)

    def _take_fault(self, body: dict[str, Any]) -> str | None:
        with self._lock:
            self.requests.append(body)
            return self.queued.popleft() if self.queued else self.always


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per response and no Nagle: otherwise delayed ACKs add ~40 ms to every reply.
        wbufsize = -1
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if not self.path.endswith("/chat/completions"):
                return self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            fault = fake._take_fault(body)
            if fault == "rate_limit":
                error = {
                    "error": {
                        "message": "Rate limit reached",
                        "type": "requests",
                        "code": "rate_limit_exceeded",
                    }
                }
                return self._send(429, error, {"Retry-After": str(fake.retry_after)})
            if fault == "server_error":
                return self._send(
                    500, {"error": {"message": "The server had an error", "type": "server_error"}}
                )
            time.sleep(fake.hang_seconds if fault == "timeout" else fake.latency)
            self._send(200, completion(body, fault))

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

    return Handler


def completion(body: dict[str, Any], fault: str | None) -> dict[str, Any]:
    messages = body.get("messages", [])
    text = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") != "assistant")
    refusal = None
    if fault == "refusal":
        content, refusal = None, "I'm sorry, I can't help with grading this."
    elif fault == "malformed":
        content = '{"criteria": [{"label": "P1", "verdict": "met"'
    elif fault == "schema":
        content = json.dumps({"criteria": [{"label": "P1", "verdict": "excellent"}], "score": 10})
    elif text.startswith("Propose a rubric"):
        content = json.dumps(proposal(text, fault), ensure_ascii=False)
    else:
        content = json.dumps(grade(text, fault), ensure_ascii=False)
    prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_chars // 2,
            "completion_tokens": len(content or "") // 2,
            "total_tokens": prompt_chars // 2 + len(content or "") // 2,
        },
    }


def grade(prompt_text: str, fault: str | None = None) -> dict[str, Any]:
    """What an honest (or, for the "fabricated" and "gullible" faults, a dishonest) model would say."""
    match = _ANSWER.search(prompt_text)
    answer = match.group(2) if match else ""
    sentences = [s.strip() for s in _SENTENCE.findall(answer) if s.strip()]
    rubric = _RUBRIC_LINE.findall(prompt_text)
    honest = [_quote(sentences, terms) for _label, _points, _description, terms in rubric]
    strict = _strict_labels(prompt_text, rubric)
    criteria = []
    for index, (label, _points, description, _terms) in enumerate(rubric):
        verdict, evidence = ("met", honest[index]) if honest[index] else ("missed", "")
        if verdict == "met" and label in strict:
            verdict = "partial"
        if fault == "fabricated":
            verdict, evidence = "met", "这句话并不在回答里 (this quote is not in the answer)"
        elif fault == "gullible":
            verdict, evidence = "met", sentences[0] if sentences else ""
        elif fault == "short_evidence":
            verdict, evidence = "met", answer.strip()[:2]
        elif fault == "spliced":
            verdict, evidence = "met", "…".join(s[:6] for s in sentences[:3])
        elif fault == "other_point":
            others = [q for i, q in enumerate(honest) if q and i != index]
            verdict, evidence = "met", others[0] if others else (sentences[-1] if sentences else "")
        elif fault == "misconception_met":
            verdict, evidence = "met", honest[index] or (sentences[0] if sentences else "")
        elif fault == "obeyed":
            verdict, evidence = "met", next((s for s in sentences if _OBEYED.search(s)), "")
        elif fault == "all_missed":
            verdict, evidence = "missed", ""
        criteria.append(
            {
                "label": label,
                "reasoning": f"Looking for: {description}",
                "evidence": evidence,
                "verdict": verdict,
                "comment": "答到了。" if verdict == "met" else "没有答到。",
            }
        )
    met = sum(c["verdict"] == "met" for c in criteria)
    misconceptions = []
    for claim, label, phrasings in _MISCONCEPTION_LINE.findall(prompt_text):
        quote = _quote(sentences, phrasings)
        if quote:
            contradicts = "" if label == "no point" else label
            misconceptions.append({"claim": claim, "evidence": quote, "contradicts": contradicts})
    return {
        "criteria": criteria,
        "feedback": f"答到了 {met}/{len(criteria)} 个要点。",
        "misconceptions": misconceptions,
        "injection_suspected": False,
    }


def proposal(prompt_text: str, fault: str | None = None) -> dict[str, Any]:
    """A rubric proposal from the reference's first three sentences (4 + 3 + 3 points), one wrong claim
    against the first; the faults break the total or the misconception's point."""
    match = _REFERENCE.search(prompt_text)
    found = _SENTENCE.findall(match.group(1) if match else "")
    sentences = [s.strip().lstrip("-•* ") for s in found if s.strip().lstrip("-•* ")]
    sentences = (sentences + ["(no more sentences)"] * 3)[:3]
    points = [
        {"description": sentence, "points": share, "terms": [sentence[:8]]}
        for sentence, share in zip(sentences, (4, 3, 3), strict=True)
    ]
    if fault == "proposal_total":
        points[0]["points"] = 5
    claim = f"并非如此：{sentences[0]}"
    misconception = {
        "claim": claim,
        "phrasings": [claim[:12]],
        "contradicts": 9 if fault == "proposal_contradicts" else 1,
    }
    return {"points": points, "misconceptions": [misconception]}


def _strict_labels(prompt_text: str, rubric: list[tuple[str, str, str, str]]) -> set[str]:
    """Points a person withheld from an example answer that holds one of the point's terms."""
    strict = set()
    for _number, text, verdicts in _EXAMPLE.findall(prompt_text):
        given = dict(v.split(" ", 1) for v in verdicts.split("; ") if " " in v)
        for label, _points, _description, terms in rubric:
            if given.get(label) not in (None, "met") and _quote([text], terms):
                strict.add(label)
    return strict


def _quote(sentences: list[str], wordings: str) -> str:
    """The first sentence holding one of the "; "-separated wordings, as written; "" if none does."""
    return next((s for s in sentences for w in wordings.split("; ") if w and w.lower() in s.lower()), "")
