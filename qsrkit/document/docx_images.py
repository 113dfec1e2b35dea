"""Screenshots and charts into a .docx: one image part per distinct picture, one chart part per
chart drawn, each inline.

Equal pictures are found by their SHA-1 in a dict and part names are counted, so each picture
costs the same however many came before. The picture's size and type come from python-docx's
image header readers, imported only when a document has a picture; the part goes into the
package through `Package.add_part`, the one place parts are added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from qsrkit.answers.parse import XML_ILLEGAL
from qsrkit.document.docx_package import RT_IMAGE, quoteattr

if TYPE_CHECKING:
    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart
    from qsrkit.document.charts_xml import ChartPart
    from qsrkit.document.docx_package import Package

EMU_PER_INCH = 914400
MAX_IMAGE_WIDTH = int(6.5 * EMU_PER_INCH)
MAX_IMAGE_HEIGHT = int(4.5 * EMU_PER_INCH)
_PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"


class Embedder:
    """Adds pictures to `package`, related from its document part."""

    def __init__(self, package: Package, charts: Mapping[str, Chart] | None = None) -> None:
        self.package = package
        self.parts: dict[str, tuple[str, int, int]] = {}  # SHA-1 → (r:id, width, height)
        self.shape_id = 0
        self.charts = charts or {}
        self.chart_parts: dict[str, ChartPart] | None = None  # token → its part, made on first use
        self.chart_ids: dict[str, str] = {}  # token → r:id of the part added to the package

    def drawing(self, picture: Picture, alt: str) -> str:
        """The run XML that shows `picture`, at most 6.5 × 4.5 inches; raises on bytes that
        python-docx cannot read as a picture (a damaged file that only starts like one)."""
        r_id, width, height = self._image_part(picture.data)
        scale = min(1.0, MAX_IMAGE_WIDTH / max(width, 1), MAX_IMAGE_HEIGHT / max(height, 1))
        cx, cy = int(width * scale), int(height * scale)
        self.shape_id += 1
        name = _attr(PurePosixPath(picture.name).name)
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{self.shape_id}" name="Picture {self.shape_id}" descr={_attr(alt)}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            f'</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="{_PICTURE}">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name={name}/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/>'
            '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
            "</w:drawing></w:r>"
        )

    def _image_part(self, data: bytes) -> tuple[str, int, int]:
        key = hashlib.sha1(data).hexdigest()
        found = self.parts.get(key)
        if found is None:
            from docx.image.image import Image

            image = Image.from_blob(data)
            name = self.package.free_name("word/media/screenshot", image.ext)
            r_id = self.package.add_part(name, data, image.content_type, RT_IMAGE,
                                         default_for_extension=True)
            found = self.parts[key] = (r_id, int(image.width), int(image.height))
        return found

    # --- charts (issue 15): the one place a .docx meets charts_xml ----------------------------

    def chart(self, token: str, alt: str, warnings: list[str]) -> str:
        """The run XML that draws the chart `token` names (`qsrkit-chart:NAME`), its numbers as
        alt text; its part joins the package the first time the Markdown draws it (a chart the
        template leaves out adds nothing). An unknown name is left out with a warning."""
        from qsrkit.document.charts import CHART_SCHEME
        from qsrkit.document.charts_xml import chart_parts

        if self.chart_parts is None:
            taken = {"/" + name for name in (*self.package.base.parts, *self.package.parts)}
            self.chart_parts = {c.token: c for c in chart_parts(self.charts.values(), taken)}
        found = self.chart_parts.get(token)
        if found is None:
            warnings.append(f"chart {token.removeprefix(CHART_SCHEME)!r} was left out: this "
                            "document has no chart of that name")
            return ""
        r_id = self.chart_ids.get(token)
        if r_id is None:
            r_id = self.chart_ids[token] = self.package.add_part(
                found.partname.lstrip("/"), found.blob, found.content_type, found.relationship)
        self.shape_id += 1
        return found.drawing(r_id, self.shape_id, alt)


def _attr(text: str) -> str:
    return quoteattr(XML_ILLEGAL.sub("", text))
