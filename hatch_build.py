"""Compile the gettext catalogues (.po -> .mo) whenever the package is built or installed."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        resources = root / "resources"
        for po_path in sorted((resources / "locale").glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as fh:
                catalog = read_po(fh)
            mo_path = po_path.with_suffix(".mo")
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
        if version != "editable":
            for path in resources.rglob("*"):
                if path.is_file() and path.suffix != ".po":
                    rel = path.relative_to(resources)
                    build_data["force_include"][str(path)] = f"evidence_app/resources/{rel}"
