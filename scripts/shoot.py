#!/usr/bin/env python3
"""Screenshots with headless Chromium: shoot.py PROFILE_DIR FILE=URL@WIDTHxHEIGHT[*SCALE] ..."""
import os, socket, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import chromium, screenshot  # noqa: E402

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
browser, tab = chromium(port, sys.argv[1])
try:
    for job in sys.argv[2:]:
        path, _, rest = job.partition("=")
        url, _, geometry = rest.rpartition("@")
        size, _, scale = geometry.partition("*")
        width, _, height = size.partition("x")
        screenshot(tab, url, path, int(width), int(height), float(scale or 1))
        print(f"shoot: {path}")
finally:
    browser.terminate()
    browser.wait(timeout=10)
