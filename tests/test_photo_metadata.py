"""Photo metadata: real files written with Pillow (and, where Pillow writes no such thing, segments
and chunks laid out by hand as the specifications describe), read back by `read_metadata`."""

from __future__ import annotations

import io
import struct
import time
import warnings
import zlib
from collections.abc import Callable, Iterable, Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from linkvet.photo.metadata import KINDS, MetadataFinding, PhotoMetadata, read_metadata

EXIF_IFD = 0x8769
MAKE, MODEL, SOFTWARE = 0x010F, 0x0110, 0x0131
DESCRIPTION, ARTIST, COPYRIGHT = 0x010E, 0x013B, 0x8298
DATE_TIME_ORIGINAL, USER_COMMENT, MAKER_NOTE = 0x9003, 0x9286, 0x927C
XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
C2PA_UUID = bytes.fromhex("6332706100110010800000aa00389b71")
AI_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SD_PARAMETERS = (
    "professional headshot of a smiling woman, office background, bokeh\n"
    "Negative prompt: blurry, deformed hands\n"
    "Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567890, Size: 512x512, "
    "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.6.0"
)


# --- Building real files -----------------------------------------------------------------------


def picture() -> Image.Image:
    return Image.new("RGB", (32, 32), (150, 110, 90))


def exif(
    top: Mapping[int, str | bytes] | None = None, sub: Mapping[int, str | bytes] | None = None
) -> Image.Exif:
    tags = Image.Exif()
    for tag, value in (top or {}).items():
        tags[tag] = value
    if sub:
        ifd = tags.get_ifd(EXIF_IFD)
        for tag, value in sub.items():
            ifd[tag] = value
    return tags


def jpeg(*, tags: Image.Exif | None = None, xmp: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if tags is not None:
        options["exif"] = tags
    if xmp is not None:
        options["xmp"] = xmp
    picture().save(buffer, "JPEG", **options)
    return buffer.getvalue()


def with_segments(data: bytes, *segments: bytes) -> bytes:
    """A JPEG with marker segments inserted right after its SOI marker."""
    return data[:2] + b"".join(segments) + data[2:]


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def png(
    *,
    text: Iterable[tuple[str, str]] = (),
    itxt: Iterable[tuple[str, str]] = (),
    chunks: Iterable[tuple[bytes, bytes]] = (),
) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in text:
        info.add_text(key, value)
    for key, value in itxt:
        info.add_itxt(key, value)
    for kind, body in chunks:
        info.add(kind, body)
    buffer = io.BytesIO()
    picture().save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def before_iend(data: bytes, *chunks: bytes) -> bytes:
    """A PNG with chunks placed after its image data (read only when the pixels are loaded)."""
    return data[:-12] + b"".join(chunks) + data[-12:]


def xmp_packet(attributes: str = "", body: str = "") -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 9.1-c001">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""\n'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        ' xmlns:tiff="http://ns.adobe.com/tiff/1.0/"\n'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"\n'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"\n'
        ' xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"\n'
        ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        f" {attributes}>\n{body}\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n" + " " * 200 + '\n<?xpacket end="w"?>'
    ).encode()


def iptc_app13(fields: Mapping[int, str]) -> bytes:
    """An APP13 Photoshop block holding an IPTC-IIM record 2 resource (0x0404)."""
    record = b"".join(
        b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(value.encode())) + value.encode()
        for dataset, value in fields.items()
    )
    record += b"\x00" * (len(record) % 2)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    return segment(0xED, b"Photoshop 3.0\x00" + resource)


def cbor(value: object) -> bytes:
    """The little of CBOR a C2PA claim needs: text, small integers, arrays, maps."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + struct.pack(">H", length)

    if isinstance(value, str):
        return head(3, len(value.encode())) + value.encode()
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(item) for item in value)
    if isinstance(value, Mapping):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(value)


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def jumbf(label: str, uuid: bytes, *content: bytes) -> bytes:
    description = box(b"jumd", uuid + b"\x03" + label.encode() + b"\x00")
    return box(b"jumb", description + b"".join(content))


def c2pa_store(claim: Mapping[str, object], actions: Mapping[str, object]) -> bytes:
    """A C2PA manifest store: one manifest with an actions assertion and a claim (no signature:
    linkvet never verifies one, it only reports what the store says)."""
    assertion = jumbf("c2pa.actions", b"cbor" + bytes(12), box(b"cbor", cbor(actions)))
    assertions = jumbf("c2pa.assertions", b"c2as" + bytes(12), assertion)
    claim_box = jumbf("c2pa.claim", b"c2cl" + bytes(12), box(b"cbor", cbor(claim)))
    manifest = jumbf("urn:uuid:1234", b"c2ma" + bytes(12), assertions, claim_box)
    return jumbf("c2pa", C2PA_UUID, manifest)


def app11(store: bytes, piece: int = 60_000) -> list[bytes]:
    """APP11 segments carrying a JUMBF box (JPEG XT): CI "JP", box instance 1, sequence number;
    every segment after the first repeats the box's 8-byte header."""
    segments = []
    for number, start in enumerate(range(0, len(store), piece), start=1):
        header = b"" if number == 1 else store[:8]
        payload = b"JP" + struct.pack(">HI", 1, number) + header + store[start : start + piece]
        segments.append(segment(0xEB, payload))
    return segments


FIREFLY_CLAIM = {
    "claim_generator": "Adobe_Firefly c2pa-rs/0.32.0",
    "dc:format": "image/jpeg",
    "instanceID": "xmp:iid:5f3c",
}
FIREFLY_ACTIONS = {
    "actions": [
        {
            "action": "c2pa.created",
            "softwareAgent": "Adobe Firefly",
            "digitalSourceType": AI_SOURCE_TYPE,
        }
    ]
}


def read(data: bytes) -> PhotoMetadata:
    with Image.open(io.BytesIO(data)) as image:
        return read_metadata(data, image)


def kinds(result: PhotoMetadata) -> list[tuple[str, str]]:
    return [(finding.kind, finding.source) for finding in result.findings]


def read_quickly(data: bytes) -> PhotoMetadata:
    """Hostile inputs must not slow the reader down (one second is a generous bound), nor make
    it complain on stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's own opening warns about damaged EXIF
        image = Image.open(io.BytesIO(data))
    with image, warnings.catch_warnings(record=True) as complaints:
        warnings.simplefilter("always")
        started = time.perf_counter()
        result = read_metadata(data, image)
        elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert [str(complaint.message) for complaint in complaints] == []
    return result


# --- What generators and editors leave behind --------------------------------------------------


def test_jpeg_exif_names_the_camera_and_the_editor() -> None:
    tags = exif({MAKE: "Canon", MODEL: "Canon EOS R6", SOFTWARE: "Adobe Lightroom Classic 13.0"})
    result = read(jpeg(tags=tags))
    assert result.has_any
    assert result.findings == (
        MetadataFinding("editing_software", "exif:Software", "Adobe Lightroom Classic 13.0"),
        MetadataFinding("camera", "exif:Make/Model", "Canon EOS R6"),
    )


def test_photoshop_is_editing_software_not_a_generator() -> None:
    result = read(jpeg(tags=exif({SOFTWARE: "Adobe Photoshop 25.0 (Windows)"})))
    assert result.findings == (
        MetadataFinding("editing_software", "exif:Software", "Adobe Photoshop 25.0 (Windows)"),
    )


def test_stable_diffusion_parameters_chunk_in_png() -> None:
    result = read(png(text=[("parameters", SD_PARAMETERS)]))
    assert kinds(result) == [("generator", "png:parameters")]
    value = result.findings[0].value
    # The value is the part of the chunk around what was found, so the settings show.
    assert "Negative prompt: blurry" in value
    assert len(value) <= 200
    assert value.isprintable()  # the newlines of the chunk are gone


def test_stable_diffusion_parameters_in_jpeg_user_comment() -> None:
    # AUTOMATIC1111 writes the same text into EXIF UserComment, UTF-16 after "UNICODE\0".
    comment = b"UNICODE\x00" + SD_PARAMETERS.encode("utf-16-be")
    result = read(jpeg(tags=exif(sub={USER_COMMENT: comment})))
    assert kinds(result) == [("generator", "exif:UserComment")]


@pytest.mark.parametrize(
    ("attributes", "body"),
    [
        ("", f"<Iptc4xmpExt:DigitalSourceType>{AI_SOURCE_TYPE}</Iptc4xmpExt:DigitalSourceType>"),
        ("", f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{AI_SOURCE_TYPE}"/>'),
        (f'Iptc4xmpExt:DigitalSourceType="{AI_SOURCE_TYPE}"', ""),
    ],
    ids=["element", "resource", "attribute"],
)
def test_png_xmp_digital_source_type(attributes: str, body: str) -> None:
    packet = xmp_packet(attributes, body).decode()
    result = read(png(itxt=[("XML:com.adobe.xmp", packet)]))
    assert result.findings == (
        MetadataFinding("ai_source_type", "xmp:DigitalSourceType", AI_SOURCE_TYPE),
    )


def test_composite_with_ai_is_its_own_source_type() -> None:
    value = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    body = f"<Iptc4xmpExt:DigitalSourceType>{value}</Iptc4xmpExt:DigitalSourceType>"
    result = read(jpeg(xmp=xmp_packet(body=body)))
    assert result.findings == (MetadataFinding("ai_source_type", "xmp:DigitalSourceType", value),)


def test_jpeg_xmp_naming_adobe_firefly() -> None:
    result = read(jpeg(xmp=xmp_packet('xmp:CreatorTool="Adobe Firefly"')))
    assert result.findings == (MetadataFinding("generator", "xmp:CreatorTool", "Adobe Firefly"),)


def test_xmp_history_names_the_editing_app() -> None:
    body = (
        "<xmpMM:History><rdf:Seq>"
        '<rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop 25.0 (Macintosh)"/>'
        "</rdf:Seq></xmpMM:History>"
    )
    result = read(jpeg(xmp=xmp_packet(body=body)))
    assert kinds(result) == [("editing_software", "xmp:softwareAgent")]


def test_webp_xmp_and_exif() -> None:
    buffer = io.BytesIO()
    tags = exif({SOFTWARE: "Midjourney"})
    picture().save(buffer, "WEBP", exif=tags, xmp=xmp_packet('xmp:CreatorTool="FaceApp 11.2"'))
    result = read(buffer.getvalue())
    assert kinds(result) == [
        ("generator", "exif:Software"),
        ("editing_software", "xmp:CreatorTool"),
    ]


def test_jpeg_app11_c2pa_manifest() -> None:
    data = with_segments(jpeg(), *app11(c2pa_store(FIREFLY_CLAIM, FIREFLY_ACTIONS)))
    result = read(data)
    assert result.has_any
    assert result.findings == (
        MetadataFinding("generator", "c2pa:claim_generator", "Adobe_Firefly c2pa-rs/0.32.0"),
        MetadataFinding("generator", "c2pa:softwareAgent", "Adobe Firefly"),
        MetadataFinding("ai_source_type", "c2pa:digitalSourceType", AI_SOURCE_TYPE),
        MetadataFinding("c2pa_manifest", "c2pa:manifest", "Adobe_Firefly c2pa-rs/0.32.0"),
    )


def test_c2pa_manifest_split_across_app11_segments_is_joined() -> None:
    store = c2pa_store(FIREFLY_CLAIM, FIREFLY_ACTIONS)
    at = store.index(b"Adobe Firefly") + 5  # cut through the middle of the agent's name
    segments = app11(store, piece=at)
    assert len(segments) > 1
    result = read(with_segments(jpeg(), *segments))
    assert MetadataFinding("generator", "c2pa:softwareAgent", "Adobe Firefly") in result.findings


def test_c2pa_version_2_claim_generator_info() -> None:
    claim = {"claim_generator_info": [{"name": "ChatGPT", "version": 1}], "alg": "ps256"}
    actions = {"actions": [{"action": "c2pa.created", "softwareAgent": {"name": "GPT-4o"}}]}
    result = read(png(chunks=[(b"caBX", c2pa_store(claim, actions))]))
    assert kinds(result) == [
        ("generator", "c2pa:claim_generator"),
        ("c2pa_manifest", "c2pa:manifest"),
    ]
    assert result.findings[1].value == "ChatGPT"


def test_comfyui_prompt_and_workflow_chunks() -> None:
    prompt = '{"3": {"inputs": {"seed": 1, "steps": 20}, "class_type": "KSampler"}}'
    workflow = '{"last_node_id": 9, "last_link_id": 9, "nodes": [], "links": []}'
    result = read(png(text=[("prompt", prompt), ("workflow", workflow)]))
    assert kinds(result) == [("generator", "png:prompt"), ("generator", "png:workflow")]


def test_comfyui_workflow_in_exif_make_is_not_a_camera() -> None:
    workflow = 'workflow:{"last_node_id": 9, "nodes": [], "links": []}'
    result = read(jpeg(tags=exif({MAKE: workflow, MODEL: 'prompt:{"3": {"class_type": "X"}}'})))
    assert kinds(result) == [("generator", "exif:Make"), ("generator", "exif:Model")]


def test_novelai_software_and_source_chunks() -> None:
    result = read(png(text=[("Software", "NovelAI"), ("Source", "Stable Diffusion XL C1E1DE52")]))
    assert kinds(result) == [("generator", "png:Software"), ("generator", "png:Source")]


def test_iptc_caption_saying_ai_generated() -> None:
    app13 = iptc_app13({120: "AI-generated portrait for marketing", 80: "Jane Smith"})
    result = read(with_segments(jpeg(), app13))
    assert result.has_any
    assert result.findings == (
        MetadataFinding(
            "generator", "iptc:Caption-Abstract", "AI-generated portrait for marketing"
        ),
    )


def test_iptc_originating_program() -> None:
    result = read(with_segments(jpeg(), iptc_app13({65: "Snapseed"})))
    assert result.findings == (
        MetadataFinding("editing_software", "iptc:OriginatingProgram", "Snapseed"),
    )


@pytest.mark.parametrize(
    ("software", "kind"),
    [
        ("Midjourney v6", "generator"),
        ("DALL·E 3", "generator"),
        ("DALL-E", "generator"),
        ("dalle3", "generator"),
        ("FLUX.1-dev", "generator"),
        ("Flux", "generator"),
        ("Google Imagen 3", "generator"),
        ("ComfyUI", "generator"),
        ("AUTOMATIC1111 stable-diffusion-webui", "generator"),
        ("Leonardo.Ai", "generator"),
        ("StyleGAN2", "generator"),
        ("thispersondoesnotexist.com", "generator"),
        ("Generated by an in-house model", "generator"),
        ("GIMP 2.10.36", "editing_software"),
        ("Facetune2", "editing_software"),
        ("Meitu", "editing_software"),
        ("Remini", "editing_software"),
        ("Lensa", "editing_software"),
    ],
)
def test_names_in_the_software_field(software: str, kind: str) -> None:
    result = read(jpeg(tags=exif({SOFTWARE: software.encode()})))  # UTF-8, as writers do
    assert result.findings == (MetadataFinding(kind, "exif:Software", software),)


@pytest.mark.parametrize(
    "description",
    [
        "Portrait made with Stable Diffusion",
        "midjourney --v 6 --style raw",
        "AI generated headshot",
        "Generated by AI",
        "Made with Google AI",
        "Image generated by Adobe Firefly",
    ],
)
def test_generator_named_in_a_description(description: str) -> None:
    result = read(jpeg(tags=exif({DESCRIPTION: description})))
    assert result.findings == (MetadataFinding("generator", "exif:ImageDescription", description),)


def test_compressed_itxt_xmp_in_png() -> None:
    info = PngImagePlugin.PngInfo()
    packet = xmp_packet('xmp:CreatorTool="Adobe Firefly (Beta)"').decode()
    info.add_itxt("XML:com.adobe.xmp", packet, zip=True)
    buffer = io.BytesIO()
    picture().save(buffer, "PNG", pnginfo=info)
    assert kinds(read(buffer.getvalue())) == [("generator", "xmp:CreatorTool")]


def test_png_exif_chunk_after_the_image_data() -> None:
    # Pillow reads an eXIf after IDAT only when decoding pixels; the walk over chunks finds it.
    tags = exif({SOFTWARE: "Leonardo.Ai"}).tobytes()
    result = read(before_iend(png(), png_chunk(b"eXIf", tags)))
    assert kinds(result) == [("generator", "exif:Software")]


def test_imagemagick_raw_exif_profile_in_png() -> None:
    raw = b"Exif\x00\x00" + exif({SOFTWARE: "Adobe Photoshop 24.1"}).tobytes()
    hexed = raw.hex()
    lines = "\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    profile = f"\nexif\n{len(raw):8d}\n{lines}\n"
    result = read(png(text=[("Raw profile type exif", profile)]))
    assert kinds(result) == [("editing_software", "exif:Software")]


def test_tiff_tags_and_iptc() -> None:
    caption = b"Made with Google AI"
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption  # IPTC-NAA tag 33723
    buffer = io.BytesIO()
    tags = {SOFTWARE: "Midjourney", MAKE: "Canon", MODEL: "Canon EOS R6", 33723: iptc}
    picture().save(buffer, "TIFF", tiffinfo=tags)
    assert kinds(read(buffer.getvalue())) == [
        ("generator", "exif:Software"),
        ("generator", "iptc:Caption-Abstract"),
        ("camera", "exif:Make/Model"),
    ]


def test_c2pa_store_in_a_tiff_tag() -> None:
    buffer = io.BytesIO()
    store = c2pa_store(FIREFLY_CLAIM, FIREFLY_ACTIONS)
    picture().save(buffer, "TIFF", tiffinfo={0xCD41: store})  # the C2PA tag for TIFF
    assert ("c2pa_manifest", "c2pa:manifest") in kinds(read(buffer.getvalue()))


def test_plain_tiff_has_no_metadata() -> None:
    buffer = io.BytesIO()
    picture().save(buffer, "TIFF")
    assert read(buffer.getvalue()) == PhotoMetadata(findings=(), has_any=False)


def test_gif_comment() -> None:
    buffer = io.BytesIO()
    picture().convert("P").save(buffer, "GIF", comment=b"AI generated avatar")
    result = read(buffer.getvalue())
    assert result.findings == (MetadataFinding("generator", "gif:comment", "AI generated avatar"),)


# --- Ordinary photos, and words that only look like generator names -----------------------------


@pytest.mark.parametrize("make_file", [jpeg, png], ids=["jpeg", "png"])
def test_photo_without_metadata(make_file: Callable[[], bytes]) -> None:
    result = read(make_file())
    assert result == PhotoMetadata(findings=(), has_any=False)


def test_camera_only_photo_has_only_a_camera_finding() -> None:
    result = read(jpeg(tags=exif({MAKE: "NIKON CORPORATION", MODEL: "NIKON Z 6_2"})))
    assert result.findings == (
        MetadataFinding("camera", "exif:Make/Model", "NIKON CORPORATION NIKON Z 6_2"),
    )


@pytest.mark.parametrize(
    ("make", "model", "software"),
    [
        ("Apple", "iPhone 15 Pro", "17.1.2"),
        ("Google", "Pixel 8 Pro", "HDR+ 1.0.580429917zd"),
        ("Google", "Pixel 7", "Google"),
        ("samsung", "SM-S918B", "S918BXXU1AWBD"),
        ("HUAWEI", "ELS-NX9", "ELS-N29 10.1.0.150(C431E8R1P5)"),
        ("Xiaomi", "2201123G", "MediaTek Camera Application"),
    ],
)
def test_camera_phones_are_cameras_and_nothing_else(make: str, model: str, software: str) -> None:
    tags = exif(
        {MAKE: make, MODEL: model, SOFTWARE: software},
        {DATE_TIME_ORIGINAL: "2024:05:17 09:41:00", MAKER_NOTE: b"Apple iOS\x00\x00\x01MM"},
    )
    result = read(jpeg(tags=tags))
    assert {finding.kind for finding in result.findings} == {"camera"}
    assert kinds(result) == [
        ("camera", "exif:DateTimeOriginal"),
        ("camera", "exif:Make/Model"),
        ("camera", "exif:MakerNote"),
    ]


@pytest.mark.parametrize(
    "software",
    [
        "Ver.1.10",
        "ILCE-7M4 v2.01",
        "Firmware Version 1.8.1",
        "HERO12 Black H23.01.01.10.00",
        "ImageMagick 7.1.1-21 Q16-HDRI",
        "libvips 8.15.1",
        "Microsoft Windows Photo Viewer 6.1.7600.16385",
        "Imagenomic Portraiture 4",  # "imagen" inside a word
        "Fluxus Camera 2.3",  # "flux" inside a word
    ],
)
def test_programs_that_are_not_generators(software: str) -> None:
    result = read(jpeg(tags=exif({SOFTWARE: software})))
    assert "generator" not in {finding.kind for finding in result.findings}


@pytest.mark.parametrize(
    "source_type",
    [
        "digitalCapture",
        "computationalCapture",
        "negativeFilm",
        "minorHumanEdits",
        "algorithmicallyEnhanced",
        "compositeCapture",
        "screenCapture",
    ],
)
def test_source_types_that_are_not_synthetic(source_type: str) -> None:
    uri = f"http://cv.iptc.org/newscodes/digitalsourcetype/{source_type}"
    packet = xmp_packet(
        body=f"<Iptc4xmpExt:DigitalSourceType>{uri}</Iptc4xmpExt:DigitalSourceType>"
    )
    assert read(jpeg(xmp=packet)) == PhotoMetadata(findings=(), has_any=True)


@pytest.mark.parametrize(
    ("tag", "person"),
    [
        (ARTIST, "Flux Andersen"),
        (ARTIST, "Leonardo Rossi"),
        (ARTIST, "Imagen Photography"),
        (COPYRIGHT, "(c) Firefly Photography Ltd"),
        (COPYRIGHT, "Dalle Studio, Milano"),
        (ARTIST, "Lensa Remini"),
    ],
)
def test_people_with_generator_like_names(tag: int, person: str) -> None:
    # Person fields count only the distinctive generator names: people are called Flux too.
    result = read(jpeg(tags=exif({tag: person, MAKE: "FUJIFILM", MODEL: "X-T5"})))
    assert kinds(result) == [("camera", "exif:Make/Model")]


def test_distinctive_generator_name_in_a_person_field_counts() -> None:
    result = read(jpeg(tags=exif({ARTIST: "Midjourney"})))
    assert kinds(result) == [("generator", "exif:Artist")]


@pytest.mark.parametrize(
    "description",
    [
        "Imagen de perfil, Madrid 2021",
        "Foto dalle vacanze in Sardegna",
        "Our team is in flux after the merger",
        "Firefly season at the lake",
        "Leonardo at the office party",
        "A novel AI approach to portraits",  # not NovelAI
        "Steps to the summit: 1200, sampler of local wines",
        "Thumbnail regenerated by the gallery",
        "Retouched in Photoshop",  # editing software counts only where a program names itself
        "Camera: digitalCapture",
        "Shot on Pixel 8 Pro",
        "Aperto dalle 9 alle 18",
        "Visit to the Leonardo da Vinci museum",
        "Headshot, Flux Studio London",
        "Scanned from a negative; prompt delivery",
        "CFG Group staff photo, scale model in background",
        "Generated",
    ],
)
def test_ordinary_descriptions(description: str) -> None:
    result = read(jpeg(tags=exif({DESCRIPTION: description})))
    assert result.findings == ()
    assert result.has_any


def test_ordinary_png_text_chunks() -> None:
    chunks = [
        ("Software", "www.inkscape.org"),
        ("Title", "Headshot"),
        ("parameters", "gamma=2.2"),
        ("prompt", "Please smile"),
        ("Author", "Flux Andersen"),
        ("Comment", "Created with love"),
    ]
    result = read(png(text=chunks))
    assert result == PhotoMetadata(findings=(), has_any=True)


def test_camera_xmp_with_a_capture_source_type() -> None:
    capture = "http://cv.iptc.org/newscodes/digitalsourcetype/computationalCapture"
    packet = xmp_packet(
        'tiff:Make="Google" tiff:Model="Pixel 8" xmp:CreatorTool="Pixel 8"',
        f"<Iptc4xmpExt:DigitalSourceType>{capture}</Iptc4xmpExt:DigitalSourceType>"
        "<dc:creator><rdf:Seq><rdf:li>Flux Andersen</rdf:li></rdf:Seq></dc:creator>"
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Imagen de perfil</rdf:li>'
        "</rdf:Alt></dc:description>",
    )
    result = read(jpeg(xmp=packet))
    assert result.findings == (MetadataFinding("camera", "xmp:Make/Model", "Google Pixel 8"),)


def test_camera_c2pa_manifest_is_present_but_not_ai() -> None:
    claim = {"claim_generator": "Leica Camera AG M11-P", "alg": "es256"}
    capture = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    actions = {"actions": [{"action": "c2pa.created", "digitalSourceType": capture}]}
    result = read(with_segments(jpeg(), *app11(c2pa_store(claim, actions))))
    assert result.findings == (
        MetadataFinding("c2pa_manifest", "c2pa:manifest", "Leica Camera AG M11-P"),
    )


def test_app11_that_is_not_c2pa_is_ignored() -> None:
    other = jumbf("jpeg360", b"\x78\x5c\x1b\x25" + bytes(12), box(b"json", b"{}"))
    result = read(with_segments(jpeg(), *app11(other)))
    assert result == PhotoMetadata(findings=(), has_any=False)


def test_icc_profile_alone_is_not_metadata() -> None:
    icc = segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + bytes(128))
    assert read(with_segments(jpeg(), icc)).has_any is False


# --- Order, duplicates, values ------------------------------------------------------------------


def test_findings_are_ordered_by_kind_and_deduplicated() -> None:
    data = with_segments(
        jpeg(
            tags=exif({MAKE: "Canon", MODEL: "EOS R5", SOFTWARE: "Adobe Photoshop 25.0"}),
            xmp=xmp_packet('xmp:CreatorTool="Midjourney"'),
        ),
        *app11(c2pa_store(FIREFLY_CLAIM, FIREFLY_ACTIONS)),
    )
    first, second = read(data), read(data)
    assert first == second
    assert len(set(first.findings)) == len(first.findings)
    order = [KINDS.index(finding.kind) for finding in first.findings]
    assert order == sorted(order)
    assert [kind for kind, _ in kinds(first)] == [
        "generator",
        "generator",
        "generator",
        "ai_source_type",
        "c2pa_manifest",
        "editing_software",
        "camera",
    ]


def test_repeated_chunks_give_one_finding() -> None:
    result = read(png(text=[("Software", "Midjourney"), ("Software", "Midjourney")]))
    assert result.findings == (MetadataFinding("generator", "png:Software", "Midjourney"),)


def test_long_field_value_is_an_excerpt_around_the_match() -> None:
    description = "x" * 5_000 + " made with Stable Diffusion " + "y" * 5_000
    result = read(png(text=[("Description", description)]))
    (finding,) = result.findings
    assert len(finding.value) <= 200
    assert "Stable Diffusion" in finding.value
    assert finding.value.startswith("…")


def test_values_are_printable() -> None:
    result = read(png(text=[("Software", "Mid\x00journey\x1b[31m\tMidjourney\r\n")]))
    (finding,) = result.findings
    assert finding.value.isprintable()
    assert "\x1b" not in finding.value


# --- Hostile files -------------------------------------------------------------------------------


def test_five_megabyte_xmp_packet() -> None:
    body = "<dc:description><rdf:Alt><rdf:li>" + "a" * 5_000_000 + "</rdf:li></rdf:Alt>"
    packet = xmp_packet('xmp:CreatorTool="Midjourney"', body + "</dc:description>")
    result = read_quickly(png(itxt=[("XML:com.adobe.xmp", packet.decode())]))
    assert result.has_any
    # Too large to parse; its first 64 KiB are still searched as plain text.
    assert kinds(result) == [("generator", "xmp:packet")]


def test_xmp_entity_bomb_is_refused_not_expanded() -> None:
    entities = '<!ENTITY a0 "Midjourney">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    packet = (
        f'<?xml version="1.0"?><!DOCTYPE x:xmpmeta [{entities}]>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="&a9;"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    for data in (
        png(itxt=[("XML:com.adobe.xmp", packet)]),
        jpeg(xmp=packet.encode()),
    ):
        result = read_quickly(data)
        # The packet is searched as written, so the name in the entity is found, once.
        assert kinds(result) == [("generator", "xmp:packet")]
        assert result.findings[0].value.count("Midjourney") == 1


def test_malformed_xmp_is_searched_as_text() -> None:
    packet = b'<x:xmpmeta><rdf:Description xmp:CreatorTool="Midjourney"'  # unbound, unclosed
    result = read(jpeg(xmp=packet))
    assert kinds(result) == [("generator", "xmp:packet")]


def test_ten_thousand_png_text_chunks() -> None:
    data = png(text=[(f"k{i}", "ordinary words") for i in range(10_000)])
    result = read_quickly(data)
    assert result == PhotoMetadata(findings=(), has_any=True)


def test_compressed_text_bomb_after_the_image_data() -> None:
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Midjourney " * 2_000_000, 9))
    result = read_quickly(before_iend(png(), bomb))
    assert kinds(result) == [("generator", "png:Comment")]


@pytest.mark.parametrize(
    "payload",
    [
        b"Exif\x00\x00garbage that is not TIFF",
        b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff" + b"\x01" * 400,  # 65535 entries
        b"Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00\x31\x01\x02\x00\xff\xff\xff\x7f"
        b"\x00\x00\x00\x10",  # a Software string longer than the file
        b"Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00\x69\x87\x04\x00\x01\x00\x00\x00"
        b"\x08\x00\x00\x00",  # an Exif IFD pointing back at IFD0
        b"Exif\x00\x00",
    ],
    ids=["not-tiff", "many-entries", "string-past-end", "ifd-loop", "empty"],
)
def test_malformed_exif_keeps_the_rest(payload: bytes) -> None:
    data = with_segments(
        jpeg(xmp=xmp_packet('xmp:CreatorTool="Midjourney"')), segment(0xE1, payload)
    )
    result = read_quickly(data)
    assert result.has_any
    assert ("generator", "xmp:CreatorTool") in kinds(result)


def test_malformed_png_exif_chunk() -> None:
    data = png(text=[("Software", "Snapseed")], chunks=[(b"eXIf", b"MM\x00\x2a\xff\xff\xff\xff")])
    result = read_quickly(data)
    assert kinds(result) == [("editing_software", "png:Software")]


def test_truncated_jpeg_with_a_valid_header() -> None:
    full = jpeg(tags=exif({MAKE: "Canon", MODEL: "Canon EOS 5D"}))
    cut = full[: full.index(b"\xff\xda") + 20]  # a few bytes into the image data
    result = read_quickly(cut)
    assert kinds(result) == [("camera", "exif:Make/Model")]


@pytest.mark.parametrize(
    "damaged",
    [
        segment(0xEB, b""),
        segment(0xEB, b"JP\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01jumbc2pa"),  # 1: 64-bit
        segment(0xE1, XMP_APP1_HEADER),
        segment(0xFE, b""),
        segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\xff\xff\xff\xff\x1c\x02x"),
        segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x08\x1c\x02\x78\xff\xff"),
    ],
    ids=[
        "app11-empty",
        "app11-short-box",
        "xmp-empty",
        "comment-empty",
        "iptc-overrun",
        "iptc-field-overrun",
    ],
)
def test_empty_and_overrunning_segments(damaged: bytes) -> None:
    data = with_segments(jpeg(tags=exif({SOFTWARE: "Snapseed"})), damaged)
    result = read_quickly(data)
    assert ("editing_software", "exif:Software") in kinds(result)


def test_hostile_c2pa_lengths() -> None:
    hostile = jumbf("c2pa", C2PA_UUID, b"\x6fclaim_generator\x7a\xff\xff\xff\xff" + b"A" * 100)
    hostile += b"\x6dsoftwareAgent\xbf\x64name"  # an indefinite map, then nothing
    result = read_quickly(with_segments(jpeg(), *app11(hostile)))
    assert kinds(result) == [("c2pa_manifest", "c2pa:manifest")]


def test_fifty_thousand_jpeg_comments() -> None:
    comments = segment(0xFE, b"x") * 50_000
    data = with_segments(jpeg(tags=exif({SOFTWARE: "Midjourney"})), comments)
    # The segments after the first thousand are not walked; the EXIF, written after them, is lost.
    assert read_quickly(data) == PhotoMetadata((), has_any=True)


def test_hundreds_of_xmp_packets() -> None:
    packet = xmp_packet(body="<dc:subject><rdf:Bag>" + "<rdf:li>a</rdf:li>" * 3_000 + "</rdf:Bag>")
    packet = packet.replace(b"</rdf:Description>", b"</dc:subject></rdf:Description>")
    segments = [segment(0xE1, XMP_APP1_HEADER + packet)] * 300
    assert read_quickly(with_segments(jpeg(), *segments)) == PhotoMetadata((), has_any=True)


def test_hundreds_of_compressed_megabyte_xmp_chunks() -> None:
    packet = zlib.compress(xmp_packet(body="<dc:a/>" * 140_000), 9)
    chunk = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + packet)
    assert read_quickly(before_iend(png(), *[chunk] * 300)) == PhotoMetadata((), has_any=True)


def test_exif_with_tens_of_thousands_of_entries() -> None:
    # Every entry points at the same large string: a parser that copies each one is slow.
    size = 1 << 20
    entries = b"".join(struct.pack("<HHII", tag, 2, size - 8, 8) for tag in range(1, 65_536))
    blob = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 65_535) + entries
    blob += b"A" * (size - len(blob))
    assert read_quickly(before_iend(png(), *[png_chunk(b"eXIf", blob)] * 20)).has_any


def test_deeply_nested_xmp() -> None:
    body = "<rdf:Bag><rdf:li>" * 20_000 + "Midjourney" + "</rdf:li></rdf:Bag>" * 20_000
    packet = xmp_packet(body=f"<dc:subject>{body}</dc:subject>")
    result = read_quickly(png(itxt=[("XML:com.adobe.xmp", packet.decode())]))
    # Too deep to name the property it belongs to: found somewhere in the packet.
    assert kinds(result) == [("generator", "xmp:packet")]


# --- Random damage ------------------------------------------------------------------------------

JPEG_MARKERS = (0xE1, 0xE2, 0xEB, 0xED, 0xFE)
JPEG_PREFIXES = (
    b"",
    b"Exif\x00\x00",
    b"Exif\x00\x00MM\x00\x2a",
    XMP_APP1_HEADER,
    b"JP\x00\x01",
    b"Photoshop 3.0\x00",
    b"Photoshop 3.0\x008BIM\x04\x04\x00\x00",
)
PNG_KINDS = (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"caBX", b"tIME", b"abCd")
PNG_PREFIXES = (
    b"",
    b"Software\x00",
    b"parameters\x00",
    b"XML:com.adobe.xmp\x00\x00\x00\x00\x00",
    b"Comment\x00\x00x\x9c",
    b"Raw profile type exif\x00\x00",
    b"MM\x00\x2a",
)


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """A valid JPEG or PNG header followed by random segments or chunks, then either the rest of
    a valid file, random bytes, or nothing."""
    noise = draw(st.binary(max_size=1024))
    tail = draw(st.sampled_from(("rest", "noise", "cut")))
    if draw(st.booleans()):
        base = jpeg()
        inserted = draw(
            st.lists(
                st.builds(
                    lambda marker, prefix, body: segment(marker, prefix + body),
                    st.sampled_from(JPEG_MARKERS),
                    st.sampled_from(JPEG_PREFIXES),
                    st.binary(max_size=512),
                ),
                max_size=4,
            )
        )
        head, rest = base[:2] + b"".join(inserted), base[2:]
    else:
        base = png()
        inserted = draw(
            st.lists(
                st.builds(
                    lambda kind, prefix, body: png_chunk(kind, prefix + body),
                    st.sampled_from(PNG_KINDS),
                    st.sampled_from(PNG_PREFIXES),
                    st.binary(max_size=512),
                ),
                max_size=4,
            )
        )
        head, rest = base[:33] + b"".join(inserted), base[33:]  # signature and IHDR first
    if tail == "rest":
        return head + rest + noise
    if tail == "cut":
        return head + rest[: draw(st.integers(0, len(rest)))]
    return head + noise


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_files())
def test_random_damage_never_raises(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Image.open(io.BytesIO(data)).close()
    except Exception:  # Pillow refuses damage in many ways; only what it opens reaches us
        return
    result = read_quickly(data)
    assert all(finding.kind in KINDS for finding in result.findings)
    assert all(
        len(finding.value) <= 200 and finding.value.isprintable() for finding in result.findings
    )
    assert read_quickly(data) == result
