#!/usr/bin/env python3
# A Picsum-like origin on 127.0.0.1:PORT for demos and screenshots: /1200 redirects to a photo (a new id each time,
# with Picsum-ID), /id/N/info names its photographer, /id/N/W/H.jpg is a gradient picture (a real PNG, a new one per
# id). Usage: picsum-like.py PORT
import http.server, itertools, json, struct, sys, zlib

PHOTOS = {"237": "André Spieker", "1025": "Matthew Wiebe", "870": "Akshay Paatil"}
order = itertools.cycle(PHOTOS)


def png(seed, width=960, height=640):
    """A diagonal two-colour gradient, different for each photo id."""
    a = [(seed * 67) % 256, (seed * 131) % 256, (seed * 29) % 256]
    b = [255 - c for c in a]
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            t = (x / width + y / height) / 2
            row += bytes(int(a[i] + (b[i] - a[i]) * t) for i in range(3))
        rows.append(bytes(row))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/")
        if self.path == "/1200":
            photo = next(order)
            self.send(302, headers=[("Location", f"/id/{photo}/960/640.jpg"), ("Picsum-ID", photo)])
        elif len(parts) == 4 and parts[1] == "id" and parts[3] == "info":
            body = json.dumps({"id": parts[2], "author": PHOTOS.get(parts[2], "Unknown"), "url": f"https://unsplash.com/photos/{parts[2]}"})
            self.send(200, body.encode(), [("Content-Type", "application/json")])
        elif len(parts) == 5 and parts[1] == "id" and parts[2].isdigit():
            self.send(200, png(int(parts[2])), [("Content-Type", "image/png")])
        else:
            self.send(404)


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
