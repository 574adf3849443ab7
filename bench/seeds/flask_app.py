"""The course seed's shape (seeds/002): Flask, the image read from the volume on every request and embedded in the
page as base64, rewritten for the benchmark. Run: IMAGE_DIR=dir python flask_app.py PORT (Flask's threaded server,
as the seed runs it)."""
import base64
import datetime
import os
import sys

from flask import Flask

IMAGE_DIR = os.environ["IMAGE_DIR"]
app = Flask(__name__)


@app.get("/")
def home():
    with open(os.path.join(IMAGE_DIR, "last_updated")) as file:
        last_updated = datetime.datetime.strptime(file.read().strip(), "%Y-%m-%d_%H:%M:%S")
    with open(os.path.join(IMAGE_DIR, "image.jpg"), "rb") as file:
        encoded = base64.b64encode(file.read()).decode()
    age = int((datetime.datetime.now() - last_updated).total_seconds())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>The project</title></head>
<body><h1>The project</h1><p>image age {age} s</p><img src="data:image/jpeg;base64,{encoded}" alt="hourly image"></body></html>"""


if __name__ == "__main__":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
