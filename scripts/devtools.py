"""Headless Chromium over the DevTools protocol with the standard library only (RFC 6455 text frames by hand):
used by live-page-check.py and shoot.py."""
import base64, json, os, socket, subprocess, sys, time, urllib.request


class DevTools:
    """One page target's DevTools WebSocket: send a command, read until its answer."""

    def __init__(self, url):
        host, _, path = url.removeprefix("ws://").partition("/")
        address, _, port = host.partition(":")
        self.sock = socket.create_connection((address, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            sys.exit(f"live-page-check: DevTools refused the WebSocket: {head[:200]!r}")
        self.next_id = 0

    def _read(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the WebSocket")
            data += chunk
        return data

    def _frame(self):
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(self._read(2), "big")
        elif length == 127:
            length = int.from_bytes(self._read(8), "big")
        return first & 0x0F, self._read(length)

    def call(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + len(payload).to_bytes(2, "big"))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        message = b""
        while True:
            opcode, data = self._frame()
            message += data
            if opcode in (0x0, 0x1) and data is not None:
                try:
                    answer = json.loads(message)
                except ValueError:
                    continue  # a fragmented message: read on
                message = b""
                if answer.get("id") == self.next_id:
                    return answer.get("result", {})

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True).get("result", {}).get("value")



def chromium(debug_port, profile, size="1100,820"):
    """Starts headless Chromium and returns (process, DevTools of its page)."""
    process = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                f"--remote-debugging-port={debug_port}", f"--user-data-dir={profile}", f"--window-size={size}",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json"))
            page = next(t for t in targets if t.get("type") == "page")
            return process, DevTools(page["webSocketDebuggerUrl"])
        except Exception:
            if time.time() > deadline:
                process.kill()
                sys.exit("devtools: Chromium's DevTools did not come up")
            time.sleep(0.1)


def screenshot(tab, url, path, width, height, scale=1, settle=1.5):
    """Loads `url` at the given viewport and saves a PNG once scripts and images have settled."""
    tab.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=scale, mobile=width < 600)
    tab.call("Page.navigate", url=url)
    time.sleep(settle)
    shot = tab.call("Page.captureScreenshot", format="png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
