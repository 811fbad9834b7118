"""A picture of the photo evidence: the photo with the face box, the landmarks, the detected eye
centres and the region where StyleGAN-type generators put the eyes. A person can see at a glance
whether the eyes sit inside the canonical circles."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from linkvet.photo.analysis import PhotoAnalysis

FACE_COLOUR = (255, 210, 0)
EYE_COLOUR = (230, 40, 40)
CANONICAL_COLOUR = (40, 200, 90)
LANDMARK_COLOUR = (80, 160, 255)


def draw_overlay(analysis: PhotoAnalysis) -> Image.Image:
    image = Image.fromarray(analysis.photo.pixels).convert("RGB")
    draw = ImageDraw.Draw(image)
    width, height = image.size
    line = max(2, width // 200)
    model = analysis.model
    radius = max(3.0, model.eye_tolerance * width)
    canonical = model.canonical_eyes
    for x, y in ((canonical[0], canonical[1]), (canonical[2], canonical[3])):
        cx, cy = x * width, y * height
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            outline=CANONICAL_COLOUR,
            width=line,
        )
    face = analysis.main_face
    if face is not None:
        draw.rectangle(face.box, outline=FACE_COLOUR, width=line)
        for px, py in face.landmarks:
            draw.ellipse((px - 1, py - 1, px + 1, py + 1), fill=LANDMARK_COLOUR)
        for ex, ey in (face.left_eye, face.right_eye):
            draw.line((ex - 2 * line, ey, ex + 2 * line, ey), fill=EYE_COLOUR, width=line)
            draw.line((ex, ey - 2 * line, ex, ey + 2 * line), fill=EYE_COLOUR, width=line)
    legend = "green: where StyleGAN puts the eyes   red: eyes found   yellow: face"
    draw.rectangle((0, height - 16, width, height), fill=(0, 0, 0))
    draw.text((4, height - 14), legend, fill=(255, 255, 255))
    return image


def save_overlay(analysis: PhotoAnalysis, folder: Path) -> Path:
    """Write the overlay as PNG, named by the photo's digest; the same photo, the same file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"photo-{analysis.photo.sha256[:16]}.png"
    temporary = target.with_suffix(".tmp")
    draw_overlay(analysis).save(temporary, "PNG")
    temporary.replace(target)  # never a half-written picture
    return target
