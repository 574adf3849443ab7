"""The course seed's shape (seeds/000): FastAPI + Jinja2 templates + StaticFiles under uvicorn, rewritten for the
benchmark. Every request checks the image's timestamp file on the volume, as the seed does, then renders the page.
Run: IMAGE_DIR=dir uvicorn fastapi_app:app --port N   (dir holds image.jpg and last_updated)"""
import datetime
import os

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

IMAGE_DIR = os.environ["IMAGE_DIR"]
app = FastAPI()
app.mount("/assets", StaticFiles(directory=IMAGE_DIR), name="assets")
templates = Jinja2Templates(directory=os.path.join(os.path.dirname(__file__), "templates"))


@app.get("/", response_class=HTMLResponse)
def home(request: Request):
    with open(os.path.join(IMAGE_DIR, "last_updated")) as file:
        last_updated = datetime.datetime.strptime(file.read().strip(), "%Y-%m-%d_%H:%M:%S")
    expired = (datetime.datetime.now() - last_updated).total_seconds() > 3600
    return templates.TemplateResponse(request, "home.html", {"image_path": "/assets/image.jpg", "expired": expired})
