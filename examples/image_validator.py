"""The image-upload gateway's validator, as in the incident, and as it was fixed.

To check an upload's dimensions, the validator first read the whole upload into memory
and then decoded every pixel. A 20000x20000 "image bomb" of about a megabyte decodes
to more than a gigabyte; ordinary large photos, a few at a time, did the rest until the
pod was OOM-killed.
"""

import io

from flask import Flask, abort, request
from PIL import Image

app = Flask(__name__)
MAX_PIXELS = 24_000_000  # a 6000x4000 photo
MAX_SIDE = 8_000
CHUNK = 64 * 1024


@app.post("/avatars")
def upload_avatar():
    data = request.files["image"].read()
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
        abort(413)
    image.thumbnail((512, 512))
    image.save("/srv/avatars/latest.png")
    return "", 201


@app.post("/v2/avatars")
def upload_avatar_fixed():
    """The fix: read the dimensions from the header, reject above a limit, then decode."""
    upload = request.files["image"]
    with Image.open(upload.stream) as image:  # reads the header only
        if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
            abort(413)
        image.draft("RGB", (512, 512))  # JPEG: decode at a reduced scale
        thumbnail = image.convert("RGB")
    thumbnail.thumbnail((512, 512))
    thumbnail.save("/srv/avatars/latest.png")
    return "", 201


@app.post("/v2/attachments")
def upload_attachment():
    """Files that are not decoded go to disk in bounded chunks."""
    upload = request.files["file"]
    with open("/srv/attachments/latest", "wb") as destination:
        while chunk := upload.stream.read(CHUNK):
            destination.write(chunk)
    return "", 201
