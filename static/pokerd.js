// pokerd's only script: what HTML cannot do on its own. The page works without it.
(function () {
  "use strict";
  var root = document.documentElement;
  // Controls that only work with this script (marked data-needs-script) are hidden by
  // the stylesheet until it runs. It runs in the head, before the page is drawn.
  root.classList.add("scripted");

  // Theme: follows the system until the user picks one with the toggle.
  var saved = null;
  try { saved = localStorage.getItem("pokerd-theme"); } catch (e) {}
  if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function labelToggle(btn) {
    var next = currentTheme() === "dark" ? "light" : "dark";
    btn.textContent = next === "dark" ? "Dark theme" : "Light theme";
    btn.setAttribute("aria-label", "Switch to the " + next + " theme");
  }

  document.addEventListener("click", function (ev) {
    var toggle = ev.target.closest("[data-theme-toggle]");
    if (toggle) {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("pokerd-theme", next); } catch (e) {}
      labelToggle(toggle);
      return;
    }
    var copy = ev.target.closest("[data-copy]");
    if (copy) {
      var input = document.getElementById(copy.getAttribute("data-copy"));
      if (!input) return;
      var done = function () {
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = "Copy link"; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { document.execCommand("copy"); done(); } catch (e) {}
      }
    }
  });

  // Round timer: the server sends the round's start, its deadline and its limits; the
  // bar moves here. The deadline is the server's, so it holds through reloads.
  function tickTimers() {
    var timers = document.querySelectorAll(".timer[data-start]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      var start = Date.parse(t.getAttribute("data-start"));
      var deadline = Date.parse(t.getAttribute("data-deadline") || "");
      var max = deadline && start ? deadline - start : Number(t.getAttribute("data-max")) * 60000;
      var warn = max - (Number(t.getAttribute("data-max")) - Number(t.getAttribute("data-warn"))) * 60000;
      if (!start || !max) continue;
      var elapsed = Math.max(0, Date.now() - start);
      var phase = elapsed >= max ? "over" : elapsed >= warn ? "warning" : "ok";
      t.setAttribute("data-phase", phase);
      var fill = t.querySelector(".timer-fill");
      if (fill) fill.style.width = Math.min(100, (elapsed / max) * 100) + "%";
      var label = t.querySelector(".timer-label");
      if (label) {
        var text = clock(elapsed) + " of " + clock(max);
        if (phase === "warning") text += " (time is nearly up)";
        if (phase === "over") text += " (over time)";
        label.textContent = text;
      }
    }
  }
  function clock(ms) {
    var secs = Math.floor(ms / 1000);
    return Math.floor(secs / 60) + ":" + String(secs % 60).padStart(2, "0");
  }

  // Keyboard shortcuts: a key presses the button of the viewer's hand that carries it
  // (data-shortcut: on a deck of numbers a digit is the card of that number, on a deck of
  // words its place; r to reveal, n for the next round), so a key does exactly what a
  // click would, and only when that button is there.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat || ev.defaultPrevented) return;
    var el = ev.target;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    var key = ev.key && ev.key.length === 1 ? ev.key.toLowerCase() : "";
    if (!/^[0-9rn]$/.test(key)) return;
    var button = document.querySelector('#hand [data-shortcut="' + key + '"]');
    if (!button || button.disabled) return;
    ev.preventDefault();
    lastUsed = button;
    button.click();
  });

  // After an action the part it was in is replaced: the focus goes back to the control
  // that was used (the same data-testid, or id), not to the page's body.
  var lastUsed = null;
  var focusKey = null;
  function keyOf(el) {
    if (!el || el === document.body) return null;
    var testid = el.getAttribute("data-testid");
    if (testid) return '[data-testid="' + CSS.escape(testid) + '"]';
    return el.id ? "#" + CSS.escape(el.id) : null;
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button, a");
    if (b) lastUsed = b;
  }, true);
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail.target;
    var active = document.activeElement;
    if (active && active !== document.body && target && target.contains(active)) focusKey = keyOf(active);
    // A browser that does not focus a clicked button (Safari): the control that sent
    // this very request, never one used earlier (a refresh must not take the focus).
    else if (lastUsed && target && target.contains(lastUsed) && ev.detail.elt && ev.detail.elt.contains(lastUsed)) focusKey = keyOf(lastUsed);
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) return;
    var el = document.querySelector(focusKey);
    focusKey = null;
    var active = document.activeElement;
    if (el && (!active || active === document.body || !active.isConnected)) el.focus({ preventScroll: true });
  });

  // Pending and failed actions: the button used looks pressed (and is aria-busy) while
  // its request is out; a request that fails says so in the status line, since htmx
  // itself drops an error without a word.
  function submitterOf(detail) {
    var ev = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (ev && ev.submitter) return ev.submitter;
    if (lastUsed && detail.elt && detail.elt.contains(lastUsed)) return lastUsed;
    return detail.elt;
  }
  function actionName(el) {
    var text = el && (el.getAttribute("aria-label") || el.textContent || "");
    text = text.replace(/\s+/g, " ").trim();
    if (!text || text.length > 40) return "The action";
    if (el.classList.contains("card")) return "Your vote for " + text;
    return "“" + text + "”";
  }
  // By request: the button that sent it and what to call it. htmx may tell of a
  // request's end (afterRequest) before or after its failure, so the name outlives it.
  var sentBy = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var el = submitterOf(ev.detail);
    if (!el || !ev.detail.xhr) return;
    el.classList.add("is-pending");
    el.setAttribute("aria-busy", "true");
    sentBy.set(ev.detail.xhr, { el: el, name: actionName(el) });
  });
  function settle(detail) {
    var p = detail.xhr && sentBy.get(detail.xhr);
    if (!p) return { name: "The action" };
    p.el.classList.remove("is-pending");
    p.el.removeAttribute("aria-busy");
    return p;
  }
  function showStatus(text) {
    var status = document.getElementById("action-status");
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }
  document.addEventListener("htmx:afterRequest", function (ev) {
    settle(ev.detail);
    if (ev.detail.successful) showStatus("");
  });
  document.addEventListener("htmx:responseError", function (ev) {
    var p = settle(ev.detail);
    var code = ev.detail.xhr ? ev.detail.xhr.status : 0;
    var why = code === 403 ? "the page has expired: reload it" :
      code === 429 ? "too many requests: wait a moment" :
      code >= 500 ? "the server had a problem (" + code + ")" : "it was refused (" + code + ")";
    showStatus(p.name + " failed: " + why + ".");
    // A 404 may be the room itself gone (a restarted server, an expired room); a 5xx
    // may be a server on its way down. The room's own answer tells.
    if (code === 404 || code >= 500) checkRoomExists(p.name);
  });
  document.addEventListener("htmx:sendError", function (ev) {
    var p = settle(ev.detail);
    showStatus(p.name + " failed: the server could not be reached. Check the connection and try again.");
    checkRoomExists(p.name);
  });

  // The stream lost and found. htmx-ext-sse and the browser retry a lost stream by
  // themselves (the browser every few seconds while the server cannot be reached; the
  // extension, with a growing delay, after an answer that is not a stream, such as the
  // 404 of a room the server no longer has). Meanwhile the page says it is reconnecting;
  // when the stream is back, its first message is the whole room as it is now, and the
  // hand follows by its key (syncHand). If the room is gone, retrying is pointless: the
  // page says so in place of the room, which also ends the extension's retries (it
  // drops a stream whose element has left the page).
  var streamLost = false;
  function liveElement() { return document.querySelector("[data-testid=live][sse-connect]"); }
  function connectionSays(html) {
    var region = document.getElementById("connection");
    if (region) region.innerHTML = html;
  }
  document.addEventListener("htmx:sseError", function () {
    if (!liveElement()) return;
    if (!streamLost) {
      streamLost = true;
      // Put in once per loss, so that it is read out once, not on every retry.
      connectionSays('<p class="connection-banner" data-testid="reconnecting"><span class="connection-dot" aria-hidden="true"></span>Reconnecting…</p>');
    }
    checkRoomExists(null);
  });
  document.addEventListener("htmx:sseOpen", function () {
    failedAction = null;
    if (!streamLost) return;
    streamLost = false;
    connectionSays('<span class="visually-hidden" data-testid="reconnected">Connected again</span>');
  });
  // checkRoomExists asks the server for the viewer's hand, the smallest answer that
  // tells the room from its absence: 404 only when the room is gone (a browser without
  // a seat is sent to the join page instead). No answer at all is a server still down:
  // the stream's retries go on. failed names the action that failed, if one did: a
  // room found gone says that it failed for that reason.
  var checking = false;
  var failedAction = null;
  function checkRoomExists(failed) {
    var live = liveElement();
    if (failed) failedAction = failed;
    if (!live || checking || !window.fetch) return;
    var url = live.getAttribute("sse-connect").replace(/events$/, "hand");
    checking = true;
    // A server that takes the connection and never answers must not stop the checks
    // for good.
    var opts = { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" };
    if (window.AbortSignal && AbortSignal.timeout) opts.signal = AbortSignal.timeout(10000);
    fetch(url, opts).then(function (res) {
      checking = false;
      var to = res.headers.get("HX-Redirect");
      if (to && /^\/[^\/]/.test(to)) { location.assign(to); return; }
      if (res.headers.get("HX-Refresh") === "true") { location.reload(); return; }
      if (res.status === 404) roomGone(failedAction);
      else if (res.ok) failedAction = null;
    }, function () { checking = false; });
  }
  function roomGone(failed) {
    var live = liveElement();
    var gone = document.getElementById("room-gone");
    if (!live || !gone) return;
    var focusLost = !document.activeElement || document.activeElement === document.body || live.contains(document.activeElement);
    streamLost = false;
    live.replaceWith(gone);
    gone.hidden = false;
    // Its share link leads nowhere now.
    var share = document.querySelector(".share");
    if (share) share.remove();
    connectionSays('<span class="visually-hidden">This room no longer exists: it expired or the server lost it.</span>');
    if (failed) showStatus(failed + " failed: this room no longer exists.");
    document.title = "Room gone · pokerd";
    measureDock();
    if (focusLost) document.getElementById("room-gone-heading").focus({ preventScroll: true });
  }

  // The round's controls are docked to the bottom of the window: the page keeps room
  // for them below its end (--dock-h), and the status line sits just above them.
  function measureDock() {
    var bar = document.querySelector(".runbar");
    root.style.setProperty("--dock-h", (bar ? bar.offsetHeight : 0) + "px");
  }
  window.addEventListener("resize", measureDock);

  // The tab's title follows the round, so a facilitator in another tab sees when
  // everyone has voted.
  function titleRoom() {
    var live = document.querySelector("[data-room-name]");
    var round = document.getElementById("round");
    if (!live || !round) return;
    var name = live.getAttribute("data-room-name");
    var state = round.getAttribute("data-round");
    var prefix = state === "REVEALED" ? "Revealed" :
      document.querySelector("#round [data-testid=everyone-voted]") ? "Everyone voted" :
      state === "VOTING" ? "Voting" : "";
    document.title = (prefix ? prefix + " · " : "") + name + " · pokerd";
  }

  // The viewer's own hand is theirs to fetch: the stream says which hand the page should
  // show (#hand-sync's data-hand-key: a new round, a reveal, a new role, new rules), and
  // the page fetches it only when the one it has differs. A request of the viewer's
  // whose answer is the hand (a vote, a start) is waited for first: it may bring it.
  var handRequests = 0;
  function targetsHand(detail) {
    return detail && detail.target && detail.target.id === "hand";
  }
  document.addEventListener("htmx:beforeRequest", function (ev) {
    if (targetsHand(ev.detail)) handRequests++;
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    if (!targetsHand(ev.detail) || handRequests === 0) return;
    handRequests--;
    // The answer is in place (or failed): the hand it brought may still not be the one
    // the stream asked for meanwhile.
    if (handRequests === 0) setTimeout(syncHand, 0);
  });
  function syncHand() {
    var sync = document.getElementById("hand-sync");
    var hand = document.getElementById("hand");
    if (!sync || !hand || !window.htmx || handRequests > 0) return;
    var want = sync.getAttribute("data-hand-key");
    if (!want || want === hand.getAttribute("data-hand-key")) return;
    htmx.ajax("GET", sync.getAttribute("data-hand-url"), { target: "#hand", swap: "outerHTML" });
  }

  // Whether the viewer may run the round: the hand (fetched again when their role
  // changes) says so, and the room's live part, whose runner-only controls the
  // stylesheet shows or hides by it, follows.
  function markRunner() {
    var hand = document.getElementById("hand");
    var live = document.querySelector(".room-live");
    if (!hand || !live || !hand.hasAttribute("data-can-run")) return;
    live.setAttribute("data-can-run", hand.getAttribute("data-can-run"));
  }

  // "Vote again" asks first when votes are in: the round's tally (data-votes) says so,
  // and the stream keeps it up to date without a new hand, so the question follows it
  // rather than the hand as it was drawn.
  document.addEventListener("htmx:confirm", function (ev) {
    var el = ev.detail && ev.detail.elt;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-confirm-votes")) return;
    var tally = document.getElementById("tally");
    var votes = tally ? parseInt(tally.getAttribute("data-votes") || "0", 10) : 0;
    ev.preventDefault();
    if (votes > 0 && !window.confirm(el.getAttribute("data-confirm-votes"))) return;
    ev.detail.issueRequest(true);
  });

  // Enter in the runbar's estimate field saves the estimate: the field shares its form
  // with the story field, whose first button (Start) would otherwise take the Enter.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !ev.target || !ev.target.matches || !ev.target.matches("#hand [data-testid=estimate-input]")) return;
    var save = document.querySelector("#hand [data-testid=estimate-save]");
    if (!save) return;
    ev.preventDefault();
    save.click();
  });

  // The Reveal button lights up once everyone has voted: the round's tally says so, and
  // the stream keeps the tally up to date without a new hand.
  function markReady() {
    var reveal = document.querySelector("#hand [data-testid=reveal]");
    if (!reveal) return;
    reveal.classList.toggle("btn-ready", !!document.querySelector("#tally[data-everyone-voted]"));
  }

  // The stream sends the players as everyone sees them; the viewer's own row says
  // "(you)" again, as the page's first render did.
  function markYou() {
    var live = document.querySelector("[data-you]");
    if (!live) return;
    var row = document.querySelector('#players li[data-testid="' + CSS.escape(live.getAttribute("data-you")) + '"]');
    if (!row || row.querySelector("[data-testid=you]")) return;
    var name = row.querySelector("[data-testid=player-name]");
    if (!name) return;
    var you = document.createElement("span");
    you.className = "you";
    you.setAttribute("data-testid", "you");
    you.textContent = "(you)";
    name.after(you);
  }

  // The announcer: the room's news in words for screen readers, and only what a stream
  // message changed ("Bob voted", "Everyone has voted", "Revealed: average 5"). The
  // page is compared before and after each swap: the players by their rows (alias,
  // data-voted, data-connected, the facilitator's tag), the round by its panel
  // (data-round, data-round-number, data-revealed). Pages carry aliases only.
  function roomNow() {
    var round = document.getElementById("round");
    if (!round) return null;
    var players = {};
    var rows = document.querySelectorAll('#players li[data-testid^="player-"]');
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var name = row.querySelector("[data-testid=player-name]");
      players[row.getAttribute("data-testid")] = {
        name: name ? name.textContent.trim() : "Someone",
        voted: row.getAttribute("data-voted") === "true",
        online: row.getAttribute("data-connected") === "true",
        admin: !!row.querySelector(".tag-admin")
      };
    }
    return {
      round: round.getAttribute("data-round"),
      number: round.getAttribute("data-round-number"),
      everyone: !!round.querySelector("[data-testid=everyone-voted]"),
      revealed: round.getAttribute("data-revealed"),
      players: players
    };
  }
  function andList(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }
  // Who has been seen online in this page: someone coming online for the first time
  // joined, someone coming online again is back.
  var seenOnline = {};
  function remember(now) {
    for (var id in now.players) if (now.players[id].online) seenOnline[id] = true;
  }
  function roomNews(before, after, you) {
    var joined = [], back = [], left = [], voted = [], news = [];
    var id, b, a;
    for (id in after.players) {
      a = after.players[id];
      b = before.players[id];
      if (a.online && !(b && b.online)) (seenOnline[id] ? back : joined).push(a.name);
      if (b && b.online && !a.online) left.push(a.name);
    }
    for (id in before.players) if (!after.players[id] && before.players[id].online) left.push(before.players[id].name);
    var newRound = after.round === "VOTING" && after.number !== before.number;
    if (joined.length) news.push(andList(joined) + " joined");
    if (back.length) news.push(andList(back) + (back.length > 1 ? " are back" : " is back"));
    if (left.length) news.push(andList(left) + " left");
    if (newRound) news.push("New round started");
    if (after.round === "VOTING" && !newRound) {
      for (id in after.players) {
        b = before.players[id];
        // The viewer's own vote is theirs to know: their card shows it chosen.
        if (id !== you && after.players[id].voted && b && !b.voted) voted.push(after.players[id].name);
      }
      if (voted.length) news.push(andList(voted) + " voted");
    }
    if (after.everyone && !before.everyone) news.push("Everyone has voted");
    if (after.round === "REVEALED" && before.round !== "REVEALED") news.push("Revealed: " + (after.revealed || "no votes"));
    for (id in after.players) {
      if (!after.players[id].admin || (before.players[id] && before.players[id].admin)) continue;
      news.push(id === you ? "You are the facilitator now" : after.players[id].name + " is the facilitator now");
    }
    return news.join(". ");
  }
  function announce(text) {
    var el = document.getElementById("announcer");
    if (!el || !text) return;
    // Emptied first, so that news in the same words as the last is read out again.
    el.textContent = "";
    setTimeout(function () { el.textContent = text; }, 50);
  }
  var shownRoom = null;
  var newsPending = false;
  function checkRoom() {
    newsPending = false;
    var now = roomNow();
    if (!now) return;
    if (shownRoom) {
      var live = document.querySelector("[data-you]");
      announce(roomNews(shownRoom, now, live ? live.getAttribute("data-you") : ""));
    }
    remember(now);
    shownRoom = now;
  }
  // One message of the stream settles in several parts: the news is told once, after
  // all of them.
  function roomChanged() {
    if (newsPending) return;
    newsPending = true;
    setTimeout(checkRoom, 0);
  }

  function labelAll() {
    var toggles = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < toggles.length; i++) labelToggle(toggles[i]);
  }
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) scheme.addEventListener("change", labelAll);
  }

  // A room page left for another keeps its event stream open while the browser holds it
  // in its back/forward cache, and the player would look online for a minute. Close the
  // stream when the page is hidden; a page shown again from that cache is reloaded.
  var streamClosed = false;
  window.addEventListener("pagehide", function () {
    // htmx-ext-sse 2.2.4 keeps the EventSource in the element's htmx data.
    var live = document.querySelector("[sse-connect]");
    var data = live && live["htmx-internal-data"];
    if (data && data.sseEventSource) {
      data.sseEventSource.close();
      streamClosed = true;
    }
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted && streamClosed) location.reload();
  });

  // A room's passcode travels only in a URL's fragment, which browsers never send to a
  // server (nor put in a Referer). The creator's browser lands on /room/{code}#passcode=…
  // and the share link then carries it, so that "Copy link" gives a link that fills in the
  // join page's field. Either page takes it out of the address bar, and so out of the
  // browser's history; the room page keeps it for this tab only, for reloads. Without
  // JavaScript people type the passcode.
  function takePasscodeFromFragment() {
    if (location.hash.length < 2) return null;
    var passcode = null;
    try { passcode = new URLSearchParams(location.hash.slice(1)).get("passcode"); } catch (e) {}
    if (passcode === null) return null;
    try { history.replaceState(history.state, "", location.pathname + location.search); } catch (e) {}
    return passcode;
  }
  function applyPasscode() {
    var passcode = takePasscodeFromFragment();
    var field = document.getElementById("join-passcode");
    if (field) {
      if (passcode && !field.value) field.value = passcode;
      return;
    }
    var share = document.querySelector("input[data-passcode-for]");
    if (!share) return;
    var key = "pokerd-passcode:" + share.getAttribute("data-passcode-for");
    try {
      if (passcode) sessionStorage.setItem(key, passcode);
      else passcode = sessionStorage.getItem(key);
    } catch (e) {}
    if (!passcode) return;
    share.value = share.value.split("#")[0] + "#" + new URLSearchParams({ passcode: passcode }).toString();
    var note = document.querySelector("[data-passcode-note]");
    if (note) note.textContent = "The copied link carries the passcode; the QR code does not.";
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyPasscode();
    labelAll();
    tickTimers();
    setInterval(tickTimers, 1000);
    measureDock();
    titleRoom();
    checkRoom();
  });
  document.addEventListener("htmx:afterSettle", function () {
    roomChanged();
    tickTimers();
    measureDock();
    titleRoom();
    markYou();
    markReady();
    markRunner();
    syncHand();
  });
})();
