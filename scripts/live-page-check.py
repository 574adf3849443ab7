#!/usr/bin/env python3
"""Looks at the live page the way a person does, in headless Chromium driven over the DevTools protocol: the page is
opened, a refresh is asked for on the admin port while it is open, and the page must show the new image without
reloading (one page view in the metrics) within a second. Prints the time it took; saves a screenshot.

Usage: scripts/live-page-check.py [BIN_DIR] [SCREENSHOT]   (BIN_DIR default .build/debug, SCREENSHOT docs/screenshot-live.png)
Only the Python standard library (scripts/devtools.py speaks the DevTools WebSocket)."""
import base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import DevTools, chromium  # noqa: E402

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug")
SHOT = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot-live.png"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, check, seconds=30, every=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception:
            pass
        time.sleep(every)
    sys.exit(f"live-page-check: timed out waiting for {what}")


def main():
    work = tempfile.mkdtemp()
    processes = []
    try:
        origin, page, admin, debug = free_port(), free_port(), free_port(), free_port()
        processes.append(subprocess.Popen([sys.executable, "scripts/picsum-like.py", str(origin)]))
        with open(f"{work}/image.yaml", "w") as f:
            f.write("apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: project-image, namespace: default}\n"
                    f'spec: {{url: "http://127.0.0.1:{origin}/1200", ttl: 1h, graceCount: 1}}\n')
        log = open(f"{work}/log", "w")
        processes.append(subprocess.Popen([f"{BIN}/hourly-image", "standalone", "-f", f"{work}/image.yaml", "--data", f"{work}/data",
                                           "--port", str(page), "--admin-port", str(admin), "--bind", "127.0.0.1",
                                           "--allow-private-networks"], stdout=log, stderr=log))
        status_url = f"http://127.0.0.1:{admin}/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image"
        sha = lambda: json.load(urllib.request.urlopen(status_url)).get("status", {}).get("current", {}).get("sha256")
        before = wait_for("the first image", sha)

        browser, tab = chromium(debug, f"{work}/profile")
        processes.append(browser)
        tab.call("Page.enable")
        tab.call("Page.navigate", url=f"http://127.0.0.1:{page}/")
        wait_for("the page to go live", lambda: tab.evaluate("document.documentElement.dataset.live") == "on")
        tab.evaluate("window.loadedAt = performance.timeOrigin")

        started = time.time()
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{admin}/images/default/project-image/refresh?value=live-check", method="POST"))
        after = wait_for("the refreshed image in the status", lambda: (s := sha()) != before and s, every=0.01)
        stored = time.time()
        shown = wait_for("the open page to show it", lambda: after in (tab.evaluate("document.querySelector('main img').src") or ""),
                         seconds=10, every=0.01)
        elapsed, reached = time.time() - started, time.time() - stored
        same_document = tab.evaluate("window.loadedAt === performance.timeOrigin && window.hourlyImageUpdates >= 1")
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics").read().decode()
        views = [line.split()[-1] for line in metrics.splitlines() if line.startswith("hourly_image_page_views_total")]
        if not (shown and same_document and views == ["1"]):
            sys.exit(f"live-page-check: the page reloaded instead of updating (same document: {same_document}, page views: {views})")
        print(f"live-page-check: the open page showed the refreshed image {elapsed * 1000:.0f} ms after the POST (fetch included), "
              f"{reached * 1000:.0f} ms after the status had it, without reloading (1 page view)")
        time.sleep(1.5)  # let the new image finish loading before the screenshot
        shot = tab.call("Page.captureScreenshot", format="png")
        with open(SHOT, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"live-page-check: {SHOT}")
        if reached > 1.0:
            sys.exit("live-page-check: slower than the 1 s the live page promises")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


main()
