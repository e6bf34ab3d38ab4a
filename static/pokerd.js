// pokerd's only script: what HTML cannot do on its own. The page works without it.
(function () {
  "use strict";
  var root = document.documentElement;

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
  // (data-shortcut: 1…9 and 0 for the cards, r to reveal, n for the next round), so a
  // key does exactly what a click would, and only when that button is there.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat || ev.defaultPrevented) return;
    var el = ev.target;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    var key = ev.key && ev.key.length === 1 ? ev.key.toLowerCase() : "";
    if (!/^[0-9rn]$/.test(key)) return;
    var button = document.querySelector('#hand [data-shortcut="' + key + '"]');
    if (!button || button.disabled) return;
    ev.preventDefault();
    button.click();
  });

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
  });
  document.addEventListener("htmx:afterSettle", tickTimers);
})();
