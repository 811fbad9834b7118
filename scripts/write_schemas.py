"""Write the published JSON Schemas to docs/schema/, one file per `linkvet schema` choice, and
the OpenAPI document of the web API to docs/openapi.json.

Run `make schema` after changing a model; tests/test_docs.py fails while the files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from linkvet.batch.fileformat import write_row_schema
from linkvet.cli import SCHEMAS, json_schema

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        target = OUT / f"{name}.schema.json"
        target.write_text(json.dumps(json_schema(name), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(OUT.parent.parent)}")
    write_row_schema(OUT / "batch-row.schema.json")
    print("wrote docs/schema/batch-row.schema.json")
    from linkvet.web.app import openapi_document

    api = OUT.parent / "openapi.json"
    api.write_text(json.dumps(openapi_document(), indent=2) + "\n", encoding="utf-8")
    print("wrote docs/openapi.json")


if __name__ == "__main__":
    main()
