"""Photo analysis time for a 512x512 JPEG on one core (target: median at most 100 ms).

Run: `.venv/bin/python benchmarks/bench_photo.py` (photos: examples/photos/*.jpg, and with
LINKVET_DATASETS set, 20 faces of each dataset folder re-saved as 512x512 JPEG).

Times every stage of what `photo.forensics` does to a photo not seen before (decoding and
normalising, finding faces and landmarks with dlib HOG + 68 points, the forensic features and the
model), and the face embedding that `photo.reuse` adds when the photo index is not empty. In the same run, the obvious alternative for the
costliest stage: OpenCV's Haar cascade face finder, as a ratio.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from linkvet.photo.ai_face_model import shipped_model
from linkvet.photo.faces import face_finder
from linkvet.photo.features import photo_features
from linkvet.photo.image import load_photo

ROOT = Path(__file__).resolve().parent.parent


def photos() -> list[bytes]:
    found = [path.read_bytes() for path in sorted((ROOT / "examples" / "photos").glob("*.jpg"))]
    datasets = os.environ.get("LINKVET_DATASETS")
    if datasets:
        for folder in sorted((Path(datasets) / "faces").glob("*/*")):
            for path in sorted(folder.iterdir())[:20]:
                with Image.open(path) as image:
                    square = image.convert("RGB").resize((512, 512))
                buffer = io.BytesIO()
                square.save(buffer, "JPEG", quality=85)
                found.append(buffer.getvalue())
    return found


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    finder, model = face_finder(), shipped_model()
    haar = cv2.CascadeClassifier(
        str(Path(cv2.__file__).parent / "data" / "haarcascade_frontalface_default.xml")
    )
    names = (
        "decode",
        "faces",
        "features",
        "embedding",
        "forensics_total",
        "with_embedding",
        "haar_faces",
    )
    stages: dict[str, list[float]] = {name: [] for name in names}
    for data in photos():
        started = time.perf_counter()
        pixels = load_photo(data).pixels
        decode = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        faces = finder.find(pixels)
        find = (time.perf_counter() - started) * 1000
        features = embedding = 0.0
        if faces:
            features, _ = timed(
                partial(lambda f, p: model.probability(photo_features(p, f)), faces[0], pixels)
            )
            embedding, _ = timed(partial(finder.embedding, pixels, faces[0]))
        grey = cv2.cvtColor(np.asarray(pixels), cv2.COLOR_RGB2GRAY)
        haar_time, _ = timed(partial(haar.detectMultiScale, grey, 1.1, 5, minSize=(40, 40)))
        for name, value in (("decode", decode), ("faces", find), ("features", features),
                            ("embedding", embedding), ("haar_faces", haar_time)):  # fmt: skip
            stages[name].append(value)
        stages["forensics_total"].append(decode + find + features)
        stages["with_embedding"].append(decode + find + features + embedding)
    report = {name: round(statistics.median(values), 1) for name, values in stages.items()}
    report["photos"] = len(stages["forensics_total"])
    report["p95_forensics_total"] = round(
        statistics.quantiles(stages["forensics_total"], n=20)[-1], 1
    )
    report["dlib_over_haar_faces"] = round(report["faces"] / report["haar_faces"], 2)
    print(json.dumps({"median_ms": report}, indent=2))


if __name__ == "__main__":
    main()
