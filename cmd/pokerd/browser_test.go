package main

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed, and CI must run the browser tests")
	}
	t.Skip("Chromium is not installed")
	return ""
}

func TestBrowserZZProbe(t *testing.T) {
	path := findChromium(t)
	s := startServer(t, nil)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(os.Stderr),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelB := chromedp.NewContext(allocCtx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 20*time.Second)
	defer tcancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(s.base+"/")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(tctx, chromedp.Title())
	t.Logf("title %q %v", title, err)
	txt, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("h1")))
	t.Logf("text %q %v", txt, err)
	v, err := chromedp.Run(tctx, chromedp.Evaluate[int](`1+2`))
	t.Logf("eval %v %v", v, err)
	p, err := chromedp.Run(tctx, chromedp.Poll[bool](`document.querySelector('h1') !== null`, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(2*time.Second)))
	t.Logf("poll %v %v", p, err)
	_, err = chromedp.Call(tctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	t.Logf("disable %v", err)
	if err := chromedp.Do(tctx, chromedp.Navigate(s.base+"/")); err != nil {
		t.Fatal(err)
	}
	txt, err = chromedp.Run(tctx, chromedp.Text(chromedp.CSS("h1")))
	t.Logf("nojs text %q %v", txt, err)
	v, err = chromedp.Run(tctx, chromedp.Evaluate[int](`1+2`))
	t.Logf("nojs eval %v %v", v, err)
	err = chromedp.Do(tctx, chromedp.WaitVisible(chromedp.CSS("h1")))
	t.Logf("nojs waitvisible %v", err)
	a, err := chromedp.Run(tctx, chromedp.AttributeValue(chromedp.CSS("#room-name"), "maxlength"))
	t.Logf("nojs attr %+v %v", a, err)
	p, err = chromedp.Run(tctx, chromedp.Poll[bool](`document.querySelector('h1') !== null`, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(2*time.Second)))
	t.Logf("nojs poll %v %v", p, err)
}
