#!/usr/bin/env python3
"""A local stand-in for Lorem Picsum, for demos and screenshots without internet.

    python3 scripts/demo_picsum.py PORT

/{size} answers 302 to /id/{id}/{size}/{size}.jpg (ids cycle), which answers a generated
JPEG with a Picsum-ID header; /id/{id}/info answers the photographer JSON. Needs Pillow.
"""
import io
import itertools
import json
import math
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

IDS = itertools.cycle([1025, 237, 870])
AUTHORS = {1025: "Matthew Wiebe", 237: "André Spieker", 870: "Bailey Zindel"}


def landscape(seed: int, size: int) -> bytes:
    """A soft mountain landscape at dusk, different per seed."""
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    hue = (seed * 37) % 360
    for y in range(size):
        t = y / size
        r = int(40 + 180 * t + 30 * math.sin(hue))
        g = int(60 + 90 * t)
        b = int(140 - 60 * t + 40 * math.cos(hue))
        draw.line([(0, y), (size, y)], fill=(max(0, min(255, r)), g, max(0, min(255, b))))
    for layer, shade in enumerate([(70, 60, 90), (45, 40, 70), (25, 22, 45)]):
        points = [(0, size)]
        for x in range(0, size + 20, 20):
            height = 0.45 + 0.12 * layer + 0.08 * math.sin(x / (90 + 40 * layer) + seed + layer)
            points.append((x, int(size * height)))
        points.append((size, size))
        draw.polygon(points, fill=shade)
    draw.ellipse([size * 0.68, size * 0.18, size * 0.8, size * 0.30], fill=(255, 226, 170))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        m = re.fullmatch(r"/id/(\d+)/info", self.path)
        if m:
            pid = int(m.group(1))
            body = json.dumps({"id": str(pid), "author": AUTHORS.get(pid, "Unknown"),
                               "url": f"https://unsplash.com/photos/demo-{pid}"}).encode()
            return self.reply(200, "application/json", body)
        m = re.fullmatch(r"/id/(\d+)/(\d+)/(\d+)\.jpg", self.path)
        if m:
            pid, size = int(m.group(1)), min(int(m.group(2)), 2000)
            return self.reply(200, "image/jpeg", landscape(pid, size), {"Picsum-ID": str(pid)})
        m = re.fullmatch(r"/(\d+)", self.path)
        if m:
            size = m.group(1)
            self.send_response(302)
            self.send_header("Location", f"/id/{next(IDS)}/{size}/{size}.jpg")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self.reply(404, "text/plain", b"not found")

    def reply(self, status, content_type, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
