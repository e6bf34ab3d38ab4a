// The flow the existing Vue frontend follows (see the protocol's "Flow the existing
// frontend uses"), played with Node's own fetch and WebSocket against a running pokerd.
// The Go test that runs it drives a second player and talks to it over stdio:
//   this script prints "CODE <code>" once its socket is open;
//   the Go test answers with the second player's real id on one line.
// It exits 0 only if every check held, 1 with the reasons on stderr otherwise.
//
// Usage: node [--experimental-websocket] vue_flow.mjs http://127.0.0.1:PORT

import { createInterface } from "node:readline";

const base = process.argv[2];
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
const finish = () => {
  if (failures.length > 0) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
  process.exit(0);
};
setTimeout(() => {
  failures.push("the flow did not finish within 20 s");
  finish();
}, 20000).unref();

async function api(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

// The second player's real id, which the Go test sends once it has joined.
const lines = createInterface({ input: process.stdin });
const otherIdLine = new Promise((resolve) => lines.once("line", (l) => resolve(l.trim())));

// Every frame this client receives, in order; next() hands out the first one of a type
// (and matching pred) that it has not handed out yet, waiting for it if need be.
const frames = [];
const taken = new Set();
const waiters = [];
function onFrame(msg) {
  frames.push(msg);
  const i = frames.length - 1;
  const w = waiters.findIndex((w) => w.test(msg));
  if (w >= 0) {
    taken.add(i);
    waiters.splice(w, 1)[0].resolve(msg);
  }
}
function next(type, pred = () => true) {
  const test = (m) => m.type === type && pred(m.payload);
  const i = frames.findIndex((m, i) => !taken.has(i) && test(m));
  if (i >= 0) {
    taken.add(i);
    return Promise.resolve(frames[i]);
  }
  return new Promise((resolve) => waiters.push({ test, resolve }));
}

async function main() {
  // 1. The decks, a game without a timer, and a join with the id the frontend keeps.
  const decks = await api("GET", "/api/decks");
  check(Array.isArray(decks) && decks[0].id === 1, "GET /api/decks lists deck 1 first");
  const game = await api("POST", "/api/game", { name: "Node flow", deck_id: 1, game_settings: {} });
  const myId = crypto.randomUUID();
  const me = await api("POST", `/api/join/${game.code}`, { id: myId, username: "Vue" });
  check(me.id === myId, `the join echoes my own id (${me.id})`);

  let done = false;
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/api/ws/${myId}/${game.code}`);
  socket.onmessage = (e) => onFrame(JSON.parse(e.data));
  socket.onclose = (e) => {
    if (!done) {
      failures.push(`the socket closed: ${e.code} ${e.reason}`);
      finish();
    }
  };
  const send = (type, payload) => socket.send(JSON.stringify({ type, payload }));

  // The frontend finds itself in player_states by the id it joined with.
  const state = await next("STATE");
  const mine = state.payload.player_states[myId];
  check(mine && mine.player.id === myId && mine.is_admin && mine.is_connected, "I find myself, connected and admin, under my own id");
  await api("GET", `/api/decks/${state.payload.game.deck_id}`); // as the frontend does after each STATE
  await next("CONNECTED", (p) => p.player.id === myId);
  console.log(`CODE ${game.code}`);

  // 2. Another player joins and connects (driven by the Go test).
  const otherId = await otherIdLine;
  const joined = await next("CONNECTED", (p) => p.player.id !== myId);
  const otherAlias = joined.payload.player.id;
  check(otherAlias !== otherId, "the other player is named by an alias, not by its id");
  check(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(otherAlias), `the alias ${otherAlias} is a UUID v4`);

  // 3. A round: start it, vote, wait for the other's vote, reveal.
  send("RESET", null);
  await next("RESETGAME");
  send("SUBMITVOTE", 3);
  const myVote = await next("PLAYERVOTED", (p) => p.id === myId);
  check(myVote.payload.username === "Vue", "my own vote comes back under my id");
  const theirVote = await next("PLAYERVOTED", (p) => p.id !== myId);
  check(theirVote.payload.id === otherAlias, "the other's vote comes under the alias of its CONNECTED");
  send("REVEAL", "");
  const reveal = await next("REVEALGAME");
  const votes = reveal.payload;
  check(votes[myId] === 3, `REVEALGAME has my vote under my id (${JSON.stringify(votes)})`);
  check(votes[otherAlias] === 5, `REVEALGAME has the other's vote under its alias (${JSON.stringify(votes)})`);
  check(Object.keys(votes).length === 2, "REVEALGAME lists the two players");
  const values = Object.values(votes).filter((v) => v !== null);
  check(values.reduce((a, b) => a + b, 0) / values.length === 4, "the frontend's average of the revealed votes is 4");

  // 4. OBSERVE, sent with my Player as the payload, as the frontend does.
  send("OBSERVE", me);
  const observing = await next("OBSERVING");
  check(observing.payload.id === myId, "OBSERVING names me by my id");

  // Nothing I received named the other player by its real id.
  check(!JSON.stringify(frames).includes(otherId), "no frame carries the other player's id");
  done = true;
  socket.close();
}

main().then(finish, (err) => {
  failures.push(String(err && err.stack ? err.stack : err));
  finish();
});
