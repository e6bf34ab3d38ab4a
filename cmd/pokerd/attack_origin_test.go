package main

// Attacks from other sites' pages: a page that makes its visitor's browser create or
// join games, post the room pages' forms or open WebSockets here; and cookies that are
// tampered with or brought from another browser.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pokerd/pokerd/views"
)

// crossOriginSenders are the headers a browser sends with a request that another
// origin's page made, each way it may. An attack that works with any of them works.
func crossOriginSenders(s *testServer) map[string]map[string]string {
	host := strings.TrimPrefix(s.base, "http://")
	return map[string]map[string]string{
		"another site":                                  {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
		"another site, an older browser":                {"Origin": "http://evil.example"},
		"another site, no Origin":                       {"Sec-Fetch-Site": "cross-site"},
		"another port of this host":                     {"Origin": "http://127.0.0.1:5174", "Sec-Fetch-Site": "same-site"},
		"this host and port over https":                 {"Origin": "https://" + host, "Sec-Fetch-Site": "cross-site"},
		"this host and port over https, older":          {"Origin": "https://" + host},
		"an allowed origin's host over https":           {"Origin": "https://127.0.0.1:5173"},
		"a browser extension on this host":              {"Origin": "chrome-extension://" + host},
		"a sandboxed frame or a file (Origin: null)":    {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		"a sibling subdomain of an allowed site":        {"Origin": "https://evil.poker.example.com", "Sec-Fetch-Site": "same-site"},
		"an allowed origin with a path (not an origin)": {"Origin": "https://poker.example.com/x"},
	}
}

// bodyTypes are the ways a page can send a body. "none" is what a no-cors fetch or
// sendBeacon of an untyped Blob sends.
var bodyTypes = []string{"none", "text/plain", "application/json", "multipart/form-data", "application/x-www-form-urlencoded"}

// encodeBody writes a request's fields in one of bodyTypes; jsonBody, when not empty,
// is what the JSON-looking types carry instead of the fields as strings (the API's
// bodies have numbers and objects).
func encodeBody(contentType string, fields url.Values, jsonBody string) (string, string) {
	if jsonBody == "" {
		flat := map[string]string{}
		for k := range fields {
			flat[k] = fields.Get(k)
		}
		b, _ := json.Marshal(flat)
		jsonBody = string(b)
	}
	switch contentType {
	case "none":
		return "", jsonBody
	case "application/json":
		return contentType, jsonBody
	case "text/plain":
		// What <form enctype="text/plain"> sends: name=value and a line break. A JSON
		// object is built by putting all of it but the last field's value in the name.
		return contentType, strings.TrimSuffix(jsonBody, "}") + `,"x":"=` + `"}` + "\r\n"
	case "multipart/form-data":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k := range fields {
			_ = w.WriteField(k, fields.Get(k))
		}
		_ = w.Close()
		return w.FormDataContentType(), buf.String()
	default:
		return contentType, fields.Encode()
	}
}

// sendAs sends a POST as a browser would: with the given headers and cookies.
func sendAs(t *testing.T, s *testServer, path, contentType, body string, header map[string]string, cookie string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	status, answer := attackRequest(t, req, 1<<20)
	return status, string(answer)
}

// Finding: a page of another site could create and join games through its visitors'
// browsers (an untyped body needs no CORS preflight), and post the room pages' forms
// from the server's own host under another scheme. Every such request is refused, whatever
// its body, before it does anything; the allowed origins and clients that are not
// browsers work as before.
func TestAttackCrossOriginWritesAreRefused(t *testing.T) {
	s := startServer(t, map[string]string{"PP_CORS_URLS": "https://poker.example.com"}, "--rooms-per-minute", "0", "--joins-per-minute", "0")
	before := beforeAttack(t, s)

	// A room run from the browser, with a player of the API watching it.
	ann := s.newFormClient(t)
	code := ann.createRoom("Target", "Ann")
	bobID := s.join(t, code, "Bob")
	bob := s.connect(t, bobID, code)
	bobSeenByAnn := playerAliasOf(t, ann.page(code), "Bob")
	cy := s.newFormClient(t) // a browser that has the join page open, not yet seated
	cy.get("/join/" + code)
	rooms, players := s.metric(t, "pokerd_rooms_open"), s.metric(t, "pokerd_players_seated")

	// Each request would act if it were sent by the server's own page: it carries the
	// browser's cookies and its CSRF token.
	type write struct {
		path     string
		fields   url.Values
		as       *formClient // whose cookies and token it carries; nil: none (the API)
		jsonBody string
	}
	apiFields := url.Values{"name": {"Hijacked"}, "deck_id": {"1"}, "username": {"Mallory"}}
	apiBody := `{"name":"Hijacked","deck_id":1,"game_settings":{},"username":"Mallory"}`
	writes := []write{
		{"/api/game", apiFields, nil, apiBody},
		{"/api/join/" + code, apiFields, nil, apiBody},
		{"/rooms", url.Values{"room_name": {"Hijacked"}, "your_name": {"Ann"}, "deck_id": {"1"}}, ann, ""},
		{"/join/" + code, url.Values{"your_name": {"Cy"}}, cy, ""},
		{"/room/" + code + "/start", url.Values{"ticket": {"https://phishing.example/login"}}, ann, ""},
		{"/room/" + code + "/vote", url.Values{"value": {"5"}}, ann, ""},
		{"/room/" + code + "/observe", nil, ann, ""},
		{"/room/" + code + "/reveal", nil, ann, ""},
		{"/room/" + code + "/options", url.Values{"hide_names": {"on"}, "auto_reveal": {"on"}}, ann, ""},
		{"/room/" + code + "/estimate", url.Values{"round": {"1"}, "estimate": {"100"}}, ann, ""},
		{"/room/" + code + "/handoff", url.Values{"player": {bobSeenByAnn}}, ann, ""},
		{"/room/" + code + "/remove", url.Values{"player": {bobSeenByAnn}}, ann, ""},
		{"/room/" + code + "/leave", nil, ann, ""},
	}
	sent := 0
	var acted []string // the writes that were not refused
	for name, header := range crossOriginSenders(s) {
		for _, w := range writes {
			for _, contentType := range bodyTypes {
				fields := url.Values{}
				for k, v := range w.fields {
					fields[k] = v
				}
				cookie := ""
				if w.as != nil {
					fields.Set("_csrf", w.as.csrf)
					cookie = w.as.cookieHeader()
				}
				ct, body := encodeBody(contentType, fields, w.jsonBody)
				h := map[string]string{}
				for k, v := range header {
					h[k] = v
				}
				if w.as != nil {
					h["X-CSRF-Token"] = w.as.csrf
				}
				status, answer := sendAs(t, s, w.path, ct, body, h, cookie)
				sent++
				if status != http.StatusForbidden {
					acted = append(acted, fmt.Sprintf("POST %s from %s as %s answered %d %.100s", w.path, name, contentType, status, answer))
				}
			}
		}
	}
	if len(acted) > 0 {
		t.Errorf("%d of %d cross-origin writes were not refused with 403, among them:\n%s", len(acted), sent, strings.Join(acted[:min(len(acted), 12)], "\n"))
	}

	st := bob.sync()
	if len(st.PlayerStates) != 2 || st.RoundState != "INIT" || st.TicketURL != nil {
		t.Errorf("the room changed: %d players, round %s, ticket %v", len(st.PlayerStates), st.RoundState, st.TicketURL)
	}
	for id, ps := range st.PlayerStates {
		if ps.HasVoted || ps.IsObserving || ps.IsAdmin != (id != bobID) {
			t.Errorf("player %s (%s) changed: %+v", id, ps.Player.Username, ps)
		}
	}
	if got := s.metric(t, "pokerd_rooms_open"); got != rooms {
		t.Errorf("%v rooms open after the attack, %v before: another site's page created some", got, rooms)
	}
	if got := s.metric(t, "pokerd_players_seated"); got != players {
		t.Errorf("%v players seated after the attack, %v before: another site's page seated some", got, players)
	}

	t.Run("the allowed origins and clients without a browser still write", func(t *testing.T) {
		newGame := `{"name":"Allowed","deck_id":1,"game_settings":{}}`
		for name, header := range map[string]map[string]string{
			"no Origin (curl, scripts)":          nil,
			"the frontend's development server":  {"Origin": "http://127.0.0.1:5173", "Sec-Fetch-Site": "same-site"},
			"the frontend's preview on port 80":  {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-site"},
			"a frontend on a site of the list":   {"Origin": "https://poker.example.com", "Sec-Fetch-Site": "cross-site"},
			"the server's own page":              {"Origin": s.base, "Sec-Fetch-Site": "same-origin"},
			"the server's own page, older":       {"Origin": s.base},
			"the browser's word, behind a proxy": {"Origin": "https://poker.example.org", "Sec-Fetch-Site": "same-origin"},
		} {
			res := s.do(t, http.MethodPost, "/api/game", newGame, header)
			if res.status != http.StatusOK {
				t.Errorf("create from %s: %d %s", name, res.status, res.body)
				continue
			}
			newCode := res.json(t)["code"].(string)
			if res := s.do(t, http.MethodPost, "/api/join/"+newCode, `{"username":"Ann"}`, header); res.status != http.StatusOK {
				t.Errorf("join from %s: %d %s", name, res.status, res.body)
			}
		}
		// A form from the server's own page acts.
		ann.page(code)
		req, _ := http.NewRequest(http.MethodPost, s.base+"/room/"+code+"/vote", strings.NewReader(url.Values{"value": {"5"}, "_csrf": {ann.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.base)
		if res := ann.do(req); res.status != http.StatusSeeOther {
			t.Fatalf("a vote from the room's own page: %d %s", res.status, res.body)
		}
		bob.expect("PLAYERVOTED")
	})
	bob.close()
	survivedAttack(t, s, before)
}

// Finding: the WebSocket's origin check compared the host alone, so that a page served
// from the right host under another scheme, or a browser extension, could open sockets.
// Scheme, host and port are compared exactly.
func TestAttackWebSocketOriginsAreComparedExactly(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "origins")
	id := s.join(t, code, "Ann")
	host := strings.TrimPrefix(s.base, "http://")
	for _, origin := range []string{
		"https://127.0.0.1", "chrome-extension://127.0.0.1", "http://127.0.0.1:5174", "http://evil.example",
		"https://127.0.0.1:5173", "ws://127.0.0.1:5173", "https://" + host, "chrome-extension://" + host,
		"http://127.0.0.1:5173/", "null",
	} {
		_, err := s.tryDial(id, code, http.Header{"Origin": {origin}})
		if err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("a socket from %s: got %v, want 403", origin, err)
		}
	}
	for _, origin := range []string{"", "http://127.0.0.1:5173", "http://127.0.0.1", s.base} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, err := s.tryDial(id, code, h)
		if err != nil {
			t.Errorf("a socket from %q: %v", origin, err)
			continue
		}
		_ = conn.CloseNow()
	}
}

// tlsProxyJar is the cookie jar of a browser that reaches the server through a proxy
// that terminates TLS: the browser speaks https, so it keeps and sends Secure cookies,
// though the test's requests reach the server over plain HTTP.
type tlsProxyJar struct{ jar *cookiejar.Jar }

func newTLSProxyJar() tlsProxyJar {
	jar, _ := cookiejar.New(nil)
	return tlsProxyJar{jar}
}

func asHTTPS(u *url.URL) *url.URL {
	v := *u
	v.Scheme = "https"
	return &v
}

func (j tlsProxyJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.jar.SetCookies(asHTTPS(u), cookies)
}

func (j tlsProxyJar) Cookies(u *url.URL) []*http.Cookie { return j.jar.Cookies(asHTTPS(u)) }

// Finding: behind a proxy that terminates TLS the identity cookie was never Secure. With
// an https public URL both cookies are __Host- prefixed and Secure; the share link and
// QR code name the public URL.
func TestAttackCookiesBehindATLSProxy(t *testing.T) {
	cookiesOf := func(t *testing.T, s *testServer, code string) map[string]*http.Cookie {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.base+"/join/"+code, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		set := map[string]*http.Cookie{}
		for _, c := range res.Cookies() {
			set[c.Name] = c
		}
		if len(set) != 2 {
			t.Fatalf("the join page set %d cookies, want the identity and the CSRF token: %v", len(set), res.Header.Values("Set-Cookie"))
		}
		return set
	}

	t.Run("with an https public URL the cookies are __Host- and Secure", func(t *testing.T) {
		s := startServer(t, nil, "--public-url", "https://poker.example.org")
		code := s.createGame(t, "Proxied")
		set := cookiesOf(t, s, code)
		for _, name := range []string{"__Host-pokerd_browser", "__Host-pokerd_csrf"} {
			c := set[name]
			if c == nil {
				t.Fatalf("no cookie %s among %v", name, set)
			}
			if !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie %s: Secure %v HttpOnly %v Path %q Domain %q SameSite %v", name, c.Secure, c.HttpOnly, c.Path, c.Domain, c.SameSite)
			}
		}

		// A browser that reaches the server through the proxy sits down and plays.
		ann := s.newFormClient(t)
		ann.client.Jar = newTLSProxyJar()
		ann.joinRoom(code, "Ann")
		page := ann.page(code)
		if !strings.Contains(page, `value="https://poker.example.org/join/`+code+`"`) {
			t.Errorf("the room page does not share the public URL's link")
		}
		want, err := views.QRCodeSVG("https://poker.example.org/join/" + code)
		if err != nil {
			t.Fatal(err)
		}
		if qr := ann.get("/room/" + code + "/qr.svg"); qr.status != http.StatusOK || !bytes.Equal(qr.body, want) {
			t.Errorf("qr.svg answered %d, not the QR code of the public URL's link", qr.status)
		}
		// A plain cookie of the same name, which a sibling subdomain or a plain-HTTP
		// answer could plant, is not read.
		u, _ := url.Parse(s.base)
		plain := s.newFormClient(t)
		for _, c := range ann.client.Jar.Cookies(u) {
			plain.client.Jar.SetCookies(u, []*http.Cookie{{Name: strings.TrimPrefix(c.Name, "__Host-"), Value: c.Value}})
		}
		if res := plain.get("/room/" + code); res.status != http.StatusSeeOther {
			t.Errorf("a plain cookie holding the identity opened the room: %d", res.status)
		}
	})

	for _, publicURL := range []string{"", "http://poker.example.org"} {
		t.Run("with the public URL "+publicURL+" they keep their plain names", func(t *testing.T) {
			s := startServer(t, nil, "--public-url", publicURL)
			set := cookiesOf(t, s, s.createGame(t, "Plain"))
			for _, name := range []string{"pokerd_browser", "pokerd_csrf"} {
				if c := set[name]; c == nil || c.Secure {
					t.Errorf("cookie %s: %+v, want it plain and not Secure over HTTP", name, c)
				}
			}
		})
	}
}

// Cookies cannot be forged into a seat: a cookie with one character changed, or another
// browser's cookie, is an identity that has no seat in the room. It gets the join page
// and nothing else: no room page, no hand, no events, no record, no vote, no command.
func TestAttackForgedIdentityCookieGetsNothing(t *testing.T) {
	s := startServer(t, nil)
	u, _ := url.Parse(s.base)
	ann := s.newFormClient(t)
	code := ann.createRoom("Target", "Ann")
	ann.page(code)
	ann.post("/room/"+code+"/start", nil, false)
	ann.post("/room/"+code+"/vote", url.Values{"value": {"5"}}, false)
	bobID := s.join(t, code, "Bob")
	bob := s.connect(t, bobID, code)
	annSeenByBob := ""
	for id, ps := range bob.sync().PlayerStates {
		if ps.Player.Username == "Ann" {
			annSeenByBob = id
		}
	}
	other := s.newFormClient(t) // another browser, in a room of its own
	other.createRoom("Elsewhere", "Olga")

	identity := func(b *formClient) string {
		for _, c := range b.client.Jar.Cookies(u) {
			if c.Name == "pokerd_browser" {
				return c.Value
			}
		}
		t.Fatal("the browser has no identity cookie")
		return ""
	}
	annCookie := identity(ann)
	oneCharChanged := func(at int) string {
		b := []byte(annCookie)
		if b[at] == '0' {
			b[at] = '1'
		} else {
			b[at] = '0'
		}
		return string(b)
	}
	forged := map[string]string{
		"Ann's cookie, its last character changed":  oneCharChanged(len(annCookie) - 1),
		"Ann's cookie, its first character changed": oneCharChanged(0),
		"Ann's cookie, a character made invalid":    strings.Replace(annCookie, annCookie[3:4], "g", 1),
		"Ann's cookie in upper case":                strings.ToUpper(annCookie),
		"another browser's cookie, from its room":   identity(other),
	}
	withCookie := func(value string) *formClient {
		b := s.newFormClient(t)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "pokerd_browser", Value: value}})
		return b
	}
	// The check itself: Ann's own cookie in a fresh client opens her seat.
	if res := withCookie(annCookie).get("/room/" + code); res.status != http.StatusOK {
		t.Fatalf("Ann's own cookie did not open her room: %d", res.status)
	}

	for name, value := range forged {
		t.Run(name, func(t *testing.T) {
			mallory := withCookie(value)
			for _, path := range []string{"/room/" + code, "/room/" + code + "/hand", "/room/" + code + "/people"} {
				if res := mallory.get(path); res.status != http.StatusSeeOther || res.header.Get("Location") != "/join/"+code {
					t.Errorf("GET %s answered %d (to %q), want the join page", path, res.status, res.header.Get("Location"))
				}
			}
			if res := mallory.get("/join/" + code); res.status != http.StatusOK {
				t.Errorf("the join page answered %d, want it (a new identity has no seat to go to)", res.status)
			}
			if res := mallory.get("/room/" + code + "/events"); res.status != http.StatusForbidden {
				t.Errorf("the room's events answered %d %s, want 403", res.status, res.body)
			}
			for _, path := range []string{"/room/" + code + "/record.json", "/room/" + code + "/record.csv"} {
				if res := mallory.get(path); res.status == http.StatusOK {
					t.Errorf("GET %s answered the record", path)
				}
			}
			for _, w := range []struct {
				path   string
				fields url.Values
			}{
				{"/vote", url.Values{"value": {"13"}}},
				{"/observe", nil},
				{"/reveal", nil},
				{"/start", url.Values{"ticket": {"https://phishing.example/login"}}},
				{"/options", url.Values{"hide_names": {"on"}}},
				{"/handoff", url.Values{"player": {annSeenByBob}}},
				{"/remove", url.Values{"player": {annSeenByBob}}},
			} { // (leaving only sends the browser home: it acts on no seat)
				for _, htmx := range []bool{false, true} {
					res := mallory.post("/room/"+code+w.path, w.fields, htmx)
					if res.status != http.StatusSeeOther && res.status != http.StatusForbidden {
						t.Errorf("POST %s (htmx %v) answered %d %.200s, want the join page", w.path, htmx, res.status, res.body)
					}
				}
			}
		})
	}
	st := bob.sync()
	if len(st.PlayerStates) != 2 || st.RoundState != "VOTING" || st.TicketURL != nil {
		t.Errorf("the room changed: %d players, round %s, ticket %v", len(st.PlayerStates), st.RoundState, st.TicketURL)
	}
	for id, ps := range st.PlayerStates {
		isAnn := ps.Player.Username == "Ann"
		if ps.HasVoted != isAnn || ps.IsAdmin != isAnn || ps.IsObserving {
			t.Errorf("player %s (%s) changed: %+v", id, ps.Player.Username, ps)
		}
	}
	bob.close()
}

// hostilePage is another site's page that tries, as its visitor's browser, to create a
// game here in every way a page can without a CORS preflight; attack() starts them all.
const hostilePage = `<!doctype html>
<title>Win a prize</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="json" method="POST" enctype="text/plain" target="sink1"><input name='{"name":"Phished","deck_id":1,"game_settings":{},"x":"' value='"}'></form>
<form id="rooms" method="POST" target="sink2"><input name="room_name" value="Phished"><input name="your_name" value="Mallory"><input name="deck_id" value="1"></form>
<script>
window.attack = function (target) {
  var json = JSON.stringify({name: "Phished", deck_id: 1, game_settings: {}});
  var fetched = fetch(target + "/api/game", {mode: "no-cors", method: "POST", body: new Blob([json])})
    .then(function () { return "answered"; }, function (e) { return "failed: " + e; });
  var beaconed = navigator.sendBeacon(target + "/api/game", new Blob([json]));
  var forms = ["json", "rooms"].map(function (id) {
    var f = document.getElementById(id), frame = document.getElementsByName(f.target)[0];
    f.action = target + (id === "json" ? "/api/game" : "/rooms");
    return new Promise(function (done) { frame.onload = function () { done(id + " loaded"); }; f.submit(); });
  });
  return Promise.all([fetched].concat(forms)).then(function (r) { return r.concat(["beacon queued: " + beaconed]).join(", "); });
};
</script>`

// A real browser on a page of another origin (another port of this host: the same site;
// and localhost: another site) tries to create games here with a no-cors fetch of an
// untyped Blob, sendBeacon, a text/plain form crafted to post JSON, and the create
// form. No game is created.
func TestAttackHostilePageCannotCreateGames(t *testing.T) {
	s := startServer(t, nil, "--rooms-per-minute", "0")
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hostilePage)
	}))
	defer hostile.Close()
	browser := startChromium(t)

	for _, site := range []struct{ name, page string }{
		{"another port of this host", hostile.URL},
		{"another site", strings.Replace(hostile.URL, "127.0.0.1", "localhost", 1)},
	} {
		t.Run(site.name, func(t *testing.T) {
			tab := browser.openTab(t, "visitor", true)
			// Watch the browser's requests to pokerd, the beacon's too (a page cannot).
			answers := make(chan string, 16)
			go func() {
				for ev, err := range chromedp.Events(tab.ctx, network.ResponseReceived) {
					if err != nil {
						return
					}
					if strings.HasPrefix(ev.Response.URL, s.base+"/") {
						answers <- fmt.Sprintf("%s %s: %d", ev.Type, strings.TrimPrefix(ev.Response.URL, s.base), ev.Response.Status)
					}
				}
			}()
			if _, err := chromedp.Call(tab.ctx, network.Enable, network.EnableParams{}); err != nil {
				t.Fatal(err)
			}
			rooms := s.metric(t, "pokerd_rooms_open")
			if status := tab.navigate(t, site.page); status != http.StatusOK {
				t.Fatalf("the hostile page: %d", status)
			}
			done := tabRun(t, tab, "attack", chromedp.Evaluate[string]("attack("+jsString(s.base)+")", chromedp.EvalAwaitPromise))
			t.Logf("the page: %s", done)
			var seen []string
			timeout := time.After(browserStepTimeout)
			for len(seen) < 4 {
				select {
				case a := <-answers:
					seen = append(seen, a)
				case <-timeout:
					t.Fatalf("pokerd answered %d of the page's 4 requests within %s: %v", len(seen), browserStepTimeout, seen)
				}
			}
			t.Logf("pokerd's answers, as the browser saw them: %v", seen)
			for _, a := range seen {
				if !strings.HasSuffix(a, ": 403") {
					t.Errorf("the browser's request %s, want 403", a)
				}
			}
			if got := s.metric(t, "pokerd_rooms_open"); got != rooms {
				t.Errorf("%v rooms open after the hostile page, %v before (answers: %v)", got, rooms, seen)
			}
		})
	}
}
