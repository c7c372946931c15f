// The interview page: a countdown owned by the server, autosave that never loses text, finish at the deadline.
//
// - Time: the page gets the milliseconds left and counts down to an absolute end on Date.now(), which keeps
//   running through sleep; every save response re-syncs it from the server.
// - Text: every keystroke is copied to localStorage; autosave (htmx, ~1 s after typing stops, and when the
//   page is left) sends it; a failed save shows a warning and is retried with backoff until it succeeds.
//   Reopening the page restores a local copy newer than the server's draft.
(function () {
  "use strict";

  var PREFIX = "mianshi:answer:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // The server's form of a text (interviews/services/attempts.py _storable): "\n" line breaks, no NUL.
  function normalised(text) {
    return text.replace(/\r\n?/g, "\n").replace(/\u0000/g, "");
  }

  // The results page: a local copy is dropped only when the server holds that exact text. Any other copy
  // (typed after the last save reached the server) is shown, to download or discard: never silently lost.
  var results = document.querySelector("[data-results]");
  if (results) {
    var kept = storage();
    var savedEl = document.getElementById("saved-texts");
    if (!kept || !savedEl) return;
    var saved = JSON.parse(savedEl.textContent);
    var mine = PREFIX + results.dataset.attempt + ":";
    var box = document.getElementById("late-copies");
    var template = document.getElementById("late-copy-template");
    Object.keys(kept).filter(function (k) { return k.indexOf(mine) === 0; }).sort().forEach(function (k) {
      var position = k.slice(mine.length);
      var copy;
      try { copy = JSON.parse(kept.getItem(k)); } catch (e) { copy = null; }
      if (!copy || typeof copy.text !== "string" || !copy.text.trim() ||
          normalised(copy.text) === normalised(saved[position] || "")) {
        kept.removeItem(k);
        return;
      }
      var item = template.content.firstElementChild.cloneNode(true);
      item.querySelector("[data-title]").textContent += " " + position;
      item.querySelector("textarea").value = copy.text;
      var link = item.querySelector("[data-download]");
      link.href = URL.createObjectURL(new Blob([copy.text], { type: "text/plain;charset=utf-8" }));
      link.setAttribute("download", "answer-" + results.dataset.attempt + "-" + position + ".txt");
      item.querySelector("[data-discard]").addEventListener("click", function () {
        kept.removeItem(k);
        item.remove();
        if (!box.querySelector(".late-copy")) box.hidden = true;
      });
      box.appendChild(item);
      box.hidden = false;
    });
    return;
  }

  var root = document.querySelector("[data-interview]");
  if (!root) return;
  var data = root.dataset;
  var form = document.getElementById("answer-form");
  var textarea = document.getElementById("answer-text");
  var finishButton = root.querySelector("button.finish");
  var timer = document.getElementById("timer");
  var timerValue = document.getElementById("timer-value");
  var clockSkew = Date.now() - Number(data.serverNow); // this browser's clock minus the server's, in ms
  var endAt = Date.now() + Number(data.msLeft);
  var finishing = false;
  var leaving = false;

  // --- Countdown -------------------------------------------------------------------------------------
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function tick() {
    var left = Math.max(0, Math.ceil((endAt - Date.now()) / 1000));
    timerValue.textContent = format(left);
    timer.classList.toggle("is-low", left <= 60);
    updateSpent();
    if (left === 0) finishNow();
  }

  function resyncFrom(el) {
    if (el && el.dataset.msLeft) endAt = Date.now() + Number(el.dataset.msLeft);
  }

  // At the deadline the page finishes by itself; the finish request carries the open question's text, which
  // the server still accepts within its grace period.
  function finishNow() {
    if (finishing) return;
    finishing = true;
    timer.classList.add("is-over");
    showWarning(data.msgTimeUp, "info");
    clearTimeout(debounceTimer);
    clearTimeout(retryTimer);
    if (textarea) textarea.readOnly = true;
    updateSpent();
    leaving = true;
    submitFinish();
  }

  // The finish is sent in the background, so that a server error or a lost network shows a message here
  // instead of an error page, and is retried (finishing twice is harmless) until the server answers. The
  // text stays in the box and in this browser meanwhile; the sweep submits the saved drafts anyway.
  var finishRetrySeconds = 0;
  function submitFinish() {
    if (navigator.onLine === false) {
      showWarning(data.msgTimeUpOffline, "error");
      window.addEventListener("online", submitFinish, { once: true });
      return;
    }
    var body = new FormData(form);
    fetch(finishButton.getAttribute("formaction"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.get("csrfmiddlewaretoken") || "" },
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) throw new Error(String(response.status));
      window.location.assign(response.url);
    }).catch(function (error) {
      finishRetrySeconds = Math.min(finishRetrySeconds ? finishRetrySeconds * 2 : 2, 30);
      var reason = /^\d+$/.test(error.message) ? data.msgFinishServerError.replace("{code}", error.message)
        : data.msgFinishNetworkError;
      showWarning(reason.replace("%s", finishRetrySeconds), "error");
      if (warning) warning.scrollIntoView({ block: "center" });
      setTimeout(submitFinish, finishRetrySeconds * 1000);
    });
  }

  // --- Time spent on this question (sent with each save) ----------------------------------------------
  var spentBase = Number(data.secondsSpent) || 0;
  var spentMs = 0;
  var visibleSince = document.visibilityState === "visible" ? Date.now() : null;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      visibleSince = Date.now();
      tick(); // after sleep or a background tab, show the true time left at once
    } else if (visibleSince) {
      spentMs += Date.now() - visibleSince;
      visibleSince = null;
    }
  });
  function updateSpent() {
    var input = document.getElementById("seconds-spent");
    if (!input) return;
    var running = visibleSince ? Date.now() - visibleSince : 0;
    var spent = spentBase + Math.round((spentMs + running) / 1000);
    input.value = String(spent);
    // The question's own clock: time spent against the time planned for it (the total deadline still rules).
    var clock = document.getElementById("question-clock");
    if (!clock) return;
    document.getElementById("question-spent").textContent = format(spent);
    var over = spent > Number(clock.dataset.planned || 0);
    clock.classList.toggle("is-over", over);
    clock.querySelector(".question-over").hidden = !over;
  }

  // --- Warnings ----------------------------------------------------------------------------------------
  var warning = document.getElementById("save-warning");
  function showWarning(text, kind) {
    if (!warning) return;
    warning.textContent = text;
    warning.className = "save-warning" + (kind ? " is-" + kind : "");
    warning.hidden = false;
  }
  function hideWarning() {
    if (warning && !finishing) warning.hidden = true;
  }

  // --- Confirmations (real submit buttons: without JavaScript they simply submit) -------------------------
  // A second click while the first submit is on its way asks nothing and sends nothing.
  var sending = false;
  root.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (evt) {
      var empty = button.dataset.confirmEmpty && textarea && !textarea.value.trim();
      if (sending || !window.confirm(empty ? button.dataset.confirmEmpty : button.dataset.confirm)) {
        evt.preventDefault();
        return;
      }
      sending = true;
    });
  });
  // Back to this page after it was left (the browser's back-forward cache): the interview may be over; load
  // it again from the server, which shows the results if it is.
  window.addEventListener("pageshow", function (evt) {
    if (evt.persisted) window.location.reload();
  });
  form.addEventListener("submit", function () {
    updateSpent();
    leaving = true;
  });

  var clock = setInterval(tick, 500);
  tick();

  // Finished elsewhere (another tab, an interviewer, the sweep): the clock stops and the box stops taking
  // text that could no longer be saved; what it holds stays in this browser.
  function stopClock() {
    clearInterval(clock);
    timerValue.textContent = data.msgFinished;
    timer.classList.add("is-over");
    if (finishButton) finishButton.disabled = true;
    if (textarea) textarea.readOnly = true;
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    // An earlier failed request (a preview, say) no longer matters, and its notice would hide this message.
    var notice = document.getElementById("request-error");
    if (notice) notice.hidden = true;
  }
  if (!textarea || finishing) return;

  // --- Autosave ----------------------------------------------------------------------------------------
  var store = storage();
  var key = PREFIX + data.attempt + ":" + data.position;
  var maxChars = Number(data.maxChars);
  var status = function () { return document.getElementById("save-status"); };
  var counter = document.getElementById("char-count");
  var savedVersion = document.getElementById("saved-version");
  var dirty = false;
  var inFlight = false;
  var again = false;
  var sentText = null;
  var retrySeconds = 0;
  var unreachable = false; // the last save found no server: the warning says so until one gets through
  var debounceTimer = null;
  var retryTimer = null;
  // Typing without a pause of a second would put the save off forever: it waits this long at most.
  var MAX_WAIT_MS = 10000;
  var waitTimer = null;

  // `elsewhere`: the server refused this text because the answer was saved from another tab meanwhile.
  function keepLocal(elsewhere) {
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify({ text: textarea.value, at: Date.now(), elsewhere: !!elsewhere }));
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  }
  function readLocal() {
    try { return JSON.parse((store && store.getItem(key)) || "null"); } catch (e) { return null; }
  }
  function forgetLocal() {
    if (store) store.removeItem(key);
  }
  function setStatus(text) {
    var el = status();
    if (el) { el.textContent = text; el.classList.remove("is-error", "is-saved"); }
  }
  // The server's one length rule (interviews/services/attempts.py answer_length): code points, with line
  // breaks as one "\n" (a textarea's value already uses "\n"; String.length would count UTF-16 units).
  function answerLength(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }
  function offerOtherCopy(text) {
    showWarning(data.msgOtherCopy + " ", "info");
    var use = document.createElement("button");
    use.type = "button";
    use.className = "link";
    use.textContent = data.msgUseOtherCopy;
    use.addEventListener("click", function () {
      textarea.value = text;
      dirty = true;
      keepLocal();
      countChars();
      hideWarning();
      schedule(0);
    });
    warning.appendChild(use);
  }
  function countChars() {
    var length = answerLength(textarea.value);
    var over = length - maxChars;
    counter.textContent = length + " / " + maxChars;
    counter.classList.toggle("is-over", over > 0);
    return over;
  }

  function schedule(ms) {
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(save, ms);
  }

  function save() {
    clearTimeout(waitTimer);
    waitTimer = null;
    if (!dirty || finishing || leaving) return;
    if (inFlight) { again = true; return; }
    var over = countChars();
    if (over > 0) {
      // The server would refuse it: say so here, keep the text in the box and in this browser.
      setStatus(over === 1 ? data.msgTooLongOne : data.msgTooLong.replace("%s", over));
      status().classList.add("is-error");
      return;
    }
    clearTimeout(retryTimer);
    updateSpent();
    sentText = textarea.value;
    inFlight = true;
    if (unreachable) {
      // One message, not "Saving…" beside "retrying in 8 s".
      setStatus("");
      showWarning(data.msgRetrying, "error");
    } else {
      setStatus(data.msgSaving);
    }
    window.htmx.trigger(form, "autosave");
  }

  textarea.addEventListener("input", function () {
    dirty = true;
    keepLocal();
    countChars();
    if (!inFlight) setStatus(data.msgUnsaved);
    schedule(1000);
    if (!waitTimer) waitTimer = setTimeout(save, MAX_WAIT_MS);
  });
  textarea.addEventListener("blur", function () { if (dirty) schedule(0); });

  // htmx posts a form to the formaction of the button last clicked or focused in it: a save while Preview or
  // Submit has the focus (tabbing on, a retry, the 10 s timer) would preview, or submit the answer unasked.
  form.addEventListener("htmx:configRequest", function (evt) {
    if (evt.detail.elt === form) evt.detail.path = form.getAttribute("hx-post");
  });

  // Refusals (422 too long, 409 late or locked) carry a message for the candidate: show it.
  form.addEventListener("htmx:beforeSwap", function (evt) {
    // htmx fires this on the target (#save-status) with `elt` the target: the form is the request's.
    if (!evt.detail.requestConfig || evt.detail.requestConfig.elt !== form) return;
    var code = evt.detail.xhr.status;
    if (code === 409 || code === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  form.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt !== form) return;
    inFlight = false;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    unreachable = !(code >= 200 && code < 500);
    if (code >= 200 && code < 300) {
      retrySeconds = 0;
      hideWarning();
      resyncFrom(status());
      if (status() && status().dataset.savedAt) savedVersion.value = status().dataset.savedAt;
      if (textarea.value === sentText) {
        dirty = false;
        forgetLocal();
      }
    } else if (code === 429) {
      // Saving faster than the server allows: the text stays here; try again when the minute is over.
      retrySeconds = Number(evt.detail.xhr.getResponseHeader("Retry-After")) || 60;
      setStatus("");
      showWarning(data.msgRateLimited.replace("%s", retrySeconds), "error");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(save, retrySeconds * 1000);
      return;
    } else if (code === 409 || code === 422) {
      retrySeconds = 0;
      hideWarning();
      resyncFrom(status());
      if (code === 409) dirty = false; // late or locked: saving again would be refused the same way
      if (status() && status().dataset.closed) stopClock();
      if (status() && status().dataset.changedElsewhere) keepLocal(true);
    } else {
      // Network down, timeout or a server error: the text stays here and in localStorage; try again later.
      retrySeconds = Math.min(retrySeconds ? retrySeconds * 2 : 2, 30);
      setStatus("");
      showWarning(data.msgOffline.replace("%s", retrySeconds), "error");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(save, retrySeconds * 1000);
      return;
    }
    if (again || (dirty && textarea.value !== sentText)) {
      again = false;
      schedule(1000);
    }
  });

  root.querySelectorAll("[data-save-now]").forEach(function (button) {
    button.addEventListener("click", function (evt) {
      evt.preventDefault();
      dirty = true;
      save();
    });
  });

  // Leaving the question (another question, reload, closing the tab): send what is unsaved as a beacon.
  // The local copy stays until a page shows the server has the same text.
  window.addEventListener("pagehide", function () {
    if (!dirty || leaving || finishing || !navigator.sendBeacon) return;
    updateSpent();
    navigator.sendBeacon(form.action, new FormData(form));
  });

  // Reopening the page: a local copy newer than the server's draft is what the candidate typed last.
  var local = readLocal();
  if (local && local.elsewhere && local.text !== textarea.value) {
    // Refused because another tab saved this answer: the box shows that save; this text is one click away.
    offerOtherCopy(local.text);
  } else if (local && local.text !== textarea.value) {
    if (local.at - clockSkew > Number(data.savedAt)) {
      textarea.value = local.text;
      dirty = true;
      showWarning(data.msgRestored, "info");
      schedule(0);
    } else {
      forgetLocal();
    }
  } else if (local) {
    forgetLocal();
  }
  // Text in the box that the server did not send (typed before this script ran, or put back by the browser
  // on a reload) has not been saved: save it now.
  if (!dirty && textarea.value !== textarea.defaultValue) {
    dirty = true;
    keepLocal();
    schedule(0);
  }
  countChars();
})();
